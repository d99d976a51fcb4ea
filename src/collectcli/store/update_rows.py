"""UPDATE statements that set only the columns that changed.

A changed row is compared with the row as it was loaded, field by field in C
(`map(operator.ne, old, new)`); rows that changed the same columns share one
`UPDATE … SET changed columns … WHERE key = ?` run with `executemany`. Setting fewer
columns binds and converts less, and SQLite then touches only the indexes over the
columns that are set (a payment moves a promise's due date and amount, never its file).
A row with nothing to compare against is written whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress
from operator import ne
from typing import Any

from sqlalchemy import Connection

Conv = Callable[[Any], Any]
Shape = tuple[bool, ...]


def _q(col: str) -> str:
    return '"class"' if col == "class" else col


class ChangedRows:
    """Changed rows of one table, grouped by the set of columns that changed."""

    def __init__(self, table: str, columns: Sequence[str], key: str,
                 get: Callable[[Any], tuple[Any, ...]], out: dict[int, Conv],
                 refs: Sequence[int] = ()):
        self.table, self.columns, self.get, self.out = table, tuple(columns), get, out
        self.refs = frozenset(refs)
        self.key = columns.index(key)
        self.whole: Shape = tuple(i != self.key for i in range(len(columns)))
        self.shapes: dict[Shape, list[list[Any]]] = {}

    def add(self, old: Any | None, new: Any) -> None:
        """Queue `new` for writing; `old` is the record as stored (None: write it whole)."""
        values = self.get(new)
        if old is None:
            shape = self.whole
        else:
            shape = tuple(map(ne, self.get(old), values))
            if True not in shape:
                return
        rows = self.shapes.get(shape)
        if rows is None:
            rows = self.shapes[shape] = []
        row = list(compress(values, shape))
        row.append(values[self.key])
        rows.append(row)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.shapes.values())

    def write(self, conn: Connection, p: str, ids: dict[int, int],
              many: Callable[[Connection, str, list[Any]], None]) -> None:
        """Convert and run every queued update; temporary ids in reference columns are
        swapped through `ids`."""
        for shape, rows in self.shapes.items():
            where = list(compress(range(len(self.columns)), shape))
            conv = [(j, self.out[i]) for j, i in enumerate(where) if i in self.out]
            refs = [j for j, i in enumerate(where) if i in self.refs]
            bound: list[tuple[Any, ...]] = []
            for row in rows:
                for j, fn in conv:
                    v = row[j]
                    if v is not None:
                        row[j] = fn(v)
                for j in refs:
                    v = row[j]
                    if v is not None and v < 0:
                        row[j] = ids.get(v)
                bound.append(tuple(row))
            sets = ", ".join(f"{_q(self.columns[i])} = {p}" for i in where)
            many(conn, f"UPDATE {self.table} SET {sets} WHERE {_q(self.columns[self.key])} "
                       f"= {p}", bound)
