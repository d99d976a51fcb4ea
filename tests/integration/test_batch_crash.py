"""Crash safety of `collect batch` and `collect letters` (SPEC 7: 'a batch killed at any
point and run again finishes the work with nothing done twice').

A few thousand debtors with Notes, Status changes, monthly repeats with copy and note
line, Plan contacts, broken promises and letters are batched twice: once cleanly on a
copy, once with SIGKILLs at seeded moments (inside chunks) and re-runs until done. The
two databases and outboxes must be equal, and SQLite's integrity check ok.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.batch_setup import connect, snapshot
from tests.conftest import COLLECT_BIN
from tests.kill_support import run_to_end

DEBTORS = 3000
TODAY = "2026-03-10T10:00:00"
COLLECT = [COLLECT_BIN]


def _collect(db: Path, *args: str) -> list[str]:
    return [*COLLECT, "--db", str(db), "--today", TODAY, *args]


def _build(db: Path) -> None:
    subprocess.run(_collect(db, "init", "--json"), check=True, capture_output=True)
    seq = f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {DEBTORS})"
    with connect(db) as con:
        con.execute(f"{seq} INSERT INTO debtors (file, name, status, principal) "
                    "SELECT n, 'Debtor ' || n, 'NEW', 1000 * n FROM s")
        cols = "file, type, description, due_date, repeat, copy_on_repeat, log_repeat_to_notes"
        for rest in (
            "7, 'Batch note', '2026-03-10', NULL, 0, 0 FROM s",
            "2, 'BAT', '2026-03-09', NULL, 0, 0 FROM s",
            "7, 'Monthly', '2026-01-31', 'monthly', 1, 1 FROM s WHERE n % 2 = 0",
            "4, 'R14', '2026-03-10', NULL, 0, 0 FROM s WHERE n % 7 = 0",
            "3, 'Promise', '2026-03-01', NULL, 0, 0 FROM s WHERE n % 5 = 0",
            "0, 'Letter1', '2026-03-10', 'weekly', 1, 1 FROM s WHERE n % 3 = 0",
            "1, 'Call', '2026-03-10', NULL, 0, 0 FROM s WHERE n % 4 = 0",
        ):
            con.execute(f"{seq} INSERT INTO contacts ({cols}) SELECT n, {rest}")
    with connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _done(db: Path) -> int:
    with connect(db) as con:
        return int(con.execute("SELECT count(*) FROM contacts WHERE status = 'done'"
                               ).fetchone()[0])


def _run_to_end(db: Path, args: list[str], kills: list[tuple[int, float]]) -> list[int]:
    return run_to_end(args, lambda: _done(db), kills, poll=0.01)


def _outbox(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.slow
def test_a_batch_killed_at_any_point_and_rerun_equals_one_clean_run(tmp_path: Path) -> None:
    """SPEC 7: 'Idempotent and crash-safe: each debtor's work commits atomically with its
    done markers; ... nothing done twice (no duplicate note, transaction, copy, letter or
    plan run)'."""
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    _build(clean)
    shutil.copy(clean, crashed)
    chunk = ["--chunk-size", "250"]
    _run_to_end(clean, _collect(clean, "batch", *chunk), [])
    after_batch = _done(clean)
    _run_to_end(clean, _collect(clean, "letters", "--outbox", str(tmp_path / "out1"), *chunk), [])
    before = _done(crashed)

    rnd = random.Random(20260310)
    span = after_batch - before
    kills = [(before + int(span * f), rnd.uniform(0.0, 0.15)) for f in (0.0, 0.2, 0.5, 0.8)]
    seen = _run_to_end(crashed, _collect(crashed, "batch", *chunk), kills)
    assert any(before < n < after_batch for n in seen), (before, seen, after_batch)
    letter_kills = [(after_batch + i * 200, rnd.uniform(0.0, 0.1)) for i in (0, 1, 2)]
    _run_to_end(crashed, _collect(crashed, "letters", "--outbox", str(tmp_path / "out2"),
                                  *chunk), letter_kills)

    want, got = snapshot(clean), snapshot(crashed)
    for key in want:
        assert got[key] == want[key], key
    assert _outbox(tmp_path / "out2") == _outbox(tmp_path / "out1")
    with connect(crashed) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        prb = con.execute("SELECT count(*) FROM notes WHERE text LIKE 'Promise broken%'"
                          ).fetchone()[0]
        pending = con.execute("SELECT count(*) FROM contacts WHERE status = 'pending' AND "
                              "type IN (0, 2, 4, 7) AND due_date <= '2026-03-10'").fetchone()[0]
    assert prb == DEBTORS // 5  # one Promise Broken run per broken promise, never twice
    assert pending == 0
