"""The streaming bulk insert of debtors (SPEC 11, 12, 14).

The lines are checked chunk by chunk (domain/debtor_stream.py), in a forked second
process when `parallel` (store/import_worker.py), while this process inserts, in file
order, all inside the caller's ONE transaction, so a kill mid-import leaves nothing.

On SQLite a plain chunk arrives as its checked text: its fields are bound as they are,
only the header's columns, many rows to a statement, and SQL turns them into the
stored values (blank is NULL, '12.34' is 1234 cents, a blank file number is the next
rowid, which is what the checker assigned; checked after each chunk). Any other chunk
arrives as records. Each chunk's type-196 principal transactions go in with one
INSERT ... SELECT; on the plain-text path that statement runs on a second thread (the
sqlite3 module lets go of the GIL while SQLite works), so that this process splits the
next chunk's text meanwhile. The connection is never used by two threads at once:
`settle()` waits for the statement before the connection is used again.

Without a reject sink, the first bad row stops the inserts but not the validation: every
bad row is listed, and the caller rolls back. With one, bad rows go to the sink and the
good rows import.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import itemgetter
from typing import cast

from sqlalchemy import Connection, func, select

from collectcli.domain.debtor_csv import Problem, Record, RowValidator
from collectcli.domain.debtor_stream import Checked, RawChunk, check_chunks
from collectcli.store import tables as t
from collectcli.store.import_raw import RawInsert
from collectcli.store.import_worker import checked_in_child

CHUNK = 20_000
_IN_BATCH = 500  # file numbers per `IN (...)` lookup: portable to every database

_DEBTOR_COLUMNS = ("file", "name", "principal", "status", "operator", "state", "country",
                   "timezone", "email", "phone", "group_key", "listed_date")  # Record order
_AS_IS = {"file", "name", "principal", "listed_date"}  # the rest: blank text is NULL
_PER_STATEMENT = 50  # rows per multi-row INSERT: 600 parameters, under every limit
_TXN_COLUMNS = ("file", "type", "amount", "payment_date", "posted_date", "operator")
PRINCIPAL_TYPE = "196"

RejectSink = Callable[[int, list[str], str], None]
"""reject(line, the row as read, reason)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    column: str
    reason: str


@dataclass
class ImportSummary:
    read: int = 0
    imported: int = 0
    rejected: int = 0
    principal_cents: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    files: list[int] = field(default_factory=list)  # imported file numbers, when kept

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def highest_file(conn: Connection) -> int:
    return int(conn.execute(select(func.max(t.debtors.c.file))).scalar() or 0)


def _insert_sql(conn: Connection, table: str, columns: tuple[str, ...]) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(mark for _ in columns)})")


def existing_files(conn: Connection, files: list[int]) -> set[int]:
    """Which of `files` are already debtors."""
    found: set[int] = set()
    for i in range(0, len(files), _IN_BATCH):
        batch = files[i:i + _IN_BATCH]
        found.update(conn.execute(select(t.debtors.c.file).where(t.debtors.c.file.in_(batch)))
                     .scalars())
    return found


class _Importer:
    def __init__(self, conn: Connection, validator: RowValidator, today: date,
                 operator: str | None, reject: RejectSink | None, keep_files: bool):
        self.conn, self.reject, self.keep_files = conn, reject, keep_files
        self.today, self.operator = today.isoformat(), operator
        self.summary = ImportSummary()
        self.db_highest = self.max_written = highest_file(conn)
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        one = "(" + ", ".join(mark if c in _AS_IS else f"NULLIF({mark}, '')"
                              for c in _DEBTOR_COLUMNS) + ")"
        head = f"INSERT INTO debtors ({', '.join(_DEBTOR_COLUMNS)}) VALUES "
        self.debtor_sql, self.debtors_sql = head + one, head + ", ".join([one] * _PER_STATEMENT)
        self.txn_sql = _insert_sql(conn, "transactions", _TXN_COLUMNS)
        self.txn_select = (
            f"INSERT INTO transactions ({', '.join(_TXN_COLUMNS)}) "
            f"SELECT file, '{PRINCIPAL_TYPE}', principal, listed_date, {mark}, {mark} "
            f"FROM debtors WHERE file BETWEEN {mark} AND {mark} AND principal > 0 ORDER BY file")
        self.raw = (RawInsert(validator.layout.names, self.today)
                    if conn.dialect.name == "sqlite" and not keep_files else None)
        self.worker: ThreadPoolExecutor | None = None
        self.pending: Future[object] | None = None

    def settle(self) -> None:
        """Wait for the statement running on the second thread (and raise its error)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        """Wait for the second thread and end it; the caller may use the connection."""
        if self.worker is not None:
            self.worker.shutdown(wait=True)
            self.worker = None

    @property
    def failing(self) -> bool:
        return self.reject is None and bool(self.summary.problems)

    def bad(self, line: int, row: list[str], problems: list[Problem]) -> None:
        self.summary.problems.extend(RowProblem(line, c, r) for c, r in problems)
        self.summary.rejected += 1
        if self.reject is not None:
            self.reject(line, row, "; ".join(f"{c}: {r}" if c != "*" else r
                                             for c, r in problems))

    def apply(self, chunk: Checked) -> None:
        """One checked chunk: report its bad rows, look up its suspects, insert the rest."""
        self.summary.read += chunk.read
        for line, row, problems in chunk.bad:
            self.bad(line, row, problems)
        if chunk.raw is not None:
            self.write_raw(chunk.raw)
            return
        self.settle()
        good = list(chunk.records)
        taken = existing_files(self.conn, [r[0] or 0 for _, _, r in chunk.suspects])
        for line, row, record in chunk.suspects:
            if record[0] in taken:
                self.bad(line, row, [("file", f"{record[0]} is already in the database")])
            else:
                good.append(record)
        self.write(good)

    def write_raw(self, raw: RawChunk) -> None:
        if self.failing:
            return
        assert self.raw is not None and raw.lo > self.max_written, "raw chunk out of order"
        bound = self.raw.bind(raw)  # while the previous chunk's transactions go in
        self.settle()
        bound.run(self.conn)
        if not raw.numbered and highest_file(self.conn) != raw.hi:
            raise RuntimeError(f"import: assigned file numbers {raw.lo}..{raw.hi} "
                               "do not match the database's")
        if self.worker is None:
            self.worker = ThreadPoolExecutor(1, thread_name_prefix="collect-import-sql")
        self.pending = self.worker.submit(self.conn.exec_driver_sql, self.txn_select,
                                          (self.today, self.operator, raw.lo, raw.hi))
        self.max_written = raw.hi
        self.summary.imported += raw.count
        self.summary.principal_cents += raw.cents

    def write(self, records: list[Record]) -> None:
        if not records or self.failing:
            return  # a failing import keeps validating but writes nothing more
        whole = len(records) - len(records) % _PER_STATEMENT
        if whole:
            flat = list(chain.from_iterable(records[:whole]))
            step = _PER_STATEMENT * len(_DEBTOR_COLUMNS)
            self.conn.exec_driver_sql(self.debtors_sql, [tuple(flat[i:i + step])
                                                         for i in range(0, len(flat), step)])
        if whole < len(records):
            self.conn.exec_driver_sql(self.debtor_sql, records[whole:])
        files = cast(list[int], [r[0] for r in records])  # every record is numbered here
        lo, hi = min(files), max(files)
        if lo > self.max_written:  # only this chunk's debtors are in [lo, hi]
            self.conn.exec_driver_sql(self.txn_select, (self.today, self.operator, lo, hi))
        else:
            self.conn.exec_driver_sql(self.txn_sql, [
                (r[0], PRINCIPAL_TYPE, r[2], r[11], self.today, self.operator)
                for r in records if r[2]])
        self.max_written = max(self.max_written, hi)
        self.summary.imported += len(records)
        self.summary.principal_cents += sum(map(itemgetter(2), records))
        if self.keep_files:
            self.summary.files.extend(files)


def import_lines(
    conn: Connection,
    lines: Iterator[str],
    first_line: int,
    validator: RowValidator,
    *,
    today: date,
    operator: str | None,
    reject: RejectSink | None = None,
    keep_files: bool = False,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK,
    parallel: bool = False,
) -> ImportSummary:
    """Validate and insert the CSV text after the header: `lines` yields it in pieces of
    whole lines (single lines, or the blocks of domain.debtor_text.text_blocks, which read
    much faster); `first_line` is the first line's number. Non-UTF-8 bytes must arrive as
    surrogates (errors='surrogateescape'). parallel: check the lines in a forked second
    process (the caller must not read `lines` itself meanwhile); see
    store/import_worker.py.

    Runs inside the caller's transaction. When the summary `failed` and no `reject` sink
    was given, the inserts stopped at the first bad row; the caller must roll back."""
    imp = _Importer(conn, validator, today, operator, reject, keep_files)

    def chunks() -> Iterator[Checked]:
        return check_chunks(lines, first_line, validator, imp.db_highest,
                            raw=imp.raw is not None, chunk_size=chunk_size)

    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples, no cycles: the collector only costs time
    try:
        done = first_line
        for chunk in checked_in_child(chunks) if parallel else chunks():
            imp.apply(chunk)
            done = chunk.first_line + chunk.lines
            if progress is not None:
                progress(done - first_line)
        imp.settle()
    finally:
        imp.close()
        if collecting:
            gc.enable()
    imp.summary.problems.sort(key=lambda p: p.line)
    return imp.summary
