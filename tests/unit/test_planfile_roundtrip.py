"""Export then import is lossless (SPEC 3): plan_from_toml(plan_to_toml(p)) == p."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from collectcli.domain.fields import KINDS
from collectcli.domain.model import Condition, Event, Plan
from collectcli.domain.types import Assign, ContactType, Repeat
from collectcli.planfile import (
    load_plan_files,
    plan_from_dict,
    plan_from_toml,
    plan_to_dict,
    plan_to_toml,
)
from collectcli.resources import data_dir

SHIPPED = ("NEW", "C1", "R14", "PRA", "PRR", "PRF", "PRU", "PRO", "PRN", "PRB")
TYPES = [t for t in ContactType if t is not ContactType.PLAN] + [50, 73]
texts = st.text(max_size=30)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
money = st.integers(-10**9, 10**9).map(lambda c: Decimal(c) / 100)


@st.composite
def events(draw: st.DrawFn) -> Event:
    ctype = draw(st.sampled_from([*TYPES, ContactType.PLAN]))
    description = draw(st.text(min_size=1, max_size=30).filter(str.strip))
    if ctype == ContactType.PLAN:
        description = "P1"
    schedule = draw(st.sampled_from(["imm", "days", "dom", "next", "min", "days+min"]))
    repeat = draw(st.none() | st.sampled_from(list(Repeat)))
    delete_same = draw(st.booleans())
    assign = draw(st.sampled_from(list(Assign)))
    percent = None
    amount = draw(st.none() | money)
    if ctype == ContactType.PROMISE and amount is None:
        percent = draw(st.none() | st.integers(1, 10000).map(lambda c: Decimal(c) / 100))
    op = draw(st.sampled_from(["=", ">", "<", "<>", "..", ">=", "<="]))
    field = draw(st.sampled_from(sorted(KINDS)))
    cond = Condition(field, op, draw(texts), draw(texts) if op == ".." else None)
    return Event(
        type=int(ctype), description=description,
        immediately=schedule == "imm",
        delay_days=draw(st.integers(0, 400)) if schedule in ("days", "days+min") else None,
        day_of_month=draw(st.integers(1, 31)) if schedule == "dom" else None,
        next_month_same_day=schedule == "next",
        delay_minutes=draw(st.integers(0, 5000)) if schedule in ("min", "days+min") else None,
        assign=assign, operator=draw(names) if assign is Assign.SPECIFIC else None,
        priority=draw(st.none() | st.integers(1, 99)),
        sequence=draw(st.none() | st.integers(0, 99)),
        repeat=repeat,
        repeat_days=draw(st.integers(1, 365)) if repeat is Repeat.CUSTOM else None,
        max_intervals=draw(st.none() | st.integers(1, 60)) if repeat else None,
        copy_on_repeat=bool(repeat) and draw(st.booleans()),
        log_repeat_to_notes=bool(repeat) and draw(st.booleans()),
        no_autocomplete=draw(st.booleans()), no_autocomplete_promise=draw(st.booleans()),
        no_autodelete=draw(st.booleans()), mark_done=draw(st.booleans()),
        delete_same_type=delete_same,
        same_description_only=delete_same and draw(st.booleans()),
        advance_overpayments=draw(st.booleans()),
        record_history=draw(st.none() | st.booleans()),
        amount=amount, percent_of_owing=percent, klass=draw(st.none() | texts),
        schedule_if=draw(st.none() | st.just(cond)),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    flags = {k: draw(st.booleans()) for k in ("prompt_start_date", "delete_pending",
             "prompt_before_deleting", "skip_closed", "allow_all_users_to_delete", "sub_plan")}
    ranges = draw(st.lists(st.tuples(st.integers(1, 99), st.integers(1, 99)).map(
        lambda r: (min(r), max(r))), max_size=3))
    return Plan(code="P1", description=draw(texts), access=tuple(ranges),
                events=tuple(draw(st.lists(events(), max_size=5))), **flags)


@settings(max_examples=150, deadline=None)
@given(plans())
def test_export_then_import_is_lossless(plan: Plan) -> None:
    """SPEC 3: 'collect plans export writes the same format back (round trip is lossless)'."""
    assert plan_from_toml(plan_to_toml(plan)) == plan


@settings(max_examples=50, deadline=None)
@given(plans())
def test_stored_json_definition_is_lossless(plan: Plan) -> None:
    """The database keeps plan_to_dict as JSON; reading it back gives the same plan."""
    data = json.loads(json.dumps(plan_to_dict(plan)))
    assert plan_from_dict(data, "db", None) == plan


def test_the_ten_shipped_plans_load_and_round_trip() -> None:
    """SPEC 3: 'The repository's plans/ folder ships the demonstration plans: NEW, C1, R14,
    PRA, PRR, PRF, PRU, PRO, PRN, PRB'."""
    shipped = load_plan_files(sorted(data_dir("plans").glob("*.toml")))
    assert sorted(p.code for p in shipped) == sorted(SHIPPED)
    for plan in shipped:
        assert plan_from_toml(plan_to_toml(plan), known_codes=set(SHIPPED)) == plan


def _shipped(code: str) -> Plan:
    path = Path(data_dir("plans")) / f"{code}.toml"
    return load_plan_files([path], known_codes=set(SHIPPED))[0]


def test_new_plan_assigns_a_letter_and_a_review_in_10_days() -> None:
    """Seed 001: 'a NEW contact plan used to assign a Letter, and a Review in 10 days.'"""
    letter, review = _shipped("NEW").events
    assert letter.type == ContactType.LETTER and letter.immediately
    assert review.type == ContactType.REVIEW and review.delay_days == 10


def test_c1_schedules_a_call_tomorrow_and_r14_a_review_in_14_days() -> None:
    """Seed 001: 'schedules a call for tomorrow (one day) could have a code C1. A review 14
    days from today could be R14.'"""
    (call,) = _shipped("C1").events
    (review,) = _shipped("R14").events
    assert (call.type, call.delay_days) == (ContactType.PHONE, 1)
    assert (review.type, review.delay_days) == (ContactType.REVIEW, 14)


def test_pra_sets_do_not_autodelete_on_its_promise() -> None:
    """Seed 004: 'The PRA - Promise Active plan has this switch set to prevent auto-deleting
    promises.'"""
    promises = [e for e in _shipped("PRA").events if e.type == ContactType.PROMISE]
    assert promises and all(e.no_autodelete for e in promises)


def test_prn_deletes_pending_contacts_after_prompting() -> None:
    """Seed 004: 'The Promise NSF Payment action also deletes pending contacts [...] You are
    prompted before the plan deletes the contacts'; '...changes the account's Status to
    NSF.'"""
    prn = _shipped("PRN")
    assert prn.delete_pending and prn.prompt_before_deleting
    kinds = {(e.type, e.description) for e in prn.events}
    assert (ContactType.STATUS, "NSF") in kinds
    assert {ContactType.NOTE, ContactType.LETTER, ContactType.REVIEW} <= {t for t, _ in kinds}


def test_prb_writes_note_letter_review_in_14_days_and_status_prb() -> None:
    """Seed 004: 'writes a line to the debtor's Notes, queues a letter [...] schedules a
    Review of the account with a Delay of 14 days and changes the account's Status to PRB.'"""
    note, letter, review, status = _shipped("PRB").events
    assert note.type == ContactType.NOTE and note.immediately
    assert letter.type == ContactType.LETTER and letter.immediately
    assert (review.type, review.delay_days) == (ContactType.REVIEW, 14)
    assert (status.type, status.description) == (ContactType.STATUS, "PRB")


def test_promise_outcome_plans_are_sub_plans_with_note_and_letter() -> None:
    """Seed 004: each outcome plan 'writes a line to the debtor's Notes and queues a letter';
    seed 001: sub-plans 'can still' be selected in setup areas."""
    for code in ("PRF", "PRU", "PRO", "PRN", "PRB"):
        plan = _shipped(code)
        assert plan.sub_plan, code
        types = [e.type for e in plan.events[:2]]
        assert types == [ContactType.NOTE, ContactType.LETTER], code
