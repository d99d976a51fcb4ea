"""Which promise a payment meets, alone or across a group (seed 004, 'Managing Promises
For Grouped Accounts').

With the setting `manage_group_promises` and the paying debtor's own flag, the promise
is the earliest pending Promise among the group members that have the flag; the owing
that caps and completes it is the group's; and when the member holding it reaches zero
the promise is completed there and continues on the member with the highest balance.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from collectcli.domain.model import Contact, Debtor
from collectcli.domain.money import ZERO
from collectcli.domain.settings import Settings
from collectcli.domain.types import ContactType, Status
from collectcli.engine.records import evolve_contact
from collectcli.engine.workspace import Account, Workspace

if TYPE_CHECKING:
    from collectcli.engine.context import RunContext


PROMISE, PENDING = ContactType.PROMISE, Status.PENDING


def group_applies(debtor: Debtor, settings: Settings) -> bool:
    return bool(settings.manage_group_promises and debtor.manage_group_promises
                and debtor.group_key)


def members(ws: Workspace, file: int, settings: Settings) -> list[Account]:
    """The accounts whose promises and owing count for a payment on `file`."""
    acc = ws.account(file)
    if not group_applies(acc.debtor, settings):
        return [acc]
    key = acc.debtor.group_key
    return [a for a in ws.accounts.values()
            if a.debtor.group_key == key and a.debtor.manage_group_promises]


def _order(c: Contact) -> tuple[date, bool, int]:
    return (c.due_date or date.min, c.id < 0, abs(c.id))


def find_promise(ws: Workspace, file: int, settings: Settings) -> Contact | None:
    """Seed 004: the earliest unmet promise (by due date, then id), group-wide if set."""
    found = [c for a in members(ws, file, settings) for c in a.contacts.values()
             if c.type == PROMISE and c.status is PENDING]
    if not found:
        return None
    return found[0] if len(found) == 1 else min(found, key=_order)


def promise_owing(ws: Workspace, promise: Contact, settings: Settings) -> Decimal:
    """The owing that caps and completes the promise: its holder's, or its group's."""
    debtor = ws.accounts[promise.file].debtor
    if not group_applies(debtor, settings):
        return debtor.owing
    return sum((a.debtor.owing for a in members(ws, promise.file, settings)), ZERO)


def move_if_holder_paid(ws: Workspace, promise: Contact, txn_id: int,
                        ctx: RunContext) -> Contact | None:
    """Seed 004: 'If the account with the Promise Contact reaches 0.00, then the Contact
    will be marked done, and a copy of the Contact will be placed on the account with the
    highest balance.' Returns the continuing promise, or None when it stays put."""
    holder = ws.account(promise.file)
    if (not promise.pending or promise.no_autocomplete_promise
            or not group_applies(holder.debtor, ctx.settings) or holder.debtor.owing > ZERO):
        return None
    others = [a for a in members(ws, promise.file, ctx.settings)
              if a.file != holder.file and a.debtor.owing > ZERO]
    if not others:
        return None
    target = max(others, key=lambda a: (a.debtor.owing, -a.file))
    ws.mark_done(promise, ctx.now, ctx.operator.id)
    return ws.add_contact(evolve_contact(
        promise, file=target.file, status=Status.PENDING, done_date=None, done_time=None,
        done_by=None, is_copy=False, copy_of=promise.id, made_by_txn=txn_id))
