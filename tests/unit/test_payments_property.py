"""Property: reversing every payment, newest first, puts every promise and the owing back
(SPEC 8: 'It restores the promise to exactly the state recorded on that payment')."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from collectcli.domain.types import Repeat
from collectcli.engine.payments import post_payment
from tests.unit.payments_helpers import NO_PLANS, ctx, debtor, promise, workspace

cents = st.integers(min_value=1, max_value=60_000).map(lambda c: Decimal(c) / 100)
promise_st = st.builds(
    dict,
    amount=st.integers(min_value=1_000, max_value=30_000),
    repeat=st.sampled_from([None, Repeat.MONTHLY, Repeat.WEEKLY, Repeat.CUSTOM]),
    advance=st.booleans(), copy=st.booleans(), log=st.booleans(),
    max_intervals=st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
    no_autocomplete_promise=st.booleans(), day=st.integers(min_value=0, max_value=60),
)


@settings(max_examples=150, deadline=None)
@given(
    promises=st.lists(promise_st, min_size=0, max_size=3),
    pays=st.lists(st.tuples(cents, st.integers(min_value=0, max_value=90)), min_size=1,
                  max_size=8),
    principal=st.integers(min_value=1_000, max_value=200_000),
    under=st.sampled_from(["0.00", "5.00"]), over=st.sampled_from(["0.00", "10.00"]),
    skip=st.sampled_from([0, 7]),
)
def test_reversing_all_payments_newest_first_restores_every_promise(
    promises: list[dict[str, object]], pays: list[tuple[Decimal, int]], principal: int,
    under: str, over: str, skip: int,
) -> None:
    """Seed 004: 'Collect! will roll back the Due Date and reactivate the Promise, when an NSF
    check is posted to the account.'"""
    start = date(2026, 1, 31)
    contacts = []
    for i, p in enumerate(promises, start=1):
        rep = p["repeat"]
        contacts.append(promise(
            i, amount=str(Decimal(int(p["amount"])) / 100),  # type: ignore[call-overload]
            due=start + timedelta(days=int(p["day"])),  # type: ignore[call-overload]
            repeat=rep, repeat_days=10 if rep is Repeat.CUSTOM else None,  # type: ignore[arg-type]
            advance_overpayments=p["advance"], copy_on_repeat=p["copy"],
            log_repeat_to_notes=p["log"], max_intervals=p["max_intervals"],
            no_autocomplete_promise=p["no_autocomplete_promise"]))
    d = debtor(1, str(Decimal(principal) / 100))
    ws = workspace((d, contacts))
    c = ctx(replace(NO_PLANS, under_tolerance=Decimal(under), over_tolerance=Decimal(over),
                    early_payment_skip_days=skip))
    posted = [post_payment(ws, 1, amt, start + timedelta(days=day), "101", c).transaction
              for amt, day in pays]
    for txn in reversed(posted):
        post_payment(ws, 1, Decimal("0.00"), date(2026, 6, 1), "105", c, reverses=txn)
    acc = ws.account(1)
    assert acc.contacts == {p.id: p for p in contacts}
    assert acc.debtor.owing == d.owing
    assert all(t.reversed_by is not None for t in acc.transactions if t.amount > 0)
