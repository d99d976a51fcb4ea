"""Pure date rules of contact plans and repeats (SPEC 4; seeds 001 and 002).

Nothing here reads the clock: `today`, `now` and the start date are parameters.
Month arithmetic uses dateutil's relativedelta, which clamps to the month's last day
(Jan 31 + 1 month = Feb 28/29). Repeats are anchored: occurrence k of a contact is
anchor + k × interval, computed from the anchor each time, so month ends never drift.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from collectcli.domain.errors import InputError
from collectcli.domain.model import Event
from collectcli.domain.types import Repeat

_DAYS: dict[Repeat, int] = {Repeat.WEEKLY: 7, Repeat.BIWEEKLY: 14}
_MONTHS: dict[Repeat, int] = {
    Repeat.MONTHLY: 1,
    Repeat.BIMONTHLY: 2,
    Repeat.QUARTERLY: 3,
    Repeat.SEMIANNUALLY: 6,
    Repeat.ANNUALLY: 12,
}


def _clamped(year: int, month: int, day: int) -> date:
    """Day `day` of a month, or the month's last day when the month is shorter."""
    result: date = date(year, month, 1) + relativedelta(day=day)
    return result


def event_due(
    event: Event, today: date, now: datetime, start_date: date | None
) -> tuple[date, time | None]:
    """The due date (and due time, or None for a timeless contact) of a plan event.

    The reference date R is `start_date` when the plan prompted for one, else today.
    `immediately` and `day_of_month` ignore the start date (seeds 001, 002);
    `delay_minutes` counts from `now` (seed 002: "the current time when the plan is
    invoked, plus the number of minutes"). With `delay_days` as well, the date comes
    from `delay_days` and the time of day is now's time + the minutes (wrapping past
    midnight changes only the time, the date stays the delay_days date).
    """
    ref = start_date if start_date is not None else today
    if event.immediately:
        return today, None
    if event.delay_minutes is not None:
        moved = now.replace(microsecond=0) + timedelta(minutes=event.delay_minutes)
        if event.delay_days is not None:
            return ref + timedelta(days=event.delay_days), moved.time()
        return moved.date(), moved.time()
    if event.delay_days is not None:
        return ref + timedelta(days=event.delay_days), None
    if event.day_of_month is not None:
        dom = event.day_of_month
        if not 1 <= dom <= 31:
            raise InputError(f"day_of_month {dom} is not a day of the month (1-31)")
        if today.day <= dom:
            return _clamped(today.year, today.month, dom), None
        nxt = today.replace(day=1) + relativedelta(months=1)
        return _clamped(nxt.year, nxt.month, dom), None
    if event.next_month_same_day:
        return ref + relativedelta(months=1), None
    raise InputError("the event has no schedule (immediately, delay_days, day_of_month, "
                     "next_month_same_day or delay_minutes)")


def _custom_days(repeat_days: int | None) -> int:
    if repeat_days is None or repeat_days < 1:
        raise InputError(f"a custom repeat needs repeat_days of 1 or more (got {repeat_days})")
    return repeat_days


def occurrence(anchor: date, repeat: Repeat, repeat_days: int | None, k: int) -> date:
    """Occurrence k of a repeating contact: anchor + k × interval (SPEC 4).

    A monthly contact anchored on Jan 31 falls on Feb 28 (29), Mar 31, Apr 30; an annual
    one anchored on Feb 29 falls on Feb 28 and again on Feb 29 in the next leap year.
    """
    months = _MONTHS.get(repeat)
    if months is not None:
        moved: date = anchor + relativedelta(months=months * k)
        return moved
    days = _DAYS.get(repeat)
    if days is None:
        days = _custom_days(repeat_days)
    return anchor + timedelta(days=days * k)


def next_occurrence_after(
    anchor: date, repeat: Repeat, repeat_days: int | None, k_current: int, after: date
) -> tuple[int, date, int]:
    """The first occurrence k > k_current whose date is after `after`.

    Returns (k, its date, how many occurrences were skipped): the batch forwards a
    contact past today without replaying missed occurrences, only counting them.
    """
    k = k_current + 1
    months = _MONTHS.get(repeat)
    if months is not None:
        # a lower bound that is surely not after `after`: a whole interval before its month
        span = (after.year - anchor.year) * 12 + after.month - anchor.month
        k = max(k, span // months - 1)
    else:
        days = _DAYS.get(repeat) or _custom_days(repeat_days)
        k = max(k, (after - anchor).days // days + 1)
    due = occurrence(anchor, repeat, repeat_days, k)
    while due <= after:
        k += 1
        due = occurrence(anchor, repeat, repeat_days, k)
    return k, due, k - k_current - 1


def advance(
    anchor: date, repeat: Repeat, repeat_days: int | None, k: int, periods: int
) -> tuple[int, date]:
    """Moves a repeating contact `periods` occurrences on: (k + periods, its date)."""
    nk = k + periods
    return nk, occurrence(anchor, repeat, repeat_days, nk)
