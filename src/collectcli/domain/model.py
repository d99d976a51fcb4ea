"""The records of the domain as frozen dataclasses; change them with dataclasses.replace().

Money fields are Decimal, dates are datetime.date, times datetime.time. Nothing here
touches a database or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from collectcli.domain.money import ZERO
from collectcli.domain.types import Assign, Mode, Repeat, Status


@dataclass(frozen=True, slots=True)
class Debtor:
    """An account, keyed by its file number (SPEC 2). Owing is derived, never stored."""

    file: int
    name: str
    mode: Mode = Mode.ACTIVE
    status: str | None = None
    operator: str | None = None
    sales: str | None = None
    state: str | None = None
    country: str | None = None
    timezone: str | None = None
    email: str | None = None
    phone: str | None = None
    sms_authorized_on: date | None = None
    group_key: str | None = None
    manage_group_promises: bool = False
    listed_date: date | None = None
    closed_date: date | None = None
    last_payment_date: date | None = None
    validation_end: date | None = None
    commission_rate: Decimal | None = None
    rate_plan: str | None = None
    summary: str | None = None
    poe: str | None = None
    principal: Decimal = ZERO
    fees: Decimal = ZERO
    interest: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def owing(self) -> Decimal:
        """principal + fees + interest − payments."""
        return self.principal + self.fees + self.interest - self.paid


@dataclass(frozen=True, slots=True)
class Contact:
    """One scheduled event on a debtor (seed 004, Contact form).

    `anchor_date` is the first due date of a repeating contact and `occurrence` the
    index k of its current due date: due = anchor + k × interval (SPEC 4).
    New contacts carry a negative temporary id until the store gives them a real one.
    """

    id: int
    file: int
    type: int
    description: str = ""
    due_date: date | None = None
    due_time: time | None = None
    priority: int = 50
    collector: str | None = None
    amount: Decimal | None = None
    promised: Decimal | None = None
    repeat: Repeat | None = None
    repeat_days: int | None = None
    max_intervals: int | None = None
    anchor_date: date | None = None
    occurrence: int = 0
    copy_on_repeat: bool = False
    log_repeat_to_notes: bool = False
    advance_overpayments: bool = False
    no_autodelete: bool = False
    no_autocomplete: bool = False
    no_autocomplete_promise: bool = False
    status: Status = Status.PENDING
    done_date: date | None = None
    done_time: time | None = None
    done_by: str | None = None
    originator: str | None = None
    assigned_by: str | None = None
    created_date: date | None = None
    created_time: time | None = None
    is_copy: bool = False
    copy_of: int | None = None
    call_result: str | None = None
    klass: str | None = None
    plan: str | None = None
    broken_through: date | None = None
    made_by_txn: int | None = None

    @property
    def pending(self) -> bool:
        return self.status is Status.PENDING


@dataclass(frozen=True, slots=True)
class Condition:
    """`schedule_if`: compare a debtor field with a value (seed 002, seven operators)."""

    field: str
    op: str
    value: str
    value2: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a contact plan (seed 002, Event form; SPEC 3).

    Exactly one schedule is set: immediately, delay_days, day_of_month,
    next_month_same_day or delay_minutes (delay_minutes may accompany delay_days).
    """

    type: int
    description: str = ""
    immediately: bool = False
    delay_days: int | None = None
    day_of_month: int | None = None
    next_month_same_day: bool = False
    delay_minutes: int | None = None
    assign: Assign = Assign.ACCOUNT
    operator: str | None = None
    priority: int | None = None
    sequence: int | None = None
    repeat: Repeat | None = None
    repeat_days: int | None = None
    max_intervals: int | None = None
    copy_on_repeat: bool = False
    log_repeat_to_notes: bool = False
    no_autocomplete: bool = False
    no_autocomplete_promise: bool = False
    no_autodelete: bool = False
    mark_done: bool = False
    delete_same_type: bool = False
    same_description_only: bool = False
    advance_overpayments: bool = False
    record_history: bool | None = None
    amount: Decimal | None = None
    percent_of_owing: Decimal | None = None
    klass: str | None = None
    schedule_if: Condition | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A contact plan (seed 001): flags, access ranges and its events in file order."""

    code: str
    description: str = ""
    prompt_start_date: bool = False
    delete_pending: bool = False
    prompt_before_deleting: bool = False
    skip_closed: bool = False
    allow_all_users_to_delete: bool = False
    sub_plan: bool = False
    access: tuple[tuple[int, int], ...] = ()
    events: tuple[Event, ...] = ()

    def allows_level(self, level: int) -> bool:
        """True when no ranges are set or the level is inside one of them (seed 002)."""
        return not self.access or any(lo <= level <= hi for lo, hi in self.access)

    def ordered_events(self) -> list[tuple[int, Event]]:
        """(1-based file index, event) in (sequence, file order) (SPEC 5.4)."""
        indexed = list(enumerate(self.events, start=1))
        return sorted(indexed, key=lambda p: (p[1].sequence or 0, p[0]))


@dataclass(frozen=True, slots=True)
class Transaction:
    """A posted transaction. `promise_before` is the promise's state before a payment,
    kept so that an NSF reversal restores it exactly (SPEC 8)."""

    id: int
    file: int
    type: str
    amount: Decimal
    payment_date: date
    posted_date: date
    reverses: int | None = None
    reversed_by: int | None = None
    promise_id: int | None = None
    promise_before: str | None = None
    contact_id: int | None = None
    ref: str | None = None
    operator: str | None = None


@dataclass(frozen=True, slots=True)
class TransactionType:
    """A transaction type: code, kind, default amount and a plan to run when posted."""

    code: str
    description: str
    kind: str
    default_amount: Decimal | None = None
    plan: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A line in the debtor's notes; a text starting with '*' sorts to the top."""

    file: int
    date: date
    time: time
    operator: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Operator:
    """Who runs commands: user level 1–99 and the right to delete contacts."""

    id: str
    name: str = ""
    level: int = 1
    can_delete_contacts: bool = False


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A line of the application log (SPEC 11)."""

    level: str
    category: str
    message: str
    file: int | None = None
    contact: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
