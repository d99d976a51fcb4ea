"""The parts of the bulk `post-payments` path that need no database: which plans it runs
compiled (engine/payments_plans.py), how a file is cut into chunks, the promise snapshot
kept on a payment, and the CSV reader's treatment of ragged rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from collectcli.cli.payments_chunk import chunk_bounds
from collectcli.cli.payments_csv import read_payments
from collectcli.domain.model import Event, Operator, Plan
from collectcli.domain.types import Assign, ContactType, Status
from collectcli.engine.payments_plans import compile_payment_plan, compile_payment_plans
from collectcli.engine.promise_state import restore_onto, snapshot
from tests.unit.payments_helpers import NO_PLANS, TYPES, ctx, promise

NOTE = Event(type=ContactType.NOTE, description="Paid in full", immediately=True)
LETTER = Event(type=ContactType.LETTER, description="PaymentReceived", immediately=True,
               assign=Assign.ACCOUNT)


def test_a_plan_of_notes_and_letters_runs_compiled_in_event_order() -> None:
    """Seed 004 (PRF): 'This plan writes a line to the debtor's Notes and queues a letter
    confirming receipt of payment.' — a note line and a contact per run, as run_plan."""
    plan = Plan("PRF", events=(NOTE, LETTER), sub_plan=True)
    compiled = compile_payment_plan(plan, ctx(plans=("PRF",)), "setting")
    assert compiled is not None
    assert [(s.note, s.contact is not None) for s in compiled.steps] == [
        ("Paid in full", False), (None, True)]
    assert (compiled.notes, compiled.contacts, compiled.executed) == (1, 1, 1)
    assert compiled.steps[1].contact is not None
    assert compiled.steps[1].contact.account_collector


@pytest.mark.parametrize("plan", [
    Plan("X", delete_pending=True, events=(NOTE,)),
    Plan("X", events=(Event(type=ContactType.STATUS, description="PAID", immediately=True),)),
    Plan("X", events=(Event(type=ContactType.PLAN, description="PRF", immediately=True),)),
    Plan("X", events=(Event(type=ContactType.PROMISE, description="Next", delay_days=30,
                            amount=Decimal("50.00")),)),
    Plan("X", events=(Event(type=ContactType.NOTE, description="x", immediately=True,
                            delete_same_type=True),)),
    Plan("X", access=((90, 99),), events=(NOTE,)),
    Plan("X"),
])
def test_a_plan_that_does_more_than_add_rows_runs_through_the_engine(plan: Plan) -> None:
    """SPEC 5: delete_pending, actions other than a Note, sub-plans, promises, deletes and
    access ranges need the engine; such a plan is not compiled (its payments then go
    through engine.payments.post_payment, which reports what it must)."""
    low = replace(ctx(plans=("X",)), operator=Operator("LOW", "Low", 10, False))
    assert compile_payment_plan(plan, low, "setting") is None


def test_a_missing_or_refused_promise_plan_keeps_every_payment_on_the_engine() -> None:
    """SPEC 8: a setting naming a plan that does not exist is logged by the engine once."""
    c = ctx(replace(NO_PLANS, promise_full_plan="NOPE"), types=TYPES)
    assert not compile_payment_plans(c).ok
    assert compile_payment_plans(ctx(NO_PLANS)).ok


@pytest.mark.parametrize(("count", "chunk", "bounds"), [
    (0, 10, []),
    (7, 10, [(0, 7)]),
    (100_000, 50_000, [(0, 50_000), (50_000, 90_000), (90_000, 100_000)]),
    (10, 3, [(0, 3), (3, 6), (6, 9), (9, 10)]),
])
def test_chunks_cover_every_row_once_with_a_small_last_chunk(
        count: int, chunk: int, bounds: list[tuple[int, int]]) -> None:
    """Every row in exactly one chunk, none larger than asked."""
    got = chunk_bounds(count, chunk)
    assert got == bounds
    assert [i for a, b in got for i in range(a, b)] == list(range(count))
    assert all(b - a <= chunk for a, b in got)


def test_a_promise_snapshot_leaves_out_nulls_and_restores_old_and_new_forms() -> None:
    """SPEC 8: 'It restores the promise to exactly the state recorded on that payment'."""
    p = promise(7)
    text = snapshot(p, copies=2)
    assert "null" not in text and '"copies":2' in text
    done = replace(p, status=Status.DONE, done_date=date(2026, 3, 10), done_time=time(10, 0),
                   done_by='O"K', max_intervals=0)
    assert restore_onto(done, text) == p
    assert restore_onto(p, snapshot(done)) == done
    old = ('{"contact":{"id":7,"due_date":"2026-03-15","anchor_date":"2026-03-15",'
           '"amount":"100.00","status":"pending","done_date":null,"done_time":null,'
           '"done_by":null,"max_intervals":null,"occurrence":0},"copies":0}')
    assert restore_onto(done, old) == p


def _read(tmp_path: Path, text: str) -> tuple[list, list, list]:  # type: ignore[type-arg]
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    return read_payments(path, {1, 2, 3}, TYPES, "101", date(2026, 3, 10))


def test_blank_lines_are_skipped_and_short_rows_read_blank_columns(tmp_path: Path) -> None:
    """SPEC 12: a blank date is today, a blank type the default payment type."""
    good, bad, header = _read(tmp_path, "file,amount,date,type\n1,10.00\n\n2, 5.5 ,,\n")
    assert header == ["file", "amount", "date", "type"] and not bad
    assert [(r.line, r.file, r.amount, r.date, r.type, r.cents) for r in good] == [
        (2, 1, Decimal("10.00"), date(2026, 3, 10), "101", 1000),
        (4, 2, Decimal("5.50"), date(2026, 3, 10), "101", 550)]
    assert good[0].key.startswith("sha256:") and good[0].key.endswith(":2")


def test_each_bad_row_names_its_line_column_and_reason(tmp_path: Path) -> None:
    """SPEC 12: 'lists every bad row (line number, column, reason)'."""
    _, bad, _ = _read(tmp_path, "file,amount,ref\n1,10.00,A\n9,1.00,B\nx,1,C\n2,1.001,D\n"
                                "3,1.00,A\n1,2.00,E,extra\n")
    assert [(b.line, b.column) for b in bad] == [
        (3, "file"), (4, "file"), (5, "amount"), (6, "ref"), (7, "ref")]
    assert "more values than columns" in bad[-1].reason
    assert bad[-1].values == {"file": "1", "amount": "2.00", "ref": "E"}
