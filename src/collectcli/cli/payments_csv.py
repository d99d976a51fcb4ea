"""Reading and validating a payments CSV (`collect post-payments`, SPEC 8 and 12).

Every row is checked before anything is posted: file number (known debtor), amount
(strict money), date (ISO, blank = today), type (a payment or reversal type, blank = the
default payment type) and the optional `ref`. Each row gets an idempotency key: its `ref`,
or the file's sha256 and the line number, so a re-run posts nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from collectcli.domain.errors import CollectError, InputError
from collectcli.domain.model import TransactionType
from collectcli.domain.money import D

REQUIRED = ("file", "amount")
OPTIONAL = ("date", "type", "ref")
PAYMENT_KINDS = ("payment", "reversal")


@dataclass(frozen=True, slots=True)
class PaymentRow:
    line: int
    file: int
    amount: Decimal
    date: date
    type: str
    key: str


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    column: str
    reason: str
    values: dict[str, str]

    def describe(self, path: Path) -> str:
        return f"{path.name} line {self.line}, column '{self.column}': {self.reason}"


def read_payments(
    path: Path, files: set[int], types: Mapping[str, TransactionType], default_type: str,
    today: date,
) -> tuple[list[PaymentRow], list[BadRow], list[str]]:
    """(good rows, bad rows, header) of a payments CSV; a bad header is an InputError."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    digest = hashlib.sha256(content).hexdigest()[:40]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    _check_header(path, header)
    reader.fieldnames = header
    good: list[PaymentRow] = []
    bad: list[BadRow] = []
    seen_refs: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            bad.append(BadRow(line, header[-1], "more values than columns", values))
            continue
        try:
            good.append(_row(line, values, files, types, default_type, today, digest,
                             seen_refs))
        except _Bad as exc:
            bad.append(BadRow(line, exc.column, exc.reason, values))
    return good, bad, header


def _check_header(path: Path, header: list[str]) -> None:
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(f"{path}: unknown column(s) {', '.join(unknown)} (allowed: "
                         f"{', '.join(REQUIRED + OPTIONAL)})")
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} (line 1 must name "
                         "file,amount[,date,type,ref])")


class _Bad(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def _row(line: int, v: dict[str, str], files: set[int], types: Mapping[str, TransactionType],
         default_type: str, today: date, digest: str, seen: dict[str, int]) -> PaymentRow:
    text = v.get("file", "")
    if not text.isdigit() or int(text) <= 0:
        raise _Bad("file", f"'{text}' is not a file number")
    if int(text) not in files:
        raise _Bad("file", f"no debtor has file number {text}")
    try:
        amount = D(v.get("amount", ""))
    except CollectError as exc:
        raise _Bad("amount", str(exc)) from None
    day = today
    if v.get("date"):
        try:
            day = date.fromisoformat(v["date"])
        except ValueError:
            raise _Bad("date", f"'{v['date']}' is not a date (write YYYY-MM-DD)") from None
    code = v.get("type") or default_type
    tt = types.get(code)
    if tt is None or tt.kind not in PAYMENT_KINDS:
        why = "unknown transaction type" if tt is None else f"type {code} is a {tt.kind} type"
        raise _Bad("type", f"{why}: use a payment or reversal type")
    ref = v.get("ref", "")
    if len(ref) > 128:
        raise _Bad("ref", "longer than 128 characters")
    if ref and ref in seen:
        raise _Bad("ref", f"'{ref}' repeats the ref of line {seen[ref]}")
    if ref:
        seen[ref] = line
    return PaymentRow(line, int(text), amount, day, code, ref or f"sha256:{digest}:{line}")


def write_rejects(path: Path, header: list[str], bad: list[BadRow]) -> None:
    """The bad rows with their line number and reason, for --skip-invalid."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow([*header, "line", "column", "error"])
        for b in bad:
            out.writerow([*(b.values.get(h, "") for h in header), b.line, b.column, b.reason])
