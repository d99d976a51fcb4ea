"""What executing an automatic contact does to a debtor (SPEC 6; seed 004, contact types).

`execute` is called for an `immediately` event of a plan and by the batch for a due
automatic contact. It changes the Workspace only; marking the contact done or forwarding
it is the caller's business. A contact that cannot be executed (bad description, unknown
field, a type that is not automatic) raises InputError and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from collectcli.domain.errors import InputError
from collectcli.domain.fields import parse_assignments
from collectcli.domain.model import Contact, Transaction
from collectcli.domain.types import ContactType, Mode, Status, TxnKind, type_label
from collectcli.engine.context import RunContext
from collectcli.engine.workspace import Account, Workspace

Chain = tuple[str, ...]
Action = Callable[[Workspace, Account, Contact, RunContext, Chain], None]


def execute(ws: Workspace, contact: Contact, ctx: RunContext, chain: tuple[str, ...] = ()) -> None:
    """Executes an automatic contact on its debtor (SPEC 6 table).

    `chain` is the stack of plans running immediately (empty when the batch executes a
    due contact): a Plan contact runs its plan as a sub-plan inside a chain, and as a
    primary plan from the batch (SPEC 15).
    """
    action = _ACTIONS.get(contact.type)
    if action is None:
        raise InputError(
            f"a {type_label(contact.type)} contact is not executed automatically "
            "(records, letters and operator-assisted contacts are not automatic actions)"
        )
    try:
        action(ws, ws.accounts[contact.file], contact, ctx, chain)
    except InputError as exc:
        label = type_label(contact.type)
        raise InputError(f"{label} contact '{contact.description}': {exc}") from None


def _activate(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    acc.update_debtor(mode=Mode.ACTIVE, closed_date=None)


def _close(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    """Seed 004: pending contacts deleted except 'Do not autodelete' (and Metro, SPEC 6);
    'In progress Promises and Transactions are marked Completed' whatever that switch."""
    acc.update_debtor(mode=Mode.CLOSED, closed_date=ctx.today)
    for other in list(acc.contacts.values()):
        if other.status is not Status.PENDING or other.id == c.id:
            continue
        if other.type in (ContactType.PROMISE, ContactType.TRANSACTION):
            ws.mark_done(other, ctx.now, ctx.operator.id)
        elif not other.no_autodelete and other.type != ContactType.METRO:
            ws.delete_contact(other)


def _commission(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    """Seed 004: 'enter the percentage as a number. For example, 33 means 33%'."""
    text = c.description.strip().removesuffix("%").strip()
    try:
        rate = Decimal(text)
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
        raise InputError(f"'{c.description}' is not a percentage (0-100, like 33 or 12.5)")
    acc.update_debtor(commission_rate=rate)


def parse_edit(description: str) -> dict[str, object]:
    """`field=value; field=value` as Debtor attribute -> typed value; all or nothing."""
    return parse_assignments(description.split(";"))


def _edit(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    acc.update_debtor(**parse_edit(c.description))


def _note(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    ws.add_note(acc.file, c.description, ctx.now, ctx.operator.id)


def _operator(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    """Seed 004: 'Any pending contacts on the account that were assigned to the previous
    operator will be assigned to the new operator.'"""
    new = _collector(c)
    previous = acc.debtor.operator
    acc.update_debtor(operator=new)
    if previous is None or previous == new:
        return
    for other in list(acc.contacts.values()):
        if other.status is Status.PENDING and other.collector == previous and other.id != c.id:
            ws.put_contact(replace(other, collector=new))


def _collector(c: Contact) -> str:
    if not c.collector:
        raise InputError("the contact has no collector (operator id) to assign")
    return c.collector


def _plan(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    from collectcli.engine.plans import run_plan

    code = c.description.strip().upper()
    if not code:
        raise InputError("a Plan contact needs the plan code in its description")
    if ch:
        run_plan(ws, acc.file, code, ctx, primary=False, via="plan", chain=ch)
    else:
        run_plan(ws, acc.file, code, ctx, primary=True, via="batch")


def _rate_plan(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    acc.update_debtor(rate_plan=c.description.strip() or None)


def _sales(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    acc.update_debtor(sales=_collector(c))


def _status(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    acc.update_debtor(status=c.description.strip() or None)


def _export(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    ws.exports.append(acc.debtor)


_BALANCE = {TxnKind.PRINCIPAL: "principal", TxnKind.FEE: "fees",
            TxnKind.INTEREST: "interest", TxnKind.ADJUSTMENT: "fees"}  # fmt: skip


def _transaction(ws: Workspace, acc: Account, c: Contact, ctx: RunContext, ch: Chain) -> None:
    """Seed 004: 'select the ID of the Transaction Type. Set the amount of the transaction
    in the Transaction Type settings, or in the Amount field on the Contact form.'"""
    words = c.description.split()
    code = words[0] if words else ""
    ttype = ctx.transaction_types.get(code)
    if ttype is None:
        raise InputError(f"unknown transaction type '{code}' (the description names the type)")
    amount = c.amount if c.amount is not None else ttype.default_amount
    if amount is None:
        raise InputError(f"no amount: the contact has none and type {code} has no default")
    contact_id = c.id if c.id != 0 else None
    kind = TxnKind(ttype.kind)
    if kind in (TxnKind.PAYMENT, TxnKind.REVERSAL):
        from collectcli.engine.payments import post_payment

        post_payment(ws, acc.file, amount, ctx.today, code, ctx, contact_id=contact_id)
        return
    attr = _BALANCE[kind]
    acc.update_debtor(**{attr: getattr(acc.debtor, attr) + amount})
    ws.add_transaction(Transaction(0, acc.file, code, amount, ctx.today, ctx.today,
                                   contact_id=contact_id, operator=ctx.operator.id))
    if ttype.plan:
        from collectcli.engine.plans import run_plan

        run_plan(ws, acc.file, ttype.plan, ctx, primary=not ch, via="transaction_type", chain=ch)


_ACTIONS: dict[int, Action] = {
    ContactType.ACTIVATE: _activate,
    ContactType.CLOSE: _close,
    ContactType.COMMISSION: _commission,
    ContactType.EDIT: _edit,
    ContactType.NOTE: _note,
    ContactType.OPERATOR: _operator,
    ContactType.PLAN: _plan,
    ContactType.RATEPLAN: _rate_plan,
    ContactType.SALES: _sales,
    ContactType.STATUS: _status,
    ContactType.TRANSACTION: _transaction,
    ContactType.EXPORT: _export,
}
