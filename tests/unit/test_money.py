"""Money: Decimal from strings through one helper, integer cents in storage, never a float."""

from __future__ import annotations

from decimal import Decimal

import pytest

from collectcli.domain.errors import InputError
from collectcli.domain.money import D, cents, fmt, from_cents, to_cents


@pytest.mark.parametrize(
    ("text", "expected"),
    [("150", 15000), ("150.5", 15050), ("150.05", 15005), ("-3.25", -325), ("0", 0),
     (" 7.10 ", 710), ("+1.00", 100)],
)
def test_money_text_becomes_exact_cents(text: str, expected: int) -> None:
    assert cents(text) == expected


@pytest.mark.parametrize("text", ["1.234", "1e3", "1,000.00", "12.", ".5", "abc", "", "1 000"])
def test_money_with_three_decimals_exponents_or_separators_is_refused(text: str) -> None:
    """SPEC 12: 'at most 2 decimals, no floats, no thousands separators surprises'."""
    with pytest.raises(InputError):
        cents(text)


def test_a_float_is_never_money() -> None:
    with pytest.raises(InputError):
        D(0.1)  # type: ignore[arg-type]


def test_cents_round_trip_without_loss() -> None:
    for value in ("0.01", "19.99", "1000000.00", "-0.10"):
        assert from_cents(to_cents(D(value))) == D(value)
    assert D("0.1") + D("0.2") == D("0.3")


def test_json_money_has_two_decimals() -> None:
    assert fmt(Decimal("150")) == "150.00"
    assert fmt(None) is None
