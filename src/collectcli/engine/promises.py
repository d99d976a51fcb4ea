"""The rules of one Promise contact when a payment meets it (seed 004, SPEC 8).

Pure: a promise, a payment and the settings in; the promise's new state, the outcome,
the done copies to create and the note lines out. Nothing here touches a workspace,
a database or the clock (`now` is a parameter).

The rules work on a promise split in two small tuples: its `Terms` (what a payment reads
and never changes: amount promised, repeat, flags) and its `State` (what a payment
changes and an NSF puts back: due date, anchor, amount, status, done stamps, intervals
left, occurrence). `settle` is the rules; `apply_payment` runs them on a Contact for the
Workspace path, and the bulk path (engine/payments_fast.py) runs `settle` on tuples read
straight from the database — one set of rules for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from collectcli import scheduler
from collectcli.domain.model import Contact
from collectcli.domain.money import ZERO
from collectcli.domain.settings import Settings
from collectcli.domain.types import Repeat, Status
from collectcli.engine.records import evolve_contact
from collectcli.engine.repeat_note import repeat_note

FULL, UNDER, OVER, NONE, NSF = "full", "under", "over", "none", "nsf"
PENDING, DONE = Status.PENDING, Status.DONE


class Terms(NamedTuple):
    """What a payment reads of a promise and never changes."""

    id: int
    type: int
    description: str
    promised: Decimal | None
    repeat: Repeat | None
    repeat_days: int | None
    copy_on_repeat: bool
    log_repeat_to_notes: bool
    advance_overpayments: bool
    no_autocomplete_promise: bool


class State(NamedTuple):
    """What a payment changes on a promise (and an NSF reversal puts back)."""

    due_date: date | None
    anchor_date: date | None
    amount: Decimal | None
    status: Status
    done_date: date | None
    done_time: time | None
    done_by: str | None
    max_intervals: int | None
    occurrence: int


class Period(NamedTuple):
    """A period met by a copy_on_repeat promise: the done copy's due date, amount,
    occurrence, anchor and intervals left."""

    due_date: date | None
    amount: Decimal | None
    occurrence: int
    anchor_date: date | None
    max_intervals: int | None


class Settled(NamedTuple):
    """What one payment does to one promise's state; `state` is the very object passed
    in when the payment leaves the promise untouched (an early payment)."""

    state: State
    outcome: str
    periods: int
    copies: tuple[Period, ...]
    notes: tuple[str, ...]


def terms_of(c: Contact) -> Terms:
    return Terms(c.id, c.type, c.description, c.promised, c.repeat, c.repeat_days,
                 c.copy_on_repeat, c.log_repeat_to_notes, c.advance_overpayments,
                 c.no_autocomplete_promise)


def state_of(c: Contact) -> State:
    return State(c.due_date, c.anchor_date, c.amount, c.status, c.done_date, c.done_time,
                 c.done_by, c.max_intervals, c.occurrence)


@dataclass(frozen=True, slots=True)
class PromiseResult:
    """What one payment does to one promise (a Contact).

    `copies` are done contacts to add (id 0: the workspace gives them ids); `notes` are
    the log_repeat_to_notes lines; `periods` the repeat periods met (forwarded or
    completing); `completed` whether the promise ended with this payment.
    """

    promise: Contact
    outcome: str
    periods: int = 0
    copies: tuple[Contact, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def completed(self) -> bool:
        return self.promise.status is Status.DONE


def classify(amount: Decimal, payment: Decimal, settings: Settings) -> str:
    """Payment Values: within [amount − under_tolerance, amount + over_tolerance] is full."""
    if payment < amount - settings.under_tolerance:
        return UNDER
    if payment > amount + settings.over_tolerance:
        return OVER
    return FULL


def is_early(due: date | None, payment_date: date, settings: Settings) -> bool:
    """Early payments skip promises: paid more than N days before the due date."""
    days = settings.early_payment_skip_days
    return days > 0 and due is not None and (due - payment_date).days > days


@lru_cache(maxsize=64)
def stamp(now: datetime) -> tuple[date, time]:
    """now's date and time to the second: the Done Date and Time of a completed promise."""
    return now.date(), now.time().replace(microsecond=0)


def _done(s: State, day: date, at: time, operator: str | None) -> State:
    return State(s.due_date, s.anchor_date, s.amount, DONE, day, at, operator,
                 s.max_intervals, s.occurrence)


def settle(t: Terms, s: State, payment: Decimal, payment_date: date, settings: Settings,
           owing: Decimal, now: datetime, operator: str | None) -> Settled:
    """Apply a payment of `payment` to a pending promise; `owing` is the balance after it.

    Under: amount −= payment, due unchanged. Full/over: the period is met; no repeat →
    done; repeat → forwarded one period from its anchor, or with advance_overpayments
    one period per whole `promised` covered with next amount = promised − leftover.
    Max intervals count down per period (completing at 0); the next amount is capped at
    the owing; owing at 0 completes the promise unless no_autocomplete_promise.
    """
    if is_early(s.due_date, payment_date, settings):
        return _zero_check(t, Settled(s, NONE, 0, (), ()), owing, now, operator)
    amount = s.amount if s.amount is not None else (t.promised or payment)
    promised = t.promised if t.promised is not None else amount
    outcome = classify(amount, payment, settings)
    if outcome == UNDER:
        result = Settled(State(s.due_date, s.anchor_date, amount - payment, s.status,
                               s.done_date, s.done_time, s.done_by, s.max_intervals,
                               s.occurrence), UNDER, 0, (), ())
    elif t.repeat is None:
        result = Settled(_done(s, *stamp(now), operator), outcome, 1, (), ())
    else:
        result = _forward(t, s, amount, promised, payment, outcome, owing, now, operator)
    return _zero_check(t, result, owing, now, operator)


def _forward(
    t: Terms, s: State, amount: Decimal, promised: Decimal, payment: Decimal, outcome: str,
    owing: Decimal, now: datetime, operator: str | None,
) -> Settled:
    assert t.repeat is not None
    periods, next_amount = 1, promised
    if t.advance_overpayments and promised > ZERO:
        extra, leftover = divmod(max(payment - amount, ZERO), promised)
        periods, next_amount = 1 + int(extra), promised - leftover
    anchor = s.anchor_date or s.due_date or now.date()
    k, due, left = s.occurrence, s.due_date or anchor, s.max_intervals
    period_amount: Decimal | None = amount
    copies: list[Period] = []
    notes: list[str] = []
    for met in range(1, periods + 1):
        if left is not None:
            left -= 1
            if left <= 0:
                day, at = stamp(now)
                done = State(due, anchor, period_amount, DONE, day, at, operator, 0, k)
                return Settled(done, outcome, met, tuple(copies), tuple(notes))
        if t.copy_on_repeat:
            copies.append(Period(due, period_amount, k, anchor, left))
        if t.log_repeat_to_notes:
            notes.append(repeat_note(t.type, t.description, due, operator))
        k, due = _next(anchor, t.repeat, t.repeat_days, k)
        period_amount = promised
    if owing > ZERO and next_amount > owing:
        next_amount = owing
    forwarded = State(due, anchor, next_amount, s.status, s.done_date, s.done_time, s.done_by,
                      left, k)
    return Settled(forwarded, outcome, periods, tuple(copies), tuple(notes))


@lru_cache(maxsize=65_536)
def _next(anchor: date, repeat: Repeat, repeat_days: int | None, k: int) -> tuple[int, date]:
    """The next occurrence (pure, so cached: a payments run meets the same anchors often)."""
    return scheduler.advance(anchor, repeat, repeat_days, k, 1)


def _zero_check(t: Terms, result: Settled, owing: Decimal, now: datetime,
                operator: str | None) -> Settled:
    """Seed 004: 'The last payment turns off the promise contact cycle automatically when
    the Owing reaches zero', unless No Autocomplete Promise."""
    s = result.state
    if owing <= ZERO and s.status is PENDING and not t.no_autocomplete_promise:
        return result._replace(state=_done(s, *stamp(now), operator))
    return result


evolve = evolve_contact
"""dataclasses.replace for a Contact, several times faster."""


def complete(promise: Contact, now: datetime, operator: str | None) -> Contact:
    """The promise marked Completed (done date/time/by)."""
    day, at = stamp(now)
    return evolve(promise, status=DONE, done_date=day, done_time=at, done_by=operator)


def apply_payment(
    promise: Contact,
    payment: Decimal,
    payment_date: date,
    settings: Settings,
    owing: Decimal,
    now: datetime,
    operator: str | None,
    txn_id: int | None = None,
) -> PromiseResult:
    """`settle` on a Contact: the promise after the payment (the same object when the
    payment leaves it untouched), the outcome, the done copies (made by `txn_id`) and the
    note lines."""
    before = state_of(promise)
    r = settle(terms_of(promise), before, payment, payment_date, settings, owing, now,
               operator)
    after = promise if r.state is before else evolve(promise, **r.state._asdict())
    day, at = stamp(now)
    copies = tuple(
        evolve(promise, id=0, due_date=p.due_date, amount=p.amount, is_copy=True,
               copy_of=promise.id, made_by_txn=txn_id, occurrence=p.occurrence,
               anchor_date=p.anchor_date, max_intervals=p.max_intervals, status=DONE,
               done_date=day, done_time=at, done_by=operator)
        for p in r.copies)
    return PromiseResult(after, r.outcome, r.periods, copies, r.notes)
