"""Checkpointing the SQLite WAL beside a bulk run instead of inside its commits.

SQLite checkpoints the write-ahead log after a commit once it holds 1,000 pages: the
committing connection copies every page into the database file and syncs it, and a
`post-payments` chunk writes tens of megabytes, so each commit waits for that copy. Here
the chunk's connection commits without checkpointing (`PRAGMA wal_autocheckpoint = 0`
while the chunk runs) and a thread, on a connection of its own, runs a PASSIVE checkpoint
after each commit while the next chunk is computed: SQLite releases Python's lock while
it copies, so the copy runs beside the engine. PASSIVE never waits for a lock and never
blocks a writer; what is not copied at the end is copied when the last connection
closes, as always. Crash safety is untouched: a commit is durable in the WAL, the
checkpoint only moves pages into the main file. PostgreSQL: nothing to do.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine

_DEFAULT_PAGES = 1000  # SQLite's own wal_autocheckpoint


class Checkpointer:
    """Use: `hold(conn)` at the start of a chunk's unit of work, `release(conn)` after its
    commit (in the same unit of work, whether it committed or failed), `start()` once it
    has committed, `close()` at the end of the run."""

    def __init__(self, engine: Engine):
        database = engine.url.database
        self.active = (engine.dialect.name == "sqlite"
                       and database not in (None, "", ":memory:"))
        self.engine = engine
        self.raw: Any = None
        self.thread: threading.Thread | None = None

    def hold(self, conn: Connection) -> None:
        """The chunk's connection commits without checkpointing."""
        if self.active:
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")

    def release(self, conn: Connection) -> None:
        """The chunk's connection back to SQLite's default."""
        if self.active:
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {_DEFAULT_PAGES}")

    def start(self) -> None:
        """The WAL copied into the database by the thread while the caller goes on."""
        if not self.active:
            return
        self._join()
        if self.raw is None:
            self.raw = self.engine.raw_connection()
        self.thread = threading.Thread(target=self._checkpoint, name="wal-checkpoint",
                                       daemon=True)
        self.thread.start()

    def _checkpoint(self) -> None:
        cursor = self.raw.cursor()
        try:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except Exception:  # a checkpoint not done now is done by a later one, or at close
            pass
        finally:
            cursor.close()

    def _join(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def close(self) -> None:
        """Wait for the last checkpoint and give the thread's connection back."""
        self._join()
        if self.raw is not None:
            self.raw.close()
            self.raw = None
