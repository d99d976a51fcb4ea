"""The debtor fields that plans may read (schedule_if) and Edit contacts may change.

One registry maps every accepted spelling to a Debtor attribute and its kind, so a field
name typed in a plan file or an Edit description never reaches SQL as text (SPEC 12):
it is either a known attribute or an InputError. Names are matched without case, with
spaces or dashes read as underscores ("Rate Plan" = rate_plan), through a few aliases
and through printable codes in Collect!'s `@form.field` style (seed 004: `@de.su`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from collectcli.domain.errors import InputError
from collectcli.domain.money import D
from collectcli.domain.types import Mode

KINDS: dict[str, str] = {
    "file": "int", "name": "text", "mode": "mode", "status": "text", "operator": "text",
    "sales": "text", "state": "text", "country": "text", "timezone": "text",
    "email": "text", "phone": "text", "sms_authorized_on": "date", "group_key": "text",
    "manage_group_promises": "bool", "listed_date": "date", "closed_date": "date",
    "last_payment_date": "date", "validation_end": "date", "commission_rate": "decimal",
    "rate_plan": "text", "summary": "text", "poe": "text", "principal": "money",
    "fees": "money", "interest": "money", "paid": "money", "owing": "money",
}  # fmt: skip
"""Debtor attribute -> kind: text, money, date, decimal, int, bool or mode."""

ALIASES: dict[str, str] = {
    "group": "group_key", "listed": "listed_date", "closed": "closed_date",
    "commission": "commission_rate", "collector": "operator", "sales_id": "sales",
    "last_payment": "last_payment_date", "validation": "validation_end", "fee": "fees",
    "place_of_employment": "poe", "status_code": "status",
}  # fmt: skip

PRINTABLE_CODES: dict[str, str] = {
    "@de.na": "name", "@de.su": "summary", "@de.poe": "poe", "@de.st": "status",
    "@de.op": "operator", "@de.sa": "sales", "@de.em": "email", "@de.ph": "phone",
    "@de.sta": "state", "@de.co": "country", "@de.tz": "timezone",
    "@de.ld": "listed_date", "@de.cr": "commission_rate", "@de.rp": "rate_plan",
}  # fmt: skip
"""Our printable codes, in Collect!'s `@de.xx` style; `@de.su` is the seed's example."""

NOT_EDITABLE: dict[str, str] = {
    "file": "the file number is the account's key",
    "mode": "use an Activate or Close contact",
    "owing": "owing is derived from the transactions",
    "principal": "post a Transaction instead", "fees": "post a Transaction instead",
    "interest": "post a Transaction instead", "paid": "post a payment instead",
}  # fmt: skip

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def resolve_field(name: str) -> str:
    """The Debtor attribute a field name or printable code stands for."""
    key = name.strip().lower()
    if key.startswith("@"):
        attr = PRINTABLE_CODES.get(key)
    else:
        key = re.sub(r"[\s\-]+", "_", key)
        attr = key if key in KINDS else ALIASES.get(key)
    if attr is None:
        raise InputError(f"unknown debtor field '{name.strip()}' (known: {', '.join(KINDS)})")
    return attr


def parse_value(attr: str, text: str) -> object:
    """The typed value of `text` for a debtor attribute; blank text is None."""
    kind = KINDS[attr]
    raw = text.strip()
    if raw == "":
        return None
    try:
        if kind == "money":
            return D(raw)
        if kind == "date":
            if not _ISO_DATE.match(raw):
                raise ValueError
            return date.fromisoformat(raw)
        if kind == "decimal":
            value = Decimal(raw)
            if not value.is_finite():
                raise ValueError
            return value
        if kind == "int":
            return int(raw)
        if kind == "bool":
            low = raw.lower()
            if low not in _TRUE | _FALSE:
                raise ValueError
            return low in _TRUE
        if kind == "mode":
            return Mode(raw.upper())
    except (ValueError, InvalidOperation, InputError):
        raise InputError(f"field '{attr}': '{raw}' is not a valid {_KIND_TEXT[kind]}") from None
    return raw


_KIND_TEXT = {
    "money": "amount of money (like 150.00)", "date": "ISO date (YYYY-MM-DD)",
    "decimal": "number", "int": "whole number", "bool": "true or false",
    "mode": "mode (ACTIVE or CLOSED)", "text": "text",
}  # fmt: skip


def parse_assignments(pairs: Iterable[str]) -> dict[str, object]:
    """`field=value` pieces as Debtor attribute -> typed value (the Edit rules, SPEC 6):
    only known fields, typed values, all or nothing. Blank pieces are skipped."""
    changes: dict[str, object] = {}
    for pair in pairs:
        if not pair.strip():
            continue
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"'{pair.strip()}' is not field=value (e.g. summary=Call after 5pm)")
        attr = resolve_field(name)
        if attr in NOT_EDITABLE:
            raise InputError(f"field '{attr}' cannot be edited ({NOT_EDITABLE[attr]})")
        typed = parse_value(attr, value)
        if attr == "name" and typed is None:
            raise InputError("the debtor's name cannot be blank")
        if attr == "manage_group_promises" and typed is None:
            typed = False
        changes[attr] = typed
    if not changes:
        raise InputError("give at least one field=value to change")
    return changes
