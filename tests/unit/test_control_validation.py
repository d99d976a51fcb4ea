"""The validation end date (seed 003, Validation Report; SPEC 9)."""

from __future__ import annotations

from datetime import date

import holidays

from collectcli.domain.control import ControlRule
from collectcli.domain.types import ContactType
from collectcli.engine.control import near_match, validation_end, validation_update
from tests.unit.control_helpers import debtor, pending


def us_provider(country: str):
    return holidays.country_holidays(country)


def test_validation_business_days_skip_thanksgiving():
    """Seed 003: 'add 5 days (excluding Saturday, Sunday, and holidays), then add 30 days
    (including weekends and holidays)'. Week of Thanksgiving 2026-11-26."""
    # Mon 23 Nov: Tue 24 (1), Wed 25 (2), Thu 26 Thanksgiving, Fri 27 (3), Mon 30 (4),
    # Tue 1 Dec (5); + 30 calendar days = Thu 31 Dec.
    assert validation_end(date(2026, 11, 23), 5, 30, "US", us_provider) == date(2026, 12, 31)
    # The same week without holidays ends one day earlier.
    assert validation_end(date(2026, 11, 23), 5, 30, "US", lambda _c: set()) == date(2026, 12, 30)


def test_validation_business_days_skip_weekends():
    """Seed 003 'Validation Business Days': 'excluding Saturday, Sunday, and holidays'."""
    # Fri 6 Mar 2026 + 5 business days = Fri 13 Mar; + 30 = Sun 12 Apr.
    assert validation_end(date(2026, 3, 6), 5, 30, None, us_provider) == date(2026, 4, 12)


def test_validation_holidays_are_the_debtors_countrys_us_by_default():
    """SPEC 9: 'holidays from the holidays package for the debtor's country, US by default'."""
    asked = []

    def provider(country: str):
        asked.append(country)
        return set()

    validation_end(date(2026, 3, 6), 1, 0, None, provider)
    validation_end(date(2026, 3, 6), 1, 0, "CA", provider)
    assert asked == ["US", "CA"]


def test_sending_the_validation_letter_sets_the_validation_end():
    """Seed 003: 'when a letter is sent ... Collect! will update the Validation Date ... with
    the send date plus the number of business and calendar days'; 'near match on the name'
    for cosigner and language variants."""
    rule = ControlRule(type="Letter", max_total=99, validation_letter="Letter1",
                       validation_business_days=5, validation_calendar_days=30)
    letter = pending(1, ContactType.LETTER, date(2026, 11, 23), description="Letter 1 - Cosigner")
    assert validation_update([rule], debtor(), letter, date(2026, 11, 23),
                             us_provider) == date(2026, 12, 31)
    other = pending(1, ContactType.LETTER, date(2026, 11, 23), description="Letter10")
    assert validation_update([rule], debtor(), other, date(2026, 11, 23), us_provider) is None
    email = pending(1, ContactType.EMAIL, date(2026, 11, 23), description="Letter1")
    assert validation_update([rule], debtor(), email, date(2026, 11, 23), us_provider) is None


def test_near_match_ignores_case_spaces_and_suffixed_variants():
    """Seed 003: 'Collect! will use a near match on the name'."""
    assert near_match("Letter1", "letter 1")
    assert near_match("Letter1", "LETTER1_es")
    assert not near_match("Letter1", "Letter12")
    assert not near_match("Letter1", "Letter")
