"""Validating the rows of a debtor CSV (SPEC 11, 12): pure, fast, errors as values.

`read_header` checks the header once (an unknown, missing or repeated column stops the
file: InputError). `RowValidator` turns one row of text into a `Record`, a plain tuple in
`RECORD_FIELDS` order ready to insert, or into a list of `(column, reason)` problems.
domain/debtor_files.py assigns blank file numbers and finds duplicates within the file.

The hot loop runs a million times, so this is plain string work: cents are parsed with
integer arithmetic, dates with `date.fromisoformat`, and time zones and dates are cached.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectcli.domain.debtor_files import MAX_FILE
from collectcli.domain.errors import InputError

COLUMNS = ("file", "name", "principal", "status", "operator", "state", "country",
           "timezone", "email", "phone", "group", "listed")
REQUIRED = ("name", "principal")
RECORD_FIELDS = ("file", "name", "principal", "status", "operator", "state", "country",
                 "timezone", "email", "phone", "group_key", "listed_date")
"""Record = (file | None, name, principal in integer cents, status, operator, state,
country, timezone, email, phone, group_key, listed_date as ISO text): the columns in
COLUMNS order. Blank optional text is '' or None; the store writes both as NULL."""

Record = tuple[int | None, str, int, str | None, str | None, str | None, str | None,
               str | None, str | None, str | None, str | None, str]
Problem = tuple[str, str]  # (column, reason)

MAX_LENGTH = {"name": 200, "status": 32, "operator": 16, "state": 32, "country": 32,
              "timezone": 64, "email": 200, "phone": 40, "group": 64}
_SHORTEST = min(MAX_LENGTH.values())
MAX_WHOLE_DIGITS = 13  # 9,999,999,999,999.99 fits any BIGINT of cents


class Layout:
    """Where each known column sits in the file's rows."""

    def __init__(self, header: list[str]):
        names = [h.strip().lower() for h in header]
        unknown = [h for h in names if h not in COLUMNS]
        if unknown:
            raise InputError(f"unknown column(s) {', '.join(repr(u) for u in unknown)} in the "
                             f"header (known: {', '.join(COLUMNS)})")
        repeated = sorted({h for h in names if names.count(h) > 1})
        if repeated:
            raise InputError(f"column(s) {', '.join(repeated)} appear more than once in the header")
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise InputError(f"the header has no {' or '.join(missing)} column "
                             f"(required: {', '.join(REQUIRED)})")
        self.width = len(names)
        self.names = tuple(names)  # the header's columns in file order
        self.present = tuple(c for c in COLUMNS if c in names)
        # An absent column reads index `width`: the blank the validator appends to each row.
        self.getter = itemgetter(*(names.index(c) if c in names else self.width
                                   for c in COLUMNS))


def read_header(header: list[str]) -> Layout:
    """The layout of a file from its header row; a bad header is an InputError."""
    if not any(h.strip() for h in header):
        raise InputError("the first line must be a header naming the columns "
                         f"({', '.join(COLUMNS)})")
    return Layout(header)


def money_cents(text: str) -> int | str:
    """Integer cents of a non-negative amount like '150' or '150.5', or the reason it is not."""
    whole, dot, frac = text.partition(".")
    if (whole.isdigit() and whole.isascii() and len(whole) <= MAX_WHOLE_DIGITS
            and (not dot or (frac.isdigit() and frac.isascii() and len(frac) <= 2))):
        return int(whole) * 100 + (int(frac) * (10 if len(frac) == 1 else 1) if frac else 0)
    return _why_not_money(text)


def _why_not_money(text: str) -> str:
    if text == "":
        return "is required (an amount like 1234.56)"
    if text.startswith("-"):
        return f"'{text}' is negative; a principal is 0 or more"
    if "," in text:
        return f"'{text}' has a thousands separator; write it without (1000.00)"
    if "e" in text.lower() and any(ch.isdigit() for ch in text):
        return f"'{text}' is exponent notation; write the amount in digits (1000.00)"
    whole, _, frac = text.partition(".")
    if whole.isdigit() and frac.isdigit() and len(frac) > 2:
        return f"'{text}' has more than 2 decimals"
    if whole.isdigit() and len(whole) > MAX_WHOLE_DIGITS:
        return f"'{text}' is too large"
    return f"'{text}' is not an amount of money (write it like 1234.56)"


def iso_date(text: str) -> str | None:
    """`text` as a canonical ISO date, or None when it is not YYYY-MM-DD."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def valid_timezone(name: str) -> bool:
    """True for an IANA zone name zoneinfo knows (America/New_York)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


class RowValidator:
    """Validates rows laid out as `layout`; a blank `listed` becomes `today`."""

    def __init__(self, layout: Layout, today: date):
        self.layout = layout
        self.today = today.isoformat()
        self._zones: dict[str, bool] = {}
        self._dates: dict[str, str | None] = {}

    def zone_ok(self, tz: str) -> bool:
        ok = self._zones.get(tz)
        if ok is None:
            ok = self._zones[tz] = valid_timezone(tz)
        return ok

    def valid_zones(self) -> tuple[str, ...]:
        """The zones found valid so far, longest first."""
        return tuple(sorted((z for z, ok in self._zones.items() if ok),
                            key=lambda z: (-len(z), z)))

    def iso(self, text: str) -> str | None:
        if text not in self._dates:
            self._dates[text] = iso_date(text)
        return self._dates[text]

    def __call__(self, row: list[str]) -> Record | list[Problem]:
        if len(row) != self.layout.width:
            return [("*", f"{len(row)} fields where the header has {self.layout.width}")]
        row.append("")
        values = [v.strip() for v in self.layout.getter(row)]
        del row[-1]
        (file_s, name, principal_s, status, operator, state, country, tz, email, phone,
         group, listed_s) = values
        problems: list[Problem] = []
        file: int | None = None
        if file_s:
            if file_s.isdigit() and file_s.isascii() and 0 < int(file_s) <= MAX_FILE:
                file = int(file_s)
            else:
                problems.append(("file", f"'{file_s}' is not a file number (1 to {MAX_FILE})"))
        if not name:
            problems.append(("name", "is required"))
        principal = money_cents(principal_s)
        if type(principal) is str:
            problems.append(("principal", principal))
        if max(map(len, values)) > _SHORTEST:
            for col, text in zip(COLUMNS, values, strict=True):
                limit = MAX_LENGTH.get(col)
                if limit is not None and len(text) > limit:
                    problems.append((col, f"is longer than {limit} characters"))
        if tz and not self.zone_ok(tz):
            problems.append(("timezone", f"'{tz}' is not an IANA time zone (America/New_York)"))
        if email and "@" not in email:
            problems.append(("email", f"'{email}' is not an e-mail address"))
        listed = self.today
        if listed_s:
            got = self.iso(listed_s)
            if got is None:
                problems.append(("listed", f"'{listed_s}' is not a date (YYYY-MM-DD)"))
            else:
                listed = got
        if problems:
            return problems
        assert type(principal) is int
        return (file, name, principal, status, operator, state, country, tz, email, phone,
                group, listed)
