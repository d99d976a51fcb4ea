"""`collect demo`: builds a demo agency and simulates days of collections."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from collectcli.store import tables as t
from collectcli.store.session import open_engine
from tests.conftest import Cli


def test_demo_builds_a_database_runs_new_and_simulates_days(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.db")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = cli.ok("demo", "--debtors", "30", "--days", "12")
    finally:
        os.chdir(here)
    assert "What happened" in result.stdout
    engine = open_engine(str(tmp_path / "demo.db"))
    with engine.connect() as conn:
        debtors = conn.execute(select(func.count()).select_from(t.debtors)).scalar_one()
        payments = conn.execute(
            select(func.count()).select_from(t.transactions).where(t.transactions.c.type == "101")
        ).scalar_one()
        nsf = conn.execute(
            select(func.count()).select_from(t.transactions).where(t.transactions.c.type == "105")
        ).scalar_one()
    assert debtors == 30
    assert payments > 0 and nsf == 1
    assert any((tmp_path / "demo-outbox").rglob("*.txt"))
    assert not (tmp_path / "unused.db").exists()


def test_demo_twice_rebuilds_the_same_result(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.db")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        first = cli.ok("demo", "--debtors", "20", "--days", "5").stdout
        second = cli.ok("demo", "--debtors", "20", "--days", "5").stdout
    finally:
        os.chdir(here)
    assert first == second
