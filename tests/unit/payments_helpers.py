"""Shared builders for the payment tests: a workspace of debtors and a RunContext."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from collectcli.domain.model import Contact, Debtor, Operator, Plan, TransactionType
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType, Repeat
from collectcli.engine.context import RunContext
from collectcli.engine.workspace import Workspace

NOW = datetime(2026, 3, 10, 10, 0, 0)
TYPES = {
    "101": TransactionType("101", "Payment", "payment"),
    "105": TransactionType("105", "Returned NSF", "reversal"),
    "196": TransactionType("196", "Original Principal", "principal"),
}
NO_PLANS = Settings(promise_full_plan=None, promise_under_plan=None, promise_over_plan=None,
                    promise_nsf_plan=None, promise_broken_plan=None)


def debtor(file: int, principal: str = "1000.00", **kw: Any) -> Debtor:
    return replace(Debtor(file=file, name=f"Debtor {file}", principal=Decimal(principal)), **kw)


def promise(cid: int, file: int = 1, amount: str = "100.00", due: date = date(2026, 3, 15),
            repeat: Repeat | None = Repeat.MONTHLY, **kw: Any) -> Contact:
    money = Decimal(amount)
    return replace(Contact(id=cid, file=file, type=ContactType.PROMISE, description="Promise",
                           due_date=due, amount=money, promised=money, repeat=repeat,
                           anchor_date=due if repeat else None), **kw)


def ctx(settings: Settings = NO_PLANS, plans: tuple[str, ...] = (),
        types: dict[str, TransactionType] | None = None) -> RunContext:
    return RunContext(now=NOW, operator=Operator("ADMIN", "Administrator", 99, True),
                      settings=settings, plans={c: Plan(c) for c in plans},
                      transaction_types=types or TYPES)


def workspace(*accounts: tuple[Debtor, list[Contact]]) -> Workspace:
    return Workspace(list(accounts))
