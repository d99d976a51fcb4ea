"""NSF / reversal of a posted payment (SPEC 8, seed 004 'When an NSF Check is Returned').

The reversal names its payment (`reverses`) or takes the latest unreversed payment of the
same amount on the debtor; it puts back the promise exactly as the payment recorded it,
removes the copies (and a group promise moved on) that the payment made, and marks the
payment reversed. Reversing twice, or with nothing to reverse, is refused before anything
changes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from collectcli.domain.errors import InputError, NotFound
from collectcli.domain.model import Contact, LogEntry, Transaction
from collectcli.domain.money import ZERO, fmt
from collectcli.domain.types import TxnKind
from collectcli.engine import promises as rules
from collectcli.engine.group_promises import find_promise
from collectcli.engine.outcome import PaymentOutcome, operator_id
from collectcli.engine.promise_state import restore_onto
from collectcli.engine.records import evolve_transaction
from collectcli.engine.workspace import Account, Workspace

if TYPE_CHECKING:
    from collectcli.engine.context import RunContext


def known_transactions(acc: Account) -> list[Transaction]:
    """The debtor's transactions in posting order: stored ones (as changed), then new ones."""
    ordered = sorted(acc.history, key=lambda t: t.id)
    stored = [acc.changed_transactions.get(t.id, t) for t in ordered]
    return stored + list(acc.transactions)


def is_payment(t: Transaction, ctx: RunContext) -> bool:
    tt = ctx.transaction_types.get(t.type)
    return (tt is not None and tt.kind == TxnKind.PAYMENT.value and t.amount > ZERO
            and t.reverses is None)


def find_target(acc: Account, amount: Decimal, reverses: int | None,
                ctx: RunContext) -> Transaction:
    """The payment to reverse; an InputError/NotFound names why there is none."""
    txns = known_transactions(acc)
    if reverses is not None:
        t = next((t for t in txns if t.id == reverses), None)
        if t is None:
            raise NotFound(f"transaction {reverses} is not a transaction of file {acc.file}")
        if not is_payment(t, ctx):
            raise InputError(f"transaction {reverses} is not a payment (type {t.type}, "
                             f"amount {fmt(t.amount)}): only payments can be reversed")
        if t.reversed_by is not None:
            raise InputError(f"transaction {reverses} was already reversed by transaction "
                             f"{t.reversed_by}: reversing twice is refused")
        if amount not in (ZERO, t.amount):
            raise InputError(f"transaction {reverses} was a payment of {fmt(t.amount)}, "
                             f"not {fmt(amount)}")
        return t
    if amount == ZERO:
        raise InputError("a reversal needs --reverses TXN or the amount of the payment")
    found = [t for t in txns if is_payment(t, ctx) and t.reversed_by is None
             and t.amount == amount]
    if not found:
        raise InputError(f"file {acc.file}: no unreversed payment of {fmt(amount)} to "
                         "reverse (name the payment with --reverses TXN)")
    return found[-1]


def reverse_payment(ws: Workspace, file: int, amount: Decimal, payment_date: date,
                    type_code: str, ctx: RunContext, *, reverses: int | None = None,
                    ref: str | None = None, contact_id: int | None = None) -> PaymentOutcome:
    """Post the reversal of a payment; returns outcome 'nsf' with the restored promise."""
    acc = ws.account(file)
    target = find_target(acc, amount, reverses, ctx)
    rtxn = ws.add_transaction(Transaction(
        0, file, type_code, -target.amount, payment_date, ctx.now.date(),
        reverses=target.id, ref=ref, operator=operator_id(ctx), contact_id=contact_id))
    ws.put_transaction(evolve_transaction(target, reversed_by=rtxn.id))
    acc.update_debtor(paid=acc.debtor.paid - target.amount)
    if ctx.settings.write_payment_date:
        acc.update_debtor(last_payment_date=_last_payment_date(acc, payment_date, ctx))
    ws.counts["reversals"] += 1
    live = _restore_promise(ws, target)
    if live is None:
        live = find_promise(ws, file, ctx.settings)
    if live is None:
        return PaymentOutcome(rtxn.id, rules.NSF, reversed=target.id)
    return PaymentOutcome(rtxn.id, rules.NSF, live.id, live.due_date, live.amount, live.file,
                          reversed=target.id, completed=not live.pending)


def _last_payment_date(acc: Account, reversal_date: date, ctx: RunContext) -> date | None:
    """Seed 004 'Use NSF Date': on, the reversal's date; off, the last payment that was
    not reversed (01/01 and 02/01 paid, 02/02 reversed → 01/01)."""
    if ctx.settings.use_nsf_date:
        return reversal_date
    dates = [t.payment_date for t in known_transactions(acc)
             if is_payment(t, ctx) and t.reversed_by is None]
    return max(dates, default=None)


def _find_contact(ws: Workspace, contact_id: int) -> Contact | None:
    for acc in ws.accounts.values():
        if contact_id in acc.contacts:
            return acc.contacts[contact_id]
    return None


def _restore_promise(ws: Workspace, target: Transaction) -> Contact | None:
    """Put back the promise recorded on `target`; remove what `target` made."""
    if target.promise_before is None or target.promise_id is None:
        return None
    for acc in list(ws.accounts.values()):
        for c in [c for c in acc.contacts.values() if c.made_by_txn == target.id]:
            ws.delete_contact(c)
    current = _find_contact(ws, target.promise_id)
    if current is None:
        ws.log(LogEntry("WARNING", "PAYMENT", f"promise {target.promise_id} of transaction "
                        f"{target.id} no longer exists; its state was not restored",
                        file=target.file))
        return None
    return ws.put_contact(restore_onto(current, target.promise_before))
