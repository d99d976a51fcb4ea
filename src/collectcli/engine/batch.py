"""The nightly batch on a Workspace: automatic contacts previously scheduled, broken promises.

SPEC 7. A due contact executes (engine.actions, or its plan for a Plan contact, run as a
primary plan: SPEC 15), then it is marked done or forwarded on its anchor
(engine/forwarding.py). A contact whose action raises leaves its account as it was: the
failure becomes a value (file, contact, message), the contact stays pending and the
batch goes on. Broken promises run the Promise Broken plan once per missed due date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from collectcli.domain.model import Contact, LogEntry
from collectcli.domain.types import ContactType, Status
from collectcli.engine.context import RunContext
from collectcli.engine.forwarding import next_step
from collectcli.engine.repeat_note import repeat_note
from collectcli.engine.workspace import Account, Workspace

Execute = Callable[[Workspace, Contact, RunContext], None]
RunPlan = Callable[[Workspace, int, str, RunContext], None]

DONE, FORWARDED, COMPLETED, FAILED, HELD = "done", "forwarded", "completed", "failed", "held"
MAX_CONTACTS_PER_DEBTOR = 10_000


@dataclass(frozen=True, slots=True)
class BatchFailure:
    """A contact (or broken promise) the batch could not process; it stays pending."""

    file: int
    contact: int | None
    message: str

    def as_json(self) -> dict[str, object]:
        return {"file": self.file, "contact": self.contact, "message": self.message}


@dataclass(frozen=True, slots=True)
class ContactResult:
    """What the batch did with one due contact: done (no repeat), forwarded, completed
    (max_intervals reached 0) or failed; `skipped` counts missed occurrences."""

    file: int
    contact: int
    type: int
    outcome: str
    skipped: int = 0
    failure: BatchFailure | None = None


@dataclass
class DebtorReport:
    results: list[ContactResult] = field(default_factory=list)
    broken: int = 0
    failures: list[BatchFailure] = field(default_factory=list)


def _execute(ws: Workspace, contact: Contact, ctx: RunContext) -> None:
    """engine.actions.execute; a Plan contact runs its plan as a primary plan (SPEC 15)."""
    from collectcli.engine import actions

    actions.execute(ws, contact, ctx)


def _run_broken_plan(ws: Workspace, file: int, code: str, ctx: RunContext) -> None:
    from collectcli.engine import plans

    plans.run_plan(ws, file, code, ctx, primary=True, via="setting")


def is_due(c: Contact, now: datetime) -> bool:
    """Pending and due: due date before today, or today with no time or a time ≤ now."""
    if c.status is not Status.PENDING or c.due_date is None:
        return False
    today = now.date()
    if c.due_date < today:
        return True
    return c.due_date == today and (c.due_time is None or c.due_time <= now.time())


def due_order(c: Contact) -> tuple[date, int, int, bool, int]:
    """(due date, due time, priority desc, id); timeless contacts first on their date."""
    t = c.due_time
    secs = -1 if t is None else t.hour * 3600 + t.minute * 60 + t.second
    return (c.due_date or date.min, secs, -c.priority, c.id < 0, abs(c.id))


class _Snapshot:
    """The accounts an action may touch (the debtor, and its group for payments)."""

    def __init__(self, ws: Workspace, file: int):
        self.ws = ws
        acc = ws.account(file)
        key = acc.debtor.group_key
        files = [f for f, a in ws.accounts.items() if a.debtor.group_key == key] if key else []
        self.saved = {f: _copy(ws.accounts[f]) for f in {file, *files}}
        self.counts = Counter(ws.counts)
        self.logs, self.exports = len(ws.logs), len(ws.exports)

    def restore(self) -> None:
        self.ws.accounts.update({f: _copy(a) for f, a in self.saved.items()})
        self.ws.counts = self.counts
        del self.ws.logs[self.logs:]
        del self.ws.exports[self.exports:]


def _copy(a: Account) -> Account:
    return Account(a.original, a.debtor, dict(a.contacts), list(a.created), set(a.changed),
                   set(a.deleted), list(a.notes), list(a.transactions),
                   dict(a.changed_transactions), list(a.history))


def settle(ws: Workspace, contact: Contact, ctx: RunContext) -> ContactResult:
    """Mark an executed contact done, or forward it (copy, note line, max_intervals)."""
    acc, op = ws.account(contact.file), ctx.operator.id
    current = acc.contacts.get(contact.id)
    if current is None:  # the action deleted its own contact (e.g. Close): keep it as history
        acc.deleted.discard(contact.id)
        current = contact
        if contact.id < 0:
            acc.created.append(contact.id)
        acc.contacts[contact.id] = contact
    if current.status is Status.DONE:
        return ContactResult(contact.file, contact.id, contact.type, DONE)
    step = next_step(current.repeat, current.repeat_days, current.anchor_date,
                     current.due_date, current.occurrence, current.max_intervals, ctx.today)
    if not step.forward:
        ws.mark_done(replace(current, max_intervals=step.max_left), ctx.now, op)
        outcome = DONE if current.repeat is None else COMPLETED
        return ContactResult(contact.file, contact.id, contact.type, outcome)
    if current.copy_on_repeat:
        ws.add_contact(replace(current, status=Status.DONE, done_date=ctx.today,
                               done_time=ctx.time, done_by=op, is_copy=True,
                               copy_of=current.id))
    if current.log_repeat_to_notes and current.due_date is not None:
        ws.add_note(contact.file, repeat_note(current.type, current.description,
                                              current.due_date, op), ctx.now, op)
    ws.put_contact(replace(current, due_date=step.due, anchor_date=step.anchor,
                           occurrence=step.occurrence, max_intervals=step.max_left))
    if step.skipped:
        ws.log(LogEntry("INFO", "BATCH", f"contact {contact.id} forwarded to {step.due}: "
                        f"{step.skipped} missed occurrence(s) not replayed",
                        contact.file, contact.id))
    return ContactResult(contact.file, contact.id, contact.type, FORWARDED, step.skipped)


def _failed(ws: Workspace, file: int, contact: int, exc: Exception, what: str) -> BatchFailure:
    message = str(exc) or type(exc).__name__
    ws.log(LogEntry("ERROR", "BATCH", f"{what} {contact} on file {file} failed: {message}",
                    file, contact))
    return BatchFailure(file, contact, message)


def process_contact(ws: Workspace, contact: Contact, ctx: RunContext,
                    execute: Execute | None = None) -> ContactResult:
    """Execute one due contact, then mark it done or forward it (SPEC 6, 7)."""
    snap = _Snapshot(ws, contact.file)
    try:
        (execute or _execute)(ws, contact, ctx)
        return settle(ws, contact, ctx)
    except Exception as exc:  # one bad contact never stops the batch (SPEC 7)
        snap.restore()
        failure = _failed(ws, contact.file, contact.id, exc, "contact")
        return ContactResult(contact.file, contact.id, contact.type, FAILED, failure=failure)


def broken_promises(ws: Workspace, file: int, ctx: RunContext, grace_days: int,
                    run_plan: RunPlan | None = None,
                    failures: list[BatchFailure] | None = None) -> int:
    """Run the Promise Broken plan once per missed due date of each broken promise.

    Broken: pending, due date + grace days before today, and the plan has not yet run for
    this due date (broken_through < due date). The promise stays pending.
    """
    code = ctx.settings.promise_broken_plan
    if not code or file not in ws.accounts:
        return 0
    limit = ctx.today - timedelta(days=grace_days)
    runs = 0
    for promise in ws.account(file).pending(ContactType.PROMISE):
        due = promise.due_date
        if due is None or due >= limit or (promise.broken_through or date.min) >= due:
            continue
        snap = _Snapshot(ws, file)
        try:
            (run_plan or _run_broken_plan)(ws, file, code, ctx)
        except Exception as exc:
            snap.restore()
            if failures is not None:
                failures.append(_failed(ws, file, promise.id, exc, "broken promise"))
            continue
        latest = ws.account(file).contacts.get(promise.id)
        if latest is not None:  # a plan that deleted the promise ended it
            ws.put_contact(replace(latest, broken_through=due))
        runs += 1
    return runs


def process_debtor(ws: Workspace, file: int, ctx: RunContext, types: frozenset[int],
                   grace_days: int | None, execute: Execute | None = None,
                   run_plan: RunPlan | None = None) -> DebtorReport:
    """One debtor's batch: every due contact of `types` in (due date, time, priority desc,
    id) order, then (when `grace_days` is not None) its broken promises. Contacts the
    plans schedule for now run in the same pass; each contact at most once per run."""
    report = DebtorReport()
    tried: set[int] = set()
    _due_contacts(ws, file, ctx, types, tried, report, execute)
    if grace_days is not None:
        report.broken = broken_promises(ws, file, ctx, grace_days, run_plan, report.failures)
        if report.broken:  # what the plan scheduled for now runs in this same pass
            _due_contacts(ws, file, ctx, types, tried, report, execute)
    return report


def _due_contacts(ws: Workspace, file: int, ctx: RunContext, types: frozenset[int],
                  tried: set[int], report: DebtorReport, execute: Execute | None) -> None:
    while types:
        due = [c for c in ws.account(file).contacts.values()
               if c.type in types and c.id not in tried and is_due(c, ctx.now)]
        if not due:
            return
        contact = min(due, key=due_order)
        tried.add(contact.id)
        if len(tried) > MAX_CONTACTS_PER_DEBTOR:
            report.failures.append(BatchFailure(file, contact.id, "more than "
                                   f"{MAX_CONTACTS_PER_DEBTOR} due contacts in one run: "
                                   "a plan that schedules itself for today?"))
            return
        result = process_contact(ws, contact, ctx, execute)
        report.results.append(result)
        if result.failure is not None:
            report.failures.append(result.failure)
