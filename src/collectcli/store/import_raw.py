"""Inserting a checked plain chunk of debtor CSV text as it is (SQLite; SPEC 14).

The chunk's fields are split and bound straight from the text, only the header's
columns, many rows to a statement; SQL turns them into stored values: a blank field is
NULL, a principal '12.34' (or '12') becomes integer cents exactly (string work and
integer casts, no floats), a blank `listed` is today, and a blank or absent file number
is NULL, so SQLite gives the next rowid: one more than the highest so far, which is the
number the checker assigned.

Each value costs only what its chunk needs: a column with no blank field in the chunk
is bound as it is (no NULLIF), file numbers that are all given are cast, not tested for
blank. The statement for each shape of chunk is built once.
"""

from __future__ import annotations

from sqlalchemy import Connection

from collectcli.domain.debtor_stream import RawChunk

_PARAMETERS = 2_400  # per statement: far under SQLite's 32,766
_COLUMN = {"group": "group_key", "listed": "listed_date"}


class RawInsert:
    """INSERT statements for one header's layout; `today` is an ISO date."""

    def __init__(self, header: tuple[str, ...], today: str):
        assert len(today) == 10 and today.replace("-", "").isdigit(), today
        self.header, self.today = header, today
        self.width = len(header)
        self.per = max(1, _PARAMETERS // self.width)
        columns = [_COLUMN.get(h, h) for h in header]
        if "listed" not in header:
            columns.append("listed_date")
        self.head = f"INSERT INTO debtors ({', '.join(columns)}) VALUES "
        self.rows: dict[tuple[int, bool, frozenset[str]], str] = {}

    def row(self, chunk: RawChunk) -> str:
        """The VALUES tuple for the chunk's shape: its decimals, numbering and blanks."""
        key = (chunk.decimals, chunk.numbered, chunk.blanks)
        got = self.rows.get(key)
        if got is None:
            today = self.today
            exprs = {
                "file": "CAST(? AS INTEGER)" if chunk.numbered
                else "CAST(NULLIF(?, '') AS INTEGER)",
                "name": "?",
                "principal": "CAST(REPLACE(?, '.', '') AS INTEGER)" if chunk.decimals == 2
                else "CAST(? AS INTEGER) * 100",
                "listed": f"COALESCE(NULLIF(?, ''), '{today}')" if "listed" in chunk.blanks
                else "?",
            }
            fields = [exprs.get(h) or ("NULLIF(?, '')" if h in chunk.blanks else "?")
                      for h in self.header]
            if "listed" not in self.header:
                fields.append(f"'{today}'")
            got = self.rows[key] = "(" + ", ".join(fields) + ")"
        return got

    def bind(self, chunk: RawChunk) -> Bound:
        """The chunk's statements with their parameters: the Python half of the insert,
        which needs no connection (so it can run while the connection works on SQL)."""
        row = self.row(chunk)
        flat = chunk.text[:-1].replace("\n", ",").split(",")
        step = self.per * self.width
        whole = len(flat) - len(flat) % step
        bound = Bound()
        if whole:
            bound.many = (self.head + ", ".join([row] * self.per),
                          [tuple(flat[i:i + step]) for i in range(0, whole, step)])
        if whole < len(flat):
            rest = flat[whole:]
            bound.rest = (self.head + ", ".join([row] * (len(rest) // self.width)),
                          tuple(rest))
        return bound


class Bound:
    """A chunk's INSERT statements with their parameters, ready to run."""

    many: tuple[str, list[tuple[str, ...]]] | None = None
    rest: tuple[str, tuple[str, ...]] | None = None

    def run(self, conn: Connection) -> None:
        if self.many is not None:
            conn.exec_driver_sql(*self.many)
        if self.rest is not None:
            conn.exec_driver_sql(*self.rest)
