"""The foundation: init, global options, version, completion, clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from collectcli import __version__
from collectcli.store import tables as t
from collectcli.store.session import open_engine
from tests.conftest import Cli


def _counts(db: Path) -> dict[str, int]:
    engine = open_engine(str(db))
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in t.metadata.tables.items()
        }


def test_init_loads_settings_transaction_types_admin_and_plans(cli: Cli) -> None:
    """SPEC 11: init loads settings, transaction types, the ADMIN operator and plans."""
    counts = _counts(cli.db)
    assert counts["settings"] >= 16
    assert counts["transaction_types"] == 5
    assert counts["operators"] == 1
    assert counts["plans"] == 10
    ops = cli.json("operators", "list")
    assert ops[0]["id"] == "ADMIN" and ops[0]["level"] == 99 and ops[0]["can_delete"] is True


def test_init_twice_changes_nothing(cli: Cli) -> None:
    """Issue: 'Running it twice changes nothing.'"""
    before = _counts(cli.db)
    summary = cli.json("init")
    assert summary["added"] == {"settings": 0, "transaction_types": 0, "operators": 0, "plans": 0}
    assert _counts(cli.db) == before


def test_shipped_transaction_types_have_their_kinds(cli: Cli) -> None:
    """SPEC 2: 101 Payment, 105 Returned NSF, 196 Original Principal, 301 Fee, 401 Interest."""
    engine = open_engine(str(cli.db))
    with engine.connect() as conn:
        kinds = {r.code: r.kind for r in conn.execute(select(t.transaction_types))}
    assert kinds == {"101": "payment", "105": "reversal", "196": "principal", "301": "fee",
                     "401": "interest"}


def test_database_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    """Bad input: a database path in a folder that does not exist."""
    cli = Cli(tmp_path / "nowhere" / "x.db")
    result = cli.fails("init")
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_commands_refuse_a_database_that_was_never_initialised(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "fresh.db")
    result = cli.fails("debtor", "list")
    assert "collect init" in result.stderr


def test_unknown_operator_is_a_clear_error(cli: Cli) -> None:
    """Bad input: an unknown operator."""
    result = cli.fails("run-plan", "NEW", "--all", operator="NOBODY")
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
