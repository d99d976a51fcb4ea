"""SQLite's write-ahead log copied back into the database on the second core.

A commit appends pages to the WAL; a checkpoint copies them into the database file and
syncs it. SQLite runs the checkpoint inside the commit that crosses `wal_autocheckpoint`
pages, so a long bulk run (batch, post-payments) stops at every chunk to copy and sync.
`Checkpointer` moves that work to a thread with its own connection: PASSIVE checkpoints
never block the writer or a reader, and never lose anything (the WAL stays the durable
copy until it is copied). A writer connection `hold`s a raised threshold, not none: if the
thread falls behind, the writer checkpoints itself once the WAL passes WRITER_LIMIT pages
(4 KiB each). What is left at the end is copied when the last connection closes, as
always. PostgreSQL (or an in-memory SQLite database): every method does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Connection, Engine

from collectcli.store.session import pragma

WRITER_LIMIT = 32_768  # pages (128 MiB at 4 KiB) before the writer checkpoints itself
DEFAULT_LIMIT = 1000  # SQLite's default wal_autocheckpoint


class Checkpointer:
    """`with Checkpointer(engine) as wal:`; `hold(conn)` / `release(conn)` (or
    `with wal.holding(conn):`) around the writer's work, `poke()` after each commit."""

    def __init__(self, engine: Engine):
        database = engine.url.database
        self.engine = engine
        self.active = engine.dialect.name == "sqlite" and database not in (None, "", ":memory:")
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def __enter__(self) -> Checkpointer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def hold(self, conn: Connection) -> None:
        """The writer's commits leave the checkpoints to the thread (up to WRITER_LIMIT)."""
        self._pragma(conn, WRITER_LIMIT)

    def release(self, conn: Connection) -> None:
        """The writer's connection back to SQLite's default (it returns to the pool)."""
        self._pragma(conn, DEFAULT_LIMIT)

    @contextmanager
    def holding(self, conn: Connection) -> Iterator[None]:
        self.hold(conn)
        try:
            yield
        finally:
            self.release(conn)

    def poke(self) -> None:
        """A chunk has committed: copy what the WAL holds."""
        if not self.active:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint",
                                            daemon=True)
            self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Wait for the last checkpoint and give the thread's connection back."""
        if self._thread is None:
            return
        self._stop = True
        self._wake.set()
        self._thread.join()
        self._thread = None

    def _pragma(self, conn: Connection, pages: int) -> None:
        if not self.active:
            return
        pragma(conn, f"wal_autocheckpoint = {int(pages)}")

    def _run(self) -> None:
        raw = self.engine.raw_connection()  # no transaction: a checkpoint runs outside one
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                cursor = raw.cursor()
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                cursor.close()
                if self._stop:
                    return
        except BaseException as exc:  # a failed checkpoint loses nothing: the WAL keeps it
            self.error = exc
        finally:
            raw.close()
