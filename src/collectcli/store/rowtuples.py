"""Positional row <-> record conversions for the bulk paths (load and apply a workspace).

`store/rows.py` converts dict-shaped rows one at a time; the bulk paths move hundreds of
thousands of rows a second, so here the column order is fixed once (the tables' columns
are in the same order as the dataclasses' fields, which `_check_order` asserts at import)
and a row is converted by touching only the columns that need it: money (cents <->
Decimal), dates (ISO text <-> date), times, enums and booleans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any

from collectcli.domain.model import Contact, Debtor, Note, Transaction
from collectcli.domain.money import to_cents
from collectcli.domain.types import Mode, Repeat, Status
from collectcli.store.rowcode import reader, writer
from collectcli.store.rows import CONTACT_COLUMNS, DEBTOR_COLUMNS, as_date, as_time

Conv = Callable[[Any], Any]

TXN_COLUMNS = (
    "id", "file", "type", "amount", "payment_date", "posted_date", "reverses", "reversed_by",
    "promise_id", "promise_before", "contact_id", "ref", "operator",
)  # fmt: skip
NOTE_COLUMNS = ("file", "date", "time", "operator", "text")

_CONTACT_ATTRS = tuple("klass" if c == "class" else c for c in CONTACT_COLUMNS)


def _check_order(cls: type, attrs: Sequence[str]) -> None:
    names = tuple(f.name for f in fields(cls))
    if names != tuple(attrs):
        raise RuntimeError(f"{cls.__name__} fields and columns differ: {names} != {attrs}")


_check_order(Debtor, DEBTOR_COLUMNS)
_check_order(Contact, _CONTACT_ATTRS)
_check_order(Transaction, TXN_COLUMNS)


_iso: Conv = date.isoformat  # a C method: no Python frame per value


@lru_cache(maxsize=4096)  # a run stamps thousands of rows with the same few times
def _hms(value: Any) -> str:
    return str(value.strftime("%H:%M:%S"))


def _plan(columns: Sequence[str], kinds: dict[str, Conv]) -> list[tuple[int, Conv]]:
    return [(i, kinds[c]) for i, c in enumerate(columns) if c in kinds]


class _Members(dict[Any, Any]):
    """value -> enum member by one C dict lookup; an unknown value goes to the enum itself
    (which raises ValueError, as `Status(value)` does)."""

    def __init__(self, enum: type[Any]):
        super().__init__((m.value, m) for m in enum)
        self.enum = enum

    def __missing__(self, value: Any) -> Any:
        return self.enum(value)


_mode_in: Conv = _Members(Mode).__getitem__
_status_in: Conv = _Members(Status).__getitem__
_repeat_in: Conv = _Members(Repeat).__getitem__


@lru_cache(maxsize=65536)  # balances repeat (0 above all): a C cache hit per value
def _cents_in(v: Any) -> Decimal:
    return Decimal(int(v)).scaleb(-2)  # exactly from_cents(v), without a division


# -- reading -------------------------------------------------------------------------
_DEBTOR_IN = _plan(DEBTOR_COLUMNS, {
    "mode": _mode_in, "manage_group_promises": bool, "commission_rate": Decimal,
    **dict.fromkeys(("sms_authorized_on", "listed_date", "closed_date", "last_payment_date",
                     "validation_end"), as_date),
    **dict.fromkeys(("principal", "fees", "interest", "paid"), _cents_in),
})  # fmt: skip
_CONTACT_IN = _plan(CONTACT_COLUMNS, {
    "amount": _cents_in, "promised": _cents_in, "repeat": _repeat_in, "status": _status_in,
    **dict.fromkeys(("due_date", "anchor_date", "done_date", "created_date",
                     "broken_through"), as_date),
    **dict.fromkeys(("due_time", "done_time", "created_time"), as_time),
    **dict.fromkeys(("copy_on_repeat", "log_repeat_to_notes", "advance_overpayments",
                     "no_autodelete", "no_autocomplete", "no_autocomplete_promise",
                     "is_copy"), bool),
})  # fmt: skip
_RATE = DEBTOR_COLUMNS.index("commission_rate")
_MONEY_IDX = [DEBTOR_COLUMNS.index(c) for c in ("principal", "fees", "interest", "paid")]
_DESC = CONTACT_COLUMNS.index("description")
_OCC = CONTACT_COLUMNS.index("occurrence")
_REPEAT = CONTACT_COLUMNS.index("repeat")


def _exprs(columns: Sequence[str], plan: list[tuple[int, Conv]],
           special: dict[int, str]) -> list[str | Conv | None]:
    out: list[str | Conv | None] = [None] * len(columns)
    for i, fn in plan:
        out[i] = fn
    for i, expr in special.items():
        out[i] = expr
    return out


_MONEY = "_cents_in(0 if (v := {x}) is None else v)"
debtor_from_tuple: Callable[[Sequence[Any]], Debtor] = reader(Debtor, _exprs(
    DEBTOR_COLUMNS, _DEBTOR_IN,
    {_RATE: "None if (v := {x}) is None or v == '' else _Decimal(v)",
     **dict.fromkeys(_MONEY_IDX, _MONEY)}), {"_cents_in": _cents_in, "_Decimal": Decimal})
"""A Debtor from a row selected in DEBTOR_COLUMNS order (blank rate None, NULL money 0)."""

contact_from_tuple: Callable[[Sequence[Any]], Contact] = reader(Contact, _exprs(
    CONTACT_COLUMNS, _CONTACT_IN,
    {_DESC: "'' if (v := {x}) is None else v", _OCC: "{x} or 0",
     _REPEAT: "_Repeat(v) if (v := {x}) else None"}), {"_Repeat": _repeat_in})
"""A Contact from a row selected in CONTACT_COLUMNS order (NULL description '',
NULL occurrence 0, blank repeat None)."""


# -- writing ------------------------------------------------------------------------
def _money_out(v: Any) -> int:
    return to_cents(v)


_ENUM_VALUES: dict[Any, str] = {m: m.value for e in (Mode, Repeat, Status) for m in e}
_enum_out: Conv = _ENUM_VALUES.__getitem__  # str enums: "CLOSED" finds Mode.CLOSED too


_get_debtor = attrgetter(*DEBTOR_COLUMNS)
_get_contact = attrgetter(*_CONTACT_ATTRS)
_get_txn = attrgetter(*TXN_COLUMNS)
_get_note = attrgetter(*NOTE_COLUMNS)

_DEBTOR_OUT = _plan(DEBTOR_COLUMNS, {
    "mode": _enum_out, "commission_rate": str,
    **dict.fromkeys(("sms_authorized_on", "listed_date", "closed_date", "last_payment_date",
                     "validation_end"), _iso),
    **dict.fromkeys(("principal", "fees", "interest", "paid"), _money_out),
})  # fmt: skip
_CONTACT_OUT = _plan(CONTACT_COLUMNS, {
    "amount": _money_out, "promised": _money_out, "repeat": _enum_out, "status": _enum_out,
    **dict.fromkeys(("due_date", "anchor_date", "done_date", "created_date",
                     "broken_through"), _iso),
    **dict.fromkeys(("due_time", "done_time", "created_time"), _hms),
})  # fmt: skip
_TXN_OUT = _plan(TXN_COLUMNS, {"amount": _money_out, "payment_date": _iso,
                               "posted_date": _iso})
_NOTE_OUT = _plan(NOTE_COLUMNS, {"date": _iso, "time": _hms})


DEBTOR_GET: Callable[[Debtor], tuple[Any, ...]] = _get_debtor
"""A debtor's raw field values in DEBTOR_COLUMNS order (one C call)."""
CONTACT_GET: Callable[[Contact], tuple[Any, ...]] = _get_contact
"""A contact's raw field values in CONTACT_COLUMNS order (one C call)."""
DEBTOR_OUT: dict[int, Conv] = dict(_DEBTOR_OUT)
"""Column index -> the conversion that makes a debtor value bindable (others bind as is)."""
CONTACT_OUT: dict[int, Conv] = dict(_CONTACT_OUT)
"""Column index -> the conversion that makes a contact value bindable."""


debtor_values: Callable[[Debtor], list[Any]] = writer(DEBTOR_COLUMNS, DEBTOR_OUT)
"""The debtor's column values in DEBTOR_COLUMNS order, ready to bind."""
contact_values: Callable[[Contact], list[Any]] = writer(_CONTACT_ATTRS, CONTACT_OUT)
"""The contact's column values in CONTACT_COLUMNS order (id first), ready to bind."""
txn_values: Callable[[Transaction], list[Any]] = writer(TXN_COLUMNS, dict(_TXN_OUT))
note_values: Callable[[Note], list[Any]] = writer(NOTE_COLUMNS, dict(_NOTE_OUT))
