"""`--where` filters over debtors: `status=NEW,owing>100,operator=JS` (parts joined by
`,` mean AND).

Operators: `=` `<>` `>` `<` `>=` `<=`. Values are typed by the field: money as money
(`owing>100` is 100.00; at most two decimals), dates as ISO dates, file numbers as
integers, text as text. Text compares without case (`status=new` finds `NEW`), as the
plan conditions do. A blank value means "empty": `email=` finds debtors without an
e-mail, `email<>` those with one; only `=` and `<>` take a blank value.

A bad filter is an InputError that quotes the part that is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from collectcli.domain.errors import InputError
from collectcli.domain.fields import ALIASES as FIELD_ALIASES
from collectcli.domain.fields import KINDS
from collectcli.domain.money import D

FIELDS: dict[str, str] = {
    name: {"mode": "text", "decimal": "text"}.get(kind, kind) for name, kind in KINDS.items()
}
"""Debtor field -> kind, from the one registry of debtor fields (domain/fields.py)."""

ALIASES = FIELD_ALIASES
OPERATORS = ("<>", ">=", "<=", "=", ">", "<")
_PART = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<>|>=|<=|=|>|<)\s*(.*?)\s*$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}

Value = str | int | bool | date | Decimal | None


@dataclass(frozen=True, slots=True)
class Filter:
    """One comparison: a known field, an operator and a typed value (None: blank)."""

    field: str
    kind: str
    op: str
    value: Value


def parse_where(text: str) -> tuple[Filter, ...]:
    """The filters of a `--where` text; an empty text is no filter."""
    if text.strip() == "":
        return ()
    return tuple(_parse_part(part) for part in text.split(","))


def _parse_part(part: str) -> Filter:
    where = f"--where part '{part.strip()}'"
    m = _PART.match(part)
    if m is None:
        raise InputError(f"{where} is not FIELD OP VALUE (operators: {' '.join(OPERATORS)}; "
                         "example: status=NEW,owing>100)")
    name, op, raw = m.groups()
    key = name.lower()
    field = key if key in FIELDS else ALIASES.get(key)
    if field is None:
        raise InputError(f"{where}: unknown field '{name}' (known: {', '.join(FIELDS)})")
    kind = FIELDS[field]
    if raw == "":
        if op not in ("=", "<>"):
            raise InputError(f"{where}: a blank value takes only = or <>")
        return Filter(field, kind, op, None)
    return Filter(field, kind, op, _typed(where, field, kind, op, raw))


def _typed(where: str, field: str, kind: str, op: str, raw: str) -> Value:
    if kind == "money":
        try:
            return D(raw)
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    if kind == "date":
        try:
            if len(raw) != 10:
                raise ValueError
            return date.fromisoformat(raw)
        except ValueError:
            raise InputError(f"{where}: '{raw}' is not a date (YYYY-MM-DD)") from None
    if kind == "int":
        if not (raw.isdigit() and raw.isascii()):
            raise InputError(f"{where}: '{raw}' is not a file number")
        return int(raw)
    if kind == "bool":
        if op not in ("=", "<>") or raw.lower() not in _TRUE | _FALSE:
            raise InputError(f"{where}: {field} compares only with = or <> to true or false")
        return raw.lower() in _TRUE
    return raw
