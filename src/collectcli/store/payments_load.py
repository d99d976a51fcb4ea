"""Loading what plain payments read: the debtors' balances and their pending promises.

The bulk path of `post-payments` (engine/payments_fast.py) reads, for a chunk of
debtors, ten columns of each debtor and its pending Promise contacts — not the whole
Workspace of every pending contact. A chunk whose file numbers are dense (a file sorted
by debtor, or most of a portfolio) is read with `BETWEEN` on the primary key and the
pending-contacts index; a sparse one with `IN` lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection

from collectcli.domain.types import ContactType, Mode, Repeat, Status
from collectcli.engine.payments_fast import FastDebtor
from collectcli.engine.promises import State, Terms
from collectcli.store.accounts import max_binds, placeholder
from collectcli.store.rows import as_date, as_time

_DEBTOR_SQL = ("SELECT file, mode, group_key, manage_group_promises, operator, principal, "
               "fees, interest, paid, last_payment_date FROM debtors WHERE ")
_PROMISE_SQL = (
    "SELECT file, id, type, description, promised, repeat, repeat_days, copy_on_repeat, "
    "log_repeat_to_notes, advance_overpayments, no_autocomplete_promise, due_date, "
    "anchor_date, amount, status, done_date, done_time, done_by, max_intervals, occurrence "
    "FROM contacts{} WHERE status = 'pending' AND type = " + str(int(ContactType.PROMISE))
    + " AND "
)
"""Pending promises by file on ix_contacts_pending_file (named on SQLite: the planner
might otherwise walk ix_contacts_pending_promise, every pending promise of the database)."""


class Db(NamedTuple):
    """A DBAPI connection (its cursors give plain tuples, no Row object per row), its
    parameter marker, whether it is SQLite, and how many parameters a statement takes."""

    raw: Any
    p: str
    sqlite: bool
    binds: int

    @classmethod
    def of(cls, conn: Connection) -> Db:
        """The DBAPI connection under `conn`, in `conn`'s transaction."""
        raw = conn.connection.driver_connection
        assert raw is not None
        return cls(raw, placeholder(conn), conn.dialect.name == "sqlite", max_binds(conn))

    def rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def where(self, files: list[int]) -> Iterator[tuple[str, tuple[int, ...]]]:
        """(condition on `file`, parameters) pieces covering the sorted `files` (and, for
        a dense range, the files between them, which the caller ignores)."""
        p = self.p
        if files[-1] - files[0] < 2 * len(files):
            yield f"file BETWEEN {p} AND {p}", (files[0], files[-1])
            return
        for i in range(0, len(files), self.binds):
            part = tuple(files[i:i + self.binds])
            yield f"file IN ({', '.join([p] * len(part))})", part


class FastRows(NamedTuple):
    """What the bulk path reads of a chunk's debtors, as the database returns it: the
    debtor rows (file, operator, principal + fees + interest, paid, last payment date)
    and the pending promise rows (file first) of the debtors it may post on; and the
    files it leaves to the engine. Plain values only, so they travel between processes
    cheaply; `fast_debtors` converts them."""

    debtors: list[tuple[Any, ...]]
    promises: list[tuple[Any, ...]]
    engine: set[int]


def read_fast_rows(db: Db, files: Iterable[int], groups: bool,
                   promises: bool = True) -> FastRows:
    """The rows of the debtors `files` (those that exist) and, with `promises`, of their
    pending promises (else see `read_promise_rows`); the engine keeps CLOSED debtors (a
    plan may skip them and log it) and, with group promises (`groups`), flagged members
    of a group (`plain_files` says which, reading less)."""
    wanted = set(files)
    out = FastRows([], [], set())
    if not wanted:
        return out
    closed = Mode.CLOSED.value
    for cond, params in db.where(sorted(wanted)):
        for (file, mode, group_key, flag, operator, principal, fees, interest, paid,
             last) in db.rows(_DEBTOR_SQL + cond, params):
            if file not in wanted:
                continue
            if mode == closed or (groups and flag and group_key):
                out.engine.add(file)
                continue
            out.debtors.append((file, operator, (principal or 0) + (fees or 0)
                                + (interest or 0), paid or 0, last))
    if promises:
        out.promises.extend(read_promise_rows(db, [d[0] for d in out.debtors]))
    return out


def plain_files(db: Db, files: Iterable[int], groups: bool) -> set[int]:
    """The files among `files` whose debtor exists and is not left to the engine (as
    `read_fast_rows` decides), reading only what decides it."""
    wanted = set(files)
    if not wanted:
        return set()
    closed = Mode.CLOSED.value
    out: set[int] = set()
    for cond, params in db.where(sorted(wanted)):
        for file, mode, group_key, flag in db.rows(
                "SELECT file, mode, group_key, manage_group_promises FROM debtors WHERE "
                + cond, params):
            if file in wanted and not (mode == closed or (groups and flag and group_key)):
                out.add(file)
    return out


def read_promise_rows(db: Db, files: Iterable[int]) -> list[tuple[Any, ...]]:
    """The pending promise rows (file first) of the debtors `files`."""
    wanted = set(files)
    if not wanted:
        return []
    sql = _PROMISE_SQL.format(" INDEXED BY ix_contacts_pending_file" if db.sqlite else "")
    out: list[tuple[Any, ...]] = []
    for cond, params in db.where(sorted(wanted)):
        out.extend(row for row in db.rows(sql + cond, params) if row[0] in wanted)
    return out


def fast_debtors(rows: FastRows) -> dict[int, FastDebtor]:
    """The debtors read, by file, with their pending promises as (Terms, State)."""
    read = _Reader()
    days = read.days
    out: dict[int, FastDebtor] = {}
    for file, operator, base, paid, last in rows.debtors:
        if last not in days:
            days[last] = as_date(last)
        out[file] = FastDebtor(file, operator, base, paid, days[last], [])
    for row in rows.promises:
        out[row[0]].promises.append(read(row))
    return out


_REPEATS: dict[Any, Repeat | None] = {r.value: r for r in Repeat} | {None: None, "": None}
_STATUSES: dict[Any, Status] = {s.value: s for s in Status}


class _Reader:
    """A promise row -> (Terms, State), converted as store/rowtuples reads a Contact
    (money cents -> Decimal, ISO text -> dates and times, codes -> enums, NULL
    description '' and occurrence 0); the few distinct values of a chunk are cached."""

    def __init__(self) -> None:
        self.days: dict[Any, date | None] = {None: None}
        self.money: dict[Any, Decimal | None] = {None: None}
        self.times: dict[Any, time | None] = {None: None}

    def __call__(self, r: Sequence[Any]) -> tuple[Terms, State]:
        days, money = self.days, self.money
        (_, cid, type_, description, promised, repeat, repeat_days, copy, log, advance,
         no_autocomplete, due, anchor, amount, status, done, at, by, left, occurrence) = r
        if due not in days:
            days[due] = as_date(due)
        if anchor not in days:
            days[anchor] = as_date(anchor)
        if done not in days:
            days[done] = as_date(done)
        if promised not in money:
            money[promised] = Decimal(int(promised)).scaleb(-2)
        if amount not in money:
            money[amount] = Decimal(int(amount)).scaleb(-2)
        if at not in self.times:
            self.times[at] = as_time(at)
        return (
            Terms(cid, type_, "" if description is None else description, money[promised],
                  _REPEATS[repeat] if repeat in _REPEATS else Repeat(repeat), repeat_days,
                  bool(copy), bool(log), bool(advance), bool(no_autocomplete)),
            State(days[due], days[anchor], money[amount],
                  _STATUSES[status] if status in _STATUSES else Status(status), days[done],
                  self.times[at], by, left, occurrence or 0))
