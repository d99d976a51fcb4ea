"""The batch and letters on PostgreSQL give what they give on SQLite, even when killed.

SPEC 7: 'a batch killed at any point and run again finishes the work with nothing done
twice'; SPEC 13: 'a chunk's effects and done markers commit together, so a worker that
dies loses nothing and nothing runs twice'. The reference is always one clean run on
SQLite; the PostgreSQL database must end up equal to it (ids aside).
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from collectcli.store.session import open_engine
from tests.conftest import COLLECT_BIN, TODAY
from tests.kill_support import run_to_end
from tests.postgres.support import snapshot

Snapshot = dict[str, list[tuple[object, ...]]]
Outbox = list[tuple[str, str, str]]
DEBTORS = 3000
CHUNK = ["--chunk-size", "250"]
COLLECT = [COLLECT_BIN]
SEQ = f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {DEBTORS})"
CONTACTS = (
    "7, 'Batch note', {date}'2026-03-10', NULL, false, false FROM s",
    "2, 'BAT', {date}'2026-03-09', NULL, false, false FROM s",
    "7, 'Monthly', {date}'2026-01-31', 'monthly', true, true FROM s WHERE n % 2 = 0",
    "4, 'R14', {date}'2026-03-10', NULL, false, false FROM s WHERE n % 7 = 0",
    "3, 'Promise', {date}'2026-03-01', NULL, false, false FROM s WHERE n % 5 = 0",
    "0, 'Letter1', {date}'2026-03-10', 'weekly', true, true FROM s WHERE n % 3 = 0",
    "1, 'Call', {date}'2026-03-10', NULL, false, false FROM s WHERE n % 4 = 0",
)


def _collect(db: str, *args: str) -> list[str]:
    return [*COLLECT, "--db", db, "--today", TODAY, *args]


def _sql(db: str, *statements: str) -> None:
    engine = open_engine(db)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _build(db: str, initialised: bool) -> None:
    """DEBTORS debtors with Notes, Status changes, monthly repeats with copies and note
    lines, Plan contacts, broken promises, weekly letters and calls (all due)."""
    if not initialised:
        subprocess.run(_collect(db, "init", "--json"), check=True, capture_output=True)
    date = "DATE " if db.startswith("postgresql") else ""  # SQLite stores ISO text
    cols = "file, type, description, due_date, repeat, copy_on_repeat, log_repeat_to_notes"
    _sql(db, f"{SEQ} INSERT INTO debtors (file, name, status, principal) "
             "SELECT n, 'Debtor ' || n, 'NEW', 1000 * n FROM s",
         *(f"{SEQ} INSERT INTO contacts ({cols}) SELECT n, {rest.format(date=date)}"
           for rest in CONTACTS))


def _done(db: str) -> int:
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM contacts WHERE status = 'done'")).scalar_one())
    finally:
        engine.dispose()


def _run_to_end(db: str, args: list[str], kills: list[tuple[int, float]]) -> list[int]:
    return run_to_end(args, lambda: _done(db), kills, poll=0.02)


def _outbox(folder: Path) -> Outbox:
    """(day/type folder, debtor file, text) of every letter: the names' contact ids depend
    on the backend (a killed PostgreSQL transaction still uses up sequence numbers)."""
    return sorted((str(p.parent.relative_to(folder)), p.name.split("-")[0], p.read_text())
                  for p in folder.rglob("*.txt"))


def _reference(tmp_path: Path) -> tuple[Snapshot, Outbox]:
    """One clean batch + letters run on SQLite: its database snapshot and its outbox."""
    db = str(tmp_path / "reference.db")
    _build(db, initialised=False)
    _run_to_end(db, _collect(db, "batch", *CHUNK), [])
    _run_to_end(db, _collect(db, "letters", "--outbox", str(tmp_path / "ref"), *CHUNK), [])
    return snapshot(db), _outbox(tmp_path / "ref")


def _assert_same(got: Snapshot, want: Snapshot) -> None:
    for table in ("debtors", "contacts", "transactions", "notes"):
        assert got[table] == want[table], table


@pytest.mark.postgres
def test_batch_and_letters_on_postgres_equal_sqlite(pg_url: str, tmp_path: Path) -> None:
    """SPEC 13: 'The same code runs on PostgreSQL'."""
    want, outbox = _reference(tmp_path)
    _build(pg_url, initialised=True)
    _run_to_end(pg_url, _collect(pg_url, "batch", *CHUNK), [])
    _run_to_end(pg_url, _collect(pg_url, "letters", "--outbox", str(tmp_path / "pg"), *CHUNK),
                [])
    _assert_same(snapshot(pg_url), want)
    assert _outbox(tmp_path / "pg") == outbox


@pytest.mark.postgres
@pytest.mark.slow
def test_a_batch_killed_on_postgres_and_rerun_equals_one_clean_run(
        pg_url: str, tmp_path: Path) -> None:
    """SPEC 7: 'Idempotent and crash-safe: each debtor's work commits atomically with its
    done markers; ... nothing done twice'."""
    want, outbox = _reference(tmp_path)
    _build(pg_url, initialised=True)
    before = _done(pg_url)
    after_batch = sum(1 for row in want["contacts"] if ("status", "done") in row)
    rnd = random.Random(20260310)
    span = after_batch - before
    kills = [(before + int(span * f), rnd.uniform(0.0, 0.15)) for f in (0.0, 0.2, 0.5, 0.8)]
    seen = _run_to_end(pg_url, _collect(pg_url, "batch", *CHUNK), kills)
    assert any(before < n < after_batch for n in seen), (before, seen, after_batch)
    letter_kills = [(_done(pg_url) + i * 200, rnd.uniform(0.0, 0.1)) for i in (0, 1, 2)]
    _run_to_end(pg_url, _collect(pg_url, "letters", "--outbox", str(tmp_path / "pg"), *CHUNK),
                letter_kills)
    got = snapshot(pg_url)
    _assert_same(got, want)
    assert _outbox(tmp_path / "pg") == outbox
    prb = sum(1 for row in got["notes"] if str(dict(row)["text"]).startswith("Promise broken"))
    assert prb == DEBTORS // 5  # one Promise Broken run per broken promise, never twice
