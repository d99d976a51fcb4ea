"""Running a compiled plan (engine/plan_compile.py) set-based, a chunk of debtors at a time.

Per chunk and per event, one `INSERT INTO contacts (...) SELECT <the event's constants>,
file[, operator] FROM debtors WHERE <chunk> [AND mode <> 'CLOSED'] [AND <--where>]`; for
a `skip_closed` plan one `INSERT INTO app_log ... SELECT ... WHERE mode = 'CLOSED'` writes
the same warning per skipped debtor the engine writes. The rows are column for column
those the per-debtor path writes (`apply_workspace`): the constants are the engine's own
template contact turned into column values by `contact_values`, and NULL columns are left
out as `apply_workspace` leaves them out.

Contact ids come from the table itself (SQLite's INTEGER PRIMARY KEY takes max(id) + 1,
PostgreSQL the column's sequence), the same sources `store/ids.reserve_ids` draws from;
nothing else reserves ids in these transactions, so the two never collide.
The caller owns the transaction: nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Executable,
    String,
    and_,
    cast,
    func,
    insert,
    literal,
    select,
    true,
)

from collectcli.engine.plan_compile import CompiledEvent, CompiledPlan
from collectcli.store import tables as t
from collectcli.store.accounts import max_binds
from collectcli.store.rows import CONTACT_COLUMNS
from collectcli.store.rowtuples import contact_values

_d = t.debtors.c
_c = t.contacts.c
_DATES = frozenset({"due_date", "anchor_date", "done_date", "created_date", "broken_through"})
_ATTR = {"class": "klass"}


@dataclass(frozen=True, slots=True)
class Chunk:
    """A chunk of debtors: the condition on `debtors` that selects it and how many."""

    where: ColumnElement[bool]
    accounts: int
    hi: int
    """The chunk's highest file number (chunks come in file order)."""


def range_chunks(conn: Connection, where: ColumnElement[bool] | None,
                 size: int) -> Iterator[Chunk]:
    """Consecutive file ranges holding `size` debtors (matching `where`) each, in file
    order. One indexed query per chunk finds its last file; no file list is read."""
    last: int | None = None
    while True:
        after = true() if last is None else _d.file > last
        inner = select(_d.file).where(after)
        if where is not None:
            inner = inner.where(where)
        sub = inner.order_by(_d.file).limit(size).subquery()
        hi, n = conn.execute(select(func.max(sub.c.file), func.count()).select_from(sub)).one()
        if not n:
            return
        cond = _d.file <= hi if last is None else and_(_d.file > last, _d.file <= hi)
        yield Chunk(cond if where is None else and_(cond, where), int(n), int(hi))
        last = int(hi)
        if n < size:
            return


def list_chunks(conn: Connection, files: Sequence[int], size: int) -> Iterator[Chunk]:
    """Chunks of the given (existing, sorted, distinct) file numbers: a contiguous run is a
    BETWEEN, any other set an IN list kept under the bind-variable limit."""
    step = max(1, min(size, max_binds(conn)))
    for i in range(0, len(files), step):
        part = list(files[i:i + step])
        if part[-1] - part[0] + 1 == len(part):
            yield Chunk(_d.file.between(part[0], part[-1]), len(part), part[-1])
        else:
            yield Chunk(_d.file.in_(part), len(part), part[-1])


def _event_insert(event: CompiledEvent, runs: ColumnElement[bool]) -> Any:
    values = contact_values(event.template)
    cols: list[str] = []
    exprs: list[ColumnElement[Any]] = []
    for name, value in zip(CONTACT_COLUMNS, values, strict=True):
        if name == "id":
            continue
        expr: ColumnElement[Any]
        if name == "file":
            expr = _d.file
        elif name == "collector" and event.account_collector:
            expr = _d.operator
        elif value is None:
            continue  # as apply_workspace: a NULL column is left to its default (NULL)
        else:
            raw = getattr(event.template, _ATTR.get(name, name)) if name in _DATES else value
            expr = literal(raw, _c[name].type)
        cols.append(name)
        exprs.append(expr)
    return insert(t.contacts).from_select(cols, select(*exprs).where(runs).order_by(_d.file))


def _closed_log(code: str, chunk: ColumnElement[bool], now: datetime,
                operator: str | None) -> Any:
    message = (literal(f"plan {code} not run on file ") + cast(_d.file, String)
               + literal(": the debtor is CLOSED"))
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S")
    sel = select(literal(stamp), literal("WARNING"), literal("BATCH"),
                 literal(operator, String), _d.file, message)
    return insert(t.app_log).from_select(
        ["at", "level", "category", "operator", "file", "message"],
        sel.where(chunk, _d.mode == "CLOSED").order_by(_d.file))


def _rows(conn: Connection, stmt: Executable) -> int:
    """Rows an INSERT ... SELECT wrote. psycopg reports -1 for it unless SQLAlchemy is
    told to keep the driver's rowcount (preserve_rowcount)."""
    return int(conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount)


def apply_compiled(conn: Connection, compiled: CompiledPlan, chunk: Chunk, *,
                   now: datetime, operator: str | None) -> dict[str, int]:
    """Run `compiled` on the debtors of `chunk`; returns the counts of the run summary
    (accounts, run, skipped, contacts_created, events_executed)."""
    runs = chunk.where
    skipped = 0
    if compiled.skip_closed:
        runs = and_(chunk.where, _d.mode != "CLOSED")
        skipped = _rows(conn, _closed_log(compiled.code, chunk.where, now, operator))
    created = 0
    for event in compiled.events:
        created += _rows(conn, _event_insert(event, runs))
    return {"accounts": chunk.accounts, "run": chunk.accounts - skipped, "skipped": skipped,
            "contacts_created": created, "events_executed": 0}
