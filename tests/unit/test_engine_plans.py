"""Running a contact plan on a debtor (SPEC 5; seeds 001 and 002)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from collectcli.domain.errors import AccessDenied, NotFound, PlanRunError
from collectcli.domain.model import Condition, Contact, Debtor, Event, Operator, Plan
from collectcli.domain.settings import Settings
from collectcli.domain.types import Assign, Mode, Repeat, Status
from collectcli.domain.types import ContactType as T
from collectcli.engine.context import RunContext
from collectcli.engine.plan_events import build_contact
from collectcli.engine.plans import PlanOutcome, run_plan
from collectcli.engine.workspace import Workspace

NOW = datetime(2026, 3, 10, 15, 26, 43)
TODAY = NOW.date()
ADMIN = Operator("ADMIN", level=99, can_delete_contacts=True)


def ev(type_: int, description: str = "", **kw: Any) -> Event:
    if not any(k in kw for k in ("immediately", "delay_days", "day_of_month",
                                 "next_month_same_day", "delay_minutes")):
        kw["immediately"] = True
    return Event(int(type_), description, **kw)


def plan(code: str, *events: Event, **flags: Any) -> Plan:
    return Plan(code, f"plan {code}", events=events, **flags)


def ctx(*plans: Plan, operator: Operator = ADMIN, **kw: Any) -> RunContext:
    return RunContext(NOW, operator, Settings(), {p.code: p for p in plans}, {}, **kw)


def workspace(*contacts: Contact, files: tuple[int, ...] = (1,), **debtor: Any) -> Workspace:
    base: dict[str, Any] = {"name": "Sam", "operator": "JS", "principal": Decimal("100.00")}
    return Workspace([(Debtor(f, **(base | debtor)), [c for c in contacts if c.file == f])
                      for f in files])


def pending(cid: int, type_: int, description: str = "", file: int = 1, **kw: Any) -> Contact:
    return Contact(cid, file, int(type_), description, due_date=date(2026, 3, 1), **kw)


def new_contacts(ws: Workspace, file: int = 1) -> list[Contact]:
    acc = ws.accounts[file]
    return [acc.contacts[i] for i in acc.created]


NEW = plan("NEW", ev(T.LETTER, "L1"), ev(T.REVIEW, "New account review", delay_days=10))


# -- 1. access ---------------------------------------------------------------------------

def test_an_operator_outside_every_access_range_is_refused() -> None:
    """Seed 002: "A User level within any of the selected ranges will have access to the
    Contact Plan. Otherwise, they won't be able to run the plan." """
    p = plan("VIP", ev(T.NOTE, "x"), access=((1, 10), (50, 60)))
    ws = workspace()
    with pytest.raises(AccessDenied) as err:
        run_plan(ws, 1, "VIP", ctx(p, operator=Operator("JS", level=20)))
    assert all(w in str(err.value) for w in ("VIP", "JS", "level 20"))
    assert ws.accounts[1].notes == [] and ws.counts == {}
    assert run_plan(ws, 1, "VIP", ctx(p, operator=Operator("KB", level=55))).status == "ran"


@pytest.mark.parametrize(("via", "allowed"), [
    ("user", False), ("plan", True), ("setting", True), ("transaction_type", True),
    ("batch", True),
])  # fmt: skip
def test_a_sub_plan_runs_only_when_called(via: str, allowed: bool) -> None:
    """Seed 001: "Switch this ON ... if this plan is called by another plan and is not to be
    executed on its own"; "in the Transaction Type form ... you can still select a plan
    that is a sub-plan"."""
    p = plan("SUB", ev(T.NOTE, "x"), sub_plan=True)
    ws = workspace()
    if allowed:
        assert run_plan(ws, 1, "SUB", ctx(p), via=via, primary=False).status == "ran"
    else:
        with pytest.raises(AccessDenied, match="sub-plan"):
            run_plan(ws, 1, "SUB", ctx(p), via=via)


def test_delete_pending_needs_the_right_to_delete_unless_all_users_may() -> None:
    """Seed 001: "Careful! Switching this ON overrides access rights. This means ANY user
    level who runs this plan will delete all pending contacts on the account, even if
    their access rights level does not allow editing or deleting contacts." """
    clerk = Operator("CL", level=10, can_delete_contacts=False)
    strict = plan("DEL", ev(T.NOTE, "x"), delete_pending=True)
    ws = workspace(pending(5, T.REVIEW))
    with pytest.raises(AccessDenied, match="may not delete contacts"):
        run_plan(ws, 1, "DEL", ctx(strict, operator=clerk))
    assert ws.accounts[1].deleted == set()
    lenient = plan("DEL", ev(T.NOTE, "x"), delete_pending=True, allow_all_users_to_delete=True)
    run_plan(ws, 1, "DEL", ctx(lenient, operator=clerk))
    assert ws.accounts[1].deleted == {5}


def test_an_unknown_plan_is_not_found() -> None:
    """SPEC 1: an unknown plan is a user error."""
    with pytest.raises(NotFound, match="NOPE"):
        run_plan(workspace(), 1, "NOPE", ctx(NEW))


# -- 2. closed debtors -------------------------------------------------------------------

def test_skip_closed_skips_a_closed_debtor_and_logs_its_file() -> None:
    """Seed 001: "When Closed debtors are encountered in a batch process running this
    contact plan, they will be skipped and the file numbers will be logged to the Collect!
    Application Log." """
    p = plan("S", ev(T.NOTE, "x"), skip_closed=True)
    ws = workspace(mode=Mode.CLOSED)
    out = run_plan(ws, 1, "S", ctx(p))
    assert out.status == "skipped_closed" and ws.accounts[1].notes == []
    (entry,) = ws.logs
    assert (entry.level, entry.category, entry.file) == ("WARNING", "BATCH", 1)
    assert run_plan(workspace(mode=Mode.CLOSED), 1, "NEW", ctx(NEW)).status == "ran"


# -- 3. delete pending -------------------------------------------------------------------

def test_delete_pending_keeps_no_autodelete_and_metro_and_completes_repeating_promises() -> None:
    """Seed 001: "Scheduled Promise contacts that are 'No Repeat' or have the 'Create Copy
    on Repeat' switch checked will delete normally ... that have a 'Repeat' set, but don't
    have the 'Create Copy on Repeat' will be marked done instead of deleted"; "Scheduled
    Metro contacts ... are not deleted"; "If the Contact Event has 'No Autodelete' selected,
    Collect! will not delete the contact." """
    ws = workspace(
        pending(1, T.REVIEW), pending(2, T.PHONE, no_autodelete=True), pending(3, T.METRO),
        pending(4, T.PROMISE, repeat=Repeat.MONTHLY),
        pending(5, T.PROMISE, repeat=Repeat.MONTHLY, copy_on_repeat=True),
        pending(6, T.PROMISE), pending(7, T.LETTER, status=Status.DONE),
    )
    run_plan(ws, 1, "D", ctx(plan("D", ev(T.NOTE, "x"), delete_pending=True)))
    acc = ws.accounts[1]
    assert acc.deleted == {1, 5, 6}
    assert acc.contacts[4].status is Status.DONE and acc.contacts[4].done_by == "ADMIN"
    assert acc.contacts[2].pending and acc.contacts[3].pending
    assert acc.contacts[7].status is Status.DONE


def test_delete_pending_has_no_effect_on_a_sub_plan() -> None:
    """Seed 001: "This switch has no effect when the contact plan is called as a sub-plan
    of another contact plan. The switch is only operative on the primary contact plan." """
    sub = plan("SUB", ev(T.NOTE, "sub"), delete_pending=True, sub_plan=True)
    main = plan("MAIN", ev(T.PLAN, "SUB"))
    ws = workspace(pending(1, T.REVIEW))
    run_plan(ws, 1, "MAIN", ctx(main, sub))
    assert ws.accounts[1].deleted == set() and ws.accounts[1].notes[0].text == "sub"


def test_prompt_before_deleting_lists_the_contacts_and_no_cancels_the_whole_plan() -> None:
    """Seed 001: "You will be asked if you are sure when the plan is run. A list of pending
    contacts will be displayed"; SPEC 5.3: "no" cancels the whole plan for that debtor."""
    asked: list[list[int]] = []

    def answer_no(debtor: Debtor, p: Plan, contacts: list[Contact]) -> bool:
        asked.append([c.id for c in contacts])
        return False

    p = plan("ASK", ev(T.NOTE, "x"), ev(T.STATUS, "ASKED"), delete_pending=True,
             prompt_before_deleting=True)
    ws = workspace(pending(1, T.REVIEW), pending(2, T.METRO), Contact(3, 1, int(T.OTHER)),
                   Contact(4, 1, int(T.OTHER)))
    out = run_plan(ws, 1, "ASK", ctx(p, confirm_delete=answer_no))
    acc = ws.accounts[1]
    assert out.status == "cancelled" and asked == [[3, 4, 1]]
    assert acc.deleted == set() and acc.notes == [] and acc.debtor.status is None
    assert ws.logs[-1].file == 1 and "cancelled" in ws.logs[-1].message
    assert run_plan(ws, 1, "ASK", ctx(p, confirm_delete=lambda d, p, c: True)).status == "ran"
    assert acc.deleted == {1, 3, 4} and acc.debtor.status == "ASKED"


def test_prompt_before_deleting_without_a_terminal_cancels_unless_yes() -> None:
    """Seed 001: "Don't turn this switch ON if you plan to run this contact plan in a
    batch"; SPEC 5.3: "With no terminal and no `--yes`, the plan is cancelled for that
    debtor and logged." """
    p = plan("ASK", ev(T.NOTE, "x"), delete_pending=True, prompt_before_deleting=True)
    ws = workspace(pending(1, T.REVIEW))
    out = run_plan(ws, 1, "ASK", ctx(p))
    assert out.status == "cancelled" and "--yes" in out.message
    assert (ws.logs[-1].level, ws.logs[-1].file) == ("WARNING", 1)
    assert run_plan(ws, 1, "ASK", ctx(p, assume_yes=True)).status == "ran"
    assert ws.accounts[1].deleted == {1}


# -- 4. events ---------------------------------------------------------------------------

def test_events_run_in_sequence_then_file_order() -> None:
    """Seed 002: "You can use the plan type and sequence order field to control the order
    in which your events will execute"; SPEC 5.4: order of (sequence, position in file)."""
    p = plan("ORD", ev(T.NOTE, "a", sequence=2), ev(T.NOTE, "b"), ev(T.NOTE, "c", sequence=1),
             ev(T.NOTE, "d", sequence=2))
    ws = workspace()
    run_plan(ws, 1, "ORD", ctx(p))
    assert [n.text for n in ws.accounts[1].notes] == ["b", "c", "a", "d"]


def test_schedule_if_false_skips_the_event_and_sees_earlier_events() -> None:
    """Seed 002: "The 'Schedule if' field is used for specifying a condition to base this
    Event on"; SPEC 5.4: evaluated "against the debtor now"."""
    p = plan("IF", ev(T.STATUS, "PRB", schedule_if=Condition("owing", ">", "0")),
             ev(T.NOTE, "rich", schedule_if=Condition("owing", ">", "1000")),
             ev(T.NOTE, "after status", schedule_if=Condition("status", "=", "prb")))
    ws = workspace()
    out = run_plan(ws, 1, "IF", ctx(p))
    assert ws.accounts[1].debtor.status == "PRB"
    assert [n.text for n in ws.accounts[1].notes] == ["after status"]
    assert out.events_executed == 2


def test_delete_same_type_deletes_pending_contacts_of_the_type() -> None:
    """Seed 002: "any pending Phone contacts will be deleted when the current one is
    scheduled"; "Same description only ... will only be deleted if the Description in the
    existing contact is exactly the same"; 'Do not autodelete' is respected."""
    ws = workspace(pending(1, T.PHONE, "home"), pending(2, T.PHONE, "work"),
                   pending(3, T.PHONE, "home", no_autodelete=True), pending(4, T.REVIEW))
    p = plan("PH", ev(T.PHONE, "home", delay_days=1, delete_same_type=True,
                      same_description_only=True))
    run_plan(ws, 1, "PH", ctx(p))
    assert ws.accounts[1].deleted == {1}
    p = plan("PH", ev(T.PHONE, "cell", delay_days=1, delete_same_type=True))
    run_plan(ws, 1, "PH", ctx(p))
    assert ws.accounts[1].deleted == {1, 2}
    phones = ws.accounts[1].pending(int(T.PHONE))
    assert [(c.id, c.description) for c in phones if c.id > 0] == [(3, "home")]
    assert [c.description for c in phones if c.id < 0] == ["cell"]


def test_an_immediate_automatic_event_executes_and_records_history_when_asked() -> None:
    """Seed 002: "For Note, the debtor's Notes are written to immediately"; "If the check
    box is UNCHECKED, the event will occur but there will be no Contact record"."""
    p = plan("ST", ev(T.STATUS, "PRA", record_history=True), ev(T.NOTE, "noted"))
    ws = workspace()
    out = run_plan(ws, 1, "ST", ctx(p))
    assert ws.accounts[1].debtor.status == "PRA" and ws.accounts[1].notes[0].text == "noted"
    (history,) = new_contacts(ws)
    assert (history.type, history.status, history.due_date, history.done_date,
            history.done_by, history.plan) == (T.STATUS, Status.DONE, TODAY, TODAY, "ADMIN",
                                               "ST")
    assert out == PlanOutcome("ran", 2, 1)


def test_an_immediate_letter_is_queued_for_todays_letter_batch() -> None:
    """Seed 002: "if you are scheduling a Review, the contact is created right away for
    today's date"; SPEC 5.4: "a Letter, Email or Text is thereby queued for today's letter
    batch"."""
    ws = workspace()
    out = run_plan(ws, 1, "NEW", ctx(NEW))
    letter, review = new_contacts(ws)
    assert (letter.type, letter.status, letter.due_date, letter.due_time) == (
        T.LETTER, Status.PENDING, TODAY, None)
    assert (review.type, review.due_date, review.status) == (
        T.REVIEW, date(2026, 3, 20), Status.PENDING)
    assert out == PlanOutcome("ran", 0, 2)


def test_a_scheduled_event_creates_a_full_pending_contact() -> None:
    """Seed 002: "Each Event in a contact plan schedules a contact with the settings you
    choose in the Event form"; "Collect! will switch ON Record Event History with a Read
    Only check mark" for events that do not occur immediately."""
    e = ev(T.PROMISE, "Monthly promise", delay_days=5, record_history=False, amount=Decimal(
        "50.00"), priority=80, repeat=Repeat.MONTHLY, max_intervals=6, copy_on_repeat=True,
        log_repeat_to_notes=True, advance_overpayments=True, no_autodelete=True,
        no_autocomplete=True, no_autocomplete_promise=True, klass="A")
    ws = workspace()
    run_plan(ws, 1, "PR", ctx(plan("PR", e)))
    (c,) = new_contacts(ws)
    assert c.id < 0 and c.file == 1 and c.pending
    assert (c.due_date, c.due_time, c.anchor_date, c.occurrence) == (
        date(2026, 3, 15), None, date(2026, 3, 15), 0)
    assert (c.amount, c.promised, c.priority, c.collector) == (
        Decimal("50.00"), Decimal("50.00"), 80, "JS")
    assert (c.repeat, c.max_intervals, c.copy_on_repeat, c.log_repeat_to_notes,
            c.advance_overpayments, c.no_autodelete, c.no_autocomplete,
            c.no_autocomplete_promise, c.klass) == (Repeat.MONTHLY, 6, True, True, True, True,
                                                    True, True, "A")
    assert (c.originator, c.assigned_by, c.created_date, c.created_time, c.plan) == (
        "ADMIN", "ADMIN", TODAY, time(15, 26, 43), "PR")


def test_mark_done_creates_the_contact_already_done() -> None:
    """Seed 002: "mark the contact done immediately after it is created. This is used to
    record an event in the debtor's history ... The contact will never appear in a WIP
    List." """
    ws = workspace()
    run_plan(ws, 1, "MD", ctx(plan("MD", ev(T.PHONE, "talked", mark_done=True))))
    (c,) = new_contacts(ws)
    assert (c.status, c.done_date, c.done_by) == (Status.DONE, TODAY, "ADMIN")


@pytest.mark.parametrize(("assign", "operator", "collector"), [
    (Assign.ACCOUNT, None, "JS"), (Assign.CURRENT, None, "ADMIN"), (Assign.SPECIFIC, "MW", "MW"),
])  # fmt: skip
def test_the_collector_follows_the_assign_rule(assign: Assign, operator: str | None,
                                               collector: str) -> None:
    """Seed 002: "Assign to Account Operator ... the Operator ID from the Debtor form";
    "Assign to Current Operator ... the operator who is signed on"; "Assign to Specific
    Operator ... the Operator ID of the operator you selected"."""
    ws = workspace()
    e = ev(T.REVIEW, "r", delay_days=1, assign=assign, operator=operator)
    run_plan(ws, 1, "A", ctx(plan("A", e)))
    assert new_contacts(ws)[0].collector == collector


def test_priority_defaults_to_50() -> None:
    """Seed 002: Priority bands 66-99 High, 34-65 Medium, 1-33 Low; an unset priority is
    the middle of Medium."""
    ws = workspace()
    run_plan(ws, 1, "NEW", ctx(NEW))
    assert [c.priority for c in new_contacts(ws)] == [50, 50]


@pytest.mark.parametrize(("owing", "percent", "amount"), [
    ("100.00", "10", "10.00"), ("333.33", "10", "33.33"), ("0.05", "50", "0.03"),
    ("10.01", "12.5", "1.25"),
])  # fmt: skip
def test_a_promise_may_be_a_percent_of_owing_rounded_half_up(owing: str, percent: str,
                                                              amount: str) -> None:
    """Seed 002: "Amount Of Owing ... Select this to calculate the Promise percentage based
    on the amount in the Debtor's Owing field"; SPEC 3: amount = owing × percent / 100."""
    ws = workspace(principal=Decimal(owing))
    e = ev(T.PROMISE, "p", delay_days=7, percent_of_owing=Decimal(percent))
    run_plan(ws, 1, "P", ctx(plan("P", e)))
    (c,) = new_contacts(ws)
    assert (c.amount, c.promised) == (Decimal(amount), Decimal(amount))


def test_the_start_date_is_the_reference_only_when_the_plan_prompts_for_it() -> None:
    """Seed 001: "When you turn this switch ON, all events in the plan will be scheduled
    with reference to the date you enter"; "When this switch is OFF, all date references
    within the contact plan are relative to the current date"."""
    events = (ev(T.REVIEW, "r", delay_days=7), ev(T.LETTER, "now"))
    start = date(2026, 4, 1)
    for prompt, due in ((True, date(2026, 4, 8)), (False, date(2026, 3, 17))):
        ws = workspace()
        run_plan(ws, 1, "SD", ctx(Plan("SD", events=events, prompt_start_date=prompt),
                                  start_date=start))
        assert [c.due_date for c in new_contacts(ws)] == [due, TODAY]


def test_delay_minutes_creates_a_timed_contact() -> None:
    """Seed 002: "The contact will be scheduled for the current time when the plan is
    invoked, plus the number of minutes specified here for delay." """
    ws = workspace()
    run_plan(ws, 1, "T", ctx(plan("T", ev(T.PHONE, "call", delay_minutes=60))))
    (c,) = new_contacts(ws)
    assert (c.due_date, c.due_time) == (TODAY, time(16, 26, 43))


def test_an_immediate_plan_event_runs_the_sub_plan_at_once() -> None:
    """Seed 002: "For a Plan within the plan, the second plan is run immediately";
    SPEC 5.4: "on the same debtor and inside the same transaction"."""
    sub = plan("SUB", ev(T.NOTE, "in sub"), ev(T.REVIEW, "sub review", delay_days=3),
               sub_plan=True)
    main = plan("MAIN", ev(T.NOTE, "before"), ev(T.PLAN, "SUB", record_history=True),
                ev(T.NOTE, "after"))
    ws = workspace()
    out = run_plan(ws, 1, "MAIN", ctx(main, sub))
    assert [n.text for n in ws.accounts[1].notes] == ["before", "in sub", "after"]
    assert [(c.type, c.plan) for c in new_contacts(ws)] == [(T.PLAN, "MAIN"), (T.REVIEW, "SUB")]
    assert out == PlanOutcome("ran", 4, 2)


def test_a_later_plan_event_schedules_a_plan_contact() -> None:
    """Seed 002: "You can even cause another contact plan to be executed on some future
    date." """
    ws = workspace()
    run_plan(ws, 1, "M", ctx(plan("M", ev(T.PLAN, "NEW", next_month_same_day=True)), NEW))
    (c,) = new_contacts(ws)
    assert (c.type, c.description, c.due_date, c.pending) == (T.PLAN, "NEW",
                                                              date(2026, 4, 10), True)


# -- 5. failures ----------------------------------------------------------------------

def test_an_immediate_plan_cycle_is_an_error_naming_the_chain() -> None:
    """SPEC 5.4: "A chain of immediate plan calls that comes back to a plan already
    running is an error (no infinite loop), reported with the chain." """
    a = plan("A", ev(T.NOTE, "a"), ev(T.PLAN, "B"))
    b = plan("B", ev(T.STATUS, "B"), ev(T.PLAN, "A"))
    ws = workspace()
    with pytest.raises(PlanRunError, match="A → B → A"):
        run_plan(ws, 1, "A", ctx(a, b))
    acc = ws.accounts[1]
    assert acc.notes == [] and acc.created == [] and acc.debtor == acc.original
    assert ws.counts == {}


def test_a_failure_half_way_leaves_only_that_debtor_untouched() -> None:
    """SPEC 5.5: "a plan that fails half way leaves the debtor as it was, and the error
    names the plan, event and debtor." """
    p = plan("HALF", ev(T.STATUS, "S1"), ev(T.NOTE, "n"), ev(T.REVIEW, "r", delay_days=2),
             ev(T.EDIT, "shoe_size=9"))
    ws = workspace(pending(10, T.REVIEW, file=1), files=(1, 2))
    run_plan(ws, 2, "NEW", ctx(NEW, p))
    kept = (list(ws.accounts[2].created), dict(ws.counts))
    with pytest.raises(PlanRunError) as err:
        run_plan(ws, 1, "HALF", ctx(NEW, p))
    assert all(w in str(err.value) for w in ("HALF", "event 4", "file 1", "shoe_size"))
    acc = ws.accounts[1]
    assert acc.debtor == acc.original and acc.notes == [] and acc.created == []
    assert list(acc.contacts) == [10]
    assert (list(ws.accounts[2].created), dict(ws.counts)) == kept
    assert len(ws.accounts[2].created) == 2


def test_a_failing_sub_plan_is_reported_with_its_own_event() -> None:
    """SPEC 5.5: the error names the plan and event that failed."""
    sub = plan("SUB", ev(T.NOTE, "ok"), ev(T.COMMISSION, "lots"), sub_plan=True)
    main = plan("MAIN", ev(T.NOTE, "m"), ev(T.PLAN, "SUB"))
    ws = workspace()
    with pytest.raises(PlanRunError, match=re.escape("plan SUB, event 2 (Commission), file 1")):
        run_plan(ws, 1, "MAIN", ctx(main, sub))
    assert ws.accounts[1].notes == []


def test_contacts_are_built_exactly_like_the_constructor() -> None:
    """The fast contact builder gives a true, frozen Contact equal to Contact(...)."""
    import dataclasses

    c = Contact(3, 1, int(T.REVIEW), "r", due_date=TODAY, amount=Decimal("1.00"))
    built = build_contact([getattr(c, f.name) for f in dataclasses.fields(Contact)])
    assert type(built) is Contact and built == c and hash(built) == hash(c)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.id = 4  # type: ignore[misc,unused-ignore]


def test_delete_same_type_completes_a_repeating_promise_instead_of_deleting_it() -> None:
    """Seed 001: repeating Promise contacts without 'Create Copy on Repeat' "will be marked
    done instead of deleted to maintain the promise integrity" (also for same-type deletes)."""
    ws = workspace(pending(1, T.PROMISE, repeat=Repeat.MONTHLY), pending(2, T.PROMISE))
    e = ev(T.PROMISE, "new promise", delay_days=7, amount=Decimal("20.00"),
           delete_same_type=True)
    run_plan(ws, 1, "NP", ctx(plan("NP", e)))
    acc = ws.accounts[1]
    assert acc.deleted == {2} and acc.contacts[1].status is Status.DONE
    assert [c.description for c in acc.pending(int(T.PROMISE))] == ["new promise"]
