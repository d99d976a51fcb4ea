"""A promise's state before a payment, kept on the payment as JSON (SPEC 2, 8).

Recorded: every field a payment can change — due date, amount, status, done date, time
and by, intervals left, occurrence, anchor — and how many copies the payment made (the
copies themselves are found by their `made_by_txn`). An NSF reversal writes these back
onto the promise, so it is exactly what it was, even one the payment completed.
"""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal
from typing import Any

from collectcli.domain.model import Contact
from collectcli.domain.types import Status
from collectcli.engine.records import evolve_contact

_DATES = ("due_date", "anchor_date", "done_date")


def snapshot(promise: Contact, *, copies: int = 0) -> str:
    """{"contact": {field: value}, "copies": n} of the fields a payment can change.

    Written by hand (it runs once per posted payment); `restore_onto` reads it back.
    Dates and times print as ISO text (`str` of a date or time is its isoformat).
    """
    p = promise
    due, anchor, amount, done = p.due_date, p.anchor_date, p.amount, p.done_date
    at, by, left = p.done_time, p.done_by, p.max_intervals
    return _FORMAT % (
        p.id, _NULL if due is None else f'"{due}"',
        _NULL if anchor is None else f'"{anchor}"',
        _NULL if amount is None else f'"{amount}"', _STATUS[p.status],
        _NULL if done is None else f'"{done}"', _NULL if at is None else f'"{at}"',
        _NULL if by is None else json.dumps(by), _NULL if left is None else left,
        p.occurrence, copies,
    )


_NULL = "null"
_STATUS = {s: s.value for s in Status}
_FORMAT = (
    '{"contact":{"id":%d,"due_date":%s,"anchor_date":%s,"amount":%s,"status":"%s",'
    '"done_date":%s,"done_time":%s,"done_by":%s,"max_intervals":%s,"occurrence":%d},'
    '"copies":%d}'
)


def restore_onto(current: Contact, text: str) -> Contact:
    """`current` with the recorded fields put back."""
    data: dict[str, Any] = json.loads(text)["contact"]
    changes: dict[str, Any] = {k: data[k] for k in ("done_by", "max_intervals", "occurrence")}
    for k in _DATES:
        changes[k] = None if data[k] is None else date.fromisoformat(data[k])
    changes["amount"] = None if data["amount"] is None else Decimal(data["amount"])
    changes["status"] = Status(data["status"])
    changes["done_time"] = None if data["done_time"] is None else time.fromisoformat(
        data["done_time"])
    return evolve_contact(current, **changes)
