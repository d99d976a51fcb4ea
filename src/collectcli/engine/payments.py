"""Posting a payment or an NSF reversal on a workspace (SPEC 8, seed 004).

`post_payment` records the transaction, updates the debtor's paid and last payment
date, manages the promise it meets (the debtor's earliest, or the group's), records the
promise's state before on the payment, and runs the plans in SPEC 15's order: the
transaction type's plan, the promise outcome plan (on the debtor holding the promise),
then the default plan. Everything lands in the workspace; the store writes it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from collectcli.domain.errors import InputError
from collectcli.domain.model import LogEntry, TransactionType
from collectcli.domain.money import ZERO, fmt
from collectcli.domain.types import TxnKind
from collectcli.engine import promises as rules
from collectcli.engine.group_promises import find_promise, move_if_holder_paid, promise_owing
from collectcli.engine.outcome import PaymentOutcome
from collectcli.engine.promise_state import snapshot
from collectcli.engine.records import evolve_contact, maker, new_transaction
from collectcli.engine.reversal import reverse_payment
from collectcli.engine.workspace import Workspace

if TYPE_CHECKING:
    from collectcli.engine.context import RunContext


PAYMENT, REVERSAL = TxnKind.PAYMENT.value, TxnKind.REVERSAL.value
_outcome: Callable[..., PaymentOutcome] = maker(PaymentOutcome)
"""PaymentOutcome(*every field) without the frozen __init__ (one per posted payment)."""


def transaction_kind(ctx: RunContext, type_code: str) -> TransactionType:
    tt = ctx.transaction_types.get(type_code)
    if tt is None:
        known = ", ".join(sorted(ctx.transaction_types))
        raise InputError(f"unknown transaction type '{type_code}' (known: {known})")
    if tt.kind != PAYMENT and tt.kind != REVERSAL:
        raise InputError(f"transaction type {type_code} is a {tt.kind} type, not a payment "
                         "or a reversal")
    return tt


def post_payment(
    ws: Workspace,
    file: int,
    amount: Decimal,
    payment_date: date,
    type_code: str,
    ctx: RunContext,
    *,
    reverses: int | None = None,
    ref: str | None = None,
    contact_id: int | None = None,
) -> PaymentOutcome:
    """Post a payment (or, for an amount ≤ 0, a reversal type or `reverses`, an NSF)."""
    tt = transaction_kind(ctx, type_code)
    if file not in ws.accounts:
        raise InputError(f"file {file} is not loaded for this payment")
    if amount <= ZERO or tt.kind == REVERSAL or reverses is not None:
        result = reverse_payment(ws, file, abs(amount), payment_date, type_code, ctx,
                                 reverses=reverses, ref=ref, contact_id=contact_id)
    else:
        result = _pay(ws, file, amount, payment_date, type_code, ctx, ref, contact_id)
    after_plans(ws, file, tt, result, ctx)
    ws.counts[f"promise_{result.outcome}"] += 1
    return result


def _pay(ws: Workspace, file: int, amount: Decimal, payment_date: date, type_code: str,
         ctx: RunContext, ref: str | None, contact_id: int | None) -> PaymentOutcome:
    acc, s, op = ws.account(file), ctx.settings, ctx.operator.id
    last = acc.debtor.last_payment_date
    if s.write_payment_date and (last is None or payment_date >= last):
        acc.update_debtor(paid=acc.debtor.paid + amount, last_payment_date=payment_date)
    else:
        acc.update_debtor(paid=acc.debtor.paid + amount)
    ws.counts["payments"] += 1
    promise = find_promise(ws, file, s) if s.auto_manage_promises else None
    result = None if promise is None else rules.apply_payment(
        promise, amount, payment_date, s, promise_owing(ws, promise, s), ctx.now, op)
    posted = ctx.today
    if promise is None or result is None or result.promise is promise:
        txn = ws.add_transaction(new_transaction(
            ws.temp_id(), file, type_code, amount, payment_date, posted, None, None, None,
            None, contact_id, ref, op))
        if promise is None:
            return PaymentOutcome(txn.id, rules.NONE)
        return PaymentOutcome(txn.id, rules.NONE, promise.id, promise.due_date,
                              promise.amount, promise.file)
    txn = ws.add_transaction(new_transaction(
        ws.temp_id(), file, type_code, amount, payment_date, posted, None, None, promise.id,
        snapshot(promise, copies=len(result.copies)), contact_id, ref, op))
    ws.put_contact(result.promise)
    for copy in result.copies:
        ws.add_contact(evolve_contact(copy, made_by_txn=txn.id))
    for line in result.notes:
        ws.add_note(promise.file, line, ctx.now, op)
    live = move_if_holder_paid(ws, result.promise, txn.id, ctx) or result.promise
    pending = live.pending
    return _outcome(txn.id, result.outcome, live.id, live.due_date,
                    live.amount if pending else ZERO, promise.file, None, not pending)


def after_plans(ws: Workspace, file: int, tt: TransactionType, result: PaymentOutcome,
                ctx: RunContext) -> None:
    """SPEC 15: the type's plan, then the promise plan, then the default plan."""
    s = ctx.settings
    if tt.plan:
        _run(ws, file, tt.plan, ctx, "transaction_type", f"transaction type {tt.code}")
    outcome = result.outcome
    promise_plan = (s.promise_full_plan if outcome == rules.FULL
                    else s.promise_under_plan if outcome == rules.UNDER
                    else s.promise_over_plan if outcome == rules.OVER
                    else s.promise_nsf_plan if outcome == rules.NSF else None)
    if promise_plan and s.auto_manage_promises and result.holder is not None:
        _run(ws, result.holder, promise_plan, ctx, "setting", f"promise_{result.outcome}_plan")
    below = s.default_plan_below
    if s.default_plan and (below is None or ws.account(file).debtor.owing < below):
        _run(ws, file, s.default_plan, ctx, "setting", "default_plan")


def _run(ws: Workspace, file: int, code: str, ctx: RunContext, via: str, why: str) -> None:
    if code not in ctx.plans:
        warned: set[str] = ctx.cache.setdefault("payments.missing_plans", set())
        if code in warned:
            return
        warned.add(code)
        ws.log(LogEntry("WARNING", "PAYMENT", f"{why} names plan {code}, which does not exist; "
                        "not run", file=file))
        return
    plan_runner()(ws, file, code, ctx, primary=True, via=via)
    ws.counts["plans_run"] += 1


_RUNNER: Callable[..., object] | None = None


def plan_runner() -> Callable[..., object]:
    """engine.plans.run_plan, imported late (plans -> actions -> payments), then kept."""
    global _RUNNER
    if _RUNNER is None:
        from collectcli.engine.plans import run_plan

        _RUNNER = run_plan
    return _RUNNER


def describe(result: PaymentOutcome) -> str:
    """One line for logs and terminals."""
    if result.promise is None:
        return f"transaction {result.transaction}: no promise managed"
    return (f"transaction {result.transaction}: promise {result.promise} {result.outcome}, "
            f"due {result.due_date}, amount {fmt(result.amount)}")
