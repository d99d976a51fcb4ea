"""`--where` filters (domain/where.py) compiled to a SQLAlchemy clause over `debtors`.

Field names map to Column objects (owing to an expression over them); no name a user
typed ever reaches SQL as text, and every value is a bound parameter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, true

from collectcli.domain.money import to_cents
from collectcli.domain.where import Filter
from collectcli.store import tables as t

_d = t.debtors.c
OWING = _d.principal + _d.fees + _d.interest - _d.paid
"""owing = principal + fees + interest − paid, in integer cents."""


def column_for(field: str) -> ColumnElement[Any]:
    if field == "owing":
        return OWING
    return _d[field]


def compile_where(filters: tuple[Filter, ...]) -> ColumnElement[bool]:
    """One clause: every filter must hold (AND); no filter is TRUE."""
    if not filters:
        return true()
    return and_(*(_clause(f) for f in filters))


def _clause(f: Filter) -> ColumnElement[bool]:
    col = column_for(f.field)
    if f.value is None:  # blank: empty or not
        empty = or_(col.is_(None), col == "") if f.kind == "text" else col.is_(None)
        return empty if f.op == "=" else ~empty
    value: Any = f.value
    if f.kind == "money":
        value = to_cents(value)
    elif f.kind == "text":
        col = func.lower(col)
        value = str(value).lower()
    clause = _compare(col, f.op, value)
    if f.op == "<>":  # an empty field differs from any value
        return or_(column_for(f.field).is_(None), clause)
    return clause


def _compare(col: ColumnElement[Any], op: str, value: Any) -> ColumnElement[bool]:
    clause: ColumnElement[bool]
    if op == "=":
        clause = col == value
    elif op == "<>":
        clause = col != value
    elif op == ">":
        clause = col > value
    elif op == "<":
        clause = col < value
    elif op == ">=":
        clause = col >= value
    else:
        clause = col <= value
    return clause
