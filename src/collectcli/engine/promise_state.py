"""A promise's state before a payment, kept on the payment as JSON (SPEC 2, 8).

Recorded: every field a payment can change — due date, amount, status, done date, time
and by, intervals left, occurrence, anchor — and how many copies the payment made (the
copies themselves are found by their `made_by_txn`). An NSF reversal writes these back
onto the promise, so it is exactly what it was, even one the payment completed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from typing import Any

from collectcli.domain.model import Contact
from collectcli.domain.types import Status

_DATES = ("due_date", "anchor_date", "done_date")


def snapshot(promise: Contact, *, copies: int = 0) -> str:
    """{"contact": {field: value}, "copies": n} of the fields a payment can change.

    Written by hand (it runs once per posted payment); `restore_onto` reads it back.
    """
    p = promise
    done_time = None if p.done_time is None else p.done_time.isoformat()
    return (
        f'{{"contact":{{"id":{p.id},"due_date":{_j(_iso(p.due_date))},'
        f'"anchor_date":{_j(_iso(p.anchor_date))},'
        f'"amount":{_j(None if p.amount is None else str(p.amount))},'
        f'"status":"{p.status.value}","done_date":{_j(_iso(p.done_date))},'
        f'"done_time":{_j(done_time)},"done_by":{_j(p.done_by)},'
        f'"max_intervals":{_j(p.max_intervals)},"occurrence":{p.occurrence}}},'
        f'"copies":{copies}}}'
    )


def _j(value: str | int | None) -> str:
    if value is None:
        return "null"
    return str(value) if isinstance(value, int) else json.dumps(value)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


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
    return replace(current, **changes)
