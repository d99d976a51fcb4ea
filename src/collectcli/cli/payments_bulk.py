"""Posting validated payment rows in chunks: each chunk's payments, their effects and their
idempotency keys (`transactions.ref`) commit together, so a killed run re-run posts
nothing twice.

Per chunk, cli/payments_chunk.py posts what needs the engine and returns the plain
payments, which engine/payments_fast.py posts without a Workspace and
store/payments_write.py writes in bulk. On a SQLite file with enough rows the database
work runs in a second process beside this one (cli/payments_pipeline.py); otherwise all
of it runs here, and the WAL is checkpointed beside the run (store/wal.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Engine

from collectcli.cli.payments_chunk import BulkResult, Plain, chunk_bounds, open_chunk
from collectcli.cli.payments_csv import PaymentRow
from collectcli.cli.payments_pipeline import Writer
from collectcli.engine.context import RunContext
from collectcli.engine.payments_fast import FastEffects, post_fast
from collectcli.engine.payments_plans import PaymentPlans, compile_payment_plans
from collectcli.store.payments_load import Db, fast_debtors, read_promise_rows
from collectcli.store.payments_write import write_fast
from collectcli.store.session import unit_of_work
from collectcli.store.wal import Checkpointer

__all__ = ["CHUNK", "BulkResult", "gc_paused", "post_rows"]

CHUNK = 50_000
"""Payments per transaction (the last chunk is cut small: payments_chunk.chunk_bounds).
bench/post_payments.py measured 20,000 a little slower and 100,000 slower again: the
chunk's pages outgrow SQLite's page cache."""


def post_rows(engine: Engine, rows: Sequence[PaymentRow], ctx: RunContext,
              advance: Callable[[int], None], chunk: int = CHUNK, plain: bool = True,
              writer: Writer | None = None) -> BulkResult:
    """Post `rows` chunk by chunk; `advance(n)` is told how many rows each chunk handled.

    Plain payments (engine/payments_fast.py) are posted without a Workspace unless
    `plain` is False (then every row goes through engine.payments.post_payment: the two
    must leave the same database, which the tests compare). With a started `writer`
    (cli/payments_pipeline.py) the database work runs in its process.

    The cyclic garbage collector is paused meanwhile: a chunk allocates hundreds of
    thousands of small records and no cycles, and each collection would walk them all.
    """
    result = BulkResult()
    plans = compile_payment_plans(ctx) if plain else None
    with gc_paused():
        if writer is not None:
            writer.post(rows, ctx, plans, advance, chunk, result)
        else:
            _post_all(engine, rows, ctx, advance, chunk, result, plans)
    return result


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off (and what exists frozen) for a bulk run."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.unfreeze()


def _post_all(engine: Engine, rows: Sequence[PaymentRow], ctx: RunContext,
              advance: Callable[[int], None], chunk: int, result: BulkResult,
              plans: PaymentPlans | None) -> None:
    checkpoints = Checkpointer(engine)
    try:
        for start, end in chunk_bounds(len(rows), chunk):
            part = rows[start:end]
            with unit_of_work(engine) as uow:
                conn = uow.conn
                checkpoints.hold(conn)
                try:
                    todo = open_chunk(conn, part, ctx, plans, result)
                    if todo.rows and plans is not None:
                        todo.read.promises.extend(read_promise_rows(
                            Db.of(conn), [d[0] for d in todo.read.debtors]))
                        fx = post_plain(todo, ctx, plans, result)
                        write_fast(conn, fx, ctx.now, ctx.operator.id)
                    uow.commit()
                finally:
                    checkpoints.release(conn)
            checkpoints.poke()
            advance(len(part))
    finally:
        checkpoints.close()


def post_plain(todo: Plain, ctx: RunContext, plans: PaymentPlans,
               result: BulkResult) -> FastEffects:
    """The effects of a chunk's plain payments, counted into `result`."""
    fx = post_fast(fast_debtors(todo.read), todo.rows, iter(todo.txn_ids), ctx, plans)
    result.counts["posted"] += len(todo.rows)
    result.counts.update({k: v for k, v in fx.counts.items() if v > 0})
    return fx
