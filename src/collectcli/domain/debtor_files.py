"""File numbers of one debtor import (SPEC 11, 12): blanks assigned, duplicates found.

`FileNumbers` remembers which line claimed each number, for the message that names both
lines of a duplicate. A chunk whose numbers rise line by line above every number seen so
far (a numbered file in order, or blank files, which are assigned that way) cannot hold a
duplicate, and is remembered as one run, not a million dictionary entries.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import islice
from operator import lt

MAX_FILE = 2_147_483_647


@dataclass(frozen=True, slots=True)
class _Run:
    """Numbers claimed by consecutive lines from `first_line`, rising; `files` None when
    they are lo, lo + 1, ... hi; `assigned`: they were blank."""

    lo: int
    hi: int
    files: list[int] | None
    first_line: int
    assigned: bool

    def line_of(self, file: int) -> int | None:
        if file > self.hi:
            return None
        if self.files is None:
            line = self.first_line + file - self.lo
        else:
            at = bisect_left(self.files, file)
            if at == len(self.files) or self.files[at] != file:
                return None
            line = self.first_line + at
        return -line if self.assigned else line


class FileNumbers:
    """File numbers of one import: blanks get one more than the highest so far (the
    database's and this file's); a number used twice is a problem naming both lines.

    An assigned number is always above every number seen before it, so only a later
    explicit number can collide with it; that row is the duplicate, and the message says
    the number was assigned to the earlier line (leave the later one blank, or number
    the file so no blank row comes before it).
    """

    def __init__(self, highest: int):
        self.highest = highest
        self._lines: dict[int, int] = {}  # file -> line; negative line: number was assigned
        self._runs: list[_Run] = []
        self._run_starts: list[int] = []

    def line_of(self, file: int) -> int | None:
        """The line that claimed `file` (negative: assigned to it), None if none did."""
        line = self._lines.get(file)
        if line is None and self._runs:
            at = bisect_right(self._run_starts, file) - 1
            if at >= 0:
                line = self._runs[at].line_of(file)
        return line

    def claim(self, file: int | None, line: int) -> int | str:
        """The row's file number, or the reason it cannot have it."""
        if file is None:
            file = self.highest = self.highest + 1
            if file > MAX_FILE:
                return f"no file number left to assign above {MAX_FILE}"
            self._lines[file] = -line
            return file
        earlier = self.line_of(file)
        if earlier is not None:
            if earlier < 0:
                return f"{file} was already assigned to line {-earlier} (its file was blank)"
            return f"{file} is already used on line {earlier}"
        self._lines[file] = line
        if file > self.highest:
            self.highest = file
        return file

    def claim_many(self, files: list[int] | None, count: int, first_line: int) -> list[int] | None:
        """File numbers for `count` rows on consecutive lines from `first_line` at once
        (files None: all blank, all assigned); None when any row needs `claim`'s messages."""
        if files is None:
            start = self.highest + 1
            if start + count - 1 > MAX_FILE:
                return None
            self._run(_Run(start, start + count - 1, None, first_line, True))
            return list(range(start, start + count))
        if not files:
            return files
        if files[0] > self.highest and all(map(lt, files, islice(files, 1, None))):
            lo, hi = files[0], files[-1]
            self._run(_Run(lo, hi, None if hi - lo + 1 == count else files, first_line, False))
            return files
        if len(set(files)) != count or any(self.line_of(f) is not None for f in files):
            return None
        self._lines.update(zip(files, range(first_line, first_line + count), strict=True))
        self.highest = max(self.highest, max(files))
        return files

    def _run(self, run: _Run) -> None:
        self._runs.append(run)
        self._run_starts.append(run.lo)
        self.highest = run.hi
