"""The nightly batch's rules (SPEC 7; seeds 002 and 004), on a Workspace, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from collectcli.domain.errors import InputError
from collectcli.domain.model import Contact, Debtor, Operator
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType, Repeat, Status
from collectcli.engine.batch import (
    COMPLETED,
    DONE,
    FAILED,
    FORWARDED,
    broken_promises,
    process_contact,
    process_debtor,
)
from collectcli.engine.batch_fast import (
    KEY_SEP,
    FastEffects,
    execute_slim,
    last_statuses,
    settle_staged,
)
from collectcli.engine.context import RunContext
from collectcli.engine.repeat_note import repeat_note
from collectcli.engine.workspace import Workspace

NOW = datetime(2026, 3, 10, 10, 0)
AUTO = frozenset({ContactType.NOTE, ContactType.STATUS, ContactType.EDIT})


def ctx(**settings: object) -> RunContext:
    return RunContext(now=NOW, operator=Operator("ADMIN", "Admin", 99, True),
                      settings=Settings(**settings), plans={}, transaction_types={})  # type: ignore[arg-type]


def note(cid: int = 1, **kw: object) -> Contact:
    base = Contact(id=cid, file=1, type=ContactType.NOTE, description="Monthly reminder",
                   due_date=date(2026, 3, 10))
    return replace(base, **kw)  # type: ignore[arg-type]


def workspace(*contacts: Contact) -> Workspace:
    return Workspace([(Debtor(1, "Ann"), list(contacts))])


def test_contact_without_repeat_is_done_by_the_batch_operator_today() -> None:
    """SPEC 7: 'After a contact executes: without repeat it is marked done (done by the
    operator running the batch)'."""
    ws = workspace(note())
    result = process_contact(ws, note(), ctx())
    c = ws.account(1).contacts[1]
    assert result.outcome == DONE
    assert (c.status, c.done_by, c.done_date, c.done_time) == (
        Status.DONE, "ADMIN", date(2026, 3, 10), NOW.time())
    assert [n.text for n in ws.account(1).notes] == ["Monthly reminder"]


def test_jan_31_monthly_forwards_on_its_anchor_missed_occurrences_counted_not_replayed() -> None:
    """Seed 002: 'Collect! reads it when the contact Event occurs and forwards the contact to
    the next period'; SPEC 7: 'missed occurrences are not replayed; the count is logged';
    SPEC 4: 'a monthly contact anchored on Jan 31 falls on Feb 28 (29), Mar 31'."""
    c = note(due_date=date(2026, 1, 31), repeat=Repeat.MONTHLY)
    ws = workspace(c)
    result = process_contact(ws, c, ctx())
    after = ws.account(1).contacts[1]
    assert result.outcome == FORWARDED and result.skipped == 1  # Feb 28 was missed
    assert (after.due_date, after.anchor_date, after.occurrence) == (
        date(2026, 3, 31), date(2026, 1, 31), 2)
    assert after.status is Status.PENDING
    assert [n.text for n in ws.account(1).notes] == ["Monthly reminder"]  # executed once
    assert any("1 missed occurrence" in e.message for e in ws.logs)


def test_copy_on_repeat_leaves_a_done_copy_of_the_processed_occurrence() -> None:
    """Seed 002, Create Copy On Repeat: 'create a completed copy of the Contact every time it
    is forwarded. This allows you to track a past history of the Contact.'"""
    c = note(repeat=Repeat.MONTHLY, copy_on_repeat=True)
    ws = workspace(c)
    process_contact(ws, c, ctx())
    acc = ws.account(1)
    [copy] = [acc.contacts[i] for i in acc.created]
    assert (copy.is_copy, copy.copy_of, copy.status, copy.due_date, copy.done_by) == (
        True, 1, Status.DONE, date(2026, 3, 10), "ADMIN")
    assert acc.contacts[1].due_date == date(2026, 4, 10)


def test_log_repeat_to_notes_writes_the_seed_line_format() -> None:
    """Seed 002, Log Repeat To Notes: 'The note is in the following format:
    [Type] type contact [Description], due [Date] processed by [Op ID]'."""
    c = note(repeat=Repeat.WEEKLY, log_repeat_to_notes=True)
    ws = workspace(c)
    process_contact(ws, c, ctx())
    line = "Note type contact Monthly reminder, due 2026-03-10 processed by ADMIN"
    assert repeat_note(ContactType.NOTE, "Monthly reminder", date(2026, 3, 10), "ADMIN") == line
    assert [n.text for n in ws.account(1).notes] == ["Monthly reminder", line]


def test_max_intervals_counts_down_and_the_contact_completes_at_zero() -> None:
    """SPEC 7: 'max_intervals counts down, the contact being completed when it reaches 0'."""
    c = note(repeat=Repeat.WEEKLY, max_intervals=2)
    ws = workspace(c)
    assert process_contact(ws, c, ctx()).outcome == FORWARDED
    c2 = ws.account(1).contacts[1]
    assert (c2.max_intervals, c2.due_date) == (1, date(2026, 3, 17))
    later = replace(ctx(), now=datetime(2026, 3, 17, 10, 0))
    assert process_contact(ws, c2, later).outcome == COMPLETED
    c3 = ws.account(1).contacts[1]
    assert (c3.status, c3.max_intervals, c3.due_date) == (Status.DONE, 0, date(2026, 3, 17))


def _promise(due: date, broken_through: date | None = None) -> Contact:
    return Contact(id=9, file=1, type=ContactType.PROMISE, description="promise",
                   due_date=due, broken_through=broken_through)


class _PlanRuns:
    def __init__(self) -> None:
        self.runs: list[tuple[int, str]] = []

    def __call__(self, ws: Workspace, file: int, code: str, c: RunContext) -> None:
        self.runs.append((file, code))
        ws.add_note(file, "Promise broken", c.now, c.operator.id)


def test_broken_promise_runs_the_promise_broken_plan_once_per_missed_due_date() -> None:
    """Seed 004: 'When you run your daily batch process for broken promises, Collect! will run
    this plan for any delinquent promise that is found'; SPEC 7: 'once per missed due date:
    running the batch again the same day or the next day does not run it again'."""
    ws, runs = workspace(_promise(date(2026, 3, 5))), _PlanRuns()
    assert broken_promises(ws, 1, ctx(), 0, runs) == 1
    assert runs.runs == [(1, "PRB")]
    assert broken_promises(ws, 1, ctx(), 0, runs) == 0  # same day again
    tomorrow = replace(ctx(), now=datetime(2026, 3, 11, 10, 0))
    assert broken_promises(ws, 1, tomorrow, 0, runs) == 0  # next day, same due date
    assert runs.runs == [(1, "PRB")]


def test_broken_promise_runs_again_for_the_next_missed_due_date() -> None:
    """SPEC 7: once per missed due date; a promise forwarded and missed again is broken again."""
    ws, runs = workspace(_promise(date(2026, 2, 5), broken_through=date(2026, 2, 5))), _PlanRuns()
    assert broken_promises(ws, 1, ctx(), 0, runs) == 0
    ws.put_contact(replace(ws.account(1).contacts[9], due_date=date(2026, 3, 5)))
    assert broken_promises(ws, 1, ctx(), 0, runs) == 1
    assert ws.account(1).contacts[9].broken_through == date(2026, 3, 5)


def test_promise_grace_days_delay_the_broken_promise() -> None:
    """Seed 004, Grace Days: 'on April 12th, a Promise for April 8th with a 3 grace days is
    now overdue' (due + grace before today is broken; not before)."""
    april12 = replace(ctx(), now=datetime(2026, 4, 12, 9, 0))
    runs = _PlanRuns()
    assert broken_promises(workspace(_promise(date(2026, 4, 8))), 1, april12, 3, runs) == 1
    assert broken_promises(workspace(_promise(date(2026, 4, 9))), 1, april12, 3, runs) == 0


def test_broken_promise_stays_pending() -> None:
    """SPEC 7: 'The promise stays pending (delinquent) until paid or ended'; seed 004: 'this
    promise continues to appear in the WIP List as a delinquent promise'."""
    ws = workspace(_promise(date(2026, 3, 1)))
    broken_promises(ws, 1, ctx(), 0, _PlanRuns())
    assert ws.account(1).contacts[9].status is Status.PENDING


def test_one_bad_contact_does_not_stop_the_batch_and_its_account_is_restored() -> None:
    """SPEC 7: 'One bad contact never stops the batch'; the failure is a value
    (file, contact, message) and the bad contact stays pending."""
    bad = Contact(id=2, file=1, type=ContactType.EDIT, description="nosuchfield=1",
                  due_date=date(2026, 3, 9))
    good = note(cid=3)

    def execute(ws: Workspace, c: Contact, rc: RunContext) -> None:
        ws.add_note(c.file, f"ran {c.id}", rc.now, "ADMIN")
        if c.id == 2:
            raise InputError("unknown field 'nosuchfield'")

    ws = workspace(bad, good)
    report = process_debtor(ws, 1, ctx(), AUTO, None, execute=execute)
    assert [(r.contact, r.outcome) for r in report.results] == [(2, FAILED), (3, DONE)]
    assert [(f.file, f.contact) for f in report.failures] == [(1, 2)]
    assert "nosuchfield" in report.failures[0].message
    assert ws.account(1).contacts[2].status is Status.PENDING
    assert [n.text for n in ws.account(1).notes] == ["ran 3"]  # the failed run left nothing


def test_due_contacts_run_in_due_date_time_priority_order() -> None:
    """SPEC 7: 'in order of (due date, due time, priority desc, id)'."""
    a = note(cid=1, description="low", priority=10)
    b = note(cid=2, description="high", priority=90)
    c = note(cid=3, description="older", due_date=date(2026, 3, 1))
    d = note(cid=4, description="later today", due_time=datetime(2026, 1, 1, 11, 0).time())
    report = process_debtor(workspace(a, b, c, d), 1, ctx(), AUTO, None)
    assert [r.contact for r in report.results] == [3, 2, 1]  # 4 is due at 11:00, not yet


def test_staged_rows_settle_like_the_workspace_path_keyed_by_their_place_in_due_order() -> None:
    """SPEC 7: the staged (set-based) path settles a repeating row exactly like
    batch.settle; its copy and repeat note line are keyed by the row's seq so the store
    writes each line right after its contact's own note."""
    c = note(due_date=date(2026, 1, 31), repeat=Repeat.MONTHLY, copy_on_repeat=True,
             log_repeat_to_notes=True, max_intervals=5)
    row = (1, 1, int(ContactType.NOTE), c.description, "2026-01-31", "monthly", None, 5, None,
           0, True, True, 7)
    fx = FastEffects(NOW, "ADMIN")
    settle_staged([(int(ContactType.NOTE), 0, 3), (int(ContactType.STATUS), 0, 2)], [row], fx)
    ws = workspace(c)
    process_contact(ws, c, ctx())
    after = ws.account(1).contacts[1]
    assert after.due_date is not None and after.anchor_date is not None
    assert fx.forwards == [(after.due_date.isoformat(), after.anchor_date.isoformat(),
                            after.occurrence, after.max_intervals, 1)]
    assert fx.lines == [(7, ws.account(1).notes[1].text)] and fx.notes == []
    assert fx.copy_seqs == [(7, 1)] and fx.copies == [] and fx.skipped == 1
    assert fx.counts[int(ContactType.NOTE), DONE] == 3
    assert fx.counts[int(ContactType.STATUS), DONE] == 2


def test_slim_rows_execute_and_settle_like_the_workspace_path() -> None:
    """SPEC 6, 7: the batch's slim rows (no Note text read; the repeat key as one string)
    leave what the Workspace leaves: the Note's own note (by contact id) then its repeat
    line, the forward on the anchor, the copy, the last Status; a debtor with another due
    type or a broken promise is set apart for the Workspace."""
    c = note(due_date=date(2026, 1, 31), repeat=Repeat.MONTHLY, copy_on_repeat=True,
             log_repeat_to_notes=True, max_intervals=5)
    key = KEY_SEP.join(("monthly", "", "5", "", "2026-01-31", "0", "1", "1"))
    note_t, status_t = int(ContactType.NOTE), int(ContactType.STATUS)
    rows = [(1, 1, note_t, c.description, key), (2, 1, status_t, " PAID ", None),
            (3, 2, note_t, None, None), (4, 2, int(ContactType.EDIT), None, None),
            (5, 3, note_t, None, None)]
    fx = FastEffects(NOW, "ADMIN")
    assert execute_slim(rows, {3}, fx) == [2, 3]
    ws = workspace(c)
    process_contact(ws, c, ctx())
    after = ws.account(1).contacts[1]
    assert after.due_date is not None and after.anchor_date is not None
    own, line = ws.account(1).notes
    assert own.text == c.description and fx.notes == [1, (1, line.text)]
    assert fx.forwards == [(after.due_date.isoformat(), after.anchor_date.isoformat(),
                            after.occurrence, after.max_intervals, 1)]
    assert fx.copies == [1] and fx.done == [2] and fx.statuses == {1: "PAID"}
    assert fx.counts[note_t, FORWARDED] == 1 and fx.counts[status_t, DONE] == 1


def test_the_last_status_executed_wins_and_a_blank_one_clears_it() -> None:
    """SPEC 7 (due order) and SPEC 6 (Status: 'blank clears it'): rows come in due order."""
    assert last_statuses([(1, "A"), (2, "B"), (1, " C "), (2, "  ")]) == {1: "C", 2: None}
