"""Contact control decisions (SPEC 9, seed 003): counting, holds, call windows, SMS."""

from __future__ import annotations

import time as systime
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from collectcli.domain.control import ControlRule
from collectcli.domain.types import ContactType
from collectcli.engine.control import applicable_rules, can_contact, hold_until, letter_hold
from tests.unit.control_helpers import PHONE_RULE, calls, debtor, done

UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")
NOON = datetime(2026, 3, 10, 12, 0)  # 12:00 New York time when read in New York
PHONE = ContactType.PHONE


def check(rules, d, history, now=NOON, zone=NY, type_code=PHONE):
    return can_contact(rules, d, type_code, history, now, zone)


def days_before(today: date, n: int) -> list[date]:
    return [today - timedelta(days=i) for i in range(n)]


def test_seventh_call_in_seven_days_is_allowed_and_the_eighth_is_not():
    """Seed 003: 'Max Total Contacts: the maximum number of contacts that can appear in the
    period'; SPEC 9 regf: 'at most 7 calls in 7 days'."""
    d = debtor()
    six = calls(1, days_before(NOON.date(), 6))
    assert check([PHONE_RULE], d, six) == (True, [])
    seven = calls(1, days_before(NOON.date(), 7))
    allowed, reasons = check([PHONE_RULE], d, seven)
    assert not allowed
    assert reasons[0].startswith("max reached: 7 Phone contacts in the 7 days "
                                 "2026-03-04..2026-03-10")


def test_week_is_the_seven_consecutive_days_ending_on_the_day_checked():
    """SPEC 15: '"Week" in contact control is a rolling 7-day window'."""
    old = calls(1, [NOON.date() - timedelta(days=7)] * 7)  # the 8th day back: outside
    assert check([PHONE_RULE], debtor(), old).allowed


def test_month_period_is_the_calendar_month():
    """SPEC 9: 'month = the calendar month'."""
    rule = ControlRule(type="Letter", max_total=2, period="month")
    d = debtor()
    march = [done(1, ContactType.LETTER, date(2026, 3, 1)), done(1, ContactType.LETTER,
                                                                  date(2026, 3, 2))]
    february = [done(1, ContactType.LETTER, date(2026, 2, 27)) for _ in range(5)]
    assert not check([rule], d, march, type_code=ContactType.LETTER).allowed
    assert check([rule], d, february, type_code=ContactType.LETTER).allowed


def test_phone_counts_only_attempt_and_rpc_results():
    """SPEC 9: 'Phone counts done Phone contacts whose call result is an attempt or RPC'."""
    noise = calls(1, days_before(NOON.date(), 7), result="0") + calls(1, [NOON.date()], "125")
    assert check([PHONE_RULE], debtor(), noise).allowed


def test_day_seven_after_an_rpc_is_blocked_and_day_eight_is_free():
    """Seed 003 'Hold For': 'the number of days that you must wait before you can call them
    again'; SPEC 9: 'the day of the conversation is day 1 and calls are blocked through day
    hold_days'."""
    rpc = calls(1, [date(2026, 3, 1)], result="4")
    day7 = datetime(2026, 3, 7, 12, 0)
    allowed, reasons = check([PHONE_RULE], debtor(), rpc, now=day7)
    assert not allowed
    assert "in hold after a right-party contact until 2026-03-07" in reasons[0]
    assert hold_until(PHONE_RULE, debtor(), rpc, day7.date()) == date(2026, 3, 7)
    assert check([PHONE_RULE], debtor(), rpc, now=datetime(2026, 3, 8, 12, 0)) == (True, [])


@pytest.mark.parametrize(
    ("utc", "local", "allowed"),
    [
        # 2026-03-08: New York springs forward (EST -> EDT, UTC-4) at 07:00 UTC.
        (datetime(2026, 3, 8, 11, 59), "07:59", False),
        (datetime(2026, 3, 8, 12, 0), "08:00", True),
        (datetime(2026, 3, 9, 0, 59), "20:59", True),
        (datetime(2026, 3, 9, 1, 0), "21:00", True),
        (datetime(2026, 3, 9, 1, 1), "21:01", False),
        # 2026-11-01: New York falls back (EDT -> EST, UTC-5) at 06:00 UTC.
        (datetime(2026, 11, 1, 12, 59), "07:59", False),
        (datetime(2026, 11, 1, 13, 0), "08:00", True),
        (datetime(2026, 11, 2, 1, 59), "20:59", True),
        (datetime(2026, 11, 2, 2, 0), "21:00", True),
        (datetime(2026, 11, 2, 2, 1), "21:01", False),
    ],
)
def test_call_window_is_inclusive_to_the_minute_in_the_debtors_zone_across_dst(
        utc, local, allowed):
    """Seed 003 'Call From / Call To': 'based on the Debtor's ... time zone'; SPEC 9: '08:00
    and 21:00 local are allowed, 07:59 and 21:01 are not' (business clock in COLLECT_TZ=UTC)."""
    verdict = check([PHONE_RULE], debtor(), [], now=utc, zone=UTC)
    assert verdict.allowed is allowed, verdict.reasons
    if not allowed:
        assert verdict.reasons == [f"outside the call window 08:00-21:00: it is {local} in "
                                   "America/New_York (rule: test phone rule)"]


def test_business_clock_defaults_to_the_machines_zone(monkeypatch):
    """SPEC 9: 'read in the zone COLLECT_TZ (default: the machine's zone)'."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    systime.tzset()
    try:
        # 05:30 in Los Angeles is 08:30 in New York: allowed; 04:30 is 07:30: not.
        assert check([PHONE_RULE], debtor(), [], now=datetime(2026, 6, 1, 5, 30), zone=None)[0]
        assert not check([PHONE_RULE], debtor(), [], now=datetime(2026, 6, 1, 4, 30),
                         zone=None)[0]
    finally:
        monkeypatch.undo()
        systime.tzset()


def test_no_timezone_known_for_the_debtor_is_a_reason():
    """SPEC 9: the window is in 'local time of the debtor's timezone'; unknown -> not checkable."""
    allowed, reasons = check([PHONE_RULE], debtor(timezone=None), [])
    assert not allowed
    assert reasons[0].startswith("no timezone known for the debtor")
    allowed, reasons = check([PHONE_RULE], debtor(timezone="Mars/Olympus"), [])
    assert not allowed and "not a known IANA zone" in reasons[0]


def test_a_state_rule_and_a_national_rule_both_apply():
    """Seed 003: 'you can create a control for each State with only the information that
    applies to that state'; SPEC 9: 'a state rule and a national rule both apply'."""
    national = replace(PHONE_RULE, description="national")
    new_york = ControlRule(type="Phone", max_total=3, state="NY", description="NY")
    ny, pa = debtor(1, state="NY"), debtor(2, state="PA")
    assert applicable_rules([national, new_york], ny, PHONE) == [national, new_york]
    assert applicable_rules([national, new_york], pa, PHONE) == [national]
    three = calls(1, days_before(NOON.date(), 3))
    allowed, reasons = check([national, new_york], ny, three)
    assert not allowed and reasons[0].endswith("(rule: NY)")
    assert check([national, new_york], pa, calls(2, days_before(NOON.date(), 3))).allowed
    allowed, reasons = check([national, new_york], ny, calls(1, days_before(NOON.date(), 7)))
    assert not allowed
    assert len(reasons) == 2
    assert reasons[0].endswith("(rule: national)") and reasons[1].endswith("(rule: NY)")


def test_a_rule_for_another_country_does_not_apply():
    """Seed 003 'Country': 'Leave this field blank if you want this control to apply to all
    Countries'."""
    canada = replace(PHONE_RULE, country="CA")
    assert applicable_rules([canada], debtor(country="US"), PHONE) == []
    assert applicable_rules([canada], debtor(country="ca"), PHONE) == [canada]


def test_apply_to_group_counts_every_group_members_contacts():
    """Seed 003 'Apply To Group': 'this control will factor in all Contacts on the Debtor's
    group when calculating the total Contacts; otherwise, only the current record'."""
    group_rule = replace(PHONE_RULE, apply_to_group=True)
    history = calls(1, days_before(NOON.date(), 3)) + calls(2, days_before(NOON.date(), 4))
    d = debtor(1, group_key="G1")
    assert not check([group_rule], d, history).allowed
    assert check([PHONE_RULE], d, history).allowed


def test_incoming_contacts_never_count():
    """SPEC 9: 'other types count done contacts of that type (the *In types never count)'."""
    rule = ControlRule(type="Letter", max_total=1)
    incoming = [done(1, ContactType.LETTERIN, NOON.date()), done(1, ContactType.PHONEIN,
                                                                 NOON.date(), "1")]
    assert check([rule], debtor(), incoming, type_code=ContactType.LETTER).allowed
    assert check([PHONE_RULE], debtor(), incoming * 7).allowed


def test_sms_authorisation_older_than_reauth_days_blocks_texts():
    """Seed 003 'SMS Reauth': 'When that date goes beyond the number of days in this field,
    users will be notified that the number needs to be re-authorized'."""
    rule = ControlRule(type="Text", max_total=5, sms_reauth_days=30)
    today = NOON.date()
    fresh = debtor(sms_authorized_on=today - timedelta(days=30))
    stale = debtor(sms_authorized_on=today - timedelta(days=31))
    assert check([rule], fresh, [], type_code=ContactType.TEXT).allowed
    allowed, reasons = check([rule], stale, [], type_code=ContactType.TEXT)
    assert not allowed and reasons[0].startswith("SMS authorisation expired: authorised on "
                                                 "2026-02-07")
    allowed, reasons = check([rule], debtor(), [], type_code=ContactType.TEXT)
    assert not allowed and "never authorised" in reasons[0]


def test_every_reason_is_given_at_once():
    """SPEC 9: can-contact says 'every reason it may not (max reached, in hold, outside the
    call window ...)'."""
    history = calls(1, days_before(NOON.date(), 6)) + calls(1, [NOON.date()], "101")
    allowed, reasons = check([PHONE_RULE], debtor(), history, now=datetime(2026, 3, 10, 22, 0))
    assert not allowed
    assert [r.split(" ")[0] for r in reasons] == ["max", "in", "outside"]


def test_types_without_rules_are_always_allowed():
    """Seed 003: rules exist for Letter, Phone, Email and Text only."""
    assert check([PHONE_RULE], debtor(), [], type_code=ContactType.REVIEW) == (True, [])


def test_letter_batch_holds_a_letter_that_would_exceed_max_total():
    """SPEC 9: 'The letter batch holds Letter/Email/Text contacts that would exceed
    max_total'."""
    rule = ControlRule(type="Letter", max_total=2, period="week", description="letters")
    today = NOON.date()
    one = [done(1, ContactType.LETTER, today)]
    assert letter_hold([rule], debtor(), ContactType.LETTER, one, today) is None
    held = letter_hold([rule], debtor(), ContactType.LETTER, one * 2, today)
    assert held is not None and held.startswith("Letter held: max reached: 2 Letter contacts")
    assert letter_hold([rule], debtor(), ContactType.PHONE, one * 2, today) is None
    assert letter_hold([rule], debtor(), ContactType.EMAIL, one * 2, today) is None


def test_letter_hold_of_a_text_includes_an_expired_sms_authorisation():
    """Seed 003 'SMS Reauth': an expired texting number must be re-authorised first."""
    rule = ControlRule(type="Text", max_total=9, sms_reauth_days=10)
    held = letter_hold([rule], debtor(sms_authorized_on=date(2026, 1, 1)), ContactType.TEXT,
                       [], NOON.date())
    assert held is not None and "SMS authorisation expired" in held
