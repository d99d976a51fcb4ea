"""The plans a payment runs, compiled once per run for the bulk path (SPEC 8, 14, 15).

A payment runs up to three plans (the transaction type's, the promise outcome's, the
default plan). The shipped promise plans PRF, PRU and PRO only write a Note line and
queue a Letter for today: the same rows on every debtor but the file number and, for
assign=account, the collector. Such a plan needs no Workspace. `compile_payment_plan`
says whether a plan is of that kind and lists its steps in run order, built from the
events `engine.plan_events.prepare` gives — the very function `run_plan` uses, so the
contacts are those the engine would create. This is plan_compile's idea (a plan that only
creates rows is data, not code), widened to the immediate Note that the payment plans
use and that run-plan's set-based path leaves to the engine.

A plan is refused (None: its payments go through the engine, debtor by debtor) when it
does anything else, when the operator may not run it, or when it cannot be prepared:
the engine then reports it exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from collectcli.domain.errors import CollectError
from collectcli.domain.model import Plan
from collectcli.domain.types import ContactType
from collectcli.engine.context import RunContext
from collectcli.engine.plan_events import Prepared, prepare
from collectcli.engine.plans import check_access


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One event: `contact` creates the prepared event's contact (collector: the debtor's
    operator when `contact.account_collector`), then `note` writes a note line."""

    contact: Prepared | None
    note: str | None


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    """A plan that only writes note lines and creates contacts, in `steps` order.

    `notes`, `contacts` and `executed` are what one run adds to the counters (notes,
    contacts_created, events_executed), as `run_plan` counts them.
    """

    code: str
    steps: tuple[PlanStep, ...]
    notes: int
    contacts: int
    executed: int


def _step(p: Prepared) -> PlanStep | None:
    """The event as a step, or None when it does more than add a note or a contact."""
    ev = p.event
    if not p.plain or ev.type in (ContactType.PLAN, ContactType.PROMISE):
        return None
    if p.execute:
        if not p.note:
            return None
        return PlanStep(p if p.insert else None, ev.description)
    return PlanStep(p, None) if p.insert else None


def compile_payment_plan(plan: Plan, ctx: RunContext, via: str) -> PaymentPlan | None:
    """`plan` run as a primary plan by `via` ("setting", "transaction_type"), compiled;
    None when it must run through the engine (see the module)."""
    if plan.delete_pending or plan.prompt_before_deleting:
        return None
    try:
        check_access(plan, ctx.operator, via, primary=True)
        events = prepare(plan, ctx)
    except CollectError:
        return None
    steps = [_step(p) for p in events]
    if not steps or any(s is None for s in steps):
        return None
    kept = tuple(s for s in steps if s is not None)
    return PaymentPlan(
        plan.code, kept, notes=sum(s.note is not None for s in kept),
        contacts=sum(s.contact is not None for s in kept),
        executed=sum(s.note is not None for s in kept))


@dataclass(frozen=True, slots=True)
class PaymentPlans:
    """Every plan a payment of the run may run, compiled; None where a plan is set but
    refused (its payments go through the engine), absent where none is set.

    `by_type`: a type code's plan; `promise`: by outcome (full, under, over);
    `default`, run when the owing in cents is below `default_below` (None: always).
    """

    by_type: Mapping[str, PaymentPlan | None]
    promise: Mapping[str, PaymentPlan | None]
    default: PaymentPlan | None
    default_set: bool
    default_below: int | None

    @property
    def promise_plans_ok(self) -> bool:
        return all(p is not None for p in self.promise.values())

    def type_ok(self, code: str) -> bool:
        return code not in self.by_type or self.by_type[code] is not None

    @property
    def ok(self) -> bool:
        """Whether payments can run their plans compiled at all."""
        return self.promise_plans_ok and (self.default is not None or not self.default_set)


def compile_payment_plans(ctx: RunContext) -> PaymentPlans:
    """The compiled plans of every payment type, promise outcome and the default plan.

    A plan named by a setting or a type but missing from the database is refused too: the
    engine logs the warning about it once, as it always has.
    """
    s = ctx.settings

    def compiled(code: str, via: str) -> PaymentPlan | None:
        plan = ctx.plans.get(code)
        return None if plan is None else compile_payment_plan(plan, ctx, via)

    by_type = {code: compiled(tt.plan, "transaction_type")
               for code, tt in ctx.transaction_types.items() if tt.plan}
    promise: dict[str, PaymentPlan | None] = {}
    if s.auto_manage_promises:
        for outcome, code in (("full", s.promise_full_plan), ("under", s.promise_under_plan),
                              ("over", s.promise_over_plan)):
            if code:
                promise[outcome] = compiled(code, "setting")
    below = s.default_plan_below
    return PaymentPlans(
        by_type, promise, compiled(s.default_plan, "setting") if s.default_plan else None,
        bool(s.default_plan), None if below is None else int(below.scaleb(2)))
