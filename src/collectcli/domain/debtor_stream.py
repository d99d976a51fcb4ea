"""Checking a debtor CSV chunk by chunk, with no database (SPEC 11, 12, 14).

`check_chunks` reads the text after the header in chunks of lines (domain/debtor_text.py)
and yields one `Checked` per chunk, in file order: its bad rows with every problem, its
good records numbered (`FileNumbers`), the records whose explicit file number may already
be in the database (`suspects`, for the caller to look up), or, for a plain chunk that
needs no lookup, the chunk's text as it is (`RawChunk`) for a caller that binds the CSV
fields directly.

Everything here is plain data, so the checking can run in a second process
(store/import_worker.py) while the first one inserts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from collectcli.domain.debtor_chunk import NULL_WHEN_BLANK, fast_chunk
from collectcli.domain.debtor_csv import Problem, Record, RowValidator
from collectcli.domain.debtor_files import FileNumbers
from collectcli.domain.debtor_text import LineSource
from collectcli.domain.errors import InputError

BadRow = tuple[int, list[str], list[Problem]]  # (line, the row as read, problems)
Suspect = tuple[int, list[str], Record]  # (line, the row as read, its record)


@dataclass(frozen=True, slots=True)
class RawChunk:
    """Plain lines that passed every check: fields in header order, each line ending in
    '\\n'; file numbers lo..hi, all above every number seen before this chunk (blank files
    are lo, lo + 1, ... in line order); decimals: 2 (every principal has 2) or 0 (none
    has a decimal point); cents: the principals' total; blanks: the columns of
    debtor_chunk.NULL_WHEN_BLANK and `listed` with a blank field (the others have none)."""

    text: str
    count: int
    lo: int
    hi: int
    decimals: int
    cents: int
    numbered: bool  # True: the file numbers are in the text; False: all blank, assigned
    blanks: frozenset[str] = frozenset((*NULL_WHEN_BLANK, "listed"))


@dataclass(frozen=True, slots=True)
class Checked:
    """One chunk: `lines` physical lines from `first_line`, `read` rows among them."""

    first_line: int
    lines: int
    read: int
    bad: list[BadRow] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    suspects: list[Suspect] = field(default_factory=list)
    raw: RawChunk | None = None


FIRST_CHUNK = 2_000
"""Lines in the first chunk at most: the inserting process waits for it, so it is small."""


def check_chunks(lines: Iterator[str], first_line: int, validator: RowValidator,
                 db_highest: int, *, raw: bool, chunk_size: int) -> Iterator[Checked]:
    """Checked chunks of `lines`, the text after the header in pieces of whole lines (one
    line each, or blocks from debtor_text.text_blocks); `first_line` is the first line's
    number. A chunk is `chunk_size` lines or somewhat more (whole pieces). `db_highest`:
    the highest file number in the database. raw: plain chunks may come as `RawChunk`
    text instead of records. A broken CSV quote is an InputError naming the line."""
    numbers = FileNumbers(db_highest)
    source = LineSource(lines)
    line = first_line
    size = min(chunk_size, FIRST_CHUNK)
    while text := source.chunk(size):
        got = _fast(text, line, validator, numbers, db_highest, raw)
        if got is None:
            got = _rows(text, line, source, validator, numbers, db_highest)
        line += got.lines
        size = chunk_size
        yield got


def _fast(text: str, line: int, validator: RowValidator, numbers: FileNumbers,
          db_highest: int, raw: bool) -> Checked | None:
    fast = fast_chunk(text, validator)
    if fast is None or (fast.files is not None and min(fast.files) <= db_highest):
        return None  # the row path finds the exact reasons, or the suspects to look up
    before = numbers.highest
    n = fast.count
    got = numbers.claim_many(fast.files, n, line)
    if got is None:
        return None
    if raw and fast.decimals is not None and min(got) > before:
        chunk = RawChunk(fast.text, n, min(got), max(got), fast.decimals, fast.cents,
                         fast.files is not None, fast.blanks)
        return Checked(line, n, n, raw=chunk)
    return Checked(line, n, n, records=fast.build(got))


def _rows(text: str, first_line: int, source: LineSource, validator: RowValidator,
          numbers: FileNumbers, db_highest: int) -> Checked:
    """A chunk row by row with the exact messages (a quoted field may run on past it)."""
    block = list(io.StringIO(text, newline=""))  # the lines as a file opened newline=''
    reader = csv.reader(chain(block, source.lines()))
    out = Checked(first_line, 0, 0)
    consumed = read = 0
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
        read += 1
        problems, record = _row(row, line, validator, numbers)
        if record is None:
            out.bad.append((line, row, problems))
        elif record[0] is not None and record[0] <= db_highest:
            out.suspects.append((line, row, record))
        else:
            out.records.append(record)
    return Checked(first_line, consumed, read, out.bad, out.records, out.suspects)


def _row(row: list[str], line: int, validator: RowValidator,
         numbers: FileNumbers) -> tuple[list[Problem], Record | None]:
    if not all(map(str.isascii, row)) and not _utf8(row):
        return [("*", "has bytes that are not UTF-8")], None
    result = validator(row)
    if not isinstance(result, tuple):
        return result, None
    got = numbers.claim(result[0], line)
    if isinstance(got, str):
        return [("file", got)], None
    return [], (got, *result[1:])


def _utf8(row: list[str]) -> bool:
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
