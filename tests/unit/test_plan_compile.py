"""compile_plan: which plans run set-based (SPEC 14) and which need the engine per debtor
(SPEC 5), and the contact each compiled event creates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

from collectcli.domain.model import Condition, Event, Operator, Plan
from collectcli.domain.settings import Settings
from collectcli.domain.types import Assign, Status
from collectcli.domain.types import ContactType as T
from collectcli.engine.context import RunContext
from collectcli.engine.plan_compile import Refusal, compile_plan, refusal
from collectcli.engine.plan_events import prepare

NOW = datetime(2026, 3, 10, 10, 15, 30)
ADMIN = Operator("ADMIN", "Admin", 99, True)
LETTER = Event(T.LETTER, "Letter1", immediately=True)
REVIEW = Event(T.REVIEW, "Review new account", delay_days=10, priority=50)
NEW = Plan("NEW", skip_closed=True, events=(LETTER, REVIEW))


def ctx(*plans: Plan) -> RunContext:
    return RunContext(NOW, ADMIN, Settings(), {p.code: p for p in plans}, {})


def why(plan: Plan) -> Refusal | None:
    c = ctx(plan)
    return refusal(plan, prepare(plan, c))


def test_new_plan_compiles_to_a_letter_today_and_a_review_in_ten_days() -> None:
    """Seed 002: 'if you are scheduling a Review, the contact is created right away for
    today's date' — an immediate Letter is a contact due today, not an action."""
    compiled = compile_plan(NEW, ctx(NEW))
    assert compiled is not None
    assert (compiled.code, compiled.skip_closed) == ("NEW", True)
    letter, review = (e.template for e in compiled.events)
    assert (letter.type, letter.due_date, letter.status) == (T.LETTER, date(2026, 3, 10),
                                                             Status.PENDING)
    assert (review.due_date, review.priority, review.plan) == (date(2026, 3, 20), 50, "NEW")
    assert review.created_time == time(10, 15, 30) and review.originator == "ADMIN"
    assert all(e.account_collector for e in compiled.events)


def test_current_and_specific_collectors_are_constants_of_the_template() -> None:
    plan = Plan("CUR", events=(replace(REVIEW, assign=Assign.CURRENT),
                               replace(LETTER, assign=Assign.SPECIFIC, operator="SUP")))
    compiled = compile_plan(plan, ctx(plan))
    assert compiled is not None
    assert [(e.account_collector, e.template.collector) for e in compiled.events] == [
        (False, "ADMIN"), (False, "SUP")]


def test_mark_done_event_compiles_as_a_done_contact() -> None:
    """Seed 002 'Mark as done': the contact is created as history only."""
    plan = Plan("MD", events=(replace(REVIEW, mark_done=True),))
    compiled = compile_plan(plan, ctx(plan))
    assert compiled is not None
    done = compiled.events[0].template
    assert (done.status, done.done_date, done.done_by) == (Status.DONE, NOW.date(), "ADMIN")


def test_refused_sub_plan() -> None:
    assert why(replace(NEW, sub_plan=True)) is Refusal.SUB_PLAN


def test_refused_delete_pending() -> None:
    """SPEC 5.3: which contacts a debtor has pending is not known without loading it."""
    assert why(replace(NEW, delete_pending=True)) is Refusal.DELETE_PENDING


def test_refused_prompt_before_deleting() -> None:
    plan = replace(NEW, delete_pending=True, prompt_before_deleting=True)
    assert why(plan) is Refusal.PROMPT_BEFORE_DELETING


def test_refused_no_events() -> None:
    assert why(Plan("EMPTY")) is Refusal.NO_EVENTS


def test_refused_schedule_if() -> None:
    cond = Condition("owing", ">", "0")
    assert why(replace(NEW, events=(replace(REVIEW, schedule_if=cond),))) is Refusal.SCHEDULE_IF


def test_refused_delete_same_type() -> None:
    plan = replace(NEW, events=(LETTER, replace(REVIEW, delete_same_type=True)))
    assert why(plan) is Refusal.DELETE_SAME_TYPE


def test_refused_immediate_action_of_an_automatic_type() -> None:
    """SPEC 5.4: 'An immediately event of an automatic type executes its action now'."""
    note = Event(T.NOTE, "a note", immediately=True)
    assert why(replace(NEW, events=(LETTER, note))) is Refusal.IMMEDIATE_ACTION


def test_refused_plan_event_even_when_scheduled_later() -> None:
    later = Event(T.PLAN, "R14", delay_days=3)
    assert why(replace(NEW, events=(later,))) is Refusal.PLAN_EVENT


def test_refused_percent_of_owing() -> None:
    promise = Event(T.PROMISE, "Promise", delay_days=7, percent_of_owing=Decimal("10"))
    assert why(replace(NEW, events=(promise,))) is Refusal.PERCENT_OF_OWING


def test_a_promise_with_a_fixed_amount_compiles() -> None:
    promise = Event(T.PROMISE, "Promise", delay_days=7, amount=Decimal("25.50"))
    compiled = compile_plan(replace(NEW, events=(promise,)), ctx(NEW))
    assert compiled is not None
    assert compiled.events[0].template.promised == Decimal("25.50")


def test_an_event_without_a_schedule_is_left_to_the_engine_to_report() -> None:
    """The engine reports the error per debtor (SPEC 5.5); compiling must not raise."""
    plan = replace(NEW, events=(Event(T.REVIEW, "no schedule"),))
    assert compile_plan(plan, ctx(plan)) is None
