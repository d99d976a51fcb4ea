"""The streaming bulk insert of debtors (SPEC 11, 12, 14).

Lines stream in chunks of CHUNK. A chunk of plain lines is checked column by column
(domain/debtor_chunk.py); any other chunk goes row by row through the csv module and the
exact validator (domain/debtor_csv.py), which names every problem. Good records go to the
database with multi-row INSERTs (50 rows a statement) and their type-196 principal
transactions with one INSERT ... SELECT per chunk, all inside the caller's ONE
transaction, so a kill mid-import leaves nothing.

Without a reject sink, the first bad row stops the inserts but not the validation: every
bad row is listed, and the caller rolls back. With one, bad rows go to the sink and the
good rows import.
"""

from __future__ import annotations

import csv
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from operator import itemgetter
from typing import cast

from sqlalchemy import Connection, func, select

from collectcli.domain.debtor_chunk import fast_chunk
from collectcli.domain.debtor_csv import FileNumbers, Problem, Record, RowValidator
from collectcli.domain.errors import InputError
from collectcli.store import tables as t

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
        self.conn, self.validator, self.reject, self.keep_files = (
            conn, validator, reject, keep_files)
        self.today, self.operator = today.isoformat(), operator
        self.summary = ImportSummary()
        self.db_highest = self.max_written = highest_file(conn)
        self.numbers = FileNumbers(self.db_highest)
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

    @property
    def failing(self) -> bool:
        return self.reject is None and bool(self.summary.problems)

    def bad(self, line: int, row: list[str], problems: list[Problem]) -> None:
        self.summary.problems.extend(RowProblem(line, c, r) for c, r in problems)
        self.summary.rejected += 1
        if self.reject is not None:
            self.reject(line, row, "; ".join(f"{c}: {r}" if c != "*" else r
                                             for c, r in problems))

    def fast(self, block: list[str], first_line: int) -> bool:
        """Import a chunk through the column-wise fast path; False: take the row path."""
        got = fast_chunk(block, self.validator)
        if got is None:
            return False
        files, build = got
        if files is not None and min(files) <= self.db_highest and existing_files(
                self.conn, [f for f in files if f <= self.db_highest]):
            return False
        numbers = self.numbers.claim_many(files, len(block), first_line)
        if numbers is None:
            return False
        self.write(build(numbers))
        return True

    def rows(self, block: list[str], first_line: int, more: Iterator[str]) -> int:
        """Validate a chunk row by row with the exact messages; returns lines consumed
        (a quoted field may run on into `more`)."""
        reader = csv.reader(chain(block, more))
        good: list[Record] = []
        suspects: list[tuple[int, list[str], Record]] = []
        consumed = 0
        while consumed < len(block):
            line = first_line + consumed
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise InputError(f"line {line}: {exc}") from None
            consumed = reader.line_num
            if not row:
                continue
            self.summary.read += 1
            record = self.row(line, row)
            if record is None:
                continue
            if record[0] is not None and record[0] <= self.db_highest:
                suspects.append((line, row, record))
            else:
                good.append(record)
        taken = existing_files(self.conn, [r[0] or 0 for _, _, r in suspects])
        for line, row, record in suspects:
            if record[0] in taken:
                self.bad(line, row, [("file", f"{record[0]} is already in the database")])
            else:
                good.append(record)
        self.write(good)
        return consumed

    def row(self, line: int, row: list[str]) -> Record | None:
        if not all(map(str.isascii, row)) and not _utf8(row):
            self.bad(line, row, [("*", "has bytes that are not UTF-8")])
            return None
        result = self.validator(row)
        if not isinstance(result, tuple):
            self.bad(line, row, result)
            return None
        got = self.numbers.claim(result[0], line)
        if isinstance(got, str):
            self.bad(line, row, [("file", got)])
            return None
        return (got, *result[1:])

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


def _utf8(row: list[str]) -> bool:
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
) -> ImportSummary:
    """Validate and insert the CSV lines after the header (`first_line` is the line number
    of the first). Non-UTF-8 bytes must arrive as surrogates (errors='surrogateescape').

    Runs inside the caller's transaction. When the summary `failed` and no `reject` sink
    was given, the inserts stopped at the first bad row; the caller must roll back."""
    imp = _Importer(conn, validator, today, operator, reject, keep_files)
    line = first_line
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples, no cycles: the collector only costs time
    try:
        _run(imp, lines, line, chunk_size, progress)
    finally:
        if collecting:
            gc.enable()
    imp.summary.problems.sort(key=lambda p: p.line)
    return imp.summary


def _run(imp: _Importer, lines: Iterator[str], first_line: int, chunk_size: int,
         progress: Callable[[int], None] | None) -> None:
    line = first_line
    while block := list(islice(lines, chunk_size)):
        if imp.fast(block, line):
            imp.summary.read += len(block)
            line += len(block)
        else:
            line += imp.rows(block, line, lines)
        if progress is not None:
            progress(line - first_line)
