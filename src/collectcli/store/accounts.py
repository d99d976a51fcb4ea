"""Loading a chunk of accounts into a Workspace, and streaming the file numbers to load.

`load_workspace` reads the debtors and their pending contacts of a chunk of file numbers
in two queries (a contiguous chunk, as `--all` gives, is a `BETWEEN`; any other set an
`IN` list cut to stay under the database's bind-variable limit). `iter_file_chunks`
streams file numbers in file order with keyset pagination (`file > last`), never OFFSET,
so a run over a million debtors reads each index entry once. Writing a workspace back is
`store/apply.py`'s `apply_workspace` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from collectcli.domain.errors import NotFound
from collectcli.domain.model import Contact, Debtor
from collectcli.engine.workspace import Workspace
from collectcli.store import tables as t
from collectcli.store.apply import apply_workspace
from collectcli.store.rows import CONTACT_COLUMNS, DEBTOR_COLUMNS
from collectcli.store.rowtuples import contact_from_tuple, debtor_from_tuple, debtor_values

__all__ = ["apply_workspace", "count_debtors", "insert_debtors", "iter_file_chunks",
           "load_workspace", "missing_files"]

DEFAULT_CHUNK = 5000
_DEBTOR_SELECT = "SELECT " + ", ".join(DEBTOR_COLUMNS) + " FROM debtors WHERE "
_CONTACT_SELECT = (
    "SELECT " + ", ".join('"class"' if c == "class" else c for c in CONTACT_COLUMNS)
    + " FROM contacts{} WHERE status = 'pending' AND "
)
"""Pending contacts by file range on ix_contacts_pending_file. On SQLite the index is named:
left alone the planner may pick another index and scan far more than the chunk's
contacts for each chunk, which makes a run quadratic."""


def placeholder(conn: Connection) -> str:
    """The driver's positional parameter marker, for `exec_driver_sql` with tuples."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def max_binds(conn: Connection) -> int:
    """How many bind variables one statement may hold (SQLite < 3.32 allows only 999)."""
    if conn.dialect.name == "sqlite":
        version = getattr(conn.dialect.dbapi, "sqlite_version_info", (3, 0, 0))
        return 30_000 if version >= (3, 32, 0) else 900
    return 30_000


def _where_files(conn: Connection, files: Sequence[int]) -> Iterator[tuple[str, tuple[int, ...]]]:
    """(condition, parameters) pairs that together select exactly `files`."""
    p = placeholder(conn)
    ordered = sorted(set(files))
    if not ordered:
        return
    if ordered[-1] - ordered[0] + 1 == len(ordered):
        yield f"file BETWEEN {p} AND {p}", (ordered[0], ordered[-1])
        return
    step = max_binds(conn)
    for i in range(0, len(ordered), step):
        part = tuple(ordered[i:i + step])
        yield f"file IN ({', '.join([p] * len(part))})", part


def load_workspace(conn: Connection, files: Sequence[int]) -> Workspace:
    """A Workspace holding the debtors `files` with their pending contacts, in file order.

    Raises NotFound naming the file numbers that are not in the database.
    """
    contact_select = _CONTACT_SELECT.format(
        " INDEXED BY ix_contacts_pending_file" if conn.dialect.name == "sqlite" else "")
    debtors: dict[int, Debtor] = {}
    contacts: dict[int, list[Contact]] = {}
    for cond, params in _where_files(conn, files):
        for row in conn.exec_driver_sql(_DEBTOR_SELECT + cond, params).fetchall():
            debtors[row[0]] = debtor_from_tuple(row)
            contacts[row[0]] = []
        for row in conn.exec_driver_sql(contact_select + cond, params).fetchall():
            contacts[row[1]].append(contact_from_tuple(row))
    if len(debtors) != len(set(files)):
        raise NotFound(_unknown_files(sorted(set(files) - debtors.keys())))
    ws = Workspace()
    for file in sorted(debtors):
        ws.add_account(debtors[file], contacts[file])
    return ws


def _unknown_files(missing: list[int]) -> str:
    shown = ", ".join(str(f) for f in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    word = "debtor" if len(missing) == 1 else "debtors"
    return f"unknown {word} (file number {shown}{more}): check the file numbers"


def missing_files(conn: Connection, files: Sequence[int]) -> list[int]:
    """The file numbers among `files` that no debtor has, sorted."""
    found: set[int] = set()
    for cond, params in _where_files(conn, files):
        found.update(r[0] for r in conn.exec_driver_sql(
            "SELECT file FROM debtors WHERE " + cond, params))
    return sorted(set(files) - found)


def check_files(conn: Connection, files: Sequence[int]) -> None:
    """Raises NotFound listing the file numbers that are not in the database."""
    missing = missing_files(conn, files)
    if missing:
        raise NotFound(_unknown_files(missing))


def iter_file_chunks(
    conn: Connection, where: ColumnElement[bool] | None = None, chunk: int = DEFAULT_CHUNK
) -> Iterator[list[int]]:
    """File numbers of all debtors (or those matching `where`), in file order, `chunk` at
    a time. Each chunk is read completely before it is yielded, so the caller may commit
    between chunks on the same connection."""
    last = 0
    p = placeholder(conn)
    sql = f"SELECT file FROM debtors WHERE file > {p} ORDER BY file LIMIT {p}"
    while True:
        if where is None:
            rows: Any = conn.exec_driver_sql(sql, (last, chunk)).fetchall()
        else:
            stmt = (select(t.debtors.c.file).where(t.debtors.c.file > last).where(where)
                    .order_by(t.debtors.c.file).limit(chunk))
            rows = conn.execute(stmt).fetchall()
        files = [r[0] for r in rows]
        if not files:
            return
        yield files
        last = files[-1]
        if len(files) < chunk:
            return


def count_debtors(conn: Connection, where: ColumnElement[bool] | None = None) -> int:
    """How many debtors there are (matching `where`): the progress bar's total."""
    stmt = select(func.count()).select_from(t.debtors)
    if where is not None:
        stmt = stmt.where(where)
    return int(conn.execute(stmt).scalar_one())


def insert_debtors(conn: Connection, debtors: Iterable[Debtor], slice_size: int = 10_000) -> int:
    """Insert new debtors in bulk (streamed, `slice_size` rows per executemany)."""
    p = placeholder(conn)
    sql = (f"INSERT INTO debtors ({', '.join(DEBTOR_COLUMNS)}) "
           f"VALUES ({', '.join([p] * len(DEBTOR_COLUMNS))})")
    count = 0
    batch: list[tuple[Any, ...]] = []
    for d in debtors:
        batch.append(tuple(debtor_values(d)))
        if len(batch) >= slice_size:
            conn.exec_driver_sql(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        conn.exec_driver_sql(sql, batch)
        count += len(batch)
    return count


def contact_file_status(conn: Connection, contact_id: int) -> tuple[int, str] | None:
    """(file, status) of a contact, or None when there is no such contact."""
    row = conn.execute(select(t.contacts.c.file, t.contacts.c.status)
                       .where(t.contacts.c.id == contact_id)).first()
    return None if row is None else (int(row[0]), str(row[1]))
