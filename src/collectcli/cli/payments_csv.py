"""Reading and validating a payments CSV (`collect post-payments`, SPEC 8 and 12).

Every row is checked before anything is posted: file number (known debtor), amount
(strict money), date (ISO, blank = today), type (a payment or reversal type, blank = the
default payment type) and the optional `ref`. Each row gets an idempotency key: its `ref`,
or the file's sha256 and the line number, so a re-run posts nothing twice.

The rows are read with `csv.reader` (a list per row, the columns found once from the
header) rather than `DictReader`, and the dates and types met are parsed once each: a
file of 100,000 payments usually holds a handful of distinct dates.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from collectcli.domain.errors import CollectError, InputError
from collectcli.domain.model import TransactionType
from collectcli.domain.money import cents
from collectcli.engine.payments_fast import PaymentIn

REQUIRED = ("file", "amount")
OPTIONAL = ("date", "type", "ref")
PAYMENT_KINDS = ("payment", "reversal")

PaymentRow = PaymentIn
"""One validated payment (engine/payments_fast.PaymentIn: line, file, amount, date, type,
key, cents)."""


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
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    _check_header(path, header)
    check = _Checker(header, files, types, default_type, today, digest)
    good: list[PaymentRow] = []
    bad: list[BadRow] = []
    width = len(header)
    for raw in reader:
        if not raw:
            continue  # a blank line, as DictReader skips it
        line = reader.line_num
        if len(raw) > width:
            bad.append(BadRow(line, header[-1], "more values than columns",
                              _values(header, raw)))
            continue
        try:
            good.append(check.row(line, raw))
        except _Bad as exc:
            bad.append(BadRow(line, exc.column, exc.reason, _values(header, raw)))
    return good, bad, header


def _values(header: list[str], raw: list[str]) -> dict[str, str]:
    """The row by column name, stripped, missing values blank (what a rejects file shows)."""
    padded = [v.strip() for v in raw[:len(header)]] + [""] * (len(header) - len(raw))
    return dict(zip(header, padded, strict=True))


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


class _Checker:
    """Checks one row (a list of values) and builds its PaymentRow."""

    def __init__(self, header: list[str], files: set[int],
                 types: Mapping[str, TransactionType], default_type: str, today: date,
                 digest: str):
        where = {name: i for i, name in enumerate(header)}  # a repeated name: the last
        self.width = len(header)
        missing = self.width  # a column the file does not have reads the blank appended
        self.get = itemgetter(*(where.get(name, missing)
                                for name in ("file", "amount", "date", "type", "ref")))
        self.files, self.types, self.default_type = files, types, default_type
        self.today, self.prefix = today, f"sha256:{digest}:"
        self.dates: dict[str, date] = {}
        self.codes: dict[str, str] = {}
        self.amounts: dict[str, tuple[int, Decimal]] = {}
        self.seen: dict[str, int] = {}

    def row(self, line: int, raw: list[str]) -> PaymentRow:
        if len(raw) < self.width:
            raw = raw + [""] * (self.width - len(raw))
        raw.append("")
        text, amount, day_text, type_text, ref = self.get(raw)
        text = text.strip()
        if not (text.isascii() and text.isdigit()) or int(text) <= 0:
            raise _Bad("file", f"'{text}' is not a file number")
        file = int(text)
        if file not in self.files:
            raise _Bad("file", f"no debtor has file number {text}")
        money = self.amounts.get(amount)
        if money is None:
            money = self._amount(amount)
        day_text = day_text.strip()
        day = self._date(day_text) if day_text else self.today
        code = self.codes.get(type_text) or self._type(type_text)
        ref = ref.strip()
        if ref:
            ref = self._ref(ref, line)
        return PaymentIn(line, file, money[1], day, code, ref or f"{self.prefix}{line}",
                         money[0])

    def _amount(self, text: str) -> tuple[int, Decimal]:
        try:
            value = cents(text.strip())
        except CollectError as exc:
            raise _Bad("amount", str(exc)) from None
        money = self.amounts[text] = (value, Decimal(value).scaleb(-2))
        return money

    def _date(self, text: str) -> date:
        day = self.dates.get(text)
        if day is None:
            try:
                day = self.dates[text] = date.fromisoformat(text)
            except ValueError:
                raise _Bad("date", f"'{text}' is not a date (write YYYY-MM-DD)") from None
        return day

    def _type(self, raw: str) -> str:
        text = raw.strip()
        code = self.codes.get(raw)
        if code is None:
            code = text or self.default_type
            tt = self.types.get(code)
            if tt is None or tt.kind not in PAYMENT_KINDS:
                why = ("unknown transaction type" if tt is None
                       else f"type {code} is a {tt.kind} type")
                raise _Bad("type", f"{why}: use a payment or reversal type")
            self.codes[raw] = code
        return code

    def _ref(self, ref: str, line: int) -> str:
        if len(ref) > 128:
            raise _Bad("ref", "longer than 128 characters")
        if ref in self.seen:
            raise _Bad("ref", f"'{ref}' repeats the ref of line {self.seen[ref]}")
        self.seen[ref] = line
        return ref


def write_rejects(path: Path, header: list[str], bad: list[BadRow]) -> None:
    """The bad rows with their line number and reason, for --skip-invalid."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow([*header, "line", "column", "error"])
        for b in bad:
            out.writerow([*(b.values.get(h, "") for h in header), b.line, b.column, b.reason])
