"""Loading what payments need into a Workspace, and the idempotency keys of posted rows.

For a chunk of payments: the debtors and their pending contacts (store/accounts), the
members of their groups when group promises apply, and for the debtors that get a
reversal their transaction history plus every contact a reversal may restore or remove
(the promise a payment touched, even done, and the copies it made).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection

from collectcli.domain.model import Contact, Transaction
from collectcli.domain.settings import Settings
from collectcli.engine.workspace import Workspace
from collectcli.store.accounts import load_workspace, max_binds, placeholder
from collectcli.store.rows import CONTACT_COLUMNS, as_date, money
from collectcli.store.rowtuples import TXN_COLUMNS, contact_from_tuple

_TXN_SELECT = "SELECT " + ", ".join(TXN_COLUMNS) + " FROM transactions WHERE "
_CONTACT_SELECT = ("SELECT " + ", ".join('"class"' if c == "class" else c
                                         for c in CONTACT_COLUMNS) + " FROM contacts WHERE ")


def _in_lists(conn: Connection, values: Iterable[Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """('IN (?, ?, …)', params) pieces that together cover `values`."""
    p, ordered = placeholder(conn), sorted(set(values))
    step = max_binds(conn)
    for i in range(0, len(ordered), step):
        part = tuple(ordered[i:i + step])
        yield f"IN ({', '.join([p] * len(part))})", part


def txn_from_tuple(row: Sequence[Any]) -> Transaction:
    (tid, file, type_, amount, paid_on, posted, reverses, reversed_by, promise_id,
     before, contact_id, ref, operator) = row
    pay_date, post_date = as_date(paid_on), as_date(posted)
    assert pay_date is not None and post_date is not None
    value = money(amount)
    assert value is not None
    return Transaction(tid, file, type_, value, pay_date, post_date, reverses, reversed_by,
                       promise_id, before, contact_id, ref, operator)


def group_files(conn: Connection, files: Iterable[int]) -> set[int]:
    """The files of every flagged member of the groups the flagged debtors `files` are in."""
    found: set[int] = set()
    for cond, params in _in_lists(conn, files):
        sql = ("SELECT file FROM debtors WHERE manage_group_promises = 1 AND group_key IN "
               "(SELECT group_key FROM debtors WHERE manage_group_promises = 1 "
               f"AND group_key IS NOT NULL AND file {cond})")
        if conn.dialect.name != "sqlite":
            sql = sql.replace("= 1", "= true")
        found.update(r[0] for r in conn.exec_driver_sql(sql, params))
    return found


def load_history(conn: Connection, files: Iterable[int]) -> dict[int, list[Transaction]]:
    """Every transaction of `files`, by file, in id order."""
    history: dict[int, list[Transaction]] = {}
    for cond, params in _in_lists(conn, files):
        for row in conn.exec_driver_sql(_TXN_SELECT + f"file {cond} ORDER BY id", params):
            history.setdefault(row[1], []).append(txn_from_tuple(row))
    return history


def _restorable(conn: Connection, history: dict[int, list[Transaction]]) -> list[Contact]:
    """Contacts an NSF may restore or remove: promises of unreversed payments, their copies."""
    live = [t for txns in history.values() for t in txns
            if t.reversed_by is None and t.promise_id is not None]
    found: dict[int, Contact] = {}
    for column, values in (("id", [t.promise_id for t in live]),
                           ("made_by_txn", [t.id for t in live])):
        for cond, params in _in_lists(conn, values):
            for row in conn.exec_driver_sql(_CONTACT_SELECT + f"{column} {cond}", params):
                c = contact_from_tuple(row)
                found[c.id] = c
    return list(found.values())


def load_for_payments(conn: Connection, files: Sequence[int], settings: Settings,
                      reversal_files: Iterable[int] = ()) -> Workspace:
    """A Workspace for posting payments on `files` (NotFound names unknown files)."""
    wanted = set(files)
    if settings.auto_manage_promises and settings.manage_group_promises:
        wanted |= group_files(conn, wanted)
    lock_debtors(conn, wanted)
    history = load_history(conn, reversal_files)
    extra = _restorable(conn, history) if history else []
    more = {c.file for c in extra} - wanted
    if more:
        lock_debtors(conn, more)
        wanted |= more
    ws = load_workspace(conn, sorted(wanted))
    for file, txns in history.items():
        ws.account(file).history = txns
    for c in extra:
        acc = ws.account(c.file)
        acc.contacts.setdefault(c.id, c)
        acc.loaded.setdefault(c.id, c)
    return ws


def lock_debtors(conn: Connection, files: Iterable[int]) -> None:
    """On PostgreSQL, lock the debtors' rows (in file order, so two payments never
    deadlock) before reading them: a payment then waits for a batch chunk or another
    payment holding one of them and reads what it committed — no lost update on a promise
    or the owing (SPEC 13). SQLite's BEGIN IMMEDIATE already serialises every writer."""
    if conn.dialect.name != "postgresql":
        return
    for cond, params in _in_lists(conn, sorted(files)):
        conn.exec_driver_sql(
            f"SELECT file FROM debtors WHERE file {cond} ORDER BY file FOR UPDATE", params)


def posted_refs(conn: Connection, refs: Iterable[str]) -> dict[str, int]:
    """ref -> transaction id for the refs already posted."""
    found: dict[str, int] = {}
    for cond, params in _in_lists(conn, refs):
        for ref, tid in conn.exec_driver_sql(
                f"SELECT ref, id FROM transactions WHERE ref {cond}", params):
            found[ref] = tid
    return found


def posted_between(conn: Connection, first: str, last: str) -> dict[str, int]:
    """ref -> transaction id for the refs posted from `first` to `last` (one range of the
    ref index; a file's content-hash keys of one chunk, which a first run finds none of)."""
    p = placeholder(conn)
    return {ref: tid for ref, tid in conn.exec_driver_sql(
        f"SELECT ref, id FROM transactions WHERE ref >= {p} AND ref <= {p}", (first, last))}


def debtor_files(conn: Connection) -> set[int]:
    """Every file number, to validate a payments CSV before anything is posted (read
    through the DBAPI cursor: plain tuples, no Row object per debtor)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute("SELECT file FROM debtors")
        return {r[0] for r in cursor.fetchall()}
    finally:
        cursor.close()
