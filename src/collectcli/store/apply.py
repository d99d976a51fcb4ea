"""Writing a Workspace: every effect the engine left in it, in a few bulk statements.

Order: real ids are reserved for the new contacts and transactions (store/ids.py), every
temporary (negative) id is swapped for its real one — in the new rows, in the changed
rows and in the log lines — then: debtor updates (only accounts whose debtor changed),
contact deletes, contact inserts, contact updates (only the columns that differ from the
loaded row, store/update_rows.py), transaction inserts,
transaction updates, notes, and the application log. Rows are plain lists bound with
`executemany`, cut in slices so no statement grows without bound. The caller owns the
transaction: nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import compress
from operator import ne
from typing import Any

from sqlalchemy import Boolean, Connection, Integer, Table

from collectcli.domain.model import Contact, LogEntry, Note, Transaction
from collectcli.engine.workspace import Workspace
from collectcli.store import tables
from collectcli.store.ids import reserve_ids
from collectcli.store.reference import write_log
from collectcli.store.rows import CONTACT_COLUMNS, DEBTOR_COLUMNS
from collectcli.store.rowtuples import (
    CONTACT_GET,
    CONTACT_OUT,
    DEBTOR_GET,
    DEBTOR_OUT,
    NOTE_COLUMNS,
    TXN_COLUMNS,
    contact_values,
    note_values,
    txn_values,
)
from collectcli.store.update_rows import ChangedRows

SLICE = 10_000
_C = CONTACT_COLUMNS
_CONTACT_REFS = [_C.index("id"), _C.index("copy_of"), _C.index("made_by_txn")]
_TXN_REFS = [TXN_COLUMNS.index(c) for c in ("id", "reverses", "reversed_by", "promise_id",
                                              "contact_id")]


def _q(col: str) -> str:
    return '"class"' if col == "class" else col


def _insert_sql(table: str, cols: Sequence[str], p: str) -> str:
    return (f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) "
            f"VALUES ({', '.join([p] * len(cols))})")


def _update_sql(table: str, cols: Sequence[str], key: str, p: str) -> str:
    sets = ", ".join(f"{_q(c)} = {p}" for c in cols if c != key)
    return f"UPDATE {table} SET {sets} WHERE {key} = {p}"


def _many(conn: Connection, sql: str, rows: list[Any]) -> None:
    for i in range(0, len(rows), SLICE):
        conn.exec_driver_sql(sql, rows[i:i + SLICE])


def column_defaults(table: Table, cols: Sequence[str]) -> tuple[Any, ...]:
    """Each column's value when an INSERT leaves it out, as bound values compare: NULL, or
    the server default (booleans and integers as numbers, as they are bound)."""
    out: list[Any] = []
    for name in cols:
        column = table.c[name]
        default = column.server_default
        arg = getattr(default, "arg", None)
        if not isinstance(arg, str):
            out.append(None)
        elif isinstance(column.type, Boolean):
            out.append(bool(int(arg)))
        elif isinstance(column.type, Integer):
            out.append(int(arg))
        else:
            out.append(arg)
    return tuple(out)


_CONTACT_DEFAULTS = column_defaults(tables.contacts, _C)
_TXN_DEFAULTS = column_defaults(tables.transactions, TXN_COLUMNS)


def _insert_shaped(conn: Connection, table: str, cols: Sequence[str], p: str,
                   rows: list[tuple[Any, ...]], defaults: Sequence[Any]) -> None:
    """Insert rows binding only the columns whose value is not the column's default (NULL
    for nullable columns, the server default for flags, priority, status, …): rows made
    from one plan event share a shape, and binding 13 values instead of 36 makes SQLite's
    executemany about a third faster."""
    shapes: dict[tuple[bool, ...], list[tuple[Any, ...]]] = {}
    for row in rows:
        key = tuple(map(ne, row, defaults))
        found = shapes.get(key)
        if found is None:
            found = shapes[key] = []
        found.append(tuple(compress(row, key)))
    for key, part in shapes.items():
        _many(conn, _insert_sql(table, list(compress(cols, key)), p), part)


def _swap(values: list[Any], positions: list[int], ids: dict[int, int]) -> tuple[Any, ...]:
    for i in positions:
        v = values[i]
        if v is not None and v < 0:
            values[i] = ids.get(v)  # a temp id whose row was never kept refers to nothing
    return tuple(values)


def _key_last(values: Sequence[Any]) -> tuple[Any, ...]:
    """Row values with the key (first column) moved to the end, for `UPDATE … WHERE key`."""
    return (*values[1:], values[0])


def apply_workspace(conn: Connection, ws: Workspace, now: datetime,
                    operator: str | None) -> dict[int, int]:
    """Write everything `ws` holds; returns the temporary id -> real id map."""
    p = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    new_contacts: list[Contact] = []
    changed_contacts = ChangedRows("contacts", _C, "id", CONTACT_GET, CONTACT_OUT,
                                   _CONTACT_REFS)
    deleted: list[int] = []
    new_txns: list[Transaction] = []
    changed_txns: list[Transaction] = []
    notes: list[Note] = []
    debtor_rows = ChangedRows("debtors", DEBTOR_COLUMNS, "file", DEBTOR_GET, DEBTOR_OUT)
    for acc in ws.accounts.values():
        contacts = acc.contacts
        if acc.created:
            new_contacts.extend([contacts[i] for i in acc.created])
        if acc.changed:
            loaded = acc.loaded
            for i in sorted(acc.changed):
                if i in contacts:
                    changed_contacts.add(loaded.get(i), contacts[i])
        if acc.deleted:
            deleted.extend(sorted(acc.deleted))
        if acc.transactions:
            new_txns.extend(acc.transactions)
        if acc.changed_transactions:
            changed_txns.extend(acc.changed_transactions.values())
        if acc.notes:
            notes.extend(acc.notes)
        if acc.debtor is not acc.original:
            debtor_rows.add(acc.original, acc.debtor)

    ids: dict[int, int] = {}
    ids.update(zip((c.id for c in new_contacts),
                   reserve_ids(conn, "contacts", len(new_contacts)), strict=True))
    ids.update(zip((tx.id for tx in new_txns),
                   reserve_ids(conn, "transactions", len(new_txns)), strict=True))

    debtor_rows.write(conn, p, ids, _many)
    if deleted:
        _many(conn, f"DELETE FROM contacts WHERE id = {p}", [(i,) for i in deleted])
    if new_contacts:
        rows = [_swap(contact_values(c), _CONTACT_REFS, ids) for c in new_contacts]
        _insert_shaped(conn, "contacts", _C, p, rows, _CONTACT_DEFAULTS)
    changed_contacts.write(conn, p, ids, _many)
    if new_txns:
        rows = [_swap(txn_values(tx), _TXN_REFS, ids) for tx in new_txns]
        _insert_shaped(conn, "transactions", TXN_COLUMNS, p, rows, _TXN_DEFAULTS)
    if changed_txns:
        rows = [_key_last(_swap(txn_values(tx), _TXN_REFS, ids)) for tx in changed_txns]
        _many(conn, _update_sql("transactions", TXN_COLUMNS, "id", p), rows)
    if notes:
        _many(conn, _insert_sql("notes", NOTE_COLUMNS, p),
              [tuple(note_values(n)) for n in notes])
    if ws.logs:
        write_log(conn, now, operator, _swap_logs(ws.logs, ids))
    return ids


def _swap_logs(entries: Iterable[LogEntry], ids: dict[int, int]) -> list[LogEntry]:
    return [
        replace(e, contact=ids.get(e.contact)) if e.contact is not None and e.contact < 0 else e
        for e in entries
    ]
