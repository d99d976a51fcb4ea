"""The chunk loop of `collect batch`: load, process, write and commit chunk by chunk.

Crash safety is one rule: a chunk's effects and its done markers commit in one
transaction, so a batch killed at any point and run again finishes the work with nothing
done twice. Debtors whose due contacts are all Notes or Status changes need no Workspace:
the engine settles their rows as plain tuples (engine/batch_fast.py) and the store writes
them with a few set-based statements (store/batch_write.write_fast); the others (and
broken promises) load a Workspace, CHUNK debtors at a time, in the same transaction.

SQLite (one writer): two more threads use the second core. One reads the next chunk
while this one writes (cli/batch_prefetch.py: used only if nobody else committed in
between), one copies the WAL back into the database (store/wal.py). PostgreSQL: the
chunks are claimed in the database instead (cli/batch_claimed.py), so any number of batch
processes share the work; a claimed chunk is staged in a temp table and written with
set-based SQL where it lies (`do_chunk`).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from collectcli.cli.batch_prefetch import ChunkRead, Prefetcher, read_chunk, with_work
from collectcli.cli.run_context import load_context
from collectcli.domain.model import LogEntry
from collectcli.domain.types import ContactType, type_label
from collectcli.engine.batch import (
    COMPLETED,
    DONE,
    FAILED,
    FORWARDED,
    HELD,
    BatchFailure,
    process_debtor,
)
from collectcli.engine.batch_fast import FAST_TYPES, FastEffects, last_statuses, settle_staged
from collectcli.engine.context import RunContext
from collectcli.store import batch_repo
from collectcli.store.batch_write import write_fast, write_staged
from collectcli.store.reference import write_log
from collectcli.store.session import is_sqlite, page_cache, transaction, unit_of_work
from collectcli.store.wal import Checkpointer

CHUNK = 2_000  # debtors per Workspace load (and per chunk of the letter batch)
BATCH_CHUNK = 20_000  # debtors per transaction of `collect batch`
# SQLite: the writer's page cache for the run. A night's batch touches every due debtor's
# contacts, notes and index pages; at a million debtors the default 64 MiB re-read pages
# all run long (72,000 due contacts/s against 108,000 with 192 MiB here and in the reader,
# cli/batch_prefetch.READER_CACHE_MIB, when measured). Peak memory stays < 500 MB (314 MB).
WRITER_CACHE_MIB = 192
Tick = Callable[[int, int], None]  # (debtors done, debtors in all)


@dataclass
class Summary:
    """Counts of a batch run (per type and outcome), broken promises, failures."""

    counts: Counter[tuple[int, str]] = field(default_factory=Counter)
    broken: int = 0
    held: int = 0
    letters: int = 0
    skipped: int = 0
    debtors: int = 0
    failures: list[BatchFailure] = field(default_factory=list)

    def add_fast(self, fx: FastEffects) -> None:
        self.counts.update(fx.counts)
        self.failures.extend(fx.failures)
        self.skipped += fx.skipped

    def by_type(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for code in sorted({t for t, _ in self.counts}):
            c = {o: self.counts[code, o] for o in (DONE, COMPLETED, FORWARDED, FAILED, HELD)}
            out[type_label(code)] = {
                "processed": c[DONE] + c[COMPLETED] + c[FORWARDED],
                "forwarded": c[FORWARDED], "completed": c[DONE] + c[COMPLETED],
                "failed": c[FAILED], "held": c[HELD]}
        return out

    def as_json(self, today: str) -> dict[str, Any]:
        types = self.by_type()
        total = {k: sum(v[k] for v in types.values())
                 for k in ("processed", "forwarded", "completed", "failed")}
        return {"date": today, "debtors": self.debtors, **total, "held": self.held,
                "broken_promises": self.broken, "skipped_occurrences": self.skipped,
                "by_type": types, "errors": [f.as_json() for f in self.failures]}


def _workspace_part(conn: Connection, files: list[int], ctx: RunContext,
                    types: frozenset[int], grace: int | None, summary: Summary) -> None:
    from collectcli.store.accounts import apply_workspace, load_workspace

    for start in range(0, len(files), CHUNK):
        part = files[start:start + CHUNK]
        ws = load_workspace(conn, part)
        for file in part:
            report = process_debtor(ws, file, ctx, types, grace)
            summary.broken += report.broken
            summary.failures.extend(report.failures)
            for r in report.results:
                summary.counts[r.type, r.outcome] += 1
                summary.skipped += r.skipped
        apply_workspace(conn, ws, ctx.now, ctx.operator.id)


def _fast_part(conn: Connection, fx: FastEffects) -> None:
    """The staged Note and Status contacts: set-based SQL, the engine for the rest."""
    fx.statuses.update(last_statuses(batch_repo.status_rows(conn, ContactType.STATUS)))
    settle_staged(batch_repo.staged_counts(conn), batch_repo.repeat_rows(conn), fx)
    write_staged(conn, fx, ContactType.NOTE)


def do_chunk(conn: Connection, ctx: RunContext, types: frozenset[int], grace: int | None,
             fast: bool, files: Sequence[int], held: list[int], summary: Summary,
             only: bool = False) -> FastEffects:
    """One chunk's work in the caller's transaction: `files` (sorted) with due work, `held`
    those with a broken promise; `only` stages just `files` (a claim with holes)."""
    fast_types = FAST_TYPES if fast else frozenset()
    slow = (batch_repo.stage_due(conn, files[0], files[-1], types, ctx.now, fast_types, held,
                                 files if only else None) if types else held)
    if slow:
        _workspace_part(conn, slow, ctx, types, grace, summary)
    fx = FastEffects(ctx.now, ctx.operator.id)
    if types:
        _fast_part(conn, fx)
        batch_repo.clear_staging(conn)
    return fx


def run_batch(engine: Engine, now: datetime, operator: str, types: frozenset[int],
              broken: bool, tick: Tick, chunk: int = BATCH_CHUNK, fast: bool = True,
              count: bool = True) -> Summary:
    """Process every due contact of `types` and (with `broken`) the broken promises.

    PostgreSQL: claim chunks of debtors (cli/batch_claimed.py), so several processes and
    hosts cooperate (`count` False: no progress total, for a worker of --workers).
    `fast` False sends every debtor through the Workspace path (the reference the
    set-based path is tested against)."""
    if not is_sqlite(engine):
        from collectcli.cli.batch_claimed import run_claimed

        return run_claimed(engine, now, operator, types, broken, tick, chunk, fast, count)
    summary = Summary()
    with unit_of_work(engine) as uow:
        ctx = load_context(uow.conn, now, operator)
        grace = ctx.settings.promise_grace_days if broken else None
        broken_set = (batch_repo.broken_files(uow.conn, now.date(), grace)
                      if grace is not None else set())
        # chunks of debtors by file number; each read finds its own due contacts
        files = (batch_repo.debtor_files(uow.conn) if types
                 else batch_repo.sorted_files(broken_set))
    gc.freeze()  # the settings, plans and file list live all run long: never scan them
    tick(0, len(files))
    parts = [files[start:start + chunk] for start in range(0, len(files), chunk)]
    held = [[f for f in part if f in broken_set] for part in parts]
    ahead = Prefetcher(engine, types, now, ctx.operator.id) if fast and types else None
    with engine.connect() as conn, page_cache(conn, WRITER_CACHE_MIB), \
            Checkpointer(engine) as wal, wal.holding(conn), (ahead or nullcontext()):
        seen = None
        for i, part in enumerate(parts):
            with transaction(conn):
                version = batch_repo.data_version(conn)
                read = ahead.take() if ahead and i else None  # requested in chunk i-1
                if read is None or version != seen:  # nothing read ahead, or read stale
                    read = _read(conn, part, held[i], ctx, types, fast)
                seen = version
                if ahead and i + 1 < len(parts):  # snapshot taken inside this transaction
                    ahead.request(parts[i + 1], held[i + 1])
                if read.slow:
                    _workspace_part(conn, read.slow, ctx, types, grace, summary)
                write_fast(conn, read.fx)
            wal.poke()
            summary.add_fast(read.fx)
            summary.debtors += read.debtors
            done = min((i + 1) * chunk, len(files))
            tick(done, len(files))
    return summary


def _read(conn: Connection, part: Sequence[int], held: list[int], ctx: RunContext,
          types: frozenset[int], fast: bool) -> ChunkRead:
    """A chunk read in the writer's own transaction (`fast` False: all by Workspace)."""
    if fast and types:
        return read_chunk(conn, part, held, types, ctx.now, ctx.operator.id)
    rows = batch_repo.slim_rows(conn, part[0], part[-1], types, ctx.now) if types else []
    files = with_work(rows, held)
    return ChunkRead(FastEffects(ctx.now, ctx.operator.id), files, len(files))


def log_summary(engine: Engine, now: datetime, operator: str, what: str,
                summary: Summary) -> None:
    """One INFO line in the application log for the whole run."""
    log_doc(engine, now, operator, what, summary.as_json(now.date().isoformat()))


def log_doc(engine: Engine, now: datetime, operator: str, what: str,
            doc: dict[str, Any]) -> None:
    """One INFO line in the application log for a run's JSON summary."""
    message = (f"{what}: {doc['debtors']} debtors, {doc['processed']} processed, "
               f"{doc['forwarded']} forwarded, {doc['failed']} failed, "
               f"{doc['broken_promises']} broken promises, {doc['held']} held")
    with unit_of_work(engine) as uow:
        write_log(uow.conn, now, operator, [LogEntry("INFO", "BATCH", message)])
        uow.commit()
