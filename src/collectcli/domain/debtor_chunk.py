"""The fast path of the debtor import: a whole chunk of plain CSV lines checked at once
with one compiled regular expression instead of row-by-row Python.

`fast_chunk` either returns a `FastChunk` whose every line the row validator
(debtor_csv.RowValidator) would accept as it is, or None: then the caller validates the
chunk row by row and gets the exact reasons. It takes only plain lines: ASCII without
control characters, no quotes, no blanks around fields, one row per line, the header's
number of fields on each.

The expression checks every field of every line in one pass: the number of fields, each
column's length limit, a file number's and a principal's digits, a name that is not
blank, an '@' in an e-mail, a real calendar date, and a time zone among those already
found valid (a chunk with a new zone is matched again once its zones are checked; past
MAX_ZONES distinct zones the zones of each chunk are checked instead). Empty groups mark
what the chunk holds (a blank in a column, a principal without 2 decimals), so the
values need not be looked at again; only the file numbers are taken out of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from collectcli.domain.debtor_csv import MAX_LENGTH, MAX_WHOLE_DIGITS, Record, RowValidator

NULL_WHEN_BLANK = ("status", "operator", "state", "country", "timezone", "email", "phone",
                   "group")
"""The columns a blank field stores as NULL (a blank `listed` is today, a blank file is
assigned; name and principal are never blank)."""

MAX_ZONES = 16  # distinct valid zones written into the expression; more: checked per chunk
_CHAR = r'[^,\n"\x00-\x1f\x7f]'  # in ASCII text: printable, not a comma or a quote


def _text(least: int, most: int) -> str:
    """A text field of least..most characters, no blank at either end."""
    return f"(?! ){_CHAR}{{{least},{most}}}(?<! )"


_SHAPES = {
    "file": r"(?:[1-9][0-9]{0,8}(?P<file_given>)|(?P<file_blank>))",  # larger: the row path
    "name": _text(1, MAX_LENGTH["name"]),
    "principal": rf"[0-9]{{1,{MAX_WHOLE_DIGITS}}}"
                 r"(?:\.[0-9](?:[0-9](?P<cents_2>)|(?P<cents_1>))|(?P<cents_0>))",
}
_GIVEN = {  # a column that may be blank, when it is not (otherwise `_text`)
    "email": r"(?=[^@,\n]*@)" + _text(1, MAX_LENGTH["email"]),  # an '@' before its end
    "listed": r"(?!0000)[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
              r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8])"
              r"|02-29(?P<leap_day>))",  # is its year a leap year: checked on the dates
}
_PATTERNS: dict[tuple[tuple[str, ...], tuple[str, ...] | None], re.Pattern[str]] = {}
_COLUMNS: dict[tuple[int, ...], re.Pattern[str]] = {}


def _shape(name: str, zones: tuple[str, ...] | None) -> str:
    """A column's pattern; a column that may be blank marks its blank lines."""
    if name in _SHAPES:
        return _SHAPES[name]
    if name == "timezone" and zones is not None:
        given = "(?:" + "|".join(map(re.escape, zones)) + ")" if zones else "(?!)"
    else:
        given = _GIVEN.get(name) or _text(1, MAX_LENGTH[name])
    return f"(?:{given}|(?P<blank_{name}>))"


def lines_pattern(names: tuple[str, ...], zones: tuple[str, ...] | None) -> re.Pattern[str]:
    """Any number of plain lines with columns `names`; a time zone is one of `zones`
    (None: any zone-like text, to be checked on its own)."""
    key = (names, zones)
    got = _PATTERNS.get(key)
    if got is None:
        fields = ",".join(_shape(n, zones) for n in names)
        got = _PATTERNS[key] = re.compile(f"(?:{fields}\\n)*+")
    return got


def column_values(text: str, *at: int) -> list[Sequence[str]]:
    """Fields `at` (ascending) of every line of checked plain text, one list per field."""
    got = _COLUMNS.get(at)
    if got is None:
        fields = ",".join("([^,\n]*)" if k in at else "[^,\n]*" for k in range(at[-1] + 1))
        got = _COLUMNS[at] = re.compile(fields + "[^\n]*\n")
    found = got.findall(text)
    if len(at) == 1:
        return [found]
    return list(zip(*found, strict=True)) or [() for _ in at]


def cents(text: str) -> int:
    """Integer cents of a checked principal ('12', '12.5' or '12.34')."""
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + (int(frac) * (10 if len(frac) == 1 else 1) if frac else 0)


Build = Callable[[list[int]], list[Record]]


@dataclass(frozen=True, slots=True)
class FastChunk:
    """A chunk that passed every check.

    files: the file numbers, None when every file is blank; text: the lines joined, each
    ending in a single '\\n', fields in header order; count: its lines (every one a row);
    decimals: 2 when every principal has exactly 2 decimals, 0 when none has a decimal
    point, None otherwise; cents: the principals' total; blanks: the header's columns of
    NULL_WHEN_BLANK and `listed` that are blank on at least one line; build: the records
    once the file numbers are settled."""

    files: list[int] | None
    text: str
    count: int
    decimals: int | None
    cents: int
    blanks: frozenset[str]
    build: Build


def fast_chunk(text: str, validator: RowValidator) -> FastChunk | None:
    """The checked values of `text` (whole CSV lines), or None: take the row path for the
    exact messages."""
    names = validator.layout.names
    if not text.isascii():
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a lone '\r' fails the pattern
    if not text.endswith("\n"):
        text += "\n"
    match = _match(text, validator)
    if match is None:
        return None
    marks = {k for k, v in match.groupdict().items() if v is not None}
    if "leap_day" in marks:
        at = names.index("listed")
        days = set(column_values(text, at)[0]) - {""}
        if any(validator.iso(d) != d for d in days):
            return None
    if "file_given" in marks and "file_blank" in marks:
        return None  # some numbered, some blank: the row path assigns in line order
    at_principal = names.index("principal")
    if "file_given" in marks:
        at_file = names.index("file")
        both = column_values(text, *sorted((at_file, at_principal)))
        file_col, principal = both if at_file < at_principal else both[::-1]
        files: list[int] | None = list(map(int, file_col))
    else:
        files, principal = None, column_values(text, at_principal)[0]
    decimals: int | None
    if marks.isdisjoint(("cents_1", "cents_0")):
        decimals = 2
        total = sum(map(int, "\n".join(principal).replace(".", "").split()))
    elif marks.isdisjoint(("cents_1", "cents_2")):
        decimals, total = 0, sum(map(int, principal)) * 100
    else:
        decimals, total = None, sum(map(cents, principal))
    blanks = frozenset(n for n in (*NULL_WHEN_BLANK, "listed") if f"blank_{n}" in marks)
    return FastChunk(files, text, len(principal), decimals, total, blanks,
                     lambda numbers: _records(text, validator, numbers))


def _match(text: str, validator: RowValidator) -> re.Match[str] | None:
    """The chunk's match, its time zones checked (each distinct zone once per import)."""
    names = validator.layout.names
    if "timezone" in names:
        known = validator.valid_zones()
        if len(known) <= MAX_ZONES:
            match = lines_pattern(names, known).fullmatch(text)
            if match is not None:
                return match  # every zone one already found valid
    match = lines_pattern(names, None).fullmatch(text)
    if match is not None and "timezone" in names:
        zones = set(column_values(text, names.index("timezone"))[0]) - {""}
        if not all(map(validator.zone_ok, zones)):
            return None
    return match


def _records(text: str, validator: RowValidator, numbers: list[int]) -> list[Record]:
    """The chunk's records with their settled file numbers."""
    flat = text[:-1].replace("\n", ",").split(",")
    width = validator.layout.width
    column = {name: flat[k::width] for k, name in enumerate(validator.layout.names)}
    blank = [""] * len(numbers)
    get = [column.get(c, blank) for c in ("name", "status", "operator", "state", "country",
                                          "timezone", "email", "phone", "group", "listed")]
    get[9] = [d or validator.today for d in get[9]]
    return list(zip(numbers, get[0], map(cents, column["principal"]), *get[1:], strict=True))
