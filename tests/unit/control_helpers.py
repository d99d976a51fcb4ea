"""Builders for the contact control and WIP unit tests (no database)."""

from __future__ import annotations

from datetime import date, time
from itertools import count
from typing import Any

from collectcli.domain.control import ControlRule
from collectcli.domain.model import Contact, Debtor
from collectcli.domain.types import ContactType, Status

_ids = count(1)

PHONE_RULE = ControlRule(
    type="Phone", max_total=7, period="week", hold_days=7,
    attempt_results=frozenset({"1", "2", "3", "102"}), rpc_results=frozenset({"4", "101"}),
    call_from=time(8, 0), call_to=time(21, 0), description="test phone rule",
)


def debtor(file: int = 1, **kw: Any) -> Debtor:
    kw.setdefault("name", f"Debtor {file}")
    kw.setdefault("timezone", "America/New_York")
    kw.setdefault("country", "US")
    return Debtor(file=file, **kw)


def done(file: int, type_: int, day: date, result: str | None = None, **kw: Any) -> Contact:
    """A done contact on `day`."""
    return Contact(id=next(_ids), file=file, type=int(type_), due_date=day, done_date=day,
                   status=Status.DONE, call_result=result, **kw)


def calls(file: int, days: list[date], result: str = "1") -> list[Contact]:
    return [done(file, ContactType.PHONE, d, result) for d in days]


def pending(file: int, type_: int, due: date | None, **kw: Any) -> Contact:
    return Contact(id=kw.pop("id", next(_ids)), file=file, type=int(type_), due_date=due,
                   collector=kw.pop("collector", "JS"), **kw)
