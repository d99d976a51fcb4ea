"""What a plan run needs from outside: the clock, the operator, settings and reference data.

The shell builds one RunContext per command (or batch) and the engine reads everything
from it; nothing below cli/ reads the clock. `cache` keeps per-plan data the engine
precomputes once per context (event order, contact templates), so a batch over a million
debtors does that work once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from collectcli.domain.model import Contact, Debtor, Operator, Plan, TransactionType
from collectcli.domain.settings import Settings

ConfirmDelete = Callable[[Debtor, Plan, list[Contact]], bool]


@dataclass(frozen=True)
class RunContext:
    """The business clock, who runs the plan, settings, plans and transaction types.

    `confirm_delete` asks the person at the terminal before a plan with
    `prompt_before_deleting` deletes pending contacts; None means there is no terminal,
    and such a plan is then cancelled for that debtor and logged, unless `assume_yes`
    (`--yes`) answers yes for every debtor.
    """

    now: datetime
    operator: Operator
    settings: Settings
    plans: Mapping[str, Plan]
    transaction_types: Mapping[str, TransactionType]
    start_date: date | None = None
    confirm_delete: ConfirmDelete | None = None
    assume_yes: bool = False
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def time(self) -> time:
        return self.now.time().replace(microsecond=0)
