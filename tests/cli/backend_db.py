"""One way for the CLI tests to write and read their database on SQLite or PostgreSQL.

`--db` is a SQLite path or a PostgreSQL URL (conftest `db_url` / `dbcli`); everything here
goes through `collectcli.store.session.open_engine`, so the set-up rows, the checks and
the snapshots read the same on both backends:

- values written through a Core table are coerced to the column's type (an ISO string
  to a date for a Date column, 0/1 to a bool for a Boolean column: PostgreSQL casts
  neither implicitly);
- rows read with plain SQL come back with dates as ISO strings and booleans as 0/1,
  which is what SQLite gives, so one assertion holds on both;
- a row written with an explicit id moves PostgreSQL's sequence past it, so the ids the
  commands assign next do not collide with it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Boolean, Connection, Date, Table, insert, select, text

from collectcli.store import tables as t
from collectcli.store.session import open_engine, reader

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])
"""On a test of a module whose `cli` runs on both backends: this one on SQLite only (the
conftest `backend` fixture overridden by direct parametrization). Say why in a comment."""


def postgres_for(argnames: str, cases: Sequence[Sequence[Any]],
                 on_postgres: Collection[int],
                 ids: Sequence[str] | None = None) -> pytest.MarkDecorator:
    """`parametrize` over `backend` and `argnames`: every case on SQLite, only the cases
    numbered in `on_postgres` on PostgreSQL (for a long table of cases that all take the
    same database path, so the PostgreSQL copy costs one database per chosen case).
    `ids` names the cases (the test ids become `sqlite-NAME` / `postgres-NAME`)."""
    names = [n.strip() for n in argnames.split(",")]

    def case_id(backend: str, i: int) -> str | None:
        return None if ids is None else f"{backend}-{ids[i]}"

    params = [pytest.param("sqlite", *case, id=case_id("sqlite", i))
              for i, case in enumerate(cases)]
    params += [pytest.param("postgres", *cases[i], marks=pytest.mark.postgres,
                            id=case_id("postgres", i))
               for i in sorted(on_postgres)]
    return pytest.mark.parametrize(["backend", *names], params)


@contextmanager
def begin(db: Any) -> Iterator[Connection]:
    """A connection in one transaction, committed when the block ends; engine disposed."""
    engine = open_engine(str(db))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def coerce(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """`row` with ISO strings as dates and 0/1 as bools where `table`'s columns want them."""
    out = dict(row)
    for key, value in row.items():
        kind = table.c[key].type
        if isinstance(kind, Date) and isinstance(value, str):
            out[key] = date.fromisoformat(value)
        elif isinstance(kind, Boolean) and isinstance(value, int):
            out[key] = bool(value)
    return out


def bump_sequence(conn: Connection, table: Table) -> None:
    """PostgreSQL: the id sequence of `table` continues after its largest id."""
    if conn.dialect.name != "postgresql":
        return
    name = table.name
    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                      f"(SELECT max(id) FROM {name}))"))


def insert_rows(db: Any, table: str, rows: Iterable[dict[str, Any]]) -> list[int]:
    """Rows written through the Core table `table`; their primary keys, in order."""
    tbl: Table = getattr(t, table)
    data = [coerce(tbl, r) for r in rows]
    keys: list[int] = []
    with begin(db) as conn:
        for row in data:
            keys.append(int(conn.execute(insert(tbl).values(**row)).inserted_primary_key[0]))
        if "id" in tbl.c and any("id" in r for r in data):
            bump_sequence(conn, tbl)
    return keys


def insert_many(db: Any, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Rows in one transaction, one executemany when they all name the same columns (an
    executemany binds the first row's columns only); sequences moved as above."""
    tbl: Table = getattr(t, table)
    data = [coerce(tbl, r) for r in rows]
    if not data:
        return
    with begin(db) as conn:
        if len({tuple(sorted(r)) for r in data}) == 1:
            conn.execute(insert(tbl), data)
        else:
            for row in data:
                conn.execute(insert(tbl).values(**row))
        if "id" in tbl.c and any("id" in r for r in data):
            bump_sequence(conn, tbl)


def execute(db: Any, sql: str, **params: Any) -> None:
    """One statement with named parameters (`:name`), committed."""
    with begin(db) as conn:
        conn.execute(text(sql), params)


def plain(value: Any) -> Any:
    """A value as SQLite returns it from plain SQL: ISO text for dates, 0/1 for booleans."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def fetch(db: Any, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of a query as tuples of plain values."""
    with begin(db) as conn:
        return [tuple(plain(v) for v in r) for r in conn.execute(text(sql), params)]


def fetch_dicts(db: Any, sql: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of a query as dicts of plain values."""
    with begin(db) as conn:
        return [{k: plain(v) for k, v in r._mapping.items()}
                for r in conn.execute(text(sql), params)]


def peek(db: Any, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Like `fetch`, in a transaction that only reads: on SQLite a plain BEGIN, which takes
    no write lock, so a test can watch a running `collect` process without queueing behind
    it (or slowing it down) for the write lock."""
    engine = open_engine(str(db))
    try:
        with reader(engine) as conn, conn.begin():
            return [tuple(plain(v) for v in r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def table_rows(db: Any, table: str, **where: Any) -> list[Any]:
    """The typed rows (attribute access) of a Core table by primary key, filtered by `where`."""
    tbl: Table = getattr(t, table)
    stmt = select(tbl)
    for key, value in where.items():
        stmt = stmt.where(tbl.c[key] == value)
    with begin(db) as conn:
        return list(conn.execute(stmt.order_by(*tbl.primary_key.columns)))
