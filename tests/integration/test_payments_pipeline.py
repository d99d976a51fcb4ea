"""`post-payments` with its database work in a writer process (cli/payments_pipeline.py):
the same database as in one process, an error in the writer raised here with nothing of
its chunk written, and a run killed half way finished by a re-run with nothing twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from collectcli.cli import payments_pipeline, payments_writer
from collectcli.cli.payments_bulk import post_rows
from collectcli.cli.payments_csv import read_payments
from collectcli.cli.payments_pipeline import Writer
from collectcli.cli.run_context import load_context
from collectcli.domain.errors import DatabaseBusy
from collectcli.store.session import open_engine, unit_of_work
from tests.cli.backend_db import SQLITE_ONLY, fetch
from tests.cli.payments_setup import monthly_promise, seed
from tests.conftest import COLLECT_BIN, TODAY, Cli
from tests.integration.payments_paths import (
    NOW,
    SETTINGS,
    canonical,
    post_file,
    random_payments,
    two_dbs,
)


@pytest.mark.parametrize("name", ["shipped", "groups", "default_plan", "not_compiled"])
@SQLITE_ONLY  # the writer process is SQLite's (PostgreSQL runs in one process)
def test_writer_process_writes_what_one_process_writes(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """SPEC 14 asks for speed, SPEC 8 for the same rules: every row equal, ids included."""
    monkeypatch.setattr(payments_pipeline, "SLICE", 37)  # many slices per chunk
    rnd = random.Random(f"{name}-writer")
    inline_db, writer_db = two_dbs(backend, tmp_path, request)(rnd, 70, SETTINGS[name])
    csv_path = random_payments(rnd, 70, 450, tmp_path / "payments.csv")
    one = post_file(inline_db, csv_path, 101, writer=False)
    two = post_file(writer_db, csv_path, 101, writer=True)
    assert two == one
    assert canonical(writer_db) == canonical(inline_db)
    for table in ("debtors", "contacts", "transactions", "notes"):
        assert fetch(writer_db, f"SELECT * FROM {table} ORDER BY 1") == fetch(
            inline_db, f"SELECT * FROM {table} ORDER BY 1"), table


def _forty_payments(cli: Cli, tmp_path: Path) -> Path:
    """40 debtors with monthly promises and a file paying $100 on each (two chunks of 20)."""
    seed(cli.db, [{"file": f, "principal": 100_000} for f in range(1, 41)],
         [monthly_promise(f, f, 10_000) for f in range(1, 41)])
    path = tmp_path / "p.csv"
    path.write_text("file,amount\n" + "".join(f"{f},100.00\n" for f in range(1, 41)))
    return path


def test_an_error_in_the_writer_is_raised_here_and_its_chunk_rolled_back(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SPEC 12: 'No operation loses data silently' — and a chunk writes all or nothing."""
    path = _forty_payments(cli, tmp_path)
    calls: list[int] = []
    real = payments_writer.run_statements

    def fail_in_second_chunk(conn: Any, statements: Any) -> None:  # runs in the writer
        calls.append(1)
        if len(calls) > 1:
            raise DatabaseBusy("the database is busy: simulated")
        real(conn, statements)

    monkeypatch.setattr(payments_writer, "run_statements", fail_in_second_chunk)
    with pytest.raises(DatabaseBusy, match="simulated"):
        post_file(str(cli.db), path, 20, writer=True)
    assert fetch(cli.db, "SELECT count(*) FROM transactions") == [(20,)]
    assert fetch(cli.db, "SELECT count(*) FROM debtors WHERE paid > 0") == [(20,)]


def test_an_error_on_this_side_stops_the_writer_and_rolls_its_chunk_back(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SPEC 12: a chunk writes all or nothing, and a failed run leaves no process behind."""
    path = _forty_payments(cli, tmp_path)
    calls: list[int] = []
    real = payments_pipeline.post_fast

    def fail_in_second_chunk(*a: Any, **k: Any) -> Any:  # runs on this side
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("simulated")
        return real(*a, **k)

    monkeypatch.setattr(payments_pipeline, "post_fast", fail_in_second_chunk)
    engine = open_engine(str(cli.db))
    with unit_of_work(engine) as uow:
        ctx = load_context(uow.conn, NOW, "ADMIN")
    rows, _, _ = read_payments(path, set(range(1, 41)), ctx.transaction_types, "101",
                               NOW.date())
    writer = Writer(engine, rows, ctx)
    with pytest.raises(RuntimeError, match="simulated"), writer:
        post_rows(engine, rows, ctx, lambda n: None, 20, writer=writer)
    engine.dispose()
    assert not writer.process.is_alive()
    assert fetch(cli.db, "SELECT count(*) FROM transactions") == [(20,)]


@pytest.mark.slow
def test_killed_with_its_writer_a_rerun_posts_each_payment_exactly_once(
        cli: Cli, tmp_path: Path) -> None:
    """SPEC 7: 'a batch killed at any point and run again finishes the work with nothing
    done twice' — the writer process rolls back what it had not committed."""
    n = 12_000
    seed(cli.db, [{"file": f, "principal": 100_000} for f in range(1, n + 1)],
         [monthly_promise(f, f, 10_000) for f in range(1, n + 1)])
    path = tmp_path / "big.csv"
    path.write_text("file,amount,date\n" + "".join(
        f"{f},{(f % 7) + 95}.00,2026-03-15\n" for f in range(1, n + 1)))
    env = {**os.environ, "COLLECT_DB": str(cli.db), "COLLECT_TODAY": TODAY}
    argv = [COLLECT_BIN, "post-payments", str(path), "--chunk", "700", "--db-process",
            "--json"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(random.uniform(0.7, 1.8))  # start-up, then a few chunks
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    doc = json.loads(done.stdout)
    assert doc["errors"] == [] and doc["posted"] + doc["already_posted"] == n
    files = [f for (f,) in fetch(cli.db, "SELECT file FROM transactions")]
    assert len(files) == n and set(Counter(files).values()) == {1}
    paid = dict(fetch(cli.db, "SELECT file, paid FROM debtors"))
    assert all(paid[f] == ((f % 7) + 95) * 100 for f in range(1, n + 1))
    notes = Counter(f for (f,) in fetch(cli.db, "SELECT file FROM notes"))
    assert set(notes.values()) == {1}  # one PRF/PRU/PRO note per payment, none twice
    assert fetch(cli.db, "PRAGMA integrity_check") == [("ok",)]


def test_post_payments_with_and_without_the_writer_print_the_same_summary(
        cli: Cli, tmp_path: Path) -> None:
    """SPEC 11: the summary keys and counts do not depend on how the run is done."""
    other = Cli(tmp_path / "other.db")
    other.ok("init")
    path = tmp_path / "p.csv"
    path.write_text("file,amount,date\n" + "".join(
        f"{f},{('100.00', '60.00', '250.00')[f % 3]},2026-03-15\n" for f in range(1, 31)))
    docs = []
    for db, flag in ((cli, "--db-process"), (other, "--no-db-process")):
        seed(db.db, [{"file": f, "principal": 100_000} for f in range(1, 31)],
             [monthly_promise(f, f, 10_000) for f in range(1, 31)])
        env = {**os.environ, "COLLECT_DB": str(db.db), "COLLECT_TODAY": TODAY}
        run = subprocess.run([COLLECT_BIN, "post-payments", str(path), flag, "--json"],
                             env=env, capture_output=True, text=True, check=True)
        docs.append(json.loads(run.stdout))
    assert docs[0] == docs[1]
    assert docs[0]["posted"] == 30
    assert docs[0]["promises"] == {"full": 10, "under": 10, "over": 10, "nsf": 0, "none": 0}
    assert fetch(cli.db, "SELECT * FROM transactions ORDER BY id") == fetch(
        other.db, "SELECT * FROM transactions ORDER BY id")
