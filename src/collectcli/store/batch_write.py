"""The batch's bulk writes: a chunk's fast-path effects in a few set-based statements.

`write_fast` writes effects listed contact by contact (the letter batch); `write_staged`
writes a chunk staged in `batch_due` (store/batch_repo.stage_due): the Note lines, the
done markers and the copies straight from the staged rows, the statuses and forwards the
engine computed with `executemany`. Copies are inserted before the originals are
forwarded, so each copy keeps the due date it was processed on. Nothing here commits: the
shell commits a chunk's effects and its done markers together.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection

from collectcli.domain.model import LogEntry
from collectcli.store.batch_repo import sql
from collectcli.store.reference import write_log
from collectcli.store.rows import copy_contact_sql

# a repeat's done copy, stamped by the run (the parameters: day, clock, operator)
_COPY_SET = {"status": "'done'", "done_date": "?", "done_time": "?", "done_by": "?",
             "is_copy": "TRUE", "copy_of": "contacts.id"}


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
    def notes(self) -> Sequence[int | tuple[int, str]]: ...
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


def _in(conn: Connection, column: str) -> str:
    """`column` in a list passed as one parameter (`_ids`): set-based, any length."""
    if conn.dialect.name == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(?))"
    return f"{column} = ANY(%s)"


def _ids(conn: Connection, ids: Iterable[Any]) -> Any:
    return json.dumps(list(ids)) if conn.dialect.name == "sqlite" else list(ids)


def _grouped(pairs: Iterable[tuple[Any, Any]]) -> dict[Any, list[Any]]:
    """(value, key) pairs -> value: keys; one UPDATE per distinct value, not per row."""
    out: dict[Any, list[Any]] = defaultdict(list)
    for value, key in pairs:
        out[value].append(key)
    return out


# SQLite: the list's order without a sort of the wide rows: CROSS JOIN keeps json_each
# (read in array order) the outer loop, so rows come out in list order; a LEFT JOIN keeps
# its left table outer too (_NOTES). tests/integration/test_batch_staged checks the order.
_COPY_LIST = {
    "sqlite": copy_contact_sql(_COPY_SET, "FROM json_each(?) AS j CROSS JOIN contacts "
                               "ON contacts.id = j.value"),
    "postgresql": copy_contact_sql(
        {c: v.replace("?", "%s") for c, v in _COPY_SET.items()},
        "FROM unnest(%s::int[]) WITH ORDINALITY AS j(cid, k) JOIN contacts "
        "ON contacts.id = j.cid ORDER BY j.k"),
}


_NOTES = {
    "sqlite": (
        "INSERT INTO notes (file, date, time, operator, text) SELECT coalesce(c.file, "
        "json_extract(j.value, '$[0]')), ?, ?, ?, coalesce(c.description, "
        "json_extract(j.value, '$[1]')) FROM json_each(?) AS j LEFT JOIN contacts AS c "
        "ON j.type = 'integer' AND c.id = j.value"),
    "postgresql": (
        "INSERT INTO notes (file, date, time, operator, text) SELECT coalesce(c.file, v.f), "
        "%s, %s, %s, coalesce(c.description, v.t) FROM unnest(%s::int[], %s::int[], "
        "%s::text[]) WITH ORDINALITY AS v(i, f, t, k) LEFT JOIN contacts AS c ON c.id = v.i "
        "ORDER BY v.k"),
}


def _notes(conn: Connection, fx: Effects) -> None:
    """The chunk's notes, in order, all stamped with the chunk's day, clock and operator:
    a contact id stands for that contact's description (a Note contact executed), which
    the statement copies where it lies; (file, text) is a line written out. One statement:
    on SQLite over a JSON list, so the insert runs without Python's lock."""
    if not fx.notes:
        return
    stamp = (fx.day, fx.clock, fx.operator)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(_NOTES["sqlite"], (*stamp, json.dumps(fx.notes)))
        return
    ids = [n if isinstance(n, int) else None for n in fx.notes]
    lines = [(None, None) if isinstance(n, int) else n for n in fx.notes]
    conn.exec_driver_sql(_NOTES["postgresql"], (*stamp, ids, [f for f, _ in lines],
                                                [t for _, t in lines]))


def write_fast(conn: Connection, fx: Effects) -> None:
    """Write a chunk's fast effects (notes, statuses, copies, forwards, done markers, log):
    rows that get the same values are written by one statement over their id list."""
    run = conn.exec_driver_sql
    d, t, op = fx.day, fx.clock, fx.operator
    _notes(conn, fx)
    by_file = f"WHERE {_in(conn, 'file')}"
    for status, files in _grouped((s, f) for f, s in fx.statuses.items()).items():
        run(sql(conn, f"UPDATE debtors SET status = ? {by_file}"), (status, _ids(conn, files)))
    for end, files in _grouped((v, f) for f, v in fx.validations.items()).items():
        run(sql(conn, f"UPDATE debtors SET validation_end = ? {by_file}"),
            (end, _ids(conn, files)))
    if fx.copies:  # before the forwards: a copy keeps the due date it was processed on
        run(sql(conn, _COPY_LIST[conn.dialect.name]), (d, t, op, _ids(conn, fx.copies)))
    by_id = f"WHERE {_in(conn, 'id')}"
    for step, ids in _grouped((f[:-1], f[-1]) for f in fx.forwards).items():
        run(sql(conn, "UPDATE contacts SET due_date = ?, anchor_date = ?, occurrence = ?, "
                      f"max_intervals = ? {by_id}"), (*step, _ids(conn, ids)))
    if fx.done:
        run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                      f"done_by = ? {by_id}"), (d, t, op, _ids(conn, fx.done)))
    if fx.completed:
        run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                      f"done_by = ?, max_intervals = 0 {by_id}"),
            (d, t, op, _ids(conn, fx.completed)))
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
        run(sql(conn, copy_contact_sql(_COPY_SET, "FROM contacts JOIN batch_copy k "
                                                  "ON k.cid = contacts.id ORDER BY k.seq")),
            (d, t, op))
    _many(conn, "UPDATE contacts SET due_date = ?, anchor_date = ?, occurrence = ?, "
                "max_intervals = ? WHERE id = ?", _PG_FORWARDS, fx.forwards, 5)
    run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                  "done_by = ? WHERE id IN (SELECT id FROM batch_due WHERE rep = 0)"), (d, t, op))
    if fx.completed:
        run(sql(conn, "UPDATE contacts SET status = 'done', done_date = ?, done_time = ?, "
                      "done_by = ?, max_intervals = 0 WHERE id = ?"),
            [(d, t, op, i) for i in fx.completed])
    write_log(conn, fx.now, op, fx.logs)
