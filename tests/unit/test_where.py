"""`--where` filters (SPEC 11 `debtor list [--where F]`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from collectcli.domain.errors import InputError
from collectcli.domain.where import Filter, parse_where


def test_parts_joined_by_comma_are_and_and_values_are_typed_by_field() -> None:
    got = parse_where("status=NEW, owing>100,listed>=2026-01-01,file<>7")
    assert got == (Filter("status", "text", "=", "NEW"),
                   Filter("owing", "money", ">", Decimal("100.00")),
                   Filter("listed_date", "date", ">=", date(2026, 1, 1)),
                   Filter("file", "int", "<>", 7))


def test_a_blank_value_means_empty_and_takes_only_equals_or_differs() -> None:
    assert parse_where("email=")[0].value is None
    with pytest.raises(InputError, match="blank"):
        parse_where("email>")


@pytest.mark.parametrize("text,named", [
    ("status=NEW,shoe>3", "shoe>3"), ("owing>1.234", "owing>1.234"),
    ("listed>03/01/2026", "listed>03/01/2026"), ("status~NEW", "status~NEW"),
    ("owing>1e3", "owing>1e3"), ("file=abc", "file=abc"),
])
def test_a_bad_filter_names_the_part_that_is_wrong(text: str, named: str) -> None:
    with pytest.raises(InputError, match=f"'{named}'"):
        parse_where(text)


def test_an_empty_where_is_no_filter() -> None:
    assert parse_where("  ") == ()
