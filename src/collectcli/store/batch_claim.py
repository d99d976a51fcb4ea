"""Claiming chunks of debtors for `collect batch` on PostgreSQL (SPEC 13).

Any number of batch processes, on any number of hosts, cooperate on one database with no
coordinator: each claims the next debtors that have due work by locking their `debtors`
rows (`SELECT … FOR UPDATE SKIP LOCKED`, in file order after the worker's cursor) inside
the transaction that then applies the chunk's effects and done markers. The claim is the
row lock: it ends with the transaction. A worker that dies loses its connection, so its
transaction rolls back and its locks vanish; another worker finds those debtors again
(they still have due work). A committed chunk has its done markers (contacts done or
forwarded, `broken_through` set), so nobody claims its work again.

`leftover_files` (no locks, never waits) tells a worker whether debtors with due work are
left that it did not see, i.e. that another worker held when it passed by; `still_due`
reads again whether some debtors have due work (after their rows are locked, or while
waiting for another worker to finish them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

from collectcli.store.batch_repo import broken_where, clock, due_where, sql
from collectcli.store.session import PG_BUSY_STATES


def broken_limit(today: date, grace_days: int | None) -> str | None:
    """The due date before which a pending promise is broken (None: no broken promises)."""
    return None if grace_days is None else (today - timedelta(days=grace_days)).isoformat()


def _has_work(types: Iterable[int], limit: str | None, now: datetime
              ) -> tuple[str, tuple[str, ...]]:
    """`d.file` has due contacts of `types` or a broken promise: (condition, parameters)."""
    parts: list[str] = []
    params: tuple[str, ...] = ()
    types = list(types)
    if types:
        parts.append("EXISTS (SELECT 1 FROM contacts c WHERE c.file = d.file AND "
                     f"{due_where(types)})")
        params += clock(now)
    if limit is not None:
        parts.append(f"EXISTS (SELECT 1 FROM contacts c WHERE c.file = d.file AND "
                     f"{broken_where()})")
        params += (limit,)
    return ("(" + " OR ".join(parts) + ")" if parts else "FALSE"), params


def claim(conn: Connection, after: int, size: int, types: Iterable[int], now: datetime,
          limit: str | None, among: Sequence[int] | None = None) -> list[int]:
    """Lock up to `size` debtors after file `after` (and in `among`, when given) that have
    due work and that no other transaction holds; their file numbers, ascending. The
    locks last until the caller's transaction ends (commit or rollback)."""
    cond, params = _has_work(types, limit, now)
    only = "" if among is None else " AND d.file = ANY(?)"
    extra: tuple[object, ...] = () if among is None else (list(among),)
    query = (f"SELECT d.file FROM debtors d WHERE d.file > ?{only} AND {cond} "
             "ORDER BY d.file LIMIT ? FOR UPDATE OF d SKIP LOCKED")
    rows = conn.exec_driver_sql(sql(conn, query), (after, *extra, *params, size)).fetchall()
    return [int(r[0]) for r in rows]


def still_due(conn: Connection, files: Sequence[int], types: Iterable[int], now: datetime,
              limit: str | None) -> list[int]:
    """The claimed files that have due work, read again once their rows are locked.

    The claim's own read may be stale: a debtor another worker committed while the claim
    ran still looks due to it (READ COMMITTED re-checks only the locked row itself)."""
    if not files:
        return []
    cond, params = _has_work(types, limit, now)
    rows = conn.exec_driver_sql(sql(conn, f"SELECT d.file FROM debtors d WHERE d.file = "
                                          f"ANY(?) AND {cond} ORDER BY d.file"),
                                (list(files), *params)).fetchall()
    return [int(r[0]) for r in rows]


def leftover_files(conn: Connection, types: Iterable[int], now: datetime,
                   limit: str | None) -> list[int]:
    """Every debtor that still has due work, locked or not (a plain read never waits)."""
    cond, params = _has_work(types, limit, now)
    rows = conn.exec_driver_sql(sql(conn, f"SELECT d.file FROM debtors d WHERE {cond} "
                                          "ORDER BY d.file"), params).fetchall()
    return [int(r[0]) for r in rows]


def count_with_work(conn: Connection, types: Iterable[int], now: datetime,
                    limit: str | None) -> int:
    """How many debtors have due work now (a progress bar's total)."""
    cond, params = _has_work(types, limit, now)
    query = sql(conn, f"SELECT count(*) FROM debtors d WHERE {cond}")
    return int(conn.exec_driver_sql(query, params).scalar_one())


def failed_since(conn: Connection, now: datetime) -> set[int]:
    """Debtors whose batch work failed at or after `now` (an ERROR line in the log): their
    contacts stay pending, and no other worker of this run tries them again."""
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S")
    rows = conn.exec_driver_sql(sql(conn, (
        "SELECT DISTINCT file FROM app_log WHERE at >= ? AND level = 'ERROR' "
        "AND category = 'BATCH' AND file IS NOT NULL")), (stamp,))
    return {int(r[0]) for r in rows}


def broken_among(conn: Connection, files: Sequence[int], limit: str | None) -> list[int]:
    """The claimed files holding a broken promise."""
    if limit is None or not files:
        return []
    rows = conn.exec_driver_sql(sql(conn, (
        f"SELECT DISTINCT file FROM contacts WHERE file = ANY(?) AND {broken_where()}")),
        (list(files), limit))
    return sorted(int(r[0]) for r in rows)


def is_retryable(exc: BaseException) -> bool:
    """A PostgreSQL deadlock, serialization failure or lock timeout: redo the chunk."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) in PG_BUSY_STATES
