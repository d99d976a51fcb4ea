"""Running a contact plan on one debtor (SPEC 5; seeds 001 and 002).

`run_plan` refuses (access ranges, sub-plans run by a user, deleting without the right),
skips closed debtors for `skip_closed` plans, deletes pending contacts for a primary
`delete_pending` plan, then runs the events in (sequence, file order): conditions,
delete-same-type, immediate actions and scheduled contacts. It only changes the
Workspace; a failure restores the debtor's Account as it was before the call and is
raised as PlanRunError naming the plan, the event and the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from collectcli.domain.errors import AccessDenied, CollectError, NotFound, PlanRunError
from collectcli.domain.model import LogEntry, Operator, Plan
from collectcli.domain.types import ContactType, Mode, type_label
from collectcli.engine.actions import execute
from collectcli.engine.conditions import condition_holds
from collectcli.engine.context import RunContext
from collectcli.engine.pending import delete_pending, delete_same_type
from collectcli.engine.plan_events import (
    AMOUNT,
    COLLECTOR,
    FILE,
    ID,
    PROMISED,
    Prepared,
    build_contact,
    contact_for,
    prepare,
    promise_amount,
)  # fmt: skip
from collectcli.engine.rollback import mark, restore, snapshot, undo
from collectcli.engine.workspace import Account, Workspace

SUB_PLAN_CALLERS = frozenset({"plan", "setting", "transaction_type", "batch"})
"""Who may run a sub-plan (seed 001: 'called by another plan'; 'the Transaction Type form')."""

APPENDING_ACTIONS = frozenset({
    ContactType.NOTE, ContactType.ACTIVATE, ContactType.COMMISSION, ContactType.EDIT,
    ContactType.RATEPLAN, ContactType.SALES, ContactType.STATUS, ContactType.EXPORT,
})  # fmt: skip
"""Actions (engine/actions.py) that change only the debtor record or append (notes,
exports): a plan executing no others is undone by `rollback.undo`, without a snapshot."""


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    """What one plan run did to one debtor: status is "ran", "skipped_closed" or "cancelled"."""

    status: str
    events_executed: int = 0
    contacts_created: int = 0
    message: str = ""


@lru_cache(maxsize=1024)
def _outcome(status: str, executed: int, created: int, message: str = "") -> PlanOutcome:
    return PlanOutcome(status, executed, created, message)


def check_access(plan: Plan, operator: Operator, via: str = "user", primary: bool = True) -> None:
    """Raises AccessDenied when the operator may not run the plan this way (SPEC 5.1).

    A primary `delete_pending` plan also needs the operator's right to delete contacts,
    unless `allow_all_users_to_delete` (seed 001: "Careful! Switching this ON overrides
    access rights"). Without either, the plan is refused as a whole rather than run
    without its deletions, which would leave the old and the new schedule side by side.
    """
    if not plan.allows_level(operator.level):
        ranges = ", ".join(f"{lo}-{hi}" for lo, hi in plan.access)
        raise AccessDenied(f"operator {operator.id} (level {operator.level}) may not run plan "
                           f"{plan.code} (allowed levels: {ranges})")
    if plan.sub_plan and via not in SUB_PLAN_CALLERS:
        raise AccessDenied(f"plan {plan.code} is a sub-plan: it runs only from another plan, "
                           "a setting or a transaction type")
    if (primary and plan.delete_pending and not operator.can_delete_contacts
            and not plan.allow_all_users_to_delete):
        raise AccessDenied(f"plan {plan.code} deletes pending contacts and operator "
                           f"{operator.id} may not delete contacts (grant --can-delete, or "
                           "switch on allow_all_users_to_delete in the plan)")


@dataclass(slots=True)
class _PlanData:
    """A plan, its prepared events and the (via, primary) ways already allowed.

    `creates_only`: no event executes an action or deletes, so a failure can only leave
    newly created contacts behind, which `_undo_created` removes without a snapshot.
    `appends_only`: nothing deletes and every executed action is one of
    APPENDING_ACTIONS, so `rollback.mark`/`undo` suffice.
    """

    plan: Plan
    events: list[Prepared]
    allowed: set[tuple[str, bool]]
    creates_only: bool
    appends_only: bool = False


def _plan_data(code: str, ctx: RunContext) -> _PlanData:
    plan = ctx.plans.get(code)
    if plan is None:
        raise NotFound(f"unknown plan '{code}' (see 'collect plans list')")
    try:
        events = prepare(plan, ctx)
    except CollectError as exc:
        raise PlanRunError(f"plan {code}: {exc}") from exc
    deletes = plan.delete_pending or any(p.event.delete_same_type for p in events)
    creates_only = not deletes and not any(p.execute for p in events)
    appends_only = not deletes and all(
        p.event.type in APPENDING_ACTIONS for p in events if p.execute)
    data = _PlanData(plan, events, set(), creates_only, appends_only)
    ctx.cache[code] = data
    return data


def run_plan(ws: Workspace, file: int, code: str, ctx: RunContext, *, primary: bool = True,
             via: str = "user", chain: tuple[str, ...] = ()) -> PlanOutcome:
    """Runs plan `code` on debtor `file` of the workspace (SPEC 5).

    `primary` is False for a plan called by another plan (delete_pending is then
    ignored); `via` says who runs it ("user", "plan", "setting", "transaction_type",
    "batch"); `chain` holds the plans already running immediately on this debtor.
    Refusals (unknown plan, access) are raised before anything changes; any failure
    after that restores the debtor's Account and is raised as PlanRunError.
    """
    if code in chain:
        path = " → ".join((*chain, code))
        raise PlanRunError(f"plan cycle {path} on file {file}: a plan calls itself back")
    data: _PlanData = ctx.cache.get(code) or _plan_data(code, ctx)
    if (via, primary) not in data.allowed:
        check_access(data.plan, ctx.operator, via, primary)
        data.allowed.add((via, primary))
    acc = ws.accounts.get(file)
    if acc is None:
        raise NotFound(f"debtor {file} is not loaded in the workspace")
    if chain:  # the outermost run keeps the snapshot
        return _run(ws, acc, data.plan, data.events, ctx, primary, chain)
    if data.creates_only:
        created = len(acc.created), ws.counts.get("contacts_created", 0)
    elif data.appends_only:
        appended = mark(ws, acc)
    else:
        saved = snapshot(ws, acc)
    try:
        return _run(ws, acc, data.plan, data.events, ctx, primary, chain)
    except BaseException as exc:
        if data.creates_only:
            _undo_created(ws, acc, created)
        elif data.appends_only:
            undo(ws, acc, appended)
        else:
            restore(ws, acc, saved)
        if isinstance(exc, PlanRunError) or not isinstance(exc, Exception):
            raise
        raise PlanRunError(f"plan {code}, file {file}: {exc}") from exc


def _undo_created(ws: Workspace, acc: Account, at: tuple[int, int]) -> None:
    created, count = at
    for cid in acc.created[created:]:
        del acc.contacts[cid]
    del acc.created[created:]
    ws.counts["contacts_created"] = count


def _run(ws: Workspace, acc: Account, plan: Plan, events: list[Prepared], ctx: RunContext,
         primary: bool, chain: tuple[str, ...]) -> PlanOutcome:
    if plan.skip_closed and acc.debtor.mode is Mode.CLOSED:
        message = f"plan {plan.code} not run on file {acc.file}: the debtor is CLOSED"
        ws.log(LogEntry("WARNING", "BATCH", message, file=acc.file))
        return _outcome("skipped_closed", 0, 0, message)
    if primary and plan.delete_pending:
        cancelled = delete_pending(ws, acc, plan, ctx)
        if cancelled is not None:
            return _outcome("cancelled", 0, 0, cancelled)
    counts = ws.counts
    executed, created = counts.get("events_executed", 0), counts.get("contacts_created", 0)
    inner = (*chain, plan.code)
    for prepared in events:
        try:
            _event(ws, acc, prepared, ctx, inner)
        except PlanRunError:
            raise
        except Exception as exc:
            label = type_label(prepared.event.type)
            raise PlanRunError(f"plan {plan.code}, event {prepared.index} ({label}), "
                               f"file {acc.file}: {exc}") from exc
    return _outcome("ran", counts.get("events_executed", 0) - executed,
                    counts.get("contacts_created", 0) - created)


def _event(ws: Workspace, acc: Account, p: Prepared, ctx: RunContext,
           chain: tuple[str, ...]) -> None:
    if not p.plain:
        ev = p.event
        if ev.schedule_if is not None and not condition_holds(ev.schedule_if, acc.debtor):
            return
        if ev.delete_same_type:
            delete_same_type(ws, acc, ev, ctx)
    if p.note and not p.insert:
        ws.add_note(acc.file, p.event.description, ctx.now, ctx.operator.id)
        ws.counts["events_executed"] += 1
        return
    cid = ws.temp_id() if p.insert else 0
    collector = acc.debtor.operator if p.account_collector else p.collector
    if p.promise_amount:
        values = list(p.template)
        values[ID], values[FILE], values[COLLECTOR] = cid, acc.file, collector
        values[AMOUNT] = values[PROMISED] = promise_amount(p.event, acc.debtor)
        contact = build_contact(values)
    else:
        contact = contact_for(p, cid, acc.file, collector)
    if p.insert:
        ws.insert_contact(contact)
    if p.execute:
        execute(ws, contact, ctx, chain)
        ws.counts["events_executed"] += 1
