"""Reserving real ids for new rows before a bulk insert.

The engine gives new contacts and transactions negative temporary ids; the store swaps
them for real ones before it writes, so that rows can refer to each other (a copy to its
original, a payment to its promise) in one `executemany`.

- SQLite: every write transaction is `BEGIN IMMEDIATE` (store/session.py), so no other
  process can insert between our `max(id)` and our insert: `max(id) + 1 …` is safe as
  long as the ids are used inside the same transaction.
- PostgreSQL: ids come from the table's own sequence (`nextval`), so concurrent workers
  never collide; a rolled-back transaction only leaves a gap.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

_TABLES = frozenset({"contacts", "transactions", "notes", "app_log"})


def reserve_ids(conn: Connection, table: str, count: int) -> list[int]:
    """`count` fresh ids for `table`, ascending. Use them in the same transaction."""
    if table not in _TABLES:
        raise ValueError(f"no id reservation for table {table!r}")
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                "FROM generate_series(1, :n)"
            ),
            {"n": count},
        )
        return sorted(int(r[0]) for r in rows)
    top = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one()
    start = int(top) + 1
    return list(range(start, start + count))
