"""Contact types and their Collect! codes (seed 004, SPEC 6)."""

from __future__ import annotations

import pytest

from collectcli.domain.errors import InputError
from collectcli.domain.types import (
    AUTOMATIC_TYPES,
    ContactType,
    is_automatic,
    parse_contact_type,
    parse_repeat,
    type_label,
)


def test_contact_type_codes_match_collect() -> None:
    """SPEC 6: Letter 0, Phone 1, Status 2, Promise 3, Plan 4, ... EmailIn 27."""
    expected = {"Letter": 0, "Phone": 1, "Status": 2, "Promise": 3, "Plan": 4, "Review": 5,
                "Other": 6, "Note": 7, "Close": 8, "Metro": 10, "Edit": 11, "Activate": 12,
                "Operator": 13, "Sales": 14, "Transaction": 15, "Commission": 16,
                "RatePlan": 17, "Export": 18, "Email": 19, "Client": 20, "ODBC": 21, "Text": 22,
                "OperatorViewed": 23, "TextIn": 24, "PhoneIn": 25, "LetterIn": 26, "EmailIn": 27}
    assert {t.label: int(t) for t in ContactType} == expected


def test_contact_type_names_are_case_insensitive_on_input() -> None:
    assert parse_contact_type("note") == 7
    assert parse_contact_type("RATEPLAN") == 17
    assert parse_contact_type("Rate Plan") == 17
    assert parse_contact_type("Text/SMS") == 22


def test_custom_types_are_50_and_up() -> None:
    """Seed 004: 'create a new type with the value of 50 or higher'."""
    assert parse_contact_type("50") == 50
    assert type_label(51) == "Custom51"
    with pytest.raises(InputError):
        parse_contact_type("40")
    with pytest.raises(InputError):
        parse_contact_type("Fax")


def test_automatic_types_are_the_ones_the_batch_executes() -> None:
    """SPEC 7: Activate, Close, Commission, Edit, Note, Operator, Plan, RatePlan, Sales,
    Status, Transaction, Export."""
    assert {t.label for t in AUTOMATIC_TYPES} == {
        "Activate", "Close", "Commission", "Edit", "Note", "Operator", "Plan", "RatePlan",
        "Sales", "Status", "Transaction", "Export"}
    assert not is_automatic(ContactType.PHONE)


def test_repeat_names() -> None:
    assert parse_repeat("Monthly") is not None
    assert parse_repeat("") is None
    with pytest.raises(InputError):
        parse_repeat("fortnightly")
