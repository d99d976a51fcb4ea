"""The set-based plan run (engine/plan_compile.py + store/plan_sql.py) writes exactly what
the per-debtor engine writes (SPEC 5, 14): same contacts column by column (but the ids),
same application log, same debtors, same summary. On SQLite and on PostgreSQL: the set-up
database is copied on its own backend (conftest `db_copy`), one copy per path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from collectcli.cli import planrunner
from collectcli.cli.context import State
from collectcli.store import plan_sql
from tests.cli.runplan_support import add_debtors, add_op, add_plan, rows
from tests.conftest import Cli

NOW = datetime(2026, 3, 10, 10, 17, 42)

PLANS = {
    "NEW": None,  # the demonstration plans, loaded by `collect init`
    "R14": None,
    "CUR": """
code = "CUR"
[[events]]
type = "Phone"
description = "Call by whoever runs it"
delay_days = 2
assign = "current"
[[events]]
type = "Review"
description = "Supervisor review"
day_of_month = 20
assign = "specific"
operator = "SUP"
priority = 80
class = "audit"
""",
    "MIN": """
code = "MIN"
prompt_start_date = true
[[events]]
type = "Phone"
description = "Call in 90 minutes"
delay_minutes = 90
sequence = 2
[[events]]
type = "Review"
description = "Review in 3 days at 10:47"
delay_days = 3
delay_minutes = 30
sequence = 1
[[events]]
type = "Email"
description = "Reminder"
next_month_same_day = true
""",
    "REP": """
code = "REP"
skip_closed = true
[[events]]
type = "Promise"
description = "Monthly promise"
delay_days = 7
amount = "25.50"
repeat = "monthly"
max_intervals = 6
copy_on_repeat = true
log_repeat_to_notes = true
advance_overpayments = true
no_autodelete = true
no_autocomplete_promise = true
[[events]]
type = "Letter"
description = "Every 10 days"
delay_days = 1
repeat = "custom"
repeat_days = 10
no_autocomplete = true
[[events]]
type = "Other"
description = "History only"
delay_days = 0
mark_done = true
""",
    "LOG": """
code = "LOG"
skip_closed = true
[[events]]
type = "Review"
description = "Review now"
immediately = true
record_history = false
[[events]]
type = "Letter"
description = "Letter1"
immediately = true
""",
}

CLOSED = [3, 8, 9, 20]


def _setup(cli: Cli) -> None:
    add_debtors(cli.db, [f for f in range(1, 26) if f not in CLOSED])
    add_debtors(cli.db, CLOSED, mode="CLOSED")
    add_debtors(cli.db, [40, 41], operator=None, status="OLD")
    add_op(cli.db, "SUP", 50)
    for toml in PLANS.values():
        if toml is not None:
            add_plan(cli.db, toml)


Copy = Callable[[str], str]


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def _state(db: Path | str) -> State:
    return State(db=str(db), now=NOW, operator="ADMIN")


def _contents(db: Path | str) -> dict[str, Any]:
    contacts = rows(db, "SELECT * FROM contacts")
    for r in contacts:
        del r["id"]
    log = rows(db, "SELECT * FROM app_log ORDER BY id")
    for r in log:
        del r["id"]
    return {
        "contacts": sorted(contacts, key=lambda r: sorted((k, str(v)) for k, v in r.items())),
        "app_log": log,
        "debtors": rows(db, "SELECT * FROM debtors ORDER BY file"),
        "notes": rows(db, "SELECT * FROM notes ORDER BY id"),
        "transactions": rows(db, "SELECT * FROM transactions ORDER BY id"),
    }


def _run_both(cli: Cli, db_copy: Copy, monkeypatch: pytest.MonkeyPatch, code: str,
              **kw: Any) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    files = kw.pop("files", None)
    general = db_copy(str(cli.db))
    compiled = db_copy(str(cli.db))
    applied: list[int] = []
    real = plan_sql.apply_compiled

    def counting(*a: Any, **k: Any) -> dict[str, int]:
        applied.append(1)
        return real(*a, **k)

    monkeypatch.setattr(plan_sql, "apply_compiled", counting)
    fast = planrunner.run_plan_on_files(_state(compiled), code, files, json_out=True, **kw)
    assert applied, f"plan {code} did not run set-based"
    with monkeypatch.context() as m:
        m.setattr(planrunner, "compile_plan", lambda *_a: None)
        slow = planrunner.run_plan_on_files(_state(general), code, files, json_out=True, **kw)
    return slow, fast, general, compiled


@pytest.mark.parametrize("code", sorted(PLANS))
@pytest.mark.parametrize("chunk", [7, 5000])
def test_set_based_run_writes_what_the_engine_writes(cli: Cli, db_copy: Copy,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     code: str, chunk: int) -> None:
    """SPEC 14: 'use set-based SQL ... for bulk paths' — with the per-debtor rules of
    SPEC 5 kept exactly: every contact, log line and debtor equal."""
    _setup(cli)
    kw: dict[str, Any] = {"chunk": chunk}
    if code == "MIN":
        kw["start_date"] = datetime(2026, 4, 1).date()
    slow, fast, general, compiled = _run_both(cli, db_copy, monkeypatch, code, **kw)
    assert fast == slow
    assert fast["contacts_created"] > 0
    assert _contents(compiled) == _contents(general)


def test_set_based_skip_closed_logs_each_closed_debtor_like_the_engine(
        cli: Cli, db_copy: Copy, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 001: 'they will be skipped and the file numbers will be logged to the
    Collect! Application Log.'"""
    _setup(cli)
    slow, fast, general, compiled = _run_both(cli, db_copy, monkeypatch, "NEW", chunk=6)
    assert (fast["skipped"], fast["run"]) == (len(CLOSED), 27 - len(CLOSED)) == (
        slow["skipped"], slow["run"])
    log = rows(compiled, "SELECT file, message FROM app_log WHERE category = 'BATCH' "
                         "ORDER BY id")
    assert log == [{"file": f, "message": f"plan NEW not run on file {f}: the debtor is "
                                          "CLOSED"} for f in CLOSED]
    assert _contents(compiled) == _contents(general)


@pytest.mark.parametrize("files", [[2, 3, 4, 5], [1, 3, 9, 24, 40]])
def test_set_based_run_on_a_file_list_matches_the_engine(cli: Cli, db_copy: Copy,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         files: list[int]) -> None:
    _setup(cli)
    slow, fast, general, compiled = _run_both(cli, db_copy, monkeypatch, "NEW",
                                              files=files, chunk=3)
    assert fast == slow and fast["accounts"] == len(files)
    assert _contents(compiled) == _contents(general)


def test_set_based_run_with_where_matches_the_engine(cli: Cli, db_copy: Copy,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(cli)
    add_debtors(cli.db, [50, 52, 60], status="old")
    slow, fast, general, compiled = _run_both(cli, db_copy, monkeypatch, "CUR",
                                              where="status=OLD", chunk=2)
    assert fast == slow and fast["accounts"] == 5
    assert _contents(compiled) == _contents(general)


def test_a_crash_in_a_set_based_run_leaves_whole_chunks_done_or_untouched(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk commits atomically: a run killed in chunk 2 keeps chunk 1 and nothing
    of chunk 2."""
    _setup(cli)
    real = plan_sql.apply_compiled
    calls: list[int] = []

    def dying(*a: Any, **k: Any) -> dict[str, int]:
        calls.append(1)
        out = real(*a, **k)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return out

    monkeypatch.setattr(plan_sql, "apply_compiled", dying)
    with pytest.raises(KeyboardInterrupt):
        planrunner.run_plan_on_files(_state(cli.db), "R14", None, json_out=True, chunk=4)
    done = {r["file"] for r in rows(cli.db, "SELECT DISTINCT file FROM contacts")}
    assert done == {1, 2, 3, 4}
