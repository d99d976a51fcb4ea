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
from typing import Any, Protocol

from collectcli.domain.model import Contact
from collectcli.domain.types import Status
from collectcli.engine.records import evolve_contact

_DATES = ("due_date", "anchor_date", "done_date")


class _Fields(Protocol):
    """The fields a snapshot records (a Contact, or an engine.promises.State)."""

    @property
    def due_date(self) -> date | None: ...
    @property
    def anchor_date(self) -> date | None: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def done_date(self) -> date | None: ...
    @property
    def done_time(self) -> time | None: ...
    @property
    def done_by(self) -> str | None: ...
    @property
    def max_intervals(self) -> int | None: ...
    @property
    def occurrence(self) -> int: ...


def snapshot(promise: Contact, *, copies: int = 0) -> str:
    """{"contact": {field: value}, "copies": n} of the fields a payment can change.

    A field that is null is left out (a pending promise has no done stamps, most have no
    max intervals); `restore_onto` reads a missing field as null. Written by hand (it runs
    once per posted payment); dates and times print as ISO text.
    """
    return snapshot_of(promise.id, promise, copies)


def snapshot_of(promise_id: int, p: _Fields, copies: int = 0) -> str:
    """`snapshot` of promise `promise_id` whose changeable fields are `p`."""
    due, anchor, amount = p.due_date, p.anchor_date, p.amount
    done, at, by, left = p.done_date, p.done_time, p.done_by, p.max_intervals
    if (done is None and at is None and by is None and left is None and due is not None
            and anchor is not None and amount is not None):
        return _PENDING % (promise_id, _quoted(due), _quoted(anchor), amount,
                           _STATUS[p.status], p.occurrence, copies)
    fields = [f'"id":{promise_id}']
    texts: tuple[tuple[str, object], ...] = (
        ("due_date", due), ("anchor_date", anchor), ("amount", amount))
    fields.extend(f'"{key}":"{value}"' for key, value in texts if value is not None)
    fields.append(f'"status":"{_STATUS[p.status]}"')
    texts = (("done_date", done), ("done_time", at))
    fields.extend(f'"{key}":"{value}"' for key, value in texts if value is not None)
    if by is not None:
        fields.append(f'"done_by":{json.dumps(by)}')
    if left is not None:
        fields.append(f'"max_intervals":{left}')
    fields.append(f'"occurrence":{p.occurrence}')
    return '{"contact":{' + ",".join(fields) + '},"copies":' + str(copies) + "}"


_STATUS = {s: s.value for s in Status}
_PENDING = ('{"contact":{"id":%d,"due_date":%s,"anchor_date":%s,"amount":"%s",'
            '"status":"%s","occurrence":%d},"copies":%d}')
_QUOTED: dict[date, str] = {}


def _quoted(day: date) -> str:
    """'"YYYY-MM-DD"' (a run meets few distinct dates: each is formatted once)."""
    text = _QUOTED.get(day)
    if text is None:
        if len(_QUOTED) > 4096:
            _QUOTED.clear()
        text = _QUOTED[day] = f'"{day}"'
    return text


def restore_onto(current: Contact, text: str) -> Contact:
    """`current` with the recorded fields put back (a field left out was null)."""
    data: dict[str, Any] = json.loads(text)["contact"]
    get = data.get
    changes: dict[str, Any] = {k: get(k) for k in ("done_by", "max_intervals")}
    changes["occurrence"] = data["occurrence"]
    for k in _DATES:
        changes[k] = None if get(k) is None else date.fromisoformat(data[k])
    changes["amount"] = None if get("amount") is None else Decimal(data["amount"])
    changes["status"] = Status(data["status"])
    changes["done_time"] = None if get("done_time") is None else time.fromisoformat(
        data["done_time"])
    return evolve_contact(current, **changes)
