"""`schedule_if`: whether a plan event applies to a debtor (seed 002, Schedule If).

A condition compares one debtor field with a value using one of the seven operators of
the Event form: `=` `>` `<` `<>` `..` (within a range, inclusive, with value2) `>=` `<=`.
Values are typed by the field: money as money (`D()`, so "100" equals 100.00), dates as
ISO dates, numbers as numbers, text as text.

Text compares without case (`casefold`): plan files are typed by people while status
codes, operator ids and states are stored as the import or an operator typed them, so a
case-sensitive `status = "new"` would silently never match `NEW`. Nothing a collection
agency keeps in these fields differs by case alone.

A blank value ("") means "the field is empty": only `=` and `<>` take it. An empty
debtor field never satisfies `>`, `<`, `>=`, `<=` or `..`; it is `<>` any non-blank value.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from collectcli.domain.errors import InputError
from collectcli.domain.fields import KINDS, parse_value, resolve_field
from collectcli.domain.model import Condition, Debtor

OPERATORS = ("=", ">", "<", "<>", "..", ">=", "<=")

_Compiled = tuple[str, str, str, Any, Any]  # attr, kind, op, value, value2


def _typed(attr: str, text: str) -> Any:
    value = parse_value(attr, text)
    if KINDS[attr] in ("text", "mode") and value is not None:
        return str(getattr(value, "value", value)).casefold()
    return value


@lru_cache(maxsize=4096)
def _compile(cond: Condition) -> _Compiled:
    where = f"schedule_if {cond.field} {cond.op} '{cond.value}'"
    try:
        attr = resolve_field(cond.field)
        if cond.op not in OPERATORS:
            raise InputError(f"unknown operator '{cond.op}' (use one of {' '.join(OPERATORS)})")
        value = _typed(attr, cond.value)
        value2 = None
        if cond.op == "..":
            if cond.value2 is None or cond.value2.strip() == "":
                raise InputError("the range operator '..' needs value2 (the maximum)")
            value2 = _typed(attr, cond.value2)
        elif cond.value2 is not None:
            raise InputError(f"value2 is only for the range operator '..', not '{cond.op}'")
        if value is None and cond.op not in ("=", "<>"):
            raise InputError(f"a blank value only works with '=' or '<>', not '{cond.op}'")
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    return attr, KINDS[attr], cond.op, value, value2


def validate_condition(cond: Condition) -> None:
    """Raises InputError naming the field and value when the condition cannot be used."""
    _compile(cond)


def condition_holds(cond: Condition, debtor: Debtor) -> bool:
    """True when the debtor, as it is now, meets the condition."""
    attr, kind, op, value, value2 = _compile(cond)
    actual: Any = getattr(debtor, attr)
    if actual is not None and kind in ("text", "mode"):
        actual = str(getattr(actual, "value", actual)).casefold()
        if actual == "":
            actual = None
    if value is None:  # blank test
        return (actual is None) == (op == "=")
    if actual is None:
        return op == "<>"
    if op == "=":
        return bool(actual == value)
    if op == "<>":
        return bool(actual != value)
    if op == ">":
        return bool(actual > value)
    if op == "<":
        return bool(actual < value)
    if op == ">=":
        return bool(actual >= value)
    if op == "<=":
        return bool(actual <= value)
    return bool(value <= actual <= value2)
