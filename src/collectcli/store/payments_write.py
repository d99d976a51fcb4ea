"""Writing a chunk of plain payments (engine/payments_fast.FastEffects) in bulk.

`fast_statements` turns the effects into statements with their rows of plain values —
one `executemany` per statement shape: the debtors' paid and last payment date, the new
contacts (plan contacts, and the done copies of promises, copied in SQL from the promise
row with the columns a payment changes bound), the promises' changed columns, the
transactions (their ids were reserved before the engine ran) and the note lines. It
touches no database, so the rows can be built while another process writes the previous
ones (cli/payments_pipeline.py); `run_statements` executes them. A plan event's contact
is converted once per run and only its id, file and collector are set per row; like
store/apply.py, a contact binds only the columns that differ from the column's default.
The database holds exactly what `apply_workspace` would write for the same payments.
Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from itertools import compress
from operator import ne
from typing import Any

from sqlalchemy import Connection

from collectcli.domain.money import to_cents
from collectcli.domain.types import Status
from collectcli.engine.payments_fast import CopyOf, FastEffects
from collectcli.engine.plan_events import Prepared, contact_for
from collectcli.engine.promises import State
from collectcli.store import tables
from collectcli.store.accounts import placeholder
from collectcli.store.apply import column_defaults
from collectcli.store.ids import reserve_ids
from collectcli.store.rows import CONTACT_COLUMNS, copy_contact_sql, quoted
from collectcli.store.rowtuples import contact_values

SLICE = 10_000
Statement = tuple[str, list[tuple[Any, ...]]]
Shape = tuple[bool, ...]
_DEFAULTS = column_defaults(tables.contacts, CONTACT_COLUMNS)
_COLLECTOR = CONTACT_COLUMNS.index("collector")
_TXN_COLUMNS = ("id", "file", "type", "amount", "payment_date", "promise_id",
                "promise_before", "ref", "posted_date", "operator")


def run_statements(conn: Connection, statements: Iterable[Statement]) -> None:
    """Each statement with `executemany`, in order, at most SLICE rows at a time."""
    for sql, rows in statements:
        for i in range(0, len(rows), SLICE):
            conn.exec_driver_sql(sql, rows[i:i + SLICE])


def write_fast(conn: Connection, fx: FastEffects, now: datetime, operator: str) -> None:
    """Write the effects of `post_fast` (transactions carry their reserved ids)."""
    ids = reserve_ids(conn, "contacts", len(fx.contacts))
    run_statements(conn, fast_statements(fx, now, operator, ids, placeholder(conn)))


class _Days(dict[date | None, str | None]):
    """date -> ISO text, each distinct date formatted once."""

    def __missing__(self, value: date | None) -> str | None:
        text = self[value] = None if value is None else value.isoformat()
        return text


def literal(value: Any) -> str | None:
    """`value` as an SQL literal both SQLite and PostgreSQL read the same, or None when it
    must be bound (text with a NUL or a backslash, a type other than NULL, bool, int, str)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and "\x00" not in value and "\\" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def _values(p: str, items: Iterable[tuple[str, Any, bool]]) -> tuple[list[str], list[str],
                                                                     list[Any]]:
    """(columns, VALUES expressions, constants still to bind) for (column, value, per row):
    a value the same on every row is written into the statement when it can be."""
    cols, exprs, bound = [], [], []
    for col, value, per_row in items:
        cols.append(quoted(col))
        text = None if per_row else literal(value)
        exprs.append(p if text is None else text)
        if text is None and not per_row:
            bound.append(value)
    return cols, exprs, bound


def fast_statements(fx: FastEffects, now: datetime, operator: str,
                    contact_ids: Iterable[int], p: str) -> list[Statement]:
    """The statements writing `fx`; the new contacts take `contact_ids` in order; `p` is
    the driver's parameter marker. What is the same on every row (today, the operator, a
    plan event's contact but for its id, file and collector) is written into the
    statement as a literal where it can be, so less is bound row by row."""
    day = _Days()
    stamp = (now.date().isoformat(), now.strftime("%H:%M:%S"))
    out: list[Statement] = [
        (f"UPDATE debtors SET paid = {p}, last_payment_date = {p} WHERE file = {p}",
         [(paid, day[last], file) for file, paid, last, moved in fx.debtors if moved]),
        (f"UPDATE debtors SET paid = {p} WHERE file = {p}",
         [(paid, file) for file, paid, _, moved in fx.debtors if not moved]),
    ]
    new = _Contacts(p)
    copies: list[tuple[Any, ...]] = []
    for cid, c in zip(contact_ids, fx.contacts, strict=True):
        if isinstance(c, CopyOf):
            period = c.period
            copies.append((cid, day[period.due_date], _cents(period.amount), period.occurrence,
                           day[period.anchor_date], period.max_intervals, stamp[0], stamp[1],
                           operator, c.promise, c.txn, c.promise))
        else:
            new.add_event(cid, *c)
    out.extend(new.statements())
    out.append((_copy_sql(p), copies))
    out.extend(_promise_updates(p, fx.promises, day))
    cols, exprs, bound = _values(p, [
        *((c, None, True) for c in _TXN_COLUMNS[:8]), ("posted_date", stamp[0], False),
        ("operator", operator, False)])
    tail = tuple(bound)
    out.append((f"INSERT INTO transactions ({', '.join(cols)}) VALUES ({', '.join(exprs)})",
                [(tid, file, code, amount, day[paid_on], promise, before, ref, *tail)
                 for tid, file, code, amount, paid_on, promise, before, ref
                 in fx.transactions]))
    cols, exprs, bound = _values(p, [("file", None, True), ("text", None, True),
                                     ("date", stamp[0], False), ("time", stamp[1], False),
                                     ("operator", operator, False)])
    tail = tuple(bound)
    out.append((f"INSERT INTO notes ({', '.join(cols)}) VALUES ({', '.join(exprs)})",
                [(file, text, *tail) for file, text in fx.notes]))
    return [(sql, rows) for sql, rows in out if rows]


class _Contacts:
    """New plan contacts: one statement per plan event (and whether its collector is set),
    binding the id, the file, the collector and whatever cannot be a literal."""

    def __init__(self, p: str) -> None:
        self.p = p
        self.events: dict[tuple[int, bool], tuple[str, list[tuple[Any, ...]], tuple[Any, ...],
                                                  bool]] = {}

    def add_event(self, cid: int, p: Prepared, file: int, collector: str | None) -> None:
        key = (id(p), collector is None)
        found = self.events.get(key)
        if found is None:
            found = self.events[key] = self._statement(
                contact_values(contact_for(p, cid, file, collector)), collector is not None)
        _, rows, tail, with_collector = found
        rows.append((cid, file, collector, *tail) if with_collector else (cid, file, *tail))

    def _statement(self, values: list[Any], with_collector: bool) -> tuple[
            str, list[tuple[Any, ...]], tuple[Any, ...], bool]:
        """INSERT of one event's contacts: the columns not at their default, the id, the
        file and (when set) the collector bound per row."""
        per_row = {0, 1, _COLLECTOR} if with_collector else {0, 1}
        order = sorted(per_row) + [i for i, (v, d) in enumerate(zip(values, _DEFAULTS,
                                                                   strict=True))
                                   if i not in per_row and v != d]
        cols, exprs, bound = _values(self.p, [(CONTACT_COLUMNS[i], values[i], i in per_row)
                                              for i in order])
        sql = f"INSERT INTO contacts ({', '.join(cols)}) VALUES ({', '.join(exprs)})"
        return sql, [], tuple(bound), with_collector

    def statements(self) -> list[Statement]:
        return [(sql, rows) for sql, rows, _, _ in self.events.values()]


_COPY_SET = {
    "id": "{p}", "due_date": "{p}", "amount": "{p}", "occurrence": "{p}", "anchor_date": "{p}",
    "max_intervals": "{p}", "status": "'done'", "done_date": "{p}", "done_time": "{p}",
    "done_by": "{p}", "is_copy": "TRUE", "copy_of": "{p}", "made_by_txn": "{p}",
}


def _copy_sql(p: str) -> str:
    """A promise's done copy for a period met: every column from the promise but those a
    payment changes, which are bound (as engine/promises.apply_payment makes a copy)."""
    return copy_contact_sql({c: v.format(p=p) for c, v in _COPY_SET.items()},
                            f"FROM contacts WHERE id = {p}")


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else to_cents(amount)


def _clock(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M:%S")


def _status(value: Status) -> str:
    return value.value


def _promise_updates(p: str, promises: list[tuple[int, State, State]],
                     day: _Days) -> list[Statement]:
    """Each promise's changed columns (engine/promises.State), grouped by which changed."""
    convert: list[Callable[[Any], Any] | None] = [
        day.__getitem__, day.__getitem__, _cents, _status, day.__getitem__, _clock, None,
        None, None]
    shapes: dict[Shape, tuple[list[tuple[int, Callable[[Any], Any] | None]],
                              list[tuple[Any, ...]]]] = {}
    for pid, old, new in promises:
        shape = tuple(map(ne, old, new))
        found = shapes.get(shape)
        if found is None:
            found = shapes[shape] = ([(i, convert[i]) for i in compress(range(9), shape)], [])
        fields, rows = found
        rows.append((*[new[i] if fn is None else fn(new[i]) for i, fn in fields], pid))
    out: list[Statement] = []
    for shape, (_, rows) in shapes.items():
        sets = ", ".join(f"{c} = {p}" for c in compress(State._fields, shape))
        out.append((f"UPDATE contacts SET {sets} WHERE id = {p}", rows))
    return out


def reserve_transaction_ids(conn: Connection, count: int) -> list[int]:
    """Ids for the chunk's transactions, reserved before the engine posts them."""
    return reserve_ids(conn, "transactions", count)

