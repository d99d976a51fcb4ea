"""Contact control (SPEC 9, seed 003): may a contact happen now, and why not.

Pure functions over plain records: the caller passes the rules, the debtor, the done
contacts that may count (the group's when a rule has `apply_to_group`), the business
clock and, for validation dates, a holiday provider. Nothing here reads the clock, the
environment or a database.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectcli.domain.control import CONTROL_TYPES, ControlRule
from collectcli.domain.model import Contact, Debtor
from collectcli.domain.types import INCOMING_TYPES, ContactType, Status, type_label

HolidayProvider = Callable[[str], Container[date]]
"""country code -> the holidays of that country (anything that answers `day in ...`)."""


class Verdict(NamedTuple):
    """`allowed, reasons = can_contact(...)`."""

    allowed: bool
    reasons: list[str]


def _same(rule_value: str | None, debtor_value: str | None) -> bool:
    return rule_value is None or (debtor_value or "").strip().casefold() == rule_value.casefold()


def applicable_rules(rules: Iterable[ControlRule], debtor: Debtor, type_code: int
                     ) -> list[ControlRule]:
    """The rules of that type whose state and country match the debtor's or are blank
    (seed 003): a state rule and a national rule both apply."""
    return [r for r in rules if CONTROL_TYPES[r.type] == type_code
            and _same(r.state, debtor.state) and _same(r.country, debtor.country)]


def period_start(rule: ControlRule, today: date) -> date:
    """`week`: the 7 consecutive days ending today; `month`: the calendar month (SPEC 15)."""
    return today.replace(day=1) if rule.period == "month" else today - timedelta(days=6)


def history_since(rules: Iterable[ControlRule], today: date) -> date:
    """The earliest done date any of these rules looks at (for loading the history)."""
    starts = [today - timedelta(days=6), today.replace(day=1)]
    starts += [today - timedelta(days=r.hold_days) for r in rules if r.hold_days]
    return min(starts)


def _scope(rule: ControlRule, debtor: Debtor, history: Iterable[Contact]) -> list[Contact]:
    """Done contacts of the rule's type, the debtor's own unless the rule covers the group."""
    return [c for c in history
            if c.status is Status.DONE and c.done_date is not None
            and c.type == CONTROL_TYPES[rule.type] and c.type not in INCOMING_TYPES
            and (rule.apply_to_group or c.file == debtor.file)]


def counted(rule: ControlRule, debtor: Debtor, history: Iterable[Contact], today: date
            ) -> list[Contact]:
    """The contacts that count against `max_total` in the period ending today.

    Phone counts calls whose result is an attempt or an RPC; a rule that lists no
    results at all counts every call. Other types count every done contact."""
    start = period_start(rule, today)
    results = rule.attempt_results | rule.rpc_results
    return [c for c in _scope(rule, debtor, history)
            if c.done_date is not None and start <= c.done_date <= today
            and (rule.type != "Phone" or not results or (c.call_result or "") in results)]


def _max_reason(rule: ControlRule, debtor: Debtor, history: Iterable[Contact], today: date
                ) -> str | None:
    done = len(counted(rule, debtor, history, today))
    if done < rule.max_total:
        return None
    start = period_start(rule, today)
    span = f"the month of {today:%Y-%m}" if rule.period == "month" else \
        f"the 7 days {start.isoformat()}..{today.isoformat()}"
    whose = "the group's" if rule.apply_to_group else "the debtor's"
    return (f"max reached: {done} {rule.type} contacts in {span} ({whose}; "
            f"the limit is {rule.max_total}){_named(rule)}")


def hold_until(rule: ControlRule, debtor: Debtor, history: Iterable[Contact], today: date
               ) -> date | None:
    """The last day of the hold after a right-party contact, if today falls in one.

    The day of the conversation is day 1: an RPC on the 1st with hold_days 7 blocks
    through the 7th; the 8th is free (SPEC 9)."""
    if rule.type != "Phone" or not rule.hold_days or not rule.rpc_results:
        return None
    ends = [c.done_date + timedelta(days=rule.hold_days - 1)
            for c in _scope(rule, debtor, history)
            if c.done_date is not None and (c.call_result or "") in rule.rpc_results
            and c.done_date <= today]
    last = max(ends, default=None)
    return last if last is not None and today <= last else None


def local_time(now: datetime, source_zone: tzinfo | None, zone: str) -> datetime:
    """The business clock (naive, read in `source_zone`; None = the machine's zone) in
    the debtor's IANA zone. An unknown zone raises ZoneInfoNotFoundError."""
    aware = now.replace(tzinfo=source_zone) if source_zone is not None else now.astimezone()
    return aware.astimezone(ZoneInfo(zone))


def _window_reason(rule: ControlRule, debtor: Debtor, now: datetime,
                   source_zone: tzinfo | None) -> str | None:
    if rule.call_from is None or rule.call_to is None:
        return None
    window = f"{rule.call_from:%H:%M}-{rule.call_to:%H:%M}"
    if not debtor.timezone:
        return (f"no timezone known for the debtor: the call window {window} cannot be "
                f"checked (set the debtor's timezone){_named(rule)}")
    try:
        local = local_time(now, source_zone, debtor.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return (f"the debtor's timezone '{debtor.timezone}' is not a known IANA zone: the "
                f"call window {window} cannot be checked{_named(rule)}")
    minute = time(local.hour, local.minute)
    if rule.call_from <= minute <= rule.call_to:
        return None
    return (f"outside the call window {window}: it is {minute:%H:%M} in "
            f"{debtor.timezone}{_named(rule)}")


def _sms_reason(rule: ControlRule, debtor: Debtor, today: date) -> str | None:
    if rule.type != "Text" or rule.sms_reauth_days is None:
        return None
    auth = debtor.sms_authorized_on
    if auth is None:
        return f"the texting number was never authorised (re-authorise it){_named(rule)}"
    if (today - auth).days > rule.sms_reauth_days:
        return (f"SMS authorisation expired: authorised on {auth.isoformat()}, more than "
                f"{rule.sms_reauth_days} days ago (re-authorise the number){_named(rule)}")
    return None


def _named(rule: ControlRule) -> str:
    return f" (rule: {rule.description})" if rule.description else ""


def can_contact(rules: Sequence[ControlRule], debtor: Debtor, type_code: int,
                history: Iterable[Contact], now: datetime,
                source_zone: tzinfo | None = None) -> Verdict:
    """Whether a contact of that type may happen at `now` (the business clock, read in
    `source_zone`), with every reason it may not: max reached in the period, in hold
    after an RPC, outside the call window or no timezone, SMS authorisation expired."""
    today = now.date()
    items = list(history)
    reasons: list[str] = []
    for rule in applicable_rules(rules, debtor, type_code):
        found = [_max_reason(rule, debtor, items, today), _sms_reason(rule, debtor, today)]
        last = hold_until(rule, debtor, items, today)
        if last is not None:
            found.append(f"in hold after a right-party contact until {last.isoformat()} "
                         f"({rule.hold_days} days){_named(rule)}")
        if rule.type == "Phone":
            found.append(_window_reason(rule, debtor, now, source_zone))
        reasons += [r for r in found if r is not None and r not in reasons]
    return Verdict(not reasons, reasons)


def letter_hold(rules: Sequence[ControlRule], debtor: Debtor, type_code: int,
                history: Iterable[Contact], today: date) -> str | None:
    """Why the letter batch must hold a Letter/Email/Text today (max_total would be
    exceeded, or a text's SMS authorisation has expired), or None to send it.

    Pass the contacts already sent in this run as done contacts in `history`."""
    if type_code not in (ContactType.LETTER, ContactType.EMAIL, ContactType.TEXT):
        return None
    items = list(history)
    reasons: list[str] = []
    for rule in applicable_rules(rules, debtor, type_code):
        for reason in (_max_reason(rule, debtor, items, today), _sms_reason(rule, debtor, today)):
            if reason is not None and reason not in reasons:
                reasons.append(reason)
    return f"{type_label(type_code)} held: " + "; ".join(reasons) if reasons else None


def add_business_days(start: date, days: int, holidays: Container[date]) -> date:
    """`start` + N business days (Mon-Fri, not a holiday)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day


def validation_end(send_date: date, business_days: int, calendar_days: int,
                   country: str | None, holiday_provider: HolidayProvider) -> date:
    """Seed 003: the send date + N business days (no weekends, no holidays of the
    debtor's country, US by default) + M calendar days."""
    holidays = holiday_provider((country or "").strip() or "US")
    return add_business_days(send_date, business_days, holidays) + timedelta(days=calendar_days)


def near_match(letter_name: str, contact_name: str) -> bool:
    """Seed 003's 'near match on the name': case and spaces ignored, and variants that
    add a suffix after a separator match ('Letter1' matches 'Letter 1 - Cosigner', not
    'Letter10')."""
    want = "".join(letter_name.split()).casefold()
    have = "".join(contact_name.split()).casefold()
    return have == want or (have.startswith(want) and not have[len(want)].isalnum())


def validation_update(rules: Sequence[ControlRule], debtor: Debtor, contact: Contact,
                      send_date: date, holiday_provider: HolidayProvider) -> date | None:
    """The debtor's new validation end when `contact` (a Letter/Email/Text just sent) is
    the validation letter of an applicable rule, or None (seed 003, Validation Report)."""
    for rule in applicable_rules(rules, debtor, contact.type):
        if rule.validation_letter and near_match(rule.validation_letter, contact.description):
            return validation_end(send_date, rule.validation_business_days or 0,
                                  rule.validation_calendar_days or 0, debtor.country,
                                  holiday_provider)
    return None

