"""Plan runs on payments: the cheap undo of a plan that only appends (engine/rollback.py
`mark`/`undo`) and the direct Note action leave exactly what the full snapshot would."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from collectcli.domain.errors import PlanRunError
from collectcli.domain.model import Contact, Debtor, Event, Operator, Plan
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType as T
from collectcli.domain.types import Status
from collectcli.engine.context import RunContext
from collectcli.engine.plans import run_plan
from collectcli.engine.workspace import Workspace

NOW = datetime(2026, 3, 10, 15, 26, 43)
ADMIN = Operator("ADMIN", level=99, can_delete_contacts=True)


def ev(type_: int, description: str, **kw: Any) -> Event:
    return Event(int(type_), description, immediately=True, **kw)


def ctx(*plans: Plan) -> RunContext:
    return RunContext(NOW, ADMIN, Settings(), {p.code: p for p in plans}, {})


def workspace() -> Workspace:
    return Workspace([(Debtor(f, "Sam", principal=Decimal("100.00")), [
        Contact(10 * f, f, int(T.REVIEW), "r", due_date=NOW.date())]) for f in (1, 2)])


def test_a_failing_appending_plan_leaves_the_debtor_exports_logs_and_counts_as_they_were(
) -> None:
    """SPEC 5.5: 'a plan that fails half way leaves the debtor as it was' — also when the
    plan only appends (notes, exports, new contacts, debtor fields) and is undone by marks."""
    bad = Plan("BAD", "appends then fails", events=(
        ev(T.NOTE, "first", record_history=True), ev(T.EXPORT, "x"), ev(T.STATUS, "S9"),
        ev(T.LETTER, "L1"), ev(T.COMMISSION, "lots")))
    ws = workspace()
    run_plan(ws, 2, "BAD2", ctx(Plan("BAD2", "ok", events=(ev(T.NOTE, "kept"),))))
    before = (dict(ws.counts), list(ws.exports), list(ws.logs))
    with pytest.raises(PlanRunError, match="plan BAD, event 5"):
        run_plan(ws, 1, "BAD", ctx(bad))
    acc = ws.accounts[1]
    assert acc.debtor is acc.original and acc.notes == [] and acc.created == []
    assert list(acc.contacts) == [10]
    assert (dict(ws.counts), list(ws.exports), list(ws.logs)) == before
    assert [n.text for n in ws.accounts[2].notes] == ["kept"]


def test_an_immediate_note_writes_its_line_and_keeps_history_only_when_asked() -> None:
    """SPEC 5.4: an immediate automatic event executes now and, with record_history,
    leaves a done contact as history."""
    p = Plan("N", "notes", events=(ev(T.NOTE, "plain"), ev(T.NOTE, "kept",
                                                          record_history=True)))
    ws = workspace()
    out = run_plan(ws, 1, "N", ctx(p))
    acc = ws.accounts[1]
    assert [n.text for n in acc.notes] == ["plain", "kept"]
    assert [n.operator for n in acc.notes] == ["ADMIN", "ADMIN"]
    history = [acc.contacts[i] for i in acc.created]
    assert [(c.description, c.status) for c in history] == [("kept", Status.DONE)]
    assert out.events_executed == 2 and ws.counts["events_executed"] == 2
    assert ws.counts["notes"] == 2
