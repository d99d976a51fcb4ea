"""The writer process of `post-payments` on SQLite (cli/payments_pipeline.py starts it).

A fork of the command, so it has the parsed rows, the settings and the plans already. It
runs the messages of its pipe in order: "chunk" opens a chunk in its own transaction
(cli/payments_chunk.open_chunk, the write lock taken) and answers which payments are
plain, with their transaction ids and the first free contact id; "write" executes
statements; "commit" commits, then checkpoints the WAL beside what comes next
(store/wal.py); "close" ends. An error is sent back and ends the process;
the end of its input (the other process gone) ends it too, rolling back what it had not
committed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from sqlalchemy import Connection, Engine

from collectcli.cli.payments_chunk import BulkResult, open_chunk
from collectcli.cli.payments_csv import PaymentRow
from collectcli.engine.context import RunContext
from collectcli.engine.payments_plans import PaymentPlans, compile_payment_plans
from collectcli.store.payments_write import run_statements
from collectcli.store.session import UnitOfWork, open_engine
from collectcli.store.wal import Checkpointer


def serve(pipe: Any, other_end: Any, url: str, rows: Sequence[PaymentRow],
           ctx: RunContext, plain: bool) -> None:
    """The writer process: runs the messages of the pipe until "close" (or end of input,
    when the other process is gone: the fork's copy of its end is closed first, or that
    end would never be seen to close)."""
    other_end.close()
    code = 0
    try:
        engine = open_engine(url)
        checkpoints = Checkpointer(engine)
        try:
            _loop(pipe, engine, rows, ctx, compile_payment_plans(ctx) if plain else None,
                  checkpoints)
        finally:
            checkpoints.close()
            engine.dispose()
    except EOFError:  # the other side stopped: nothing is committed that was not already
        code = 1
    except BaseException as exc:
        code = 1
        with suppress(Exception):
            try:
                pipe.send(("error", exc))
            except Exception:  # an exception that cannot be pickled: its text then
                pipe.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        os._exit(code)  # a fork: none of the parent's connections or handlers run here


def _loop(pipe: Any, engine: Engine, rows: Sequence[PaymentRow], ctx: RunContext,
          plans: PaymentPlans | None, checkpoints: Checkpointer) -> None:
    uow: UnitOfWork | None = None
    while True:
        message = pickle.loads(pipe.recv_bytes())
        kind = message[0]
        if kind == "write":
            assert uow is not None
            run_statements(uow.conn, message[1])
        elif kind == "chunk":
            uow = UnitOfWork(engine).__enter__()
            checkpoints.hold(uow.conn)
            _open(pipe, uow.conn, rows[message[1]:message[2]], ctx, plans)
        elif kind == "commit":
            assert uow is not None
            try:
                uow.commit()
            finally:
                checkpoints.release(uow.conn)
                uow.__exit__(None, None, None)
                uow = None
            checkpoints.poke()
        elif kind == "close":
            pipe.send(("closed", None))
            return


def _open(pipe: Any, conn: Connection, part: Sequence[PaymentRow], ctx: RunContext,
          plans: PaymentPlans | None) -> None:
    """Open a chunk (its transaction has the write lock) and send its plain payments, by
    line, with their transaction ids: the other side reads their debtors itself."""
    done = BulkResult()
    todo = open_chunk(conn, part, ctx, plans, done, read_debtors=False)
    pipe.send(("open", (done, _next_id(conn), [r.line for r in todo.rows], todo.txn_ids)))


def _next_id(conn: Connection) -> int:
    """The first contact id free in this transaction (SQLite: BEGIN IMMEDIATE keeps every
    other writer out, so the ids after it are this chunk's, as store/ids.py reserves)."""
    return int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM contacts")
               .scalar_one())
