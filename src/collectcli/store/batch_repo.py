"""The batch's queries: which debtors have due work, and a chunk's due rows.

`due_files` reads the (status, due_date) index once and returns the sorted file numbers
that have due contacts of the selected types (or a broken promise); the shell cuts that
list into chunks (keyset by file number) and `due_rows` reads one chunk's due contacts
by file range on the (file, status) index, in (file, due date, due time, priority desc,
id) order. Rows are plain tuples in the column order of DUE_COLUMNS.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from collectcli.domain.types import ContactType

DUE_COLUMNS = ("id", "file", "type", "description", "due_date", "repeat", "repeat_days",
               "max_intervals", "anchor_date", "occurrence", "copy_on_repeat",
               "log_repeat_to_notes")


def sql(conn: Connection, text: str) -> str:
    """`?` placeholders in the driver's own style (SQLite qmark, psycopg format)."""
    return text if conn.dialect.paramstyle == "qmark" else text.replace("?", "%s")


def _types(types: Iterable[int]) -> str:
    return ",".join(str(int(t)) for t in sorted(types))  # integers only: never user text


def _due_where(types: Iterable[int]) -> str:
    return (f"status = 'pending' AND type IN ({_types(types)}) AND due_date <= ? "
            "AND (due_date < ? OR due_time IS NULL OR due_time <= ?)")


def _clock(now: datetime) -> tuple[str, str, str]:
    day = now.date().isoformat()
    return day, day, now.strftime("%H:%M:%S")


def broken_where() -> str:
    """Pending promises past due + grace whose broken-promise plan has not run for that date."""
    return (f"status = 'pending' AND type = {int(ContactType.PROMISE)} AND due_date < ? "
            "AND (broken_through IS NULL OR broken_through < due_date)")


def due_files(conn: Connection, types: Iterable[int], now: datetime) -> set[int]:
    """File numbers with due contacts of `types` (read on the (status, due_date) index)."""
    types = list(types)
    if not types:
        return set()
    rows = conn.exec_driver_sql(
        sql(conn, f"SELECT DISTINCT file FROM contacts WHERE {_due_where(types)}"), _clock(now))
    return {r[0] for r in rows}


def broken_files(conn: Connection, today: date, grace_days: int) -> set[int]:
    """File numbers holding a broken promise (SPEC 7)."""
    limit = (today - timedelta(days=grace_days)).isoformat()
    rows = conn.exec_driver_sql(
        sql(conn, f"SELECT DISTINCT file FROM contacts WHERE {broken_where()}"), (limit,))
    return {r[0] for r in rows}


def sorted_files(*sets: set[int]) -> array[int]:
    """The union as a sorted compact array (a million debtors cost 4 MB)."""
    return array("i", sorted(set().union(*sets)))


def due_rows(conn: Connection, lo: int, hi: int, types: Iterable[int],
             now: datetime) -> Sequence[Sequence[Any]]:
    """Due contacts of `types` on files lo..hi, in due order within each file."""
    hint = " INDEXED BY ix_contacts_file_status" if conn.dialect.name == "sqlite" else ""
    query = (f"SELECT {', '.join(DUE_COLUMNS)} FROM contacts{hint} "
             f"WHERE file BETWEEN ? AND ? AND {_due_where(types)} "
             "ORDER BY file, due_date, due_time, priority DESC, id")
    return conn.exec_driver_sql(sql(conn, query), (lo, hi, *_clock(now))).fetchall()


def debtor_rows(conn: Connection, files: Sequence[int]
                ) -> dict[int, tuple[dict[str, Any], Any, int | None]]:
    """Each debtor's row (a dict), and its earliest pending promise's due date and amount
    in cents (None, None without one)."""
    if not files:
        return {}
    marks = ",".join("?" * len(files))
    out: dict[int, tuple[dict[str, Any], Any, int | None]] = {}
    for r in conn.exec_driver_sql(sql(conn, f"SELECT * FROM debtors WHERE file IN ({marks})"),
                                  tuple(files)):
        row = dict(r._mapping)
        out[row["file"]] = (row, None, None)
    q = (f"SELECT file, due_date, amount FROM contacts WHERE file IN ({marks}) AND "
         f"status = 'pending' AND type = {int(ContactType.PROMISE)} "
         "ORDER BY file, due_date DESC, id DESC")
    for file, due, amount in conn.exec_driver_sql(sql(conn, q), tuple(files)):
        if file in out:  # the last row of a file is its earliest promise
            out[file] = (out[file][0], due, amount)
    return out


def files_in(rows: Iterable[Sequence[Any]]) -> list[int]:
    """The distinct file numbers of due rows, in order."""
    return list(dict.fromkeys(r[1] for r in rows))


