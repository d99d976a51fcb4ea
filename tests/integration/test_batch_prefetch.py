"""`collect batch` on SQLite reads the next chunk on a second connection while it writes
this one (cli/batch_prefetch.py), and copies the WAL back on a third (store/wal.py).

What is read ahead must be exactly what the writer would read: a commit by another
process between two chunks makes the batch read that chunk again.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from collectcli.cli.batch_run import run_batch
from collectcli.domain.types import AUTOMATIC_TYPES
from collectcli.store.session import CACHE_KIB, open_engine
from collectcli.store.wal import DEFAULT_LIMIT

NOW = datetime(2026, 3, 10, 10, 0)


def _seed(db: Path, files: int) -> None:
    with sqlite3.connect(db) as con:
        con.executemany("INSERT INTO debtors (file, name, status) VALUES (?, ?, 'NEW')",
                        [(f, f"Debtor {f}") for f in range(1, files + 1)])
        con.executemany("INSERT INTO contacts (file, type, description, due_date) "
                        "VALUES (?, 7, ?, '2026-03-10')",
                        [(f, f"note {f}") for f in range(1, files + 1)])
    con.close()


def _batch(db: Path, tick: Any, chunk: int = 1) -> dict[str, Any]:
    engine = open_engine(str(db))
    try:
        summary = run_batch(engine, NOW, "ADMIN", frozenset(AUTOMATIC_TYPES), True, tick,
                            chunk)
        with engine.connect() as conn:
            limit = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    finally:
        engine.dispose()
    return {**summary.as_json("2026-03-10"), "wal_autocheckpoint": limit,
            "cache_size": cache}


def test_a_commit_by_another_process_between_chunks_is_not_missed(cli: Any) -> None:
    """The next chunk is read ahead while this one writes. Another process then adds a
    Note due today to a debtor of that next chunk, after this chunk commits: the batch
    sees PRAGMA data_version move, drops what it read ahead and reads the chunk again."""
    _seed(cli.db, 3)

    def tick(done: int, total: int) -> None:
        if done == 1:  # chunk 1 has committed; chunk 2 was requested inside it
            with sqlite3.connect(cli.db) as con:
                con.execute("INSERT INTO contacts (file, type, description, due_date) "
                            "VALUES (2, 7, 'added while the batch ran', '2026-03-10')")
            con.close()

    doc = _batch(cli.db, tick)
    with sqlite3.connect(cli.db) as con:
        notes = con.execute("SELECT file, text FROM notes ORDER BY id").fetchall()
        pending = con.execute("SELECT count(*) FROM contacts WHERE status = 'pending'"
                              ).fetchone()[0]
    con.close()
    assert (2, "added while the batch ran") in notes
    assert pending == 0
    assert doc["processed"] == 4


def test_chunks_read_ahead_process_every_debtor_once_in_order(cli: Any) -> None:
    _seed(cli.db, 7)
    doc = _batch(cli.db, lambda done, total: None, chunk=2)
    with sqlite3.connect(cli.db) as con:
        notes = con.execute("SELECT file, text FROM notes ORDER BY id").fetchall()
    con.close()
    assert notes == [(f, f"note {f}") for f in range(1, 8)]
    assert doc["processed"] == 7 and doc["debtors"] == 7


def test_the_writer_gets_its_checkpoint_threshold_and_cache_back_after_the_run(
        cli: Any) -> None:
    """During the run a thread copies the WAL back and the writer has a bigger page cache;
    afterwards the connection returns to the pool with the usual settings."""
    _seed(cli.db, 3)
    doc = _batch(cli.db, lambda done, total: None)
    assert doc["wal_autocheckpoint"] == DEFAULT_LIMIT
    assert doc["cache_size"] == -CACHE_KIB
