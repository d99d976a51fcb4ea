"""`collect batch` on PostgreSQL: a worker that claims chunks of debtors (SPEC 13).

Each chunk is one transaction: claim up to CHUNK debtors with due work after the cursor
(`FOR UPDATE SKIP LOCKED`: the ones other workers hold are passed by), do their work
exactly as the single-process batch does (cli/batch_run.do_chunk: the staged set-based path
and the Workspace path), commit effects and done markers together. When the cursor runs
off the end, the worker looks once more for debtors that still have due work and that it
has not handled itself nor seen fail in the log since the run began: those were held by
other workers when it passed (or by a worker that died, whose locks vanished with it). It
claims those in further passes, waiting while others still hold some, and stops when none
are left (another worker finished them, or it did).
A deadlock between two workers (a group payment touching a debtor the other holds) rolls
the chunk back; it is claimed and done again.
"""

from __future__ import annotations

import gc
import time
from array import array
from bisect import bisect_left
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from collectcli.cli.batch_run import Summary, Tick, do_chunk
from collectcli.cli.run_context import load_context
from collectcli.engine.context import RunContext
from collectcli.store import batch_claim
from collectcli.store.session import unit_of_work

WAIT_S = 0.2  # between two looks at debtors other workers hold
RETRIES = 5  # a chunk rolled back by a deadlock is tried this many times


class Handled:
    """The files this worker has claimed: an ascending array for the first pass (a million
    files cost 4 MB), a set for the later passes and the files seen failing."""

    def __init__(self) -> None:
        self.first: array[int] = array("q")
        self.later: set[int] = set()
        self.in_first_pass = True

    def __contains__(self, file: int) -> bool:
        i = bisect_left(self.first, file)
        return (i < len(self.first) and self.first[i] == file) or file in self.later

    def add(self, files: list[int]) -> None:
        if self.in_first_pass:
            self.first.extend(files)
        else:
            self.later.update(files)


def _one_chunk(engine: Engine, ctx: RunContext, cursor: int, size: int,
               types: frozenset[int], limit: str | None, grace: int | None, fast: bool,
               handled: Handled, summary: Summary, among: list[int] | None) -> int | None:
    """Claim and do one chunk after `cursor`: the new cursor, None when nothing was left."""
    for attempt in range(RETRIES):
        part = Summary()
        try:
            with unit_of_work(engine) as uow:
                claimed = batch_claim.claim(uow.conn, cursor, size, types, ctx.now, limit,
                                            among)
                if not claimed:
                    return None
                fresh = batch_claim.still_due(uow.conn, claimed, types, ctx.now, limit)
                todo = [f for f in fresh if f not in handled]
                if todo:
                    held = batch_claim.broken_among(uow.conn, todo, limit)
                    fx = do_chunk(uow.conn, ctx, types, grace, fast, todo, held, part, only=True)
                    part.add_fast(fx)
                uow.commit()
        except DBAPIError as exc:
            if not batch_claim.is_retryable(exc) or attempt == RETRIES - 1:
                raise
            time.sleep(WAIT_S * (attempt + 1))
            continue
        handled.add(todo)
        summary.debtors += len(todo)
        summary.counts.update(part.counts)
        summary.broken += part.broken
        summary.skipped += part.skipped
        summary.failures.extend(part.failures)
        return claimed[-1]
    return None  # unreachable: the last attempt raises


def run_claimed(engine: Engine, now: datetime, operator: str, types: frozenset[int],
                broken: bool, tick: Tick, chunk: int, fast: bool, count: bool = True
                ) -> Summary:
    """This worker's share of the batch (see the module docstring); its own summary."""
    summary, handled = Summary(), Handled()
    with unit_of_work(engine) as uow:
        ctx = load_context(uow.conn, now, operator)
        grace = ctx.settings.promise_grace_days if broken else None
        limit = batch_claim.broken_limit(now.date(), grace)
        total = batch_claim.count_with_work(uow.conn, types, now, limit) if count else 0
    gc.freeze()
    tick(0, total)
    left: list[int] | None = None  # None: the first pass, over every debtor
    while left is None or left:
        cursor: int | None = 0
        while cursor is not None:
            cursor = _one_chunk(engine, ctx, cursor, chunk, types, limit, grace, fast,
                                handled, summary, left)
            tick(summary.debtors, max(total, summary.debtors))
        with unit_of_work(engine) as uow:
            handled.in_first_pass = False
            handled.later.update(batch_claim.failed_since(uow.conn, now))
            due = (batch_claim.leftover_files(uow.conn, types, now, limit) if left is None
                   else batch_claim.still_due(uow.conn, left, types, now, limit))
        left = [f for f in due if f not in handled]
        if left:  # held by other workers (or by one that died): look again in a moment
            time.sleep(WAIT_S)
    return summary
