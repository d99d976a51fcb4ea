"""The pure date rules of contact plans and repeats (SPEC 4; seeds 001 and 002)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from collectcli.domain.errors import InputError
from collectcli.domain.model import Event
from collectcli.domain.types import ContactType, Repeat
from collectcli.scheduler import advance, event_due, next_occurrence_after, occurrence

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 15, 26, 43)
START = date(2026, 4, 1)


def ev(**schedule: object) -> Event:
    return Event(int(ContactType.REVIEW), "r", **schedule)  # type: ignore[arg-type,unused-ignore]


def test_immediately_is_today_regardless_of_start_date() -> None:
    """Seed 001: "If an event has 'Schedule immediately' chosen, it is done immediately,
    regardless of the reference date you choose." """
    assert event_due(ev(immediately=True), TODAY, NOW, START) == (TODAY, None)
    assert event_due(ev(immediately=True), TODAY, NOW, None) == (TODAY, None)


@pytest.mark.parametrize(("days", "start", "due"), [
    (0, None, date(2026, 3, 10)),
    (1, None, date(2026, 3, 11)),
    (10, None, date(2026, 3, 20)),
    (30, None, date(2026, 4, 9)),
    (7, START, date(2026, 4, 8)),
    (0, START, START),
])  # fmt: skip
def test_delay_days_counts_from_today_or_the_start_date(days: int, start: date | None,
                                                        due: date) -> None:
    """Seed 001: "a phone call scheduled for 10 days Delay will appear in your WIP List in
    10 days" and, with a start date, "10 days after the date you enter"."""
    assert event_due(ev(delay_days=days), TODAY, NOW, start) == (due, None)


@pytest.mark.parametrize(("today", "dom", "due"), [
    (date(2026, 3, 10), 15, date(2026, 3, 15)),
    (date(2026, 3, 15), 15, date(2026, 3, 15)),
    (date(2026, 3, 16), 15, date(2026, 4, 15)),
    (date(2026, 12, 20), 15, date(2027, 1, 15)),
    (date(2026, 1, 31), 30, date(2026, 2, 28)),
    (date(2026, 2, 10), 31, date(2026, 2, 28)),
    (date(2028, 2, 10), 31, date(2028, 2, 29)),
    (date(2026, 3, 31), 30, date(2026, 4, 30)),
])  # fmt: skip
def test_day_of_month_after_the_day_schedules_next_month(today: date, dom: int,
                                                         due: date) -> None:
    """Seed 002: "If the current date is after the 15th already, then the Event is
    scheduled for the 15th of next month." A shorter month gives its last day (SPEC 4)."""
    assert event_due(ev(day_of_month=dom), today, datetime.combine(today, time(9)), None) == (
        due, None)


def test_day_of_month_is_not_affected_by_the_start_date() -> None:
    """Seed 002: "Since this is an absolute day of the month, it will not be affected by
    setting the 'Prompt for start date' for the contact plan." """
    assert event_due(ev(day_of_month=15), TODAY, NOW, date(2026, 6, 20)) == (
        date(2026, 3, 15), None)


@pytest.mark.parametrize(("ref", "due"), [
    (date(2026, 11, 15), date(2026, 12, 15)),
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 30), date(2028, 2, 29)),
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 12, 31), date(2027, 1, 31)),
])  # fmt: skip
def test_next_month_same_day_clamps_to_the_last_day(ref: date, due: date) -> None:
    """Seed 002: "If a contact is scheduled to occur on the 31st day of the month, and a
    month does not have 31 days, the event will occur on the last day of that month." """
    assert event_due(ev(next_month_same_day=True), ref, datetime.combine(ref, time()), None) == (
        due, None)


def test_next_month_same_day_counts_from_the_start_date() -> None:
    """Seed 001: "all events in the plan will be scheduled with reference to the date you
    enter" (SPEC 4: R is the start date)."""
    assert event_due(ev(next_month_same_day=True), TODAY, NOW, START) == (date(2026, 5, 1), None)


def test_delay_minutes_adds_to_the_time_the_plan_runs() -> None:
    """Seed 002: "if you entered 1:00 in the time, and you invoke this Contact Plan at
    3:26:43 PM or 15:26:43 hours, the resulting contact will be scheduled for ...
    16:26:43 hours." """
    assert event_due(ev(delay_minutes=60), TODAY, NOW, None) == (TODAY, time(16, 26, 43))


def test_delay_minutes_past_midnight_moves_the_date() -> None:
    """SPEC 4: "due at now + M minutes (rolling past midnight moves the date)"."""
    late = datetime(2026, 3, 10, 23, 30)
    assert event_due(ev(delay_minutes=45), TODAY, late, None) == (date(2026, 3, 11), time(0, 15))


def test_delay_minutes_with_delay_days_takes_the_date_from_the_days() -> None:
    """SPEC 4: "the date comes from delay_days and the time is now's time of day + M
    minutes"."""
    assert event_due(ev(delay_days=2, delay_minutes=40), TODAY, NOW, None) == (
        date(2026, 3, 12), time(16, 6, 43))
    assert event_due(ev(delay_days=2, delay_minutes=40), TODAY, NOW, START) == (
        date(2026, 4, 3), time(16, 6, 43))


def test_an_event_without_a_schedule_is_an_error() -> None:
    """SPEC 3: a missing schedule is an error."""
    with pytest.raises(InputError, match="no schedule"):
        event_due(ev(), TODAY, NOW, None)


@pytest.mark.parametrize(("repeat", "anchor", "dates"), [
    (Repeat.WEEKLY, date(2026, 3, 10), [date(2026, 3, 17), date(2026, 3, 24)]),
    (Repeat.BIWEEKLY, date(2026, 3, 10), [date(2026, 3, 24), date(2026, 4, 7)]),
    (Repeat.MONTHLY, date(2026, 1, 31),
     [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]),
    (Repeat.BIMONTHLY, date(2026, 12, 31), [date(2027, 2, 28), date(2027, 4, 30)]),
    (Repeat.QUARTERLY, date(2026, 11, 30), [date(2027, 2, 28), date(2027, 5, 30)]),
    (Repeat.SEMIANNUALLY, date(2026, 8, 31), [date(2027, 2, 28), date(2027, 8, 31)]),
    (Repeat.ANNUALLY, date(2028, 2, 29),
     [date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28), date(2032, 2, 29)]),
])  # fmt: skip
def test_repeats_are_anchored_so_month_ends_do_not_drift(repeat: Repeat, anchor: date,
                                                         dates: list[date]) -> None:
    """SPEC 4: "a monthly contact anchored on Jan 31 falls on Feb 28 (29), Mar 31, Apr 30";
    SPEC 15: "Repeats are anchored, so month-end dates do not drift." """
    assert [occurrence(anchor, repeat, None, k) for k in range(1, len(dates) + 1)] == dates
    assert occurrence(anchor, repeat, None, 0) == anchor


def test_custom_repeat_adds_repeat_days() -> None:
    """SPEC 4: "`custom` adds `repeat_days` × k days"."""
    assert occurrence(date(2026, 3, 10), Repeat.CUSTOM, 10, 3) == date(2026, 4, 9)
    with pytest.raises(InputError, match="repeat_days"):
        occurrence(date(2026, 3, 10), Repeat.CUSTOM, None, 1)


@pytest.mark.parametrize(("repeat", "days", "anchor", "k", "after", "expected"), [
    (Repeat.MONTHLY, None, date(2026, 1, 31), 0, date(2026, 1, 31), (1, date(2026, 2, 28), 0)),
    (Repeat.MONTHLY, None, date(2026, 1, 31), 0, date(2026, 4, 10), (3, date(2026, 4, 30), 2)),
    (Repeat.MONTHLY, None, date(2026, 1, 31), 0, date(2026, 4, 30), (4, date(2026, 5, 31), 3)),
    (Repeat.WEEKLY, None, date(2026, 3, 2), 1, date(2026, 3, 30), (5, date(2026, 4, 6), 3)),
    (Repeat.CUSTOM, 10, date(2026, 3, 1), 0, date(2026, 3, 5), (1, date(2026, 3, 11), 0)),
    (Repeat.ANNUALLY, None, date(2028, 2, 29), 0, date(2031, 6, 1), (4, date(2032, 2, 29), 3)),
    (Repeat.QUARTERLY, None, date(2020, 5, 31), 2, date(2020, 6, 1), (3, date(2021, 2, 28), 0)),
])  # fmt: skip
def test_forwarding_skips_missed_occurrences_and_counts_them(
    repeat: Repeat, days: int | None, anchor: date, k: int, after: date,
    expected: tuple[int, date, int],
) -> None:
    """SPEC 7: "forwarded to its next occurrence after today (missed occurrences are not
    replayed; the count is logged)"."""
    assert next_occurrence_after(anchor, repeat, days, k, after) == expected


def test_advance_moves_a_promise_whole_periods_from_its_anchor() -> None:
    """Seed 004: "the contact's Promise Date will move ahead two payment periods when the
    transaction for $200 is posted" (anchored, SPEC 4)."""
    assert advance(date(2026, 1, 31), Repeat.MONTHLY, None, 0, 2) == (2, date(2026, 3, 31))
    assert advance(date(2026, 1, 31), Repeat.MONTHLY, None, 2, 1) == (3, date(2026, 4, 30))
