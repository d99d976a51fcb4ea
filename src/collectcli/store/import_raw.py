"""Inserting a checked plain chunk of debtor CSV text as it is (SQLite; SPEC 14).

The chunk's fields are split and bound straight from the text, only the header's
columns, many rows to a statement; SQL turns them into stored values: a blank field is
NULL, a principal '12.34' (or '12') becomes integer cents exactly (string work and
integer casts, no floats), a blank `listed` is today, and a blank or absent file number
is NULL, so SQLite gives the next rowid: one more than the highest so far, which is the
number the checker assigned.
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
        self.width = len(header)
        self.per = max(1, _PARAMETERS // self.width)
        columns = [_COLUMN.get(h, h) for h in header]
        fixed = "" if "listed" in header else f", '{today}'"
        if "listed" not in header:
            columns.append("listed_date")
        self.head = f"INSERT INTO debtors ({', '.join(columns)}) VALUES "
        self.rows: dict[int, str] = {}
        for decimals, principal in ((2, "CAST(REPLACE(?, '.', '') AS INTEGER)"),
                                    (0, "CAST(? AS INTEGER) * 100")):
            exprs = {"file": "CAST(NULLIF(?, '') AS INTEGER)", "name": "?",
                     "principal": principal,
                     "listed": f"COALESCE(NULLIF(?, ''), '{today}')"}
            self.rows[decimals] = "(" + ", ".join(
                exprs.get(h, "NULLIF(?, '')") for h in header) + fixed + ")"

    def insert(self, conn: Connection, chunk: RawChunk) -> None:
        row = self.rows[chunk.decimals]
        flat = chunk.text[:-1].replace("\n", ",").split(",")
        step = self.per * self.width
        whole = len(flat) - len(flat) % step
        if whole:
            conn.exec_driver_sql(self.head + ", ".join([row] * self.per),
                                 [tuple(flat[i:i + step]) for i in range(0, whole, step)])
        if whole < len(flat):
            rest = flat[whole:]
            conn.exec_driver_sql(self.head + ", ".join([row] * (len(rest) // self.width)),
                                 tuple(rest))
