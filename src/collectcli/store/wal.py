"""SQLite's write-ahead log copied back into the database on the second core.

A commit appends pages to the WAL; a checkpoint copies them into the database file and
syncs it. SQLite runs the checkpoint inside the commit that crosses `wal_autocheckpoint`
pages, so a long batch stops at every chunk to copy and sync. `Checkpointer` moves that
work to a thread with its own connection: PASSIVE checkpoints never block the writer or a
reader, and never lose anything (the WAL stays the durable copy until it is copied). The
writer's own threshold is raised for the run, not removed: if the thread falls behind, the
writer checkpoints itself once the WAL passes WRITER_LIMIT pages (4 KiB each).
"""

from __future__ import annotations

import threading
from types import TracebackType

from sqlalchemy import Connection, Engine

from collectcli.store.session import is_sqlite

WRITER_LIMIT = 32_768  # pages (128 MiB at 4 KiB) before the writer checkpoints itself
DEFAULT_LIMIT = 1000  # SQLite's default wal_autocheckpoint


class Checkpointer:
    """`with Checkpointer(engine, writer):` ... `poke()` after each commit. A no-op on
    PostgreSQL. The writer's wal_autocheckpoint goes back to SQLite's default at the end."""

    def __init__(self, engine: Engine, writer: Connection):
        self.engine, self.writer = engine, writer
        self.active = is_sqlite(engine)
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self.error: BaseException | None = None

    def __enter__(self) -> Checkpointer:
        if self.active:
            self._pragma(WRITER_LIMIT)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.active:
            return
        self._stop = True
        self._wake.set()
        self._thread.join()
        self._pragma(DEFAULT_LIMIT)

    def poke(self) -> None:
        """A chunk has committed: copy what the WAL holds."""
        self._wake.set()

    def _pragma(self, pages: int) -> None:
        cursor = self.writer.connection.cursor()  # the driver's: no transaction begins
        cursor.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
        cursor.close()

    def _run(self) -> None:
        raw = self.engine.raw_connection()  # no transaction: a checkpoint runs outside one
        try:
            while not self._stop:
                self._wake.wait()
                self._wake.clear()
                cursor = raw.cursor()
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                cursor.close()
        except BaseException as exc:  # a failed checkpoint loses nothing: the WAL keeps it
            self.error = exc
        finally:
            raw.close()
