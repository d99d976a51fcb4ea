"""Conversions between database rows and domain records.

Rows may come from Core selects (dates as `date`) or from raw SQL on SQLite (dates as
ISO text); both are accepted. Money is integer cents in the database, Decimal outside.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from collectcli.domain.model import Contact, Debtor
from collectcli.domain.money import from_cents, to_cents
from collectcli.domain.types import Mode, Repeat, Status


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def as_time(value: Any) -> time | None:
    if value is None or isinstance(value, time):
        return value
    return time.fromisoformat(str(value))


def db_date(value: date | None) -> str | None:
    """A date as the bulk paths bind it: ISO text (SQLite stores it so; PostgreSQL casts)."""
    return None if value is None else value.isoformat()


def db_time(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M:%S")


def money(value: Any) -> Decimal | None:
    return None if value is None else from_cents(int(value))


def db_money(value: Decimal | None) -> int | None:
    return None if value is None else to_cents(value)


DEBTOR_COLUMNS = (
    "file", "name", "mode", "status", "operator", "sales", "state", "country", "timezone",
    "email", "phone", "sms_authorized_on", "group_key", "manage_group_promises",
    "listed_date", "closed_date", "last_payment_date", "validation_end", "commission_rate",
    "rate_plan", "summary", "poe", "principal", "fees", "interest", "paid",
)  # fmt: skip
_DEBTOR_DATES = {"sms_authorized_on", "listed_date", "closed_date", "last_payment_date",
                 "validation_end"}
_DEBTOR_MONEY = {"principal", "fees", "interest", "paid"}


def debtor_from_row(row: Mapping[str, Any]) -> Debtor:
    rate = row["commission_rate"]
    values: dict[str, Any] = {c: row[c] for c in DEBTOR_COLUMNS}
    values["mode"] = Mode(row["mode"])
    values["manage_group_promises"] = bool(row["manage_group_promises"])
    values["commission_rate"] = None if rate in (None, "") else Decimal(rate)
    for c in _DEBTOR_DATES:
        values[c] = as_date(row[c])
    for c in _DEBTOR_MONEY:
        values[c] = from_cents(int(row[c] or 0))
    return Debtor(**values)


def debtor_to_row(d: Debtor) -> dict[str, Any]:
    row: dict[str, Any] = {c: getattr(d, c) for c in DEBTOR_COLUMNS}
    row["mode"] = d.mode.value
    row["commission_rate"] = None if d.commission_rate is None else str(d.commission_rate)
    for c in _DEBTOR_DATES:
        row[c] = db_date(row[c])
    for c in _DEBTOR_MONEY:
        row[c] = to_cents(row[c])
    return row


CONTACT_COLUMNS = (
    "id", "file", "type", "description", "due_date", "due_time", "priority", "collector",
    "amount", "promised", "repeat", "repeat_days", "max_intervals", "anchor_date",
    "occurrence", "copy_on_repeat", "log_repeat_to_notes", "advance_overpayments",
    "no_autodelete", "no_autocomplete", "no_autocomplete_promise", "status", "done_date",
    "done_time", "done_by", "originator", "assigned_by", "created_date", "created_time",
    "is_copy", "copy_of", "call_result", "class", "plan", "broken_through", "made_by_txn",
)  # fmt: skip
_CONTACT_DATES = ("due_date", "anchor_date", "done_date", "created_date", "broken_through")
_CONTACT_TIMES = ("due_time", "done_time", "created_time")
_CONTACT_BOOLS = ("copy_on_repeat", "log_repeat_to_notes", "advance_overpayments",
                  "no_autodelete", "no_autocomplete", "no_autocomplete_promise", "is_copy")


def contact_from_row(row: Mapping[str, Any]) -> Contact:
    values: dict[str, Any] = {
        "id": row["id"], "file": row["file"], "type": row["type"],
        "description": row["description"] or "", "priority": row["priority"],
        "collector": row["collector"], "amount": money(row["amount"]),
        "promised": money(row["promised"]),
        "repeat": Repeat(row["repeat"]) if row["repeat"] else None,
        "repeat_days": row["repeat_days"], "max_intervals": row["max_intervals"],
        "occurrence": row["occurrence"] or 0, "status": Status(row["status"]),
        "done_by": row["done_by"], "originator": row["originator"],
        "assigned_by": row["assigned_by"], "copy_of": row["copy_of"],
        "call_result": row["call_result"], "klass": row["class"], "plan": row["plan"],
        "made_by_txn": row["made_by_txn"],
    }
    for c in _CONTACT_DATES:
        values[c] = as_date(row[c])
    for c in _CONTACT_TIMES:
        values[c] = as_time(row[c])
    for c in _CONTACT_BOOLS:
        values[c] = bool(row[c])
    return Contact(**values)


def contact_to_row(c: Contact) -> dict[str, Any]:
    """The column values of a contact (its id included) ready to bind."""
    row: dict[str, Any] = {col: getattr(c, col) for col in CONTACT_COLUMNS if col != "class"}
    row["class"] = c.klass
    row["amount"] = db_money(c.amount)
    row["promised"] = db_money(c.promised)
    row["repeat"] = None if c.repeat is None else c.repeat.value
    row["status"] = c.status.value
    for col in _CONTACT_DATES:
        row[col] = db_date(row[col])
    for col in _CONTACT_TIMES:
        row[col] = db_time(row[col])
    return row


def quoted(column: str) -> str:
    """A contacts column as SQL (`class` is a keyword on some databases)."""
    return '"class"' if column == "class" else column


def copy_contact_sql(changed: Mapping[str, str], source: str) -> str:
    """`INSERT INTO contacts ... SELECT`: copies of contact rows (a repeat's done copy, a
    promise's copy for a period met). `changed` maps the columns the copy changes to their
    SQL, in the order their parameters bind; every other column but `id` comes from the
    row; `source` is the rest of the SELECT after its list (FROM contacts ... )."""
    columns = [*changed, *(c for c in CONTACT_COLUMNS if c not in changed and c != "id")]
    values = [changed.get(c) or f"contacts.{quoted(c)}" for c in columns]
    return (f"INSERT INTO contacts ({', '.join(quoted(c) for c in columns)}) SELECT "
            f"{', '.join(values)} {source}")
