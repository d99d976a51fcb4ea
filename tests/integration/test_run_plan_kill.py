"""run-plan killed with SIGKILL at a random point, then run again: every debtor gets the
plan exactly once (the run journal, store/plan_runs.py). On SQLite and on PostgreSQL: the
killed `collect` process is given the test's database (a file path or a PostgreSQL URL)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.backend_db import fetch, peek
from tests.conftest import COLLECT_BIN, TODAY, Cli

# A plan that cannot run set-based (it has a condition), so it takes the per-debtor path.
CONDITIONAL = """
code = "COND"
description = "Review in 5 days when something is owed"

[[events]]
type = "Review"
description = "Owing review"
delay_days = 5
schedule_if = { field = "owing", op = ">", value = "0" }
"""


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def _debtors(cli: Cli, tmp_path: Path, count: int) -> None:
    data = tmp_path / "debtors.csv"
    with data.open("w", encoding="utf-8") as fh:
        fh.write("name,principal\n")
        fh.writelines(f"Debtor {i},{100 + i % 50}.00\n" for i in range(count))
    cli.ok("import-debtors", str(data))


def _journal(db: Path | str) -> tuple[int | None, int] | None:
    """(last_file, finished as 0/1) of the one run in the journal, read without taking
    SQLite's write lock (the run being watched holds it)."""
    found = peek(db, "SELECT last_file, finished FROM plan_runs")
    return None if not found else (found[0][0], found[0][1])


def _kill_then_finish(cli: Cli, plan: str, seed: int) -> None:
    """Start the run, SIGKILL it once a chunk has committed (plus a seeded delay, so the
    kill lands inside a later chunk), check it was cut short, then run it again."""
    env = {**os.environ, "COLLECT_DB": str(cli.db), "COLLECT_TODAY": TODAY}
    argv = [COLLECT_BIN, "run-plan", plan, "--all", "--json"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        state = _journal(cli.db)
        if state is not None and state[0] is not None:
            break
        time.sleep(0.01)
    time.sleep(random.Random(seed).uniform(0.0, 0.15))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = _journal(cli.db)
    assert state is not None and state[1] == 0, "the kill came after the run had finished"
    resumed = cli.json("run-plan", plan, "--all")
    assert resumed["resumed_after"] == state[0]
    final = _journal(cli.db)
    assert final is not None and final[1] == 1


def _per_debtor_counts(db: Path | str, description: str) -> dict[int, int]:
    return {int(file): int(n) for file, n in fetch(
        db, "SELECT d.file, COUNT(c.id) FROM debtors d LEFT JOIN contacts c "
            "ON c.file = d.file AND c.description = :d GROUP BY d.file", d=description)}


def _integrity_ok(db: Path | str, backend: str) -> None:
    """SQLite: the file survived the kill intact. PostgreSQL has no such check to run (its
    write-ahead log makes a killed client's transaction simply roll back); there the
    journal and the per-debtor counts above are the check."""
    if backend == "sqlite":
        assert fetch(db, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_a_killed_set_based_run_plan_resumes_and_runs_nothing_twice(
        cli: Cli, backend: str, tmp_path: Path, seed: int) -> None:
    """The bar: 'Kill any command at any moment, run it again: nothing is lost and nothing
    is done twice.' NEW runs set-based, 50,000 debtors per chunk."""
    _debtors(cli, tmp_path, 160_000)
    _kill_then_finish(cli, "NEW", seed)
    letters = _per_debtor_counts(cli.db, "Letter1")
    reviews = _per_debtor_counts(cli.db, "Review new account")
    assert set(letters.values()) == {1} and set(reviews.values()) == {1}
    assert len(letters) == 160_000
    _integrity_ok(cli.db, backend)


@pytest.mark.slow
def test_a_killed_per_debtor_run_plan_resumes_and_runs_nothing_twice(
        cli: Cli, backend: str, tmp_path: Path) -> None:
    """The per-debtor path commits 5,000 debtors at a time with the journal's marker."""
    plan = tmp_path / "COND.toml"
    plan.write_text(CONDITIONAL, encoding="utf-8")
    cli.ok("plans", "import", str(plan))
    _debtors(cli, tmp_path, 40_000)
    _kill_then_finish(cli, "COND", 3)
    reviews = _per_debtor_counts(cli.db, "Owing review")
    assert set(reviews.values()) == {1}
    assert len(reviews) == 40_000
    _integrity_ok(cli.db, backend)


def test_the_same_run_the_same_day_does_nothing_unless_again(cli: Cli, tmp_path: Path) -> None:
    """A finished run is not repeated by accident (a second NEW would mean a second
    letter); --again runs it once more."""
    _debtors(cli, tmp_path, 3)
    first = cli.json("run-plan", "NEW", "--all")
    second = cli.json("run-plan", "NEW", "--all")
    assert (first["run"], first["already_done"]) == (3, False)
    assert (second["run"], second["already_done"]) == (0, True)
    assert set(_per_debtor_counts(cli.db, "Letter1").values()) == {1}
    third = cli.json("run-plan", "NEW", "--all", "--again")
    assert third["run"] == 3
    assert set(_per_debtor_counts(cli.db, "Letter1").values()) == {2}
    other_day = cli.json("run-plan", "NEW", "--all", today="2026-03-11T10:00:00")
    assert other_day["run"] == 3


def test_a_different_selection_is_a_different_run(cli: Cli, tmp_path: Path) -> None:
    _debtors(cli, tmp_path, 3)
    assert cli.json("run-plan", "NEW", "--file", "1")["run"] == 1
    assert cli.json("run-plan", "NEW", "--file", "2", "--file", "3")["run"] == 2
    assert cli.json("run-plan", "NEW", "--file", "1")["already_done"] is True
