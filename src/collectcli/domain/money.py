"""Money is Decimal, built from strings through one helper, stored as integer cents.

Floats never enter: `D()` refuses them, and text with more than two decimals,
exponents or thousands separators is an error, not a rounding.
"""

from __future__ import annotations

import re
from decimal import Decimal

from collectcli.domain.errors import InputError

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
_MONEY_RE = re.compile(r"^([+-]?)(\d+)(?:\.(\d{1,2}))?$")


def D(value: str | int | Decimal) -> Decimal:
    """A money amount from text, an int or a Decimal, quantized to cents.

    Raises InputError for floats, more than two decimals, exponents, separators.
    """
    if isinstance(value, (bool, float)):
        raise InputError(f"money must be written as text, not the float {value!r}")
    if isinstance(value, Decimal):
        if value != value.quantize(CENT):
            raise InputError(f"'{value}' has more than 2 decimals")
        return value.quantize(CENT)
    if isinstance(value, int):
        return Decimal(value).quantize(CENT)
    return (Decimal(cents(value)) / 100).quantize(CENT)


def cents(text: str) -> int:
    """Integer cents from money text like '150', '150.5', '-3.25'. Strict: see D()."""
    m = _MONEY_RE.match(text.strip())
    if m is None:
        raise InputError(f"'{text}' is not an amount of money (write it like 1234.56)")
    sign, whole, frac = m.groups()
    value = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    return -value if sign == "-" else value


def to_cents(amount: Decimal) -> int:
    """Integer cents of a Decimal that already has at most two decimals."""
    return int(amount.quantize(CENT) * 100)


def from_cents(value: int) -> Decimal:
    """The Decimal amount of integer cents."""
    return (Decimal(value) / 100).quantize(CENT)


def fmt(amount: Decimal | None) -> str | None:
    """Money as JSON shows it: a string with two decimals ('150.00'), None stays None."""
    return None if amount is None else f"{amount.quantize(CENT):.2f}"
