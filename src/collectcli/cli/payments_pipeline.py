"""`post-payments` on SQLite with the database work in a second process.

Half of a payments run is SQLite's own work (reading the debtors, inserting and updating
half a million rows, committing), the other half Python's (the promise rules, building
those rows). One process does one after the other, and Python threads cannot overlap
them: `executemany` takes Python's lock back for every row. So the run is split in two
processes on the machine's two cores:

- the writer (a fork of this process, so it has the parsed rows, the settings and the
  plans already) owns each chunk's transaction: it opens the chunk
  (cli/payments_chunk.open_chunk: the rows already posted, the rows the engine posts,
  which payments are plain and their transaction ids), then executes the statements it
  is sent, then commits — and checkpoints the WAL beside it (store/wal.py);
- this process reads the plain payments' debtors and promises on a connection of its
  own — the writer holds the write lock from before that read until it commits, so the
  read sees exactly what the writer's transaction sees of those debtors, which it has
  not written — settles them (engine/payments_fast.py) a slice of debtors at a time and
  sends each slice's statements (store/payments_write.fast_statements) while the writer
  executes the previous slice's. A thread of its own writes them to the pipe, so this
  side never waits for the writer to read.

Everything a chunk writes still commits in one transaction with its idempotency keys.
The writer stops at end of input: killed with this process, it rolls back what it had
not committed. An error in the writer comes back here and is raised as it was raised.
Only a SQLite file with enough rows to repay the second process is run so; `usable`
says when.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from collectcli.cli.payments_chunk import BulkResult, chunk_bounds
from collectcli.cli.payments_csv import PaymentRow
from collectcli.cli.payments_writer import serve
from collectcli.engine.context import RunContext
from collectcli.engine.payments_fast import FastDebtor, post_fast
from collectcli.engine.payments_plans import PaymentPlans
from collectcli.store.payments_load import Db, fast_debtors, read_fast_rows
from collectcli.store.payments_write import fast_statements

MIN_ROWS = 5_000
"""Fewer rows than this are posted in one process (a second one would not repay)."""
SLICE = 4_000
FIRST_SLICE = 500
"""Payments read, settled and sent to the writer at once: the first slice of a chunk is
small, so the writer, idle since it opened the chunk, soon has rows to write; the others
large enough that a message costs little."""


def usable(engine: Engine, rows: int) -> bool:
    """Whether a run of `rows` payments on `engine` can use a writer process."""
    database = engine.url.database
    return (engine.dialect.name == "sqlite" and database not in (None, "", ":memory:")
            and sys.platform.startswith("linux")  # where fork is Python's own default
            and (os.cpu_count() or 1) > 1 and rows >= MIN_ROWS)


class Writer:
    """This side of the pipe: starts the writer process, and drives it chunk by chunk.

    Start it before any other thread (a progress bar's) starts and while no connection of
    `engine` is checked out: the writer is a fork, and the engine's pool is emptied first.
    Messages to the writer are pickled here and written by a thread of their own, so
    this side never waits for the writer to read while the writer waits for this side
    to read (the pipe would deadlock with both buffers full).
    """

    def __init__(self, engine: Engine, rows: Sequence[PaymentRow], ctx: RunContext,
                 plain: bool = True):
        # No SQLite connection may be open across the fork: SQLite keeps the locks and
        # the shared WAL index of a file per process, and a child would inherit that
        # bookkeeping without the locks themselves. The pool reconnects afterwards; the
        # collection closes the connections of engines no longer referenced (a test
        # process runs many commands).
        gc.collect()
        engine.dispose()
        fork = multiprocessing.get_context("fork")
        ours, theirs = fork.Pipe()
        self.pipe = ours
        self.process = fork.Process(
            target=serve, args=(theirs, ours, engine.url.render_as_string(hide_password=False),
                                 rows, ctx, plain),
            name="collect-writer", daemon=True)
        self.process.start()
        theirs.close()
        self.engine = engine
        self.reader: Connection | None = None
        self.outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.sender = threading.Thread(target=self._send_all, name="collect-writer-send",
                                       daemon=True)
        self.sender.start()
        self.closed = False

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def post(self, rows: Sequence[PaymentRow], ctx: RunContext, plans: PaymentPlans | None,
             advance: Callable[[int], None], chunk: int, result: BulkResult) -> None:
        """Post `rows` chunk by chunk, the database work done by the writer."""
        operator = ctx.operator.id
        for start, end in chunk_bounds(len(rows), chunk):
            part = rows[start:end]
            self._send(("chunk", start, end))
            done, contact_id, lines, txn_ids = self._receive()
            result.add(done)
            if lines:
                assert plans is not None
                by_line = {r.line: r for r in part}
                ids = iter(txn_ids)
                for todo in _slices([by_line[n] for n in lines]):
                    debtors = self._read({r.file for r in todo}, ctx)
                    fx = post_fast(debtors, todo, ids, ctx, plans)
                    result.counts.update({k: v for k, v in fx.counts.items() if v > 0})
                    result.counts["posted"] += len(todo)
                    new = range(contact_id, contact_id + len(fx.contacts))
                    contact_id += len(fx.contacts)
                    self._send(("write", fast_statements(fx, ctx.now, operator, new, "?")))
            self._send(("commit",))
            advance(len(part))
        self._send(("close",))
        self._receive()
        self.closed = True

    def _read(self, files: set[int], ctx: RunContext) -> dict[int, FastDebtor]:
        """The debtors `files` and their pending promises, read here: the writer holds the
        write lock from before this read until it commits the chunk, so what is read is
        what its transaction sees of these debtors (none of which it has written: the
        statements of earlier slices touch other debtors)."""
        if self.reader is None:
            self.reader = self.engine.connect()  # used below its SQLAlchemy layer only
        db = Db.of(self.reader)
        db.raw.execute("BEGIN")  # a read transaction: both queries see one snapshot
        try:
            read = read_fast_rows(db, files, ctx.settings.manage_group_promises)
        finally:
            db.raw.execute("ROLLBACK")
        if len(read.debtors) != len(files):
            raise RuntimeError("the debtors read beside the writer are not those it chose")
        return fast_debtors(read)

    def stop(self) -> None:
        """Stop the writer: at the end, or when this side fails — then the writer is
        ended at once (it may be blocked writing to this side, which no longer reads, as
        the sending thread may be blocked writing to it) and SQLite rolls back what it
        had not committed, as for a process killed."""
        if not self.closed and self.process.is_alive():
            self.process.terminate()
        self.outbox.put(None)
        self.sender.join()
        self.pipe.close()
        self.process.join()
        if self.reader is not None:
            self.reader.close()

    def _send(self, message: tuple[Any, ...]) -> None:
        self.outbox.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def _send_all(self) -> None:
        while (data := self.outbox.get()) is not None:
            try:
                self.pipe.send_bytes(data)
            except OSError:  # the writer stopped; its error, if any, is in the pipe
                return

    def _receive(self) -> Any:
        try:
            message = self.pipe.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(f"the database writer process stopped (exit code "
                               f"{self.process.exitcode})") from None
        if message[0] == "error":
            self.process.join()
            raise message[1]
        return message[1]


def _slices(rows: list[PaymentRow]) -> Iterator[list[PaymentRow]]:
    """`rows` in file order, cut into slices of FIRST_SLICE, then about SLICE rows between
    debtors (a debtor's payments settle together)."""
    ordered = sorted(rows, key=lambda r: r.file)
    start = 0
    while start < len(ordered):
        end = min(start + (SLICE if start else FIRST_SLICE), len(ordered))
        while end < len(ordered) and ordered[end].file == ordered[end - 1].file:
            end += 1
        yield ordered[start:end]
        start = end
