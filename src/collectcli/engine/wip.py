"""The WIP (work in progress) list (SPEC 10, seed 004 WIP Reload Filters).

Pure: the store supplies an operator's pending contacts with their debtors, and a
function that says why a Phone contact may not be called now (contact control).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from collectcli.domain.model import Contact, Debtor
from collectcli.domain.types import CUSTOM_TYPE_MIN, OPERATOR_ASSISTED_TYPES, ContactType

DEFAULT_TYPES = frozenset(int(t) for t in OPERATOR_ASSISTED_TYPES)
"""Seed 004: 'Collect! loads all Promise, Phone, Review and Other contacts by default.'"""

BlockedReason = Callable[[Contact, Debtor], str | None]
"""Why a Phone contact may not be called now (contact control), or None."""


@dataclass(frozen=True, slots=True)
class WipOptions:
    """The WIP Reload Filters: types, custom types, look-ahead, per-type maximum,
    Promise Grace Days, and whether blocked calls are listed."""

    types: frozenset[int] = DEFAULT_TYPES
    custom_types: bool = False
    look_ahead: int = 0
    max_per_type: int | None = None
    grace_days: int = 0
    show_blocked: bool = False

    def wants(self, type_code: int) -> bool:
        return type_code in self.types or (self.custom_types and type_code >= CUSTOM_TYPE_MIN)


@dataclass(frozen=True, slots=True)
class WipEntry:
    """A line of the WIP list: the contact, its debtor, its band, and why it is blocked."""

    contact: Contact
    debtor: Debtor
    band: str
    blocked: str | None = None


def priority_band(priority: int) -> str:
    """Seed 002: '66 to 99 High, 34 to 65 Medium, 1 to 33 Low'."""
    if priority >= 66:
        return "High"
    return "Medium" if priority >= 34 else "Low"


def promise_shows(due: date, grace_days: int, today: date) -> bool:
    """Whether a promise is in the WIP list today.

    Without grace days a promise shows on the day it comes due (seed 004: 'The day that
    this promise comes due, the Promise Contact will show up'). With grace days it shows
    only once the grace period has expired, i.e. when today is after due + grace: seed
    004's 'exceeds today' read with its own example ('on April 12th, a Promise for April
    8th with 3 grace days is now overdue': April 8 + 3 = April 11, which April 12 is past).
    Grace days override the look-ahead for promises (seed 004)."""
    if grace_days <= 0:
        return due <= today
    return due + timedelta(days=grace_days) < today


def is_listed(contact: Contact, options: WipOptions, today: date) -> bool:
    """Due by today + look-ahead (promises: the grace rule); no due date counts as due."""
    if contact.due_date is None:
        return True
    if contact.type == ContactType.PROMISE and options.grace_days > 0:
        return promise_shows(contact.due_date, options.grace_days, today)
    return contact.due_date <= today + timedelta(days=max(options.look_ahead, 0))


def sort_key(entry: WipEntry) -> tuple[date, bool, time, int, str, int, int]:
    """Due date, then untimed before timed (timed contacts in time order), priority
    high first, debtor name, type, id."""
    c = entry.contact
    return (c.due_date or date.min, c.due_time is not None, c.due_time or time.min,
            -c.priority, entry.debtor.name.casefold(), c.type, c.id)


def build_wip(candidates: Iterable[tuple[Contact, Debtor]], options: WipOptions, today: date,
              blocked_reason: BlockedReason | None = None) -> list[WipEntry]:
    """The WIP list: pending contacts of the chosen types due by today (+ look-ahead),
    sorted; Phone contacts contact control blocks are left out, or kept with the reason
    under `show_blocked`. `max_per_type` caps each type, in list order; blocked
    contacts shown do not use up the maximum (they cannot be worked now)."""
    entries: list[WipEntry] = []
    for contact, debtor in candidates:
        if not contact.pending or not options.wants(contact.type):
            continue
        if not is_listed(contact, options, today):
            continue
        reason = None
        if blocked_reason is not None and contact.type == ContactType.PHONE:
            reason = blocked_reason(contact, debtor)
            if reason is not None and not options.show_blocked:
                continue
        entries.append(WipEntry(contact, debtor, priority_band(contact.priority), reason))
    entries.sort(key=sort_key)
    if options.max_per_type is None:
        return entries
    taken: Counter[int] = Counter()
    kept: list[WipEntry] = []
    for entry in entries:
        if entry.blocked is None:
            if taken[entry.contact.type] >= options.max_per_type:
                continue
            taken[entry.contact.type] += 1
        kept.append(entry)
    return kept
