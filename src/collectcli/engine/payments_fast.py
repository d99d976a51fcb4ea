"""Posting a chunk of payments without a Workspace (SPEC 8, 14).

Most payments of a `post-payments` file are plain: a payment (not a reversal) on a debtor
outside group promises, whose plans are compiled (engine/payments_plans.py). Such a
payment needs only the debtor's balance, its last payment date and its pending promises;
`post_fast` applies the same rules as `engine.payments.post_payment` — the promise rules
of `engine.promises`, the snapshot of `engine.promise_state`, the plans in SPEC 15's
order — and returns the effects as plain lists for the store's bulk statements.

The rows are taken debtor by debtor in file order, each debtor's in file (CSV) order,
as the Workspace path writes them: transactions, copies and plan contacts, notes come
out in the same order, so they get the same ids.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from collectcli.engine import promises as rules
from collectcli.engine.context import RunContext
from collectcli.engine.payments_plans import PaymentPlan, PaymentPlans
from collectcli.engine.plan_events import Prepared
from collectcli.engine.promise_state import snapshot_of
from collectcli.engine.promises import Period, State, Terms


class PaymentIn(NamedTuple):
    """One payment to post: its CSV line, the debtor, the amount (Decimal and cents), the
    payment date, the transaction type and the idempotency key (`transactions.ref`)."""

    line: int
    file: int
    amount: Decimal
    date: dt.date
    type: str
    key: str
    cents: int


@dataclass(slots=True)
class FastDebtor:
    """What a payment reads of a debtor: `base` is principal + fees + interest and `paid`
    the payments, in cents; `promises` its pending Promise contacts, split in the terms a
    payment reads and the state it changes (engine/promises.py)."""

    file: int
    operator: str | None
    base: int
    paid: int
    last_payment_date: dt.date | None
    promises: list[tuple[Terms, State]]


class CopyOf(NamedTuple):
    """A done copy of promise `promise` for a period met, made by transaction `txn`."""

    promise: int
    period: Period
    txn: int


NewContact = CopyOf | tuple[Prepared, int, str | None]
"""A new contact: a promise's done copy, or a plan event's (event, file, collector)."""


@dataclass
class FastEffects:
    """A chunk's effects, in the order the Workspace path would write them.

    `transactions`: (id, file, type, cents, payment date, promise id, promise before,
    ref); `debtors`: (file, paid cents, last payment date, whether that date changed);
    `promises`: (id, state as loaded, state as left); `contacts`: new contacts (ids given
    by the store); `notes`: (file, text), dated now by the operator.
    """

    transactions: list[tuple[int, int, str, int, dt.date, int | None, str | None, str]] = (
        field(default_factory=list))
    debtors: list[tuple[int, int, dt.date | None, bool]] = field(default_factory=list)
    promises: list[tuple[int, State, State]] = field(default_factory=list)
    contacts: list[NewContact] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def _order(p: tuple[Terms, State]) -> tuple[dt.date, int]:
    return (p[1].due_date or dt.date.min, p[0].id)


Runs = tuple[PaymentPlan, ...]
RunKey = tuple[str, str, bool]
Steps = tuple[tuple[tuple[Prepared, bool], ...], tuple[str, ...]]


class _Plans:
    """The plans one payment runs, by (type, outcome, default plan due): SPEC 15's order,
    the type's plan, then the promise plan, then the default plan. Their steps come
    flattened as (events to create a contact for, with whether the collector is the
    account's; note lines): contacts and notes are separate tables, each in run order.
    How many payments ran each combination is counted once, at the end."""

    def __init__(self, plans: PaymentPlans):
        self.plans = plans
        self.steps: dict[RunKey, Steps] = {}
        self.used: Counter[RunKey] = Counter()

    def steps_for(self, key: RunKey) -> Steps:
        self.used[key] += 1
        found = self.steps.get(key)
        if found is None:
            steps = [step for plan in self._runs(key) for step in plan.steps]
            found = self.steps[key] = (
                tuple((s.contact, s.contact.account_collector) for s in steps
                      if s.contact is not None),
                tuple(s.note for s in steps if s.note is not None))
        return found

    def _runs(self, key: RunKey) -> Runs:
        type_code, outcome, default = key
        p = self.plans
        found = [p.by_type.get(type_code), p.promise.get(outcome) if outcome != rules.NONE
                 else None, p.default if default else None]
        return tuple(plan for plan in found if plan is not None)

    def count(self, counts: Counter[str]) -> None:
        for key, n in self.used.items():
            for plan in self._runs(key):
                counts["plans_run"] += n
                counts["contacts_created"] += n * plan.contacts
                counts["notes"] += n * plan.notes
                counts["events_executed"] += n * plan.executed
            counts["promise_" + key[1]] += n


def _by_debtor(rows: Sequence[PaymentIn]) -> list[tuple[int, list[PaymentIn]]]:
    """The rows by debtor, in file order; each debtor's in CSV order."""
    found: dict[int, list[PaymentIn]] = {}
    for row in rows:
        same = found.get(row.file)
        if same is None:
            found[row.file] = [row]
        else:
            same.append(row)
    return sorted(found.items())


def post_fast(debtors: Mapping[int, FastDebtor], rows: Sequence[PaymentIn],
              txn_ids: Iterator[int], ctx: RunContext, plans: PaymentPlans) -> FastEffects:
    """Post `rows` (payments, each on a debtor of `debtors`); `txn_ids` gives each
    transaction its id, in the order the rows are posted (by file, then CSV order).

    Per payment, as engine.payments.post_payment: paid += amount; the last payment date
    moves forward (write_payment_date); the earliest pending promise is settled
    (engine.promises.settle) with the owing after the payment, its state before kept on
    the payment, its copies and note lines added; then the plans run.
    """
    out = FastEffects()
    s, now, op = ctx.settings, ctx.now, ctx.operator.id
    write_date, manage = s.write_payment_date, s.auto_manage_promises
    below, has_default = plans.default_below, plans.default is not None
    runs = _Plans(plans)
    transactions, contacts, notes = out.transactions, out.contacts, out.notes
    settle, none, pending_ = rules.settle, rules.NONE, rules.PENDING
    for file, group in _by_debtor(rows):
        d = debtors[file]
        base, paid, last, operator = d.base, d.paid, d.last_payment_date, d.operator
        pending = d.promises if manage else []
        changed: dict[int, list[State]] = {}
        for _, _, amount, day, code, key, value in group:
            tid = next(txn_ids)
            paid += value
            if write_date and (last is None or day >= last):
                last = day
            outcome = none
            if not pending:
                transactions.append((tid, file, code, value, day, None, None, key))
            else:
                terms, state = pending[0] if len(pending) == 1 else min(pending, key=_order)
                r = settle(terms, state, amount, day, s, Decimal(base - paid).scaleb(-2),
                           now, op)
                after = r.state
                if after is state:
                    transactions.append((tid, file, code, value, day, None, None, key))
                else:
                    outcome, pid = r.outcome, terms.id
                    transactions.append((tid, file, code, value, day, pid,
                                         snapshot_of(pid, state, len(r.copies)), key))
                    if pid in changed:
                        changed[pid][1] = after
                    else:
                        changed[pid] = [state, after]
                    if len(pending) == 1:
                        pending = [(terms, after)] if after.status is pending_ else []
                    else:
                        pending = [(terms, after) if t is terms else (t, st)
                                   for t, st in pending
                                   if t is not terms or after.status is pending_]
                    if r.copies:
                        contacts.extend(CopyOf(pid, p, tid) for p in r.copies)
                        out.counts["contacts_created"] += len(r.copies)
                    if r.notes:
                        notes.extend((file, line) for line in r.notes)
                        out.counts["notes"] += len(r.notes)
            events, texts = runs.steps_for(
                (code, outcome, has_default and (below is None or base - paid < below)))
            for event, account in events:
                contacts.append((event, file, operator if account else event.collector))
            for text in texts:
                notes.append((file, text))
        out.debtors.append((file, paid, last, last != d.last_payment_date))
        if changed:
            out.promises.extend([(pid, old, new) for pid, (old, new) in changed.items()])
    runs.count(out.counts)
    out.counts["payments"] += len(rows)
    out.counts["transactions"] += len(rows)
    return out
