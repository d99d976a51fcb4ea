"""`schedule_if` conditions (seed 002, Schedule If / Comparison Operator / Value 1, 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from collectcli.domain.errors import InputError
from collectcli.domain.model import Condition, Debtor
from collectcli.domain.types import Mode
from collectcli.engine.conditions import condition_holds, validate_condition

DEBTOR = Debtor(
    7, "Sam Jones", status="NEW", operator="JS", state="NY", principal=Decimal("150.00"),
    fees=Decimal("10.00"), paid=Decimal("60.00"), listed_date=date(2026, 1, 15),
    commission_rate=Decimal("33"),
)  # owing = 100.00


@pytest.mark.parametrize(("field", "op", "value", "value2", "holds"), [
    ("owing", "=", "100", None, True),
    ("owing", "=", "100.00", None, True),
    ("owing", ">", "99.99", None, True),
    ("owing", ">", "100", None, False),
    ("owing", "<", "100.01", None, True),
    ("owing", "<>", "100", None, False),
    ("owing", ">=", "100", None, True),
    ("owing", "<=", "99", None, False),
    ("owing", "..", "50", "100", True),
    ("owing", "..", "100", "200", True),
    ("owing", "..", "100.01", "200", False),
    ("principal", "=", "150", None, True),
    ("paid", ">", "0", None, True),
    ("fees", "=", "10", None, True),
    ("interest", "=", "0", None, True),
    ("listed_date", "<", "2026-02-01", None, True),
    ("listed_date", "..", "2026-01-01", "2026-01-15", True),
    ("listed_date", ">", "2026-01-15", None, False),
    ("commission_rate", ">=", "33", None, True),
    ("file", "=", "7", None, True),
    ("mode", "=", "active", None, True),
])  # fmt: skip
def test_the_seven_operators_compare_typed_values(field: str, op: str, value: str,
                                                  value2: str | None, holds: bool) -> None:
    """Seed 002: "= Equal to, > Greater than, < Less than, <> Not equal to, .. Within a
    range, >= Greater than or equal to, <= Less than or equal to"; "When the 'If' field has
    'Within a range' selected, the 'Value 1' field is the minimum value of the range"."""
    assert condition_holds(Condition(field, op, value, value2), DEBTOR) is holds


@pytest.mark.parametrize(("op", "value", "holds"), [
    ("=", "new", True), ("=", "NEW", True), ("<>", "New", False), ("<>", "PRB", True),
    (">", "MAA", True), ("<", "mab", False),
])  # fmt: skip
def test_text_compares_without_case(op: str, value: str, holds: bool) -> None:
    """Seed 002: the 'Schedule if' field is compared to Value 1; text compares without case
    so a plan's `status = "new"` matches the code NEW."""
    assert condition_holds(Condition("status", op, value), DEBTOR) is holds


def test_a_blank_value_tests_for_an_empty_field() -> None:
    """Seed 002, Value 1: a blank value compares with an empty field (= blank, <> blank)."""
    assert condition_holds(Condition("email", "=", ""), DEBTOR)
    assert not condition_holds(Condition("status", "=", ""), DEBTOR)
    assert condition_holds(Condition("status", "<>", ""), DEBTOR)


def test_an_empty_field_never_satisfies_an_ordering() -> None:
    """Seed 002: a comparison needs a value to compare; an empty date is no date."""
    assert not condition_holds(Condition("closed_date", "<", "2030-01-01"), DEBTOR)
    assert condition_holds(Condition("closed_date", "<>", "2030-01-01"), DEBTOR)


def test_conditions_see_the_debtor_as_it_is_now() -> None:
    """SPEC 5.4: "`schedule_if` is evaluated against the debtor now"."""
    closed = Debtor(1, "x", mode=Mode.CLOSED, principal=Decimal("0"))
    assert condition_holds(Condition("mode", "=", "CLOSED"), closed)
    assert condition_holds(Condition("owing", "=", "0"), closed)


def test_field_names_aliases_and_printable_codes_are_accepted() -> None:
    """Seed 004: "The field name is the name that appears on the Debtor form ... Or, you can
    use the printable field code for the field"."""
    assert condition_holds(Condition("Listed Date", "=", "2026-01-15"), DEBTOR)
    assert condition_holds(Condition("listed", "=", "2026-01-15"), DEBTOR)
    assert condition_holds(Condition("@de.st", "=", "NEW"), DEBTOR)


@pytest.mark.parametrize(("cond", "words"), [
    (Condition("shoe_size", "=", "9"), ["shoe_size"]),
    (Condition("owing", "=", "lots"), ["owing", "lots"]),
    (Condition("owing", "=", "1.005"), ["owing", "1.005"]),
    (Condition("listed_date", ">", "03/10/2026"), ["listed_date", "03/10/2026"]),
    (Condition("owing", "~", "1"), ["'~'"]),
    (Condition("owing", "..", "1"), ["value2"]),
    (Condition("owing", ">", "1", "2"), ["value2"]),
    (Condition("owing", ">", ""), ["blank"]),
])  # fmt: skip
def test_an_unknown_field_or_bad_value_is_an_error_naming_them(cond: Condition,
                                                               words: list[str]) -> None:
    """SPEC 3: errors "name the file, the event index and the key"; the condition names its
    field and value for the plan file validation to place."""
    with pytest.raises(InputError) as err:
        validate_condition(cond)
    for word in words:
        assert word in str(err.value)
    with pytest.raises(InputError):
        condition_holds(cond, DEBTOR)
