"""The batch's queries: which debtors have due work, and a chunk's due rows.

`collect batch` cuts the debtors (`debtor_files`) into chunks by file number and
`due_rows` / `slim_rows` read one chunk's due contacts by file range on the pending
contacts' file index, in (file, due date, due time, priority desc, id) order; the letter
batch plans from `due_files` (the files with due contacts of its types, read by a scan of
the pending contacts). Rows are plain tuples in the column order of DUE_COLUMNS (or
SLIM_COLUMNS).

`stage_due` does the same read into the connection's temp table `batch_due` (seq = the
due order), so the batch's set-based statements (store/batch_write.write_staged) work on
it without the rows ever reaching Python; only repeating rows (`repeat_rows`) and the
Status descriptions (`status_rows`) are read back.
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


def due_where(types: Iterable[int]) -> str:
    """Pending contacts of `types` due by the clock (parameters: `clock(now)`)."""
    return (f"status = 'pending' AND type IN ({_types(types)}) AND due_date <= ? "
            "AND (due_date < ? OR due_time IS NULL OR due_time <= ?)")


def clock(now: datetime) -> tuple[str, str, str]:
    day = now.date().isoformat()
    return day, day, now.strftime("%H:%M:%S")


def broken_where() -> str:
    """Pending promises past due + grace whose broken-promise plan has not run for that date."""
    return (f"status = 'pending' AND type = {int(ContactType.PROMISE)} AND due_date < ? "
            "AND (broken_through IS NULL OR broken_through < due_date)")


def due_files(conn: Connection, types: Iterable[int], now: datetime) -> set[int]:
    """File numbers with due contacts of `types` (a scan of the pending contacts)."""
    types = list(types)
    if not types:
        return set()
    cursor = conn.exec_driver_sql(  # the driver's cursor: plain tuples, streamed
        sql(conn, f"SELECT DISTINCT file FROM contacts WHERE {due_where(types)}"), clock(now)
    ).cursor
    files: set[int] = set()
    while part := cursor.fetchmany(50_000):
        files.update(file for file, in part)
    return files


def broken_files(conn: Connection, today: date, grace_days: int) -> set[int]:
    """File numbers holding a broken promise (SPEC 7): read on the pending promises' index
    (SQLite would otherwise scan every pending contact)."""
    limit = (today - timedelta(days=grace_days)).isoformat()
    hint = " INDEXED BY ix_contacts_pending_promise" if conn.dialect.name == "sqlite" else ""
    rows = conn.exec_driver_sql(
        sql(conn, f"SELECT DISTINCT file FROM contacts{hint} WHERE {broken_where()}"),
        (limit,))
    return {r[0] for r in rows}


def debtor_files(conn: Connection) -> array[int]:
    """Every debtor's file number, sorted, as a compact array (the batch's chunk plan)."""
    cursor = conn.exec_driver_sql("SELECT file FROM debtors ORDER BY file").cursor
    files: array[int] = array("i")
    while part := cursor.fetchmany(50_000):
        files.extend(file for file, in part)
    return files


def sorted_files(*sets: set[int]) -> array[int]:
    """The union as a sorted compact array (a million debtors cost 4 MB)."""
    return array("i", sorted(set().union(*sets)))


def due_rows(conn: Connection, lo: int, hi: int, types: Iterable[int],
             now: datetime, columns: str = ", ".join(DUE_COLUMNS)) -> Sequence[Sequence[Any]]:
    """Due contacts of `types` on files lo..hi, in due order within each file (the
    driver's plain tuples)."""
    hint = " INDEXED BY ix_contacts_pending_file" if conn.dialect.name == "sqlite" else ""
    query = (f"SELECT {columns} FROM contacts{hint} "
             f"WHERE file BETWEEN ? AND ? AND {due_where(types)} "
             "ORDER BY file, due_date, due_time, priority DESC, id")
    result = conn.exec_driver_sql(sql(conn, query), (lo, hi, *clock(now)))
    rows: Sequence[Sequence[Any]] = result.cursor.fetchall()
    result.close()
    return rows


_KEY = " || char(31) || ".join((
    "repeat", "ifnull(repeat_days, '')", "ifnull(max_intervals, '')",
    "ifnull(anchor_date, '')", "due_date", "occurrence", "copy_on_repeat",
    "log_repeat_to_notes"))
SLIM_COLUMNS = (
    f"id, file, type, CASE WHEN type = {int(ContactType.STATUS)} OR (repeat IS NOT NULL "
    f"AND log_repeat_to_notes) THEN description END, "
    f"CASE WHEN repeat IS NOT NULL THEN {_KEY} END")


def slim_rows(conn: Connection, lo: int, hi: int, types: Iterable[int],
              now: datetime) -> Sequence[Sequence[Any]]:
    """`due_rows` as the batch's fast path reads them on SQLite (engine/batch_fast: id,
    file, type, the description of Status rows and of repeating rows that log to notes,
    the repeat key joined by char(31)): far fewer values to convert than DUE_COLUMNS."""
    return due_rows(conn, lo, hi, types, now, SLIM_COLUMNS)


_ORDER = "file, due_date, due_time, priority DESC, id"
_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS batch_due (seq INTEGER PRIMARY KEY, id INTEGER NOT NULL, "
    "file INTEGER NOT NULL, type INTEGER NOT NULL, rep INTEGER NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS batch_line (seq INTEGER PRIMARY KEY, text TEXT NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS batch_copy (seq INTEGER PRIMARY KEY, cid INTEGER NOT NULL)",
)


def clear_staging(conn: Connection) -> None:
    """Create the staging temp tables on this connection if needed, and empty them."""
    for ddl in _STAGING:
        conn.exec_driver_sql(ddl)
    for table in ("batch_due", "batch_line", "batch_copy"):
        conn.exec_driver_sql(f"DELETE FROM {table}")


def stage_due(conn: Connection, lo: int, hi: int, types: Iterable[int], now: datetime,
              fast_types: Iterable[int], held: Sequence[int],
              only: Sequence[int] | None = None) -> list[int]:
    """Stage the due contacts of `types` on files lo..hi in `batch_due`, seq in due order
    (with `only`, PostgreSQL: just those files of the range, e.g. a worker's claim).

    Files with a due contact not of `fast_types`, and the files in `held`, are taken out
    again and returned (sorted): they go through the Workspace path."""
    clear_staging(conn)
    hint = " INDEXED BY ix_contacts_pending_file" if conn.dialect.name == "sqlite" else ""
    among = "" if only is None else " AND file = ANY(?)"
    extra: tuple[Any, ...] = () if only is None else (list(only),)
    conn.exec_driver_sql(sql(conn, (
        f"INSERT INTO batch_due (seq, id, file, type, rep) SELECT row_number() OVER "
        f"(ORDER BY {_ORDER}), id, file, type, CASE WHEN repeat IS NULL THEN 0 ELSE 1 END "
        f"FROM contacts{hint} WHERE file BETWEEN ? AND ?{among} AND {due_where(types)}")),
        (lo, hi, *extra, *clock(now)))
    fast = _types(fast_types)
    other = f" WHERE type NOT IN ({fast})" if fast else ""
    slow = {r[0] for r in conn.exec_driver_sql(f"SELECT DISTINCT file FROM batch_due{other}")}
    slow.update(held)
    out = sorted(slow)
    for start in range(0, len(out), 500):
        part = out[start:start + 500]
        conn.exec_driver_sql(sql(conn, "DELETE FROM batch_due WHERE file IN "
                                       f"({','.join('?' * len(part))})"), tuple(part))
    return out


def staged_counts(conn: Connection) -> list[tuple[int, int, int]]:
    """(type, repeats?, count) of the staged contacts."""
    return [(int(t), int(r), int(n)) for t, r, n in conn.exec_driver_sql(
        "SELECT type, rep, count(*) FROM batch_due GROUP BY type, rep")]


def repeat_rows(conn: Connection) -> Sequence[Sequence[Any]]:
    """The staged repeating contacts: DUE_COLUMNS then seq, in due order."""
    cols = ", ".join(f"c.{c}" for c in DUE_COLUMNS)
    return conn.exec_driver_sql(
        f"SELECT {cols}, b.seq FROM batch_due b JOIN contacts c ON c.id = b.id "
        "WHERE b.rep = 1 ORDER BY b.seq").fetchall()


def status_rows(conn: Connection, status_type: int) -> Sequence[Sequence[Any]]:
    """(file, description) of the staged Status contacts, in due order."""
    return conn.exec_driver_sql(
        "SELECT b.file, c.description FROM batch_due b JOIN contacts c ON c.id = b.id "
        f"WHERE b.type = {int(status_type)} ORDER BY b.seq").fetchall()


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




def data_version(conn: Connection) -> int:
    """SQLite's count of commits by other connections as this connection sees it: equal
    values mean nobody else wrote in between (PRAGMA data_version)."""
    return int(conn.exec_driver_sql("PRAGMA data_version").scalar_one())
