"""The batch's bulk writes: a chunk's fast-path effects in a few set-based statements.

`write_fast` writes effects listed contact by contact (the letter batch); `write_staged`
writes a chunk staged in `batch_due` (store/batch_repo.stage_due): the Note lines, the
done markers and the copies straight from the staged rows, the statuses and forwards the
engine computed with `executemany`. Copies are inserted before the originals are
forwarded, so each copy keeps the due date it was processed on. Nothing here commits: the
shell commits a chunk's effects and its done markers together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection

from collectcli.domain.model import LogEntry
from collectcli.store.batch_repo import sql
from collectcli.store.reference import write_log
from collectcli.store.rows import CONTACT_COLUMNS

_COPY_SET = {"id": None, "status": "'done'", "done_date": "?", "done_time": "?",
             "done_by": "?", "is_copy": "TRUE", "copy_of": "id"}
_COPY_COLS = [c for c in CONTACT_COLUMNS if c != "id"]
_COPY_SQL = (
    f"INSERT INTO contacts ({', '.join(_COPY_COLS)}) SELECT "
    + ", ".join(_COPY_SET.get(c) or c for c in _COPY_COLS)
    + " FROM contacts WHERE id = ?"
)


class Effects(Protocol):
    """What the engine's fast path produced (engine/batch_fast.FastEffects)."""

    @property
    def now(self) -> datetime: ...
    @property
    def operator(self) -> str: ...
    @property
    def day(self) -> str: ...
    @property
    def clock(self) -> str: ...
    @property
    def notes(self) -> Sequence[tuple[Any, ...]]: ...
    @property
    def statuses(self) -> Mapping[int, str | None]: ...
    @property
    def validations(self) -> Mapping[int, str]: ...
    @property
    def copies(self) -> Sequence[int]: ...
    @property
    def lines(self) -> Sequence[tuple[int, str]]: ...
    @property
    def copy_seqs(self) -> Sequence[tuple[int, int]]: ...
    @property
    def forwards(self) -> Sequence[tuple[Any, ...]]: ...
    @property
    def done(self) -> Sequence[int]: ...
    @property
    def completed(self) -> Sequence[int]: ...
    @property
    def logs(self) -> Sequence[LogEntry]: ...


def write_fast(conn: Connection, fx: Effects) -> None:
    """Write a chunk's fast effects (notes, statuses, copies, forwards, done markers, log)."""
    run = conn.exec_driver_sql
    d, t, op = fx.day, fx.clock, fx.operator
    if fx.notes:
        run(sql(conn, "INSERT INTO notes (file, date, time, operator, text) "
                      "VALUES (?, ?, ?, ?, ?)"), fx.notes)
    if fx.statuses:
        run(sql(conn, "UPDATE debtors SET status = ? WHERE file = ?"),
            [(s, f) for f, s in fx.statuses.items()])
    if fx.validations:
        run(sql(conn, "UPDATE debtors SET validation_end = ? WHERE file = ?"),
            [(v, f) for f, v in fx.validations.items()])
    if fx.copies:
        run(sql(conn, _COPY_SQL), [(d, t, op, i) for i in fx.copies])
    if fx.forwards:
        run(sql(conn, "UPDATE contacts SET due_date = ?, anchor_date = ?, occurrence = ?, "
                      "max_intervals = ? WHERE id = ?"), fx.forwards)
    if fx.done:
        run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                      "done_by = ? WHERE id = ?"), [(d, t, op, i) for i in fx.done])
    if fx.completed:
        run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                      "done_by = ?, max_intervals = 0 WHERE id = ?"),
            [(d, t, op, i) for i in fx.completed])
    write_log(conn, fx.now, op, fx.logs)


_STAGED_NOTES = (
    "INSERT INTO notes (file, date, time, operator, text) SELECT file, ?, ?, ?, text FROM ("
    "SELECT b.seq, 0 AS k, b.file, c.description AS text FROM batch_due b "
    "JOIN contacts c ON c.id = b.id WHERE b.type = {note} UNION ALL "
    "SELECT l.seq, 1 AS k, b.file, l.text FROM batch_line l JOIN batch_due b ON b.seq = l.seq"
    ") AS lines ORDER BY seq, k"
)


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    return [[r[i] for r in rows] for i in range(width)] if rows else [[] for _ in range(width)]


def _many(conn: Connection, sqlite_sql: str, pg_sql: str, rows: Sequence[Sequence[Any]],
          width: int) -> None:
    """`executemany` on SQLite; on PostgreSQL one statement over `unnest` of the columns
    (one round trip instead of one statement per row: the same rows, the same result)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(sqlite_sql, list(rows))
    else:
        conn.exec_driver_sql(pg_sql, tuple(_columns(rows, width)))


_PG_FORWARDS = (
    "UPDATE contacts c SET due_date = v.d, anchor_date = v.a, occurrence = v.o, "
    "max_intervals = v.m FROM unnest(%s::date[], %s::date[], %s::int[], %s::int[], "
    "%s::int[]) AS v(d, a, o, m, i) WHERE c.id = v.i")


def write_staged(conn: Connection, fx: Effects, note_type: int) -> None:
    """Write a staged chunk: each staged Note's line (then its repeat line, in due order),
    the statuses, the copies, the forwards, done markers for the staged contacts without
    repeat, the completed repeats and the log."""
    run = conn.exec_driver_sql
    d, t, op = fx.day, fx.clock, fx.operator
    _many(conn, "INSERT INTO batch_line (seq, text) VALUES (?, ?)",
          "INSERT INTO batch_line (seq, text) SELECT * FROM unnest(%s::int[], %s::text[])",
          fx.lines, 2)
    run(sql(conn, _STAGED_NOTES.format(note=int(note_type))), (d, t, op))
    _many(conn, "UPDATE debtors SET status = ? WHERE file = ?",
          "UPDATE debtors d SET status = v.s FROM unnest(%s::text[], %s::int[]) AS v(s, f) "
          "WHERE d.file = v.f", [(s, f) for f, s in fx.statuses.items()], 2)
    if fx.copy_seqs:
        _many(conn, "INSERT INTO batch_copy (seq, cid) VALUES (?, ?)",
              "INSERT INTO batch_copy (seq, cid) SELECT * FROM unnest(%s::int[], %s::int[])",
              fx.copy_seqs, 2)
        run(sql(conn, _COPY_SQL.replace("WHERE id = ?", "JOIN batch_copy k ON k.cid = contacts.id "
                                        "ORDER BY k.seq")), (d, t, op))
    _many(conn, "UPDATE contacts SET due_date = ?, anchor_date = ?, occurrence = ?, "
                "max_intervals = ? WHERE id = ?", _PG_FORWARDS, fx.forwards, 5)
    run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                  "done_by = ? WHERE id IN (SELECT id FROM batch_due WHERE rep = 0)"), (d, t, op))
    if fx.completed:
        run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                      "done_by = ?, max_intervals = 0 WHERE id = ?"),
            [(d, t, op, i) for i in fx.completed])
    write_log(conn, fx.now, op, fx.logs)
