"""Deciding whether a plan run can be done set-based, and what it writes (SPEC 5, 14).

Most plans run on a million debtors only create the same contacts on every debtor: a
letter today, a review in ten days. Such a run does not need each debtor in memory: the
store can write each event's contacts for a whole chunk of debtors with one
`INSERT ... SELECT ... FROM debtors`. `compile_plan` says whether a plan is of that kind
and, if so, gives per event the template Contact the engine itself would create — built
by `plan_events.prepare`, the very function the per-debtor path uses, so no default is
derived twice. Only the file number and, for assign=account, the collector (the debtor's
operator) differ between debtors, and both are columns of `debtors`.

A plan is refused (None: run it through the engine, debtor by debtor) when anything it
does depends on the debtor beyond those columns or does more than create contacts:
a sub-plan, delete_pending (and so prompt_before_deleting), an event with schedule_if,
delete_same_type, an immediate action of an automatic type, a Plan event, or a promise
whose amount is a percentage of the owing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from collectcli.domain.errors import CollectError
from collectcli.domain.model import Contact, Plan
from collectcli.domain.types import ContactType
from collectcli.engine.context import RunContext
from collectcli.engine.plan_events import Prepared, build_contact, prepare


class Refusal(StrEnum):
    """Why a plan runs through the engine, debtor by debtor (the name says the reason)."""

    SUB_PLAN = "sub_plan"
    DELETE_PENDING = "delete_pending"
    PROMPT_BEFORE_DELETING = "prompt_before_deleting"
    NO_EVENTS = "no_events"
    SCHEDULE_IF = "schedule_if"
    DELETE_SAME_TYPE = "delete_same_type"
    IMMEDIATE_ACTION = "immediate_action"
    PLAN_EVENT = "plan_event"
    PERCENT_OF_OWING = "percent_of_owing"


@dataclass(frozen=True, slots=True)
class CompiledEvent:
    """One event's contact for every debtor: `template` has id 0 and file 0; with
    `account_collector` its collector is the debtor's operator, else the template's."""

    index: int
    template: Contact
    account_collector: bool


@dataclass(frozen=True, slots=True)
class CompiledPlan:
    """A plan that only creates contacts: run it set-based, a chunk of debtors at a time.

    Every debtor it runs on gets one contact per event (none executes an action, so
    `events_executed` stays 0); with `skip_closed`, CLOSED debtors are skipped and logged.
    """

    code: str
    skip_closed: bool
    events: tuple[CompiledEvent, ...]


def refusal(plan: Plan, events: list[Prepared]) -> Refusal | None:
    """The first reason the plan cannot run set-based, or None when it can."""
    if plan.sub_plan:
        return Refusal.SUB_PLAN
    if plan.prompt_before_deleting:
        return Refusal.PROMPT_BEFORE_DELETING
    if plan.delete_pending:
        return Refusal.DELETE_PENDING
    if not events:
        return Refusal.NO_EVENTS
    for p in events:
        ev = p.event
        if ev.type == ContactType.PLAN:
            return Refusal.PLAN_EVENT
        if ev.schedule_if is not None:
            return Refusal.SCHEDULE_IF
        if ev.delete_same_type:
            return Refusal.DELETE_SAME_TYPE
        if p.execute or not p.insert:
            return Refusal.IMMEDIATE_ACTION
        if p.promise_amount or ev.percent_of_owing is not None:
            return Refusal.PERCENT_OF_OWING
    return None


def compile_plan(plan: Plan, ctx: RunContext) -> CompiledPlan | None:
    """The set-based form of `plan` run as a primary plan in `ctx`, or None (see module)."""
    try:
        events = prepare(plan, ctx)
    except CollectError:  # the engine reports it per debtor, as it always has
        return None
    if refusal(plan, events) is not None:
        return None
    return CompiledPlan(plan.code, plan.skip_closed, tuple(
        CompiledEvent(p.index, build_contact(list(p.template)), p.account_collector)
        for p in events))
