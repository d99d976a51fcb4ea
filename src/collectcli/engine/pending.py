"""Deleting a debtor's pending contacts for a plan (SPEC 5.3, 5.4; seeds 001 and 002)."""

from __future__ import annotations

from datetime import date

from collectcli.domain.model import Contact, Event, LogEntry, Plan
from collectcli.domain.types import ContactType, Status
from collectcli.engine.context import RunContext
from collectcli.engine.workspace import Account, Workspace


def remove_pending(ws: Workspace, contact: Contact, ctx: RunContext) -> None:
    """Deletes a pending contact; a repeating Promise without copy_on_repeat is marked done
    instead (seed 001: 'marked done instead of deleted to maintain the promise integrity').

    The same rule serves delete_same_type: a plan replacing a promise must not erase the
    history a repeating promise carries on itself.
    """
    if (contact.type == ContactType.PROMISE and contact.repeat is not None
            and not contact.copy_on_repeat):
        ws.mark_done(contact, ctx.now, ctx.operator.id)
    else:
        ws.delete_contact(contact)


def delete_same_type(ws: Workspace, acc: Account, ev: Event, ctx: RunContext) -> None:
    """Seed 002: 'delete any pending contacts of this same contact Type'; with 'Same
    description only' only those whose description is identical; 'Do not autodelete' kept."""
    for old in list(acc.contacts.values()):
        if (old.status is Status.PENDING and old.type == ev.type and not old.no_autodelete
                and (not ev.same_description_only or old.description == ev.description)):
            remove_pending(ws, old, ctx)


def delete_pending(ws: Workspace, acc: Account, plan: Plan, ctx: RunContext) -> str | None:
    """'Delete all pending contacts' of a primary plan, except 'No Autodelete' and Metro.

    With prompt_before_deleting the contacts are listed to `ctx.confirm_delete`; a "no",
    or no terminal to ask and no `--yes`, cancels the plan for this debtor: the reason is
    logged and returned, and nothing is deleted.
    """
    targets = [c for c in acc.contacts.values() if c.status is Status.PENDING
               and not c.no_autodelete and c.type != ContactType.METRO]
    if not targets:
        return None
    if plan.prompt_before_deleting and not ctx.assume_yes:
        targets.sort(key=lambda c: (c.due_date or date.min, c.id < 0, abs(c.id)))
        confirm = ctx.confirm_delete
        if confirm is None or not confirm(acc.debtor, plan, list(targets)):
            why = "the operator answered no" if confirm else "no terminal to ask (use --yes)"
            message = (f"plan {plan.code} cancelled on file {acc.file}: {why}; "
                       f"{len(targets)} pending contacts kept")
            ws.log(LogEntry("WARNING", "PLAN", message, file=acc.file))
            return message
    for contact in targets:
        remove_pending(ws, contact, ctx)
    return None
