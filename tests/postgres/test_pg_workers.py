"""`collect batch --workers N`, and several batches on one PostgreSQL database (SPEC 13).

The reference is one clean single-process batch on SQLite (as in test_pg_batch_crash.py);
however the work is split, and whichever worker is killed half way, the PostgreSQL
database must end up equal to it (ids aside).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from collectcli.store.session import open_engine
from tests.postgres.support import snapshot
from tests.postgres.test_pg_batch_crash import CHUNK, DEBTORS, _assert_same, _build, _collect, _done

pytestmark = pytest.mark.postgres
Snapshot = dict[str, list[tuple[object, ...]]]


def _clean_run(tmp_path: Path) -> Snapshot:
    db = str(tmp_path / "reference.db")
    _build(db, initialised=False)
    done = subprocess.run(_collect(db, "batch", *CHUNK), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return snapshot(db)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait_for(db: str, target: int, proc: subprocess.Popen[str]) -> None:
    while proc.poll() is None and _done(db) < target:
        time.sleep(0.01)


def _prb_runs(db: str) -> int:
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM notes WHERE text LIKE 'Promise broken%'")).scalar_one())
    finally:
        engine.dispose()


def test_four_workers_with_one_killed_mid_run_equal_one_clean_run(
        pg_url: str, tmp_path: Path) -> None:
    """SPEC 13: '`collect batch --workers N` on one host ... a worker that dies loses
    nothing and nothing runs twice'."""
    want = _clean_run(tmp_path)
    _build(pg_url, initialised=True)
    before = _done(pg_url)
    parent = subprocess.Popen(_collect(pg_url, "batch", "--workers", "4", "--json", *CHUNK),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    while parent.poll() is None and len(workers) < 4:
        workers = _children(parent.pid)
        time.sleep(0.01)
    assert len(workers) == 4
    _wait_for(pg_url, before + 300, parent)
    os.kill(workers[1], signal.SIGKILL)
    out, err = parent.communicate(timeout=300)
    assert parent.returncode == 0, err
    assert "worker 2 stopped" in err
    doc = json.loads(out)
    assert doc["failed"] == 0 and doc["errors"] == []
    got = snapshot(pg_url)
    _assert_same(got, want)
    assert _prb_runs(pg_url) == DEBTORS // 5  # each broken promise's plan ran once


def test_batches_started_on_several_hosts_share_the_work_and_survive_a_kill(
        pg_url: str, tmp_path: Path) -> None:
    """SPEC 13: 'several `collect batch` processes on several hosts against one database,
    each claiming chunks of debtors with SELECT … FOR UPDATE SKIP LOCKED'."""
    want = _clean_run(tmp_path)
    _build(pg_url, initialised=True)
    before = _done(pg_url)
    procs = [subprocess.Popen(_collect(pg_url, "batch", "--json", *CHUNK),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    _wait_for(pg_url, before + 300, procs[0])
    procs[0].send_signal(signal.SIGKILL)
    docs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        if proc is not procs[0]:
            assert proc.returncode == 0, err
            docs.append(json.loads(out))
    _assert_same(snapshot(pg_url), want)
    assert _prb_runs(pg_url) == DEBTORS // 5
    assert sum(d["debtors"] for d in docs) <= DEBTORS


def test_workers_split_the_debtors_and_add_up_to_one_run(pg_url: str, tmp_path: Path) -> None:
    """SPEC 13: each debtor's work is done by exactly one worker; the summary adds up."""
    want = _clean_run(tmp_path)
    _build(pg_url, initialised=True)
    done = subprocess.run(_collect(pg_url, "batch", "--workers", "3", "--json", *CHUNK),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["debtors"] == DEBTORS and doc["failed"] == 0
    assert doc["by_type"]["Note"]["processed"] == DEBTORS + DEBTORS // 2
    assert doc["broken_promises"] == DEBTORS // 5
    _assert_same(snapshot(pg_url), want)
