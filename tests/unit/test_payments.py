"""Posting payments and NSF reversals on a workspace (SPEC 8, seed 004)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from collectcli.domain.errors import InputError, NotFound
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType, Status
from collectcli.engine import payments
from collectcli.engine.payments import post_payment
from tests.unit.payments_helpers import NO_PLANS, TYPES, ctx, debtor, promise, workspace

PAID_ON = date(2026, 3, 15)


def post(ws: Any, amount: str, c: Any = None, file: int = 1, type_code: str = "101",
         on: date = PAID_ON, **kw: Any) -> payments.PaymentOutcome:
    return post_payment(ws, file, Decimal(amount), on, type_code, c or ctx(), **kw)


def test_nsf_after_a_completing_payment_restores_the_promise_exactly() -> None:
    """Seed 004: 'When an NSF check is returned, enter the amount as a negative and Collect!
    will back date the promise to its outstanding date and amount.'"""
    p = promise(7, repeat=None)
    ws = workspace((debtor(1), [p]))
    paid = post(ws, "100.00")
    assert (paid.outcome, paid.completed) == ("full", True)
    assert ws.account(1).contacts[7].status is Status.DONE
    nsf = post(ws, "-100.00", on=date(2026, 3, 20))
    assert nsf.outcome == "nsf" and nsf.reversed == paid.transaction
    assert ws.account(1).contacts[7] == p
    assert ws.account(1).debtor.owing == Decimal("1000.00")
    original = ws.account(1).transactions[0]
    assert original.reversed_by == nsf.transaction


def test_reversal_removes_the_copies_the_payment_made() -> None:
    """Seed 004: 'Collect! will roll back the Due Date and reactivate the Promise, when an
    NSF check is posted to the account.'"""
    p = promise(7, copy_on_repeat=True, advance_overpayments=True)
    ws = workspace((debtor(1), [p]))
    post(ws, "300.00")
    assert len(ws.account(1).contacts) == 4
    post(ws, "300.00", type_code="105")
    assert ws.account(1).contacts == {7: p}


def test_reversing_twice_is_refused() -> None:
    """SPEC 8: 'Reversing twice is refused.'"""
    ws = workspace((debtor(1), [promise(7)]))
    paid = post(ws, "100.00")
    post(ws, "0.00", reverses=paid.transaction)
    before = (list(ws.account(1).transactions), ws.account(1).debtor)
    with pytest.raises(InputError, match="already reversed"):
        post(ws, "0.00", reverses=paid.transaction)
    with pytest.raises(InputError, match="no unreversed payment"):
        post(ws, "-100.00")
    assert (list(ws.account(1).transactions), ws.account(1).debtor) == before


def test_reversal_with_nothing_to_reverse_posts_nothing() -> None:
    """SPEC 8: 'without it, the latest unreversed payment of the same absolute amount on that
    debtor; none → error, nothing posted.'"""
    ws = workspace((debtor(1), [promise(7)]))
    with pytest.raises(InputError, match=r"no unreversed payment of 40\.00"):
        post(ws, "-40.00")
    with pytest.raises(NotFound):
        post(ws, "0.00", reverses=99)
    assert ws.account(1).transactions == [] and not ws.account(1).debtor_changed


def test_group_split_payment_leaves_the_shortfall_on_the_promise() -> None:
    """Seed 004: 'Debtor was to pay $150.00. $100.00 was received and posted $10 each to 10
    accounts. The Amount field in the Promise will show $50.00. The Due Date will not roll
    forward. The Promised field will still be displaying the original amount of $150.00.'"""
    s = replace(NO_PLANS, manage_group_promises=True)
    members = [(debtor(f, group_key="G", manage_group_promises=True),
                [promise(7, file=1, amount="150.00")] if f == 1 else []) for f in range(1, 11)]
    ws = workspace(*members)
    for f in range(1, 11):
        assert post(ws, "10.00", ctx(s), file=f).outcome == "under"
    p = ws.account(1).contacts[7]
    assert (p.amount, p.promised, p.due_date) == (Decimal("50.00"), Decimal("150.00"), PAID_ON)


def test_group_member_at_zero_moves_the_promise_to_the_highest_balance() -> None:
    """Seed 004: 'If the account with the Promise Contact reaches 0.00, then the Contact will
    be marked done, and a copy of the Contact will be placed on the account with the highest
    balance.'"""
    s = replace(NO_PLANS, manage_group_promises=True)
    p = promise(7, file=1, amount="100.00")
    ws = workspace((debtor(1, "100.00", group_key="G", manage_group_promises=True), [p]),
                   (debtor(2, "500.00", group_key="G", manage_group_promises=True), []),
                   (debtor(3, "900.00", group_key="G", manage_group_promises=True), []),
                   (debtor(4, "5000.00", group_key="G"), []))
    out = post(ws, "100.00", ctx(s))
    assert ws.account(1).contacts[7].status is Status.DONE
    moved = ws.account(3).contacts[out.promise or 0]
    assert moved.pending and moved.copy_of == 7 and moved.due_date == date(2026, 4, 15)
    post(ws, "100.00", ctx(s), type_code="105")
    assert ws.account(1).contacts[7] == p and ws.account(3).contacts == {}


def test_three_single_promises_are_met_in_due_date_order() -> None:
    """Seed 004: 'When a payment is posted, the amount of the earliest unmet promise will be
    automatically filled in. This contact will be marked done when the payment is posted.'"""
    ps = [promise(9, due=date(2026, 5, 1), amount="70.00", repeat=None),
          promise(8, due=date(2026, 3, 1), amount="50.00", repeat=None),
          promise(10, due=date(2026, 4, 1), amount="60.00", repeat=None)]
    ws = workspace((debtor(1), ps))
    met = [post(ws, amt).promise for amt in ("50.00", "60.00", "70.00")]
    assert met == [8, 10, 9]
    assert all(c.status is Status.DONE for c in ws.account(1).contacts.values())


def test_auto_manage_promises_off_posts_without_managing() -> None:
    """Seed 004: 'When this switch is OFF ... Collect! does not advance the debtor's Promise
    date, and does not call any contact plan.'"""
    calls: list[tuple[Any, ...]] = []
    s = replace(Settings(), auto_manage_promises=False)
    p = promise(7)
    ws = workspace((debtor(1), [p]))
    payments_runner(calls)
    out = post(ws, "100.00", ctx(s, plans=("PRF", "PRU", "PRO", "PRN")))
    assert out.outcome == "none" and ws.account(1).contacts[7] == p and calls == []
    assert ws.account(1).debtor.paid == Decimal("100.00")


_patched: list[Any] = []


def payments_runner(calls: list[tuple[Any, ...]]) -> None:
    def fake(ws: Any, file: int, code: str, c: Any, *, primary: bool, via: str) -> None:
        calls.append((file, code, via))
    _patched.append(fake)


@pytest.fixture(autouse=True)
def _runner(monkeypatch: pytest.MonkeyPatch) -> Any:
    _patched.clear()
    monkeypatch.setattr(payments, "plan_runner", lambda: _patched[-1])


def test_plans_run_in_type_promise_default_order() -> None:
    """SPEC 15: 'we run the transaction type's plan, the promise plan, then the default plan
    (the Default contact plan paragraph's reason: earlier plans can change the owing).'"""
    calls: list[tuple[Any, ...]] = []
    payments_runner(calls)
    s = replace(Settings(), default_plan="DEF", manage_group_promises=True)
    types = {**TYPES, "101": replace(TYPES["101"], plan="TYP")}
    c = ctx(s, plans=("PRF", "PRU", "DEF", "TYP"), types=types)
    ws = workspace((debtor(1, group_key="G", manage_group_promises=True), [promise(7)]),
                   (debtor(2, group_key="G", manage_group_promises=True), []))
    post(ws, "40.00", c, file=2)
    assert calls == [(2, "TYP", "transaction_type"), (1, "PRU", "setting"),
                     (2, "DEF", "setting")]


def test_default_plan_runs_only_below_the_threshold() -> None:
    """Seed 004: 'if you enter 50, the contact plan will be invoked automatically only when an
    account Owing drops below $50.00.'"""
    calls: list[tuple[Any, ...]] = []
    payments_runner(calls)
    c = ctx(replace(NO_PLANS, default_plan="DEF", default_plan_below=Decimal("50.00")),
            plans=("DEF",))
    ws = workspace((debtor(1, "100.00"), []))
    post(ws, "50.00", c)
    assert calls == []
    post(ws, "0.01", c)
    assert calls == [(1, "DEF", "setting")]


def test_use_nsf_date_off_takes_the_last_successful_payment() -> None:
    """Seed 004: '01/01/2022: Payment, 02/01/2022: Payment, 02/02/2022: Reversal ... if the
    reversal is properly entered, then Collect! will use 01/01/2022'; with Use NSF Date on,
    '02/02/2022'."""
    for use_nsf, expected in ((False, date(2022, 1, 1)), (True, date(2022, 2, 2))):
        ws = workspace((debtor(1), []))
        c = ctx(replace(NO_PLANS, use_nsf_date=use_nsf))
        post(ws, "10.00", c, on=date(2022, 1, 1))
        post(ws, "20.00", c, on=date(2022, 2, 1))
        assert ws.account(1).debtor.last_payment_date == date(2022, 2, 1)
        post(ws, "-20.00", c, on=date(2022, 2, 2))
        assert ws.account(1).debtor.last_payment_date == expected


def test_a_fee_type_is_not_a_payment() -> None:
    """SPEC 2: transaction kinds; only payment and reversal kinds go through posting."""
    ws = workspace((debtor(1), []))
    with pytest.raises(InputError, match="principal"):
        post(ws, "10.00", type_code="196")
    with pytest.raises(InputError, match="unknown transaction type"):
        post(ws, "10.00", type_code="999")


def test_payment_records_the_promise_state_before() -> None:
    """SPEC 8: 'Records on the payment which promise it touched and the promise's state
    before.'"""
    ws = workspace((debtor(1), [promise(7)]))
    post(ws, "100.00")
    txn = ws.account(1).transactions[0]
    assert txn.promise_id == 7 and txn.promise_before and '"due_date":"2026-03-15"' in (
        txn.promise_before)
    assert ws.account(1).contacts[7].type == ContactType.PROMISE
