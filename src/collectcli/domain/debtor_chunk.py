"""The fast path of the debtor import: a whole chunk of plain CSV lines checked column by
column with C-speed string, set and regex operations instead of row-by-row Python.

`fast_chunk` either returns a `FastChunk` that holds every line's values exactly as the
row validator (debtor_csv.RowValidator) would accept them, or None: then the caller
validates the chunk row by row and gets the exact reasons. It takes only plain lines:
ASCII, no quotes, no blanks around fields, one row per line, the header's number of
fields on each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import contains

from collectcli.domain.debtor_csv import COLUMNS, MAX_LENGTH, MAX_WHOLE_DIGITS, Record, RowValidator

_TWO_DECIMALS = re.compile(rf"(?:[0-9]{{1,{MAX_WHOLE_DIGITS}}}\.[0-9][0-9]\n)*")
_WHOLE = re.compile(rf"(?:[0-9]{{1,{MAX_WHOLE_DIGITS}}}\n)*")
_ANY_MONEY = re.compile(rf"(?:[0-9]{{1,{MAX_WHOLE_DIGITS}}}(?:\.[0-9]{{1,2}})?\n)*")
_FILES = re.compile(r"(?:[1-9][0-9]{0,8}\n)*")
_AROUND = (" ,", ", ", "\t", "\n ", " \n", "\v", "\f", "\n\n")


def _cents(text: str) -> int:
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + (int(frac) * (10 if len(frac) == 1 else 1) if frac else 0)


def _all_match(pattern: re.Pattern[str], column: list[str]) -> bool:
    return pattern.fullmatch("\n".join(column) + "\n") is not None


Build = Callable[[list[int]], list[Record]]


@dataclass(frozen=True, slots=True)
class FastChunk:
    """A chunk that passed every check.

    files: the file numbers, None when every file is blank; text: the lines joined, each
    ending in a single '\\n', fields in header order; decimals: 2 when every principal has
    exactly 2 decimals, 0 when none has a decimal point, None otherwise (then only
    `build` gives the cents); cents: the principals' total; build: the records once the
    file numbers are settled."""

    files: list[int] | None
    text: str
    decimals: int | None
    cents: int
    build: Build


def fast_chunk(lines: list[str], validator: RowValidator) -> FastChunk | None:
    """The chunk's checked values, or None: take the row path for the exact messages."""
    layout, width = validator.layout, validator.layout.width
    text = "".join(lines)
    if not text.isascii() or '"' in text or text[:1] in (" ", "\n", "\r"):
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if not text.endswith("\n"):
        text += "\n"
    if any(s in text for s in _AROUND):
        return None
    if set(map(str.count, lines, repeat(","))) != {width - 1}:
        return None
    flat = text[:-1].replace("\n", ",").split(",")
    n = len(lines)
    cols = [flat[k::width] for k in range(width)] + [[""] * n]
    get = layout.getter(cols)
    file_col, names, principal = get[0], get[1], get[2]
    if not all(names):
        return None
    for name, col in zip(COLUMNS, get, strict=True):
        limit = MAX_LENGTH.get(name)
        if limit is not None and max(map(len, col)) > limit:
            return None
    decimals: int | None
    if _all_match(_TWO_DECIMALS, principal):
        decimals, total = 2, sum(map(int, map(str.replace, principal, repeat("."), repeat(""))))
    elif _all_match(_WHOLE, principal):
        decimals, total = 0, sum(map(int, principal)) * 100
    elif _all_match(_ANY_MONEY, principal):
        decimals, total = None, sum(map(_cents, principal))
    else:
        return None
    if any(file_col):
        if not _all_match(_FILES, file_col):
            return None
        files: list[int] | None = list(map(int, file_col))
    else:
        files = None
    zones, emails, listed = get[7], get[8], get[11]
    if not all(map(validator.zone_ok, set(zones) - {""})):
        return None
    if not all(map(contains, filter(None, emails), repeat("@"))):
        return None
    days = set(listed)
    if any(validator.iso(d) != d for d in days - {""}):
        return None
    rest = get[3:11]

    def build(numbers: list[int]) -> list[Record]:
        cents = list(map(_cents, principal))
        today = validator.today
        dates = [d or today for d in listed] if "" in days else listed
        return list(zip(numbers, names, cents, *rest, dates, strict=True))

    return FastChunk(files, text, decimals, total, build)
