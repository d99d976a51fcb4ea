"""`collect run-plan`: one plan on one account, some, or a million (SPEC 5; seeds 001, 002),
on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from collectcli.cli import planrunner
from collectcli.cli.context import State
from collectcli.store import accounts
from tests.cli.runplan_support import add_debtors, add_op, add_plan, rows, scalar, snapshot
from tests.conftest import Cli

SUMMARY_KEYS = {"plan", "accounts", "run", "skipped", "failed", "cancelled",
                "contacts_created", "events_executed", "exported", "dry_run", "errors"}

PLAN_T1 = """
code = "T1"
description = "letter today, review in 10 days"
skip_closed = true

[[events]]
type = "Letter"
description = "Letter1"
immediately = true

[[events]]
type = "Review"
description = "Review new account"
delay_days = 10
"""


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


@pytest.fixture
def db(cli: Cli) -> str:
    add_debtors(cli.db, range(1, 11))
    add_plan(cli.db, PLAN_T1)
    return cli.db


def _pending(db: str, file: int) -> list[tuple[str, int, str]]:
    return [(r["due_date"], r["type"], r["description"]) for r in rows(
        db, "SELECT * FROM contacts WHERE file = :f AND status = 'pending' "
            "ORDER BY due_date, id", f=file)]


def test_run_plan_on_files_schedules_the_plan_and_reports_json(cli: Cli, db: str) -> None:
    out = cli.json("run-plan", "t1", "--file", "2", "--file", "5")
    assert set(out) >= SUMMARY_KEYS
    assert (out["plan"], out["accounts"], out["run"], out["contacts_created"]) == ("T1", 2, 2, 4)
    assert out["errors"] == []
    assert _pending(db, 2) == [("2026-03-10", 0, "Letter1"),
                               ("2026-03-20", 5, "Review new account")]
    assert _pending(db, 3) == []
    contact = rows(db, "SELECT * FROM contacts WHERE file = 2 ORDER BY id")[0]
    assert (contact["plan"], contact["collector"]) == ("T1", "JS")


def test_run_plan_all_and_where(cli: Cli, db: str) -> None:
    add_debtors(db, [20, 21], status="OLD")
    where = cli.json("run-plan", "T1", "--where", "status=OLD")
    assert (where["accounts"], where["contacts_created"]) == (2, 4)
    assert _pending(db, 1) == [] and len(_pending(db, 21)) == 2
    everyone = cli.json("run-plan", "T1", "--all")
    assert (everyone["accounts"], everyone["run"]) == (12, 12)
    assert scalar(db, "SELECT count(*) FROM contacts") == 28


def test_run_plan_writes_a_plan_summary_to_the_application_log(cli: Cli, db: str) -> None:
    cli.ok("run-plan", "T1", "--all")
    log = rows(db, "SELECT * FROM app_log WHERE category = 'PLAN'")
    assert len(log) == 1 and "10 run" in log[0]["message"]
    assert log[0]["operator"] == "ADMIN" and log[0]["at"] == "2026-03-10T10:00:00"


def test_dry_run_writes_nothing_and_shows_what_would_happen(cli: Cli, db: str) -> None:
    before = snapshot(db)
    out = cli.json("run-plan", "T1", "--file", "3", "--dry-run")
    assert snapshot(db) == before
    assert out["dry_run"] is True and out["contacts_created"] == 2
    [entry] = out["preview"]
    assert entry["file"] == 3
    assert [(c["type"], c["due_date"]) for c in entry["contacts_created"]] == [
        ("Letter", "2026-03-10"), ("Review", "2026-03-20")]
    human = cli.ok("run-plan", "T1", "--file", "3", "--dry-run")
    assert "Review new account" in human.stdout and "nothing was written" in human.stdout
    assert snapshot(db) == before


def test_operator_outside_the_access_ranges_is_refused_and_nothing_changes(
        cli: Cli, db: str) -> None:
    """Seed 002: 'A User level within any of the selected ranges will have access to the
    Contact Plan. Otherwise, they won't be able to run the plan.'"""
    add_plan(db, 'code = "MGR"\naccess = [[50, 99]]\n[[events]]\ntype = "Review"\n'
                 'delay_days = 1\n')
    add_op(db, "CLERK", 10)
    before = snapshot(db)
    result = cli.fails("run-plan", "MGR", "--all", operator="CLERK")
    assert "level 10" in result.stderr and "MGR" in result.stderr
    assert snapshot(db) == before
    assert cli.json("run-plan", "MGR", "--all")["run"] == 10  # ADMIN is level 99


def test_sub_plan_is_refused_when_run_directly(cli: Cli, db: str) -> None:
    """Seed 001: 'this plan is called by another plan and is not to be executed on its own'."""
    add_plan(db, 'code = "SUB"\nsub_plan = true\n[[events]]\ntype = "Note"\n'
                 'description = "sub"\nimmediately = true\n')
    before = snapshot(db)
    assert "sub-plan" in cli.fails("run-plan", "SUB", "--all").stderr
    assert snapshot(db) == before


def test_unknown_plan_operator_or_file_is_an_error_and_nothing_changes(
        cli: Cli, db: str) -> None:
    before = snapshot(db)
    assert "NOPE" in cli.fails("run-plan", "NOPE", "--all").stderr
    assert "GHOST" in cli.fails("run-plan", "T1", "--all", operator="GHOST").stderr
    assert "99" in cli.fails("run-plan", "T1", "--file", "1", "--file", "99").stderr
    assert "exactly one" in cli.fails("run-plan", "T1").stderr
    assert "exactly one" in cli.fails("run-plan", "T1", "--all", "--file", "1").stderr
    assert snapshot(db) == before


def test_skip_closed_skips_closed_debtors_and_logs_their_file_numbers(
        cli: Cli, db: str) -> None:
    """Seed 001: 'When Closed debtors are encountered in a batch process running this
    contact plan, they will be skipped and the file numbers will be logged to the
    Collect! Application Log.'"""
    add_debtors(db, [30], mode="CLOSED")
    out = cli.json("run-plan", "T1", "--all")
    assert (out["run"], out["skipped"]) == (10, 1)
    assert _pending(db, 30) == []
    log = rows(db, "SELECT * FROM app_log WHERE file = 30")
    assert [(r["level"], r["category"]) for r in log] == [("WARNING", "BATCH")]


PROMPTING = """
code = "RESET"
delete_pending = true
prompt_before_deleting = true

[[events]]
type = "Phone"
description = "fresh call"
delay_days = 1
"""


def test_prompt_before_deleting_with_yes_deletes_and_runs(cli: Cli, db: str) -> None:
    """Seed 001: 'Switch ON Prompt before deleting if you want Collect! to prompt you
    before deleting pending contacts.' --yes answers yes for the whole batch."""
    add_plan(db, PROMPTING)
    cli.ok("run-plan", "T1", "--file", "1")
    out = cli.json("run-plan", "RESET", "--file", "1", "--yes")
    assert (out["run"], out["cancelled"]) == (1, 0)
    assert _pending(db, 1) == [("2026-03-11", 1, "fresh call")]


def test_prompt_before_deleting_without_a_terminal_cancels_and_logs(cli: Cli, db: str) -> None:
    """SPEC 5.3: 'With no terminal and no --yes, the plan is cancelled for that debtor and
    logged.'"""
    add_plan(db, PROMPTING)
    cli.ok("run-plan", "T1", "--file", "1")
    out = cli.json("run-plan", "RESET", "--file", "1", "--file", "2")
    assert (out["run"], out["cancelled"]) == (1, 1)  # file 2 had nothing to delete
    assert len(_pending(db, 1)) == 2 and _pending(db, 2) == [("2026-03-11", 1, "fresh call")]
    log = rows(db, "SELECT * FROM app_log WHERE file = 1 AND category = 'PLAN'")
    assert len(log) == 1 and "cancelled" in log[0]["message"]


def test_prompt_before_deleting_asks_on_a_terminal(cli: Cli, db: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 001: 'A list of pending contacts will be displayed for you'; answering no
    cancels the plan for that debtor only."""
    add_plan(db, PROMPTING)
    cli.ok("run-plan", "T1", "--file", "1", "--file", "2")
    monkeypatch.setattr(planrunner, "is_terminal", lambda: True)
    answers = iter([True, False])
    monkeypatch.setattr(planrunner, "confirm_delete_prompt",
                        lambda bar: lambda debtor, plan, contacts: next(answers))
    out = cli.json("run-plan", "RESET", "--file", "1", "--file", "2")
    assert (out["run"], out["cancelled"]) == (1, 1)
    assert len(_pending(db, 1)) == 1 and len(_pending(db, 2)) == 2


START = """
code = "START"
prompt_start_date = true

[[events]]
type = "Review"
description = "from the start date"
delay_days = 7
"""


def test_prompt_start_date_without_start_date_is_an_error(cli: Cli, db: str) -> None:
    """Seed 001: 'Switch ON Prompt for start date if you want Collect! to prompt you for a
    Start Date' — with no terminal to ask, --start-date is required."""
    add_plan(db, START)
    before = snapshot(db)
    assert "--start-date" in cli.fails("run-plan", "START", "--all").stderr
    assert snapshot(db) == before


def test_start_date_applies_to_the_whole_batch(cli: Cli, db: str) -> None:
    """Seed 001: 'Collect! will prompt you only once at the start of the batch. The Start
    Date you select will be applied to the whole batch.'"""
    add_plan(db, START)
    cli.ok("run-plan", "START", "--all", "--start-date", "2026-04-01")
    dues = {r["due_date"] for r in rows(db, "SELECT due_date FROM contacts")}
    assert dues == {"2026-04-08"}
    assert "not a date" in cli.fails("run-plan", "START", "--all", "--start-date", "x").stderr


FAILS_ON_BAD = """
code = "EDITS"

[[events]]
type = "Review"
description = "review"
delay_days = 3

[[events]]
type = "Edit"
description = "listed_date=not-a-date"
immediately = true
schedule_if = { field = "status", op = "=", value = "BAD" }
"""


def test_one_failing_debtor_leaves_the_other_999_done(cli: Cli) -> None:
    """SPEC 5.5: 'a plan that fails half way leaves the debtor as it was, and the error
    names the plan, event and debtor'; one bad account never stops the run."""
    add_debtors(cli.db, range(1, 1001))
    add_debtors(cli.db, [1001], status="BAD")
    add_plan(cli.db, FAILS_ON_BAD)
    out = cli.json("run-plan", "EDITS", "--all")
    assert (out["accounts"], out["run"], out["failed"]) == (1001, 1000, 1)
    [error] = out["errors"]
    assert (error["file"], error["contact"]) == (1001, None)
    assert "EDITS" in error["message"] and "1001" in error["message"]
    assert scalar(cli.db, "SELECT count(*) FROM contacts") == 1000
    assert _pending(cli.db, 1001) == []
    log = rows(cli.db, "SELECT * FROM app_log WHERE level = 'ERROR'")
    assert [r["file"] for r in log] == [1001]


def test_a_crash_leaves_whole_chunks_done_or_untouched(cli: Cli, db: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk commits atomically: a run killed in chunk 2 keeps chunk 1 and nothing
    of chunk 2 (the per-debtor path; the set-based path has its own crash test)."""
    monkeypatch.setattr(planrunner, "compile_plan", lambda *_a: None)
    real = accounts.apply_workspace
    calls: list[int] = []

    def dying(conn: Any, ws: Any, now: Any, operator: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            real(conn, ws, now, operator)
            raise KeyboardInterrupt
        return real(conn, ws, now, operator)

    monkeypatch.setattr(accounts, "apply_workspace", dying)
    st = State(db=str(db), now=datetime(2026, 3, 10, 10), operator="ADMIN")
    with pytest.raises(KeyboardInterrupt):
        planrunner.run_plan_on_files(st, "T1", None, json_out=True, chunk=4)
    done = {r["file"] for r in rows(db, "SELECT DISTINCT file FROM contacts")}
    assert done == {1, 2, 3, 4}


EXPORTS = """
code = "EXP"

[[events]]
type = "Export"
immediately = true
"""


def test_export_action_appends_the_debtors_to_the_days_csv(cli: Cli, db: str,
                                                           tmp_path: Path) -> None:
    """SPEC 6: Export — 'append the debtor's record to the day's export file'."""
    add_plan(db, EXPORTS)
    folder = tmp_path / "out"
    out = cli.json("run-plan", "EXP", "--file", "1", "--file", "2", "--export-dir", str(folder))
    cli.ok("run-plan", "EXP", "--file", "3", "--export-dir", str(folder))
    assert out["exported"] == 2
    lines = (folder / "2026-03-10.csv").read_text().splitlines()
    assert lines[0].startswith("file,name,") and lines[0].endswith(",owing")
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3"]
    assert lines[1].endswith(",100.00")
