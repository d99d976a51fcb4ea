"""The foundation: init, global options, version, completion, clear errors.

The tests that read or write a database take `dbcli` (or `backend`) and run on SQLite and
on PostgreSQL; the ones about the command line only (version, completion, help, start-up
imports, the --today check made before any database is opened) keep the SQLite `cli`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from collectcli import __version__
from collectcli.store import tables as t
from tests.cli.backend_db import fetch
from tests.conftest import Cli
from tests.pg_support import PgServer


def _counts(db: Path | str) -> dict[str, int]:
    return {name: fetch(db, f"SELECT count(*) FROM {name}")[0][0]
            for name in t.metadata.tables}


def test_init_loads_settings_transaction_types_admin_and_plans(dbcli: Cli) -> None:
    """SPEC 11: init loads settings, transaction types, the ADMIN operator and plans."""
    counts = _counts(dbcli.db)
    assert counts["settings"] >= 16
    assert counts["transaction_types"] == 5
    assert counts["operators"] == 1
    assert counts["plans"] == 10
    ops = dbcli.json("operators", "list")
    assert ops[0]["id"] == "ADMIN" and ops[0]["level"] == 99 and ops[0]["can_delete"] is True


def test_init_twice_changes_nothing(dbcli: Cli) -> None:
    """Issue: 'Running it twice changes nothing.'"""
    before = _counts(dbcli.db)
    summary = dbcli.json("init")
    assert summary["added"] == {"settings": 0, "transaction_types": 0, "operators": 0, "plans": 0}
    assert _counts(dbcli.db) == before


def test_shipped_transaction_types_have_their_kinds(dbcli: Cli) -> None:
    """SPEC 2: 101 Payment, 105 Returned NSF, 196 Original Principal, 301 Fee, 401 Interest."""
    kinds = dict(fetch(dbcli.db, "SELECT code, kind FROM transaction_types"))
    assert kinds == {"101": "payment", "105": "reversal", "196": "principal", "301": "fee",
                     "401": "interest"}


def test_database_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    """Bad input: a database path in a folder that does not exist (SQLite: a file path)."""
    cli = Cli(tmp_path / "nowhere" / "x.db")
    result = cli.fails("init")
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.postgres
def test_a_postgres_database_that_does_not_exist_is_a_clear_error(pg_server: PgServer) -> None:
    """Bad input: the PostgreSQL counterpart of the missing folder, a URL naming a database
    the server does not have (`init` does not create databases)."""
    cli = Cli(pg_server.database_url(f"{pg_server.prefix}_missing"))
    for args in (["init"], ["debtor", "list"]):
        result = cli.fails(*args)
        assert f'database "{pg_server.prefix}_missing" does not exist' in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_commands_refuse_a_database_that_was_never_initialised(empty_db_url: str) -> None:
    result = Cli(empty_db_url).fails("debtor", "list")
    assert "collect init" in result.stderr


def test_unknown_operator_is_a_clear_error(dbcli: Cli) -> None:
    """Bad input: an unknown operator."""
    result = dbcli.fails("run-plan", "NEW", "--all", operator="NOBODY")
    assert "NOBODY" in result.stderr


def test_bad_business_clock_is_a_clear_error(cli: Cli) -> None:
    result = cli.fails("debtor", "list", today="10/03/2026")
    assert "--today" in result.stderr


def test_version_prints_the_package_version(cli: Cli) -> None:
    assert cli.ok("--version").stdout.strip() == f"collect {__version__}"


def test_shell_completion_is_available(cli: Cli) -> None:
    result = cli("--show-completion", "bash")
    assert result.exit_code == 0, result.output
    assert "complete" in result.stdout.lower()


def test_every_command_has_help(cli: Cli) -> None:
    for args in (["--help"], ["init", "--help"], ["plans", "--help"], ["debtor", "--help"],
                 ["run-plan", "--help"], ["import-debtors", "--help"], ["log", "--help"]):
        result = cli.ok(*args)
        assert "Usage" in result.stdout


def test_a_busy_command_loads_only_its_own_module() -> None:
    """Start-up: `collect import-debtors` (and the other nightly commands) import only
    their command module; `--help` and the command groups load them all."""
    from collectcli.cli.app import command_name

    assert command_name(["--db", "x.db", "--today", "2026-03-10", "import-debtors", "a.csv"]) \
        == "import-debtors"
    assert command_name(["--help"]) is None
    out = subprocess.run([sys.executable, "-c", (
        "import sys; from collectcli.cli.app import load_commands; "
        "load_commands(['--db', 'x.db', 'import-debtors', 'a.csv']); "
        "print('collectcli.cli.batch_cmd' in sys.modules, "
        "'collectcli.cli.debtors_cmd' in sys.modules)")], capture_output=True, text=True,
        check=True).stdout.split()
    assert out == ["False", "True"]


def test_every_command_the_demo_runs_is_registered_through_the_entry_point() -> None:
    """`collect demo` runs init, run-plan, post-payment, batch and letters through `app`:
    the entry point must load every command for it, not only demo's own module."""
    out = subprocess.run([sys.executable, "-c", (
        "import sys; from collectcli.cli.app import load_commands; load_commands(['demo']); "
        "from collectcli.cli.root import app; import typer; "
        "names = {c.name for c in typer.main.get_command(app).commands.values()}; "
        "print(sorted({'init', 'run-plan', 'post-payment', 'batch', 'letters'} - names))")],
        capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
