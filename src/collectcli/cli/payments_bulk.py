"""Posting validated payment rows in chunks: each chunk's payments, their effects and their
idempotency keys (`transactions.ref`) commit together, so a killed run re-run posts
nothing twice. A row that fails (nothing to reverse, a plan error) is reported and the
chunk is redone without it, so no half-applied payment is ever written.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine

from collectcli.cli.payments_csv import PaymentRow
from collectcli.domain.errors import CollectError
from collectcli.domain.model import LogEntry
from collectcli.domain.types import TxnKind
from collectcli.engine.context import RunContext
from collectcli.engine.payments import post_payment
from collectcli.engine.workspace import Workspace
from collectcli.store.accounts import apply_workspace
from collectcli.store.payments_repo import load_for_payments, posted_refs
from collectcli.store.reference import write_log
from collectcli.store.session import unit_of_work

CHUNK = 20_000
"""Payments per transaction: fewer commits (each writes and checkpoints the WAL) pay
off up to about here; at 50,000 the working set outgrows the caches and it slows."""

_REVERSAL = TxnKind.REVERSAL.value


@dataclass
class BulkResult:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, object]] = field(default_factory=list)


def is_reversal(row: PaymentRow, ctx: RunContext) -> bool:
    return row.amount <= 0 or ctx.transaction_types[row.type].kind == _REVERSAL


def post_rows(engine: Engine, rows: Sequence[PaymentRow], ctx: RunContext,
              advance: Callable[[int], None], chunk: int = CHUNK) -> BulkResult:
    """Post `rows` chunk by chunk; `advance(n)` is told how many rows each chunk handled.

    The cyclic garbage collector is paused meanwhile: a chunk allocates hundreds of
    thousands of small records and no cycles, and each collection would walk them all.
    """
    result = BulkResult()
    with gc_paused():
        _post_all(engine, rows, ctx, advance, chunk, result)
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
              advance: Callable[[int], None], chunk: int, result: BulkResult) -> None:
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        with unit_of_work(engine) as uow:
            done = posted_refs(uow.conn, (r.key for r in part))
            todo = [r for r in part if r.key not in done]
            result.counts["already_posted"] += len(part) - len(todo)
            ws = _post_chunk(uow.conn, todo, ctx, result)
            if ws is not None:
                apply_workspace(uow.conn, ws, ctx.now, ctx.operator.id)
                result.counts.update({k: v for k, v in ws.counts.items() if v > 0})
            uow.commit()
        advance(len(part))


def _post_chunk(conn: Connection, todo: list[PaymentRow], ctx: RunContext,
                result: BulkResult) -> Workspace | None:
    """The chunk's workspace with every row that succeeds; failed rows are left out."""
    while todo:
        files = [r.file for r in todo]
        reversals = [r.file for r in todo if is_reversal(r, ctx)]
        ws = load_for_payments(conn, files, ctx.settings, reversals)
        failed = None
        for row in todo:
            try:
                post_payment(ws, row.file, row.amount, row.date, row.type, ctx, ref=row.key)
            except CollectError as exc:
                failed = (row, str(exc))
                break
        if failed is None:
            result.counts["posted"] += len(todo)
            return ws
        row, message = failed
        result.errors.append({"file": row.file, "contact": None, "line": row.line,
                              "message": message})
        result.counts["failed"] += 1
        todo = [r for r in todo if r is not row]
        _log_failure(conn, ctx.now, ctx.operator.id, row, message)
    return None


def _log_failure(conn: Connection, now: datetime, operator: str, row: PaymentRow,
                 message: str) -> None:
    write_log(conn, now, operator, [LogEntry(
        "ERROR", "PAYMENT", f"line {row.line}: payment of {row.amount} not posted: {message}",
        file=row.file)])
