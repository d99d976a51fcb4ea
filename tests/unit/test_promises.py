"""The promise rules on one Promise contact (seed 004 'How To Use Promises', SPEC 8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from collectcli.domain.model import Contact
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType, Repeat, Status
from collectcli.engine.promises import apply_payment, classify

NOW = datetime(2026, 3, 10, 10, 0, 0)
OP = "ADMIN"


def promise(amount: str = "100.00", due: date = date(2026, 3, 15), **kw: object) -> Contact:
    money = Decimal(amount)
    base = Contact(id=7, file=1, type=ContactType.PROMISE, description="Monthly promise",
                   due_date=due, amount=money, promised=money, repeat=Repeat.MONTHLY,
                   anchor_date=due)
    return replace(base, **kw)  # type: ignore[arg-type]


def pay(p: Contact, amount: str, owing: str = "5000.00", on: date = date(2026, 3, 15),
        settings: Settings | None = None):  # type: ignore[no-untyped-def]
    return apply_payment(p, Decimal(amount), on, settings or Settings(), Decimal(owing), NOW, OP,
                         txn_id=-1)


def test_advance_overpayments_pays_two_periods_with_200_on_100_monthly() -> None:
    """Seed 004: 'if a Debtor promises to pay $100 per month, and actually makes a payment
    of $200, the contact's Promise Date will move ahead two payment periods'."""
    r = pay(promise(advance_overpayments=True), "200.00")
    assert (r.outcome, r.periods) == ("over", 2)
    assert r.promise.due_date == date(2026, 5, 15)
    assert r.promise.amount == Decimal("100.00")
    assert r.promise.occurrence == 2


def test_without_advance_overpayments_200_on_100_moves_one_period_only() -> None:
    """Seed 004: 'If Advance overpayments is switched OFF, the Promise Date moves ahead only
    one period whenever an overpayment is posted.' SPEC 15: the excess does not carry."""
    r = pay(promise(), "200.00")
    assert (r.outcome, r.periods) == ("over", 1)
    assert r.promise.due_date == date(2026, 4, 15)
    assert r.promise.amount == Decimal("100.00")


def test_300_covering_two_150_periods_rolls_forward_two_months() -> None:
    """Seed 004: 'if the debtor pays $300 at once, and that satisfies 2 monthly payments of
    $150, the Date Due will roll forward 2 months when this switch is enabled.'"""
    r = pay(promise("150.00", advance_overpayments=True), "300.00")
    assert r.promise.due_date == date(2026, 5, 15)
    assert r.promise.amount == Decimal("150.00")


def test_advance_overpayments_leftover_reduces_the_next_amount() -> None:
    """SPEC 8: 'the next amount = promised − the leftover part'."""
    r = pay(promise(advance_overpayments=True), "250.00")
    assert r.promise.due_date == date(2026, 5, 15)
    assert r.promise.amount == Decimal("50.00")


def test_underpayment_reduces_the_amount_and_keeps_the_due_date() -> None:
    """Seed 004: 'When a payment is partial, Collect! does not forward the promise. Instead,
    the remaining amount is still due on the current promise date.'"""
    r = pay(promise(), "40.00")
    assert r.outcome == "under"
    assert r.promise.amount == Decimal("60.00")
    assert r.promise.due_date == date(2026, 3, 15)
    assert r.promise.promised == Decimal("100.00")
    assert r.promise.pending


@pytest.mark.parametrize(
    ("paid", "outcome"),
    [("94.99", "under"), ("95.00", "full"), ("100.00", "full"), ("110.00", "full"),
     ("110.01", "over")],
)
def test_payment_within_the_tolerances_is_a_full_payment(paid: str, outcome: str) -> None:
    """Seed 004 Payment Values: 'Values may be entered for evaluating a payment as an
    underpayment or an overpayment, if the amount paid is not exactly the same as the
    promised Amount.'"""
    s = Settings(under_tolerance=Decimal("5.00"), over_tolerance=Decimal("10.00"))
    assert classify(Decimal("100.00"), Decimal(paid), s) == outcome
    r = pay(promise(), paid, settings=s)
    assert r.outcome == outcome
    if outcome != "under":
        assert r.promise.due_date == date(2026, 4, 15)
        assert r.promise.amount == Decimal("100.00")


def test_early_payment_skips_the_promise() -> None:
    """Seed 004: 'if you enter a value of 7, any payments posted more than a week before the
    promise's due date will be treated as an extra payment, but any payment posted in the
    last week will be considered as the current payment and update the promise.'"""
    s = Settings(early_payment_skip_days=7)
    p = promise(due=date(2026, 3, 20))
    early = pay(p, "100.00", on=date(2026, 3, 12), settings=s)
    assert early.outcome == "none"
    assert early.promise == p
    in_week = pay(p, "100.00", on=date(2026, 3, 13), settings=s)
    assert in_week.outcome == "full"
    assert in_week.promise.due_date == date(2026, 4, 20)


def test_final_amount_is_capped_at_the_owing() -> None:
    """Seed 004: 'When the payment is nearing completion, Collect! automatically adjusts the
    final payment to reflect the actual amount outstanding.'"""
    r = pay(promise(), "100.00", owing="30.00")
    assert r.promise.amount == Decimal("30.00")
    assert r.promise.pending


def test_owing_reaching_zero_completes_the_promise() -> None:
    """Seed 004: 'The last payment turns off the promise contact cycle automatically when the
    Owing reaches zero.'"""
    r = pay(promise("30.00"), "30.00", owing="0.00")
    assert r.promise.status is Status.DONE
    assert (r.promise.done_date, r.promise.done_by) == (NOW.date(), OP)


def test_no_autocomplete_promise_keeps_the_promise_at_zero_owing() -> None:
    """Seed 004: 'No Autocomplete Promise ... useful if you are using Collect! for recurring
    subscriptions where the account balance reaches zero each period, but you want the
    promise to remain active and move to the next period.'"""
    r = pay(promise(no_autocomplete_promise=True), "100.00", owing="0.00")
    assert r.promise.pending
    assert r.promise.due_date == date(2026, 4, 15)
    assert r.promise.amount == Decimal("100.00")


def test_max_intervals_reaching_zero_completes_before_the_debt_is_paid() -> None:
    """Seed 004: 'When it reaches 0, the Contact will be completed regardless of the Debtor's
    Owing. This enables you to accept a series of Promise payments even if this agreement
    does not fully pay off the debt.'"""
    r1 = pay(promise(max_intervals=2), "100.00")
    assert r1.promise.pending and r1.promise.max_intervals == 1
    r2 = pay(r1.promise, "100.00", on=date(2026, 4, 15))
    assert r2.promise.status is Status.DONE
    assert r2.promise.max_intervals == 0


def test_max_intervals_limit_the_periods_an_overpayment_advances() -> None:
    """Seed 004: 'Max Intervals will also work with ... the Advance Overpayments switch'."""
    r = pay(promise(max_intervals=2, advance_overpayments=True), "500.00")
    assert r.periods == 2
    assert r.promise.status is Status.DONE


def test_copy_on_repeat_leaves_a_done_copy_per_period_met() -> None:
    """Seed 004: 'The Create copy on repeat creates a completed contact every time a Promise
    is forwarded.'"""
    r = pay(promise(copy_on_repeat=True, advance_overpayments=True), "200.00")
    assert [c.due_date for c in r.copies] == [date(2026, 3, 15), date(2026, 4, 15)]
    for c in r.copies:
        assert c.is_copy and c.status is Status.DONE and c.copy_of == 7 and c.made_by_txn == -1
    assert pay(promise(), "200.00").copies == ()


def test_log_repeat_to_notes_writes_the_seed_line() -> None:
    """Seed 004: 'The note is in the following format: [Type] type contact [Description],
    due [Date] processed by [Op ID]'."""
    r = pay(promise(log_repeat_to_notes=True), "100.00")
    assert r.notes == ("Promise type contact Monthly promise, due 2026-03-15 processed by ADMIN",)
    two = pay(promise(log_repeat_to_notes=True, advance_overpayments=True), "200.00").notes
    assert two[1] == "Promise type contact Monthly promise, due 2026-04-15 processed by ADMIN"


def test_single_promise_is_marked_done_when_met() -> None:
    """Seed 004: 'When a payment is received, Collect! will mark the contact as Done.'"""
    r = pay(promise(repeat=None), "100.00")
    assert r.promise.status is Status.DONE


def test_repeats_are_anchored_so_month_end_dates_do_not_drift() -> None:
    """SPEC 15: 'Repeats are anchored (section 4), so month-end dates do not drift.'"""
    p = promise(due=date(2026, 1, 31))
    r1 = pay(p, "100.00", on=date(2026, 1, 31))
    assert r1.promise.due_date == date(2026, 2, 28)
    r2 = pay(r1.promise, "100.00", on=date(2026, 2, 28))
    assert r2.promise.due_date == date(2026, 3, 31)
