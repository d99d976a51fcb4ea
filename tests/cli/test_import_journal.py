"""import-debtors keeps a journal of the files it imported (by content), so the same file
given again imports nothing twice, and a --plan run that was cut short is finished; on SQLite
and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from tests.cli.backend_db import peek
from tests.conftest import COLLECT_BIN, TODAY, Cli

CSV = "name,principal\nAnn Lee,100.00\nBob Roe,250.50\n"


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def _count(db: Path | str, sql: str) -> int:
    """One count, read without taking SQLite's write lock (the import may be running)."""
    return int(peek(db, sql)[0][0])


def test_the_same_file_imported_twice_imports_nothing_the_second_time(
        cli: Cli, write: object) -> None:
    """The bar: 'run it again: nothing is lost and nothing is done twice' — blank file
    numbers would otherwise give the same debtors new numbers a second time."""
    path = write("d.csv", CSV)  # type: ignore[operator]
    first = cli.json("import-debtors", str(path))
    second = cli.json("import-debtors", str(path))
    assert (first["imported"], first["already_imported"]) == (2, False)
    assert (second["imported"], second["already_imported"]) == (0, True)
    assert _count(cli.db, "SELECT COUNT(*) FROM debtors") == 2
    assert _count(cli.db, "SELECT COUNT(*) FROM transactions") == 2


def test_again_imports_the_same_file_once_more(cli: Cli, write: object) -> None:
    path = write("d.csv", CSV)  # type: ignore[operator]
    cli.ok("import-debtors", str(path))
    assert cli.json("import-debtors", str(path), "--again")["imported"] == 2
    assert _count(cli.db, "SELECT COUNT(*) FROM debtors") == 4


def test_a_refused_import_is_not_journaled(cli: Cli, write: object) -> None:
    bad = write("bad.csv", "name,principal\nAnn Lee,1e3\n")  # type: ignore[operator]
    cli.fails("import-debtors", str(bad))
    fixed = write("bad.csv", "name,principal\nAnn Lee,1000.00\n")  # type: ignore[operator]
    assert cli.json("import-debtors", str(fixed))["imported"] == 1


@pytest.mark.slow
def test_an_import_killed_during_its_plan_and_run_again_finishes_the_plan_once(
        cli: Cli, tmp_path: Path) -> None:
    """Killed after the import committed, while --plan NEW runs: the same command again
    imports nothing and runs NEW only on the debtors it had not reached."""
    data = tmp_path / "big.csv"
    with data.open("w", encoding="utf-8") as fh:
        fh.write("name,principal\n")
        fh.writelines(f"Debtor {i},{100 + i % 50}.00\n" for i in range(160_000))
    env = {**os.environ, "COLLECT_DB": str(cli.db), "COLLECT_TODAY": TODAY}
    argv = [COLLECT_BIN, "import-debtors", str(data), "--plan", "NEW", "--json"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if _count(cli.db, "SELECT COUNT(*) FROM plan_runs WHERE last_file IS NOT NULL"):
                break
        except OperationalError:  # a poll that meets a busy database tries again
            pass
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _count(cli.db, "SELECT COUNT(*) FROM plan_runs WHERE NOT finished") == 1
    again = cli.json("import-debtors", str(data), "--plan", "NEW")
    assert again["already_imported"] is True and again["plan"]["resumed_after"] is not None
    assert _count(cli.db, "SELECT COUNT(*) FROM debtors") == 160_000
    per_debtor = "SELECT COUNT(*) FROM contacts WHERE description = 'Letter1'"
    assert _count(cli.db, per_debtor) == 160_000
    assert _count(cli.db, "SELECT COUNT(DISTINCT file) FROM contacts "
                          "WHERE description = 'Letter1'") == 160_000
