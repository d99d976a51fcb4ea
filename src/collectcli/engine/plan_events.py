"""A plan's events prepared once per run context: order, schedule and contact templates.

Everything an event's contact has in common across debtors (type, description, due
date and time, priority, flags, repeat, creator, plan) is computed once per plan and
RunContext; per debtor only the id, file, collector and promise amount change. Contacts
are then built through a non-frozen twin of Contact (see `_make_twin`), several times
cheaper than the frozen 38-field __init__ or `dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from collectcli.domain.errors import InputError
from collectcli.domain.model import Contact, Debtor, Event, Plan
from collectcli.domain.money import CENT
from collectcli.domain.types import AUTOMATIC_TYPES, Assign, ContactType, Status, type_label
from collectcli.engine.context import RunContext
from collectcli.engine.records import new_contact
from collectcli.scheduler import event_due

_NAMES = tuple(f.name for f in fields(Contact))
ID, FILE, COLLECTOR, AMOUNT, PROMISED = (
    _NAMES.index(n) for n in ("id", "file", "collector", "amount", "promised")
)
if (ID, FILE) != (0, 1) or COLLECTOR < FILE:
    raise RuntimeError("plan_events relies on Contact's field order: id, file, ..., collector")
_HUNDRED = Decimal(100)


def build_contact(values: list[Any]) -> Contact:
    """A new Contact whose fields, in declaration order, are `values` (engine/records.py
    builds it without the slow frozen constructor)."""
    return new_contact(*values)


@dataclass(frozen=True, slots=True)
class Prepared:
    """One event ready to run.

    `execute`: an immediate automatic action; otherwise a contact is created. `insert`:
    the contact is kept in the schedule (always for scheduled contacts, with
    record_history for executed ones). A contact is `new_contact(id, file, *head,
    collector, *tail)`; `template` holds all its values for the rarer general path.
    `plain`: no condition and no delete-same-type, so nothing to check before creating.
    """

    index: int
    event: Event
    execute: bool
    insert: bool
    plain: bool
    template: tuple[Any, ...]
    head: tuple[Any, ...]
    tail: tuple[Any, ...]
    collector: str | None
    account_collector: bool
    promise_amount: bool
    note: bool = False
    """An executed Note (SPEC 6): the action only adds the event's description as a note
    line, so the plan runner writes it without building and dispatching a contact."""


def contact_for(p: Prepared, cid: int, file: int, collector: str | None) -> Contact:
    """The contact of a prepared event for one debtor (the per-debtor hot path)."""
    return new_contact(cid, file, *p.head, collector, *p.tail)


def promise_amount(event: Event, debtor: Debtor) -> Decimal | None:
    """A Promise event's amount: its own, or percent_of_owing × owing / 100 to the cent."""
    if event.amount is not None or event.percent_of_owing is None:
        return event.amount
    return (debtor.owing * event.percent_of_owing / _HUNDRED).quantize(CENT, ROUND_HALF_UP)


def prepare(plan: Plan, ctx: RunContext) -> list[Prepared]:
    """The plan's events in run order, each with its contact template for this context."""
    start = ctx.start_date if plan.prompt_start_date else None
    now, today, op = ctx.now, ctx.today, ctx.operator.id
    stamp = now.time().replace(microsecond=0)
    out: list[Prepared] = []
    for index, ev in plan.ordered_events():
        execute = ev.immediately and ev.type in AUTOMATIC_TYPES
        try:
            due, due_time = event_due(ev, today, now, start)
        except InputError as exc:
            raise InputError(f"event {index} ({type_label(ev.type)}): {exc}") from None
        done = execute or ev.mark_done
        is_promise = ev.type == ContactType.PROMISE
        collector = op if ev.assign is Assign.CURRENT else ev.operator
        template = Contact(
            id=0, file=0, type=ev.type, description=ev.description, due_date=due,
            due_time=due_time, priority=ev.priority or 50, collector=collector,
            amount=ev.amount, promised=ev.amount if is_promise else None, repeat=ev.repeat,
            repeat_days=ev.repeat_days, max_intervals=ev.max_intervals, anchor_date=due,
            occurrence=0, copy_on_repeat=ev.copy_on_repeat,
            log_repeat_to_notes=ev.log_repeat_to_notes,
            advance_overpayments=ev.advance_overpayments, no_autodelete=ev.no_autodelete,
            no_autocomplete=ev.no_autocomplete,
            no_autocomplete_promise=ev.no_autocomplete_promise,
            status=Status.DONE if done else Status.PENDING,
            done_date=today if done else None, done_time=stamp if done else None,
            done_by=op if done else None, originator=op, assigned_by=op,
            created_date=today, created_time=stamp, klass=ev.klass, plan=plan.code,
        )  # fmt: skip
        values = tuple(getattr(template, n) for n in _NAMES)
        out.append(Prepared(
            index=index, event=ev, execute=execute,
            insert=not execute or bool(ev.record_history),
            plain=ev.schedule_if is None and not ev.delete_same_type,
            template=values, head=values[FILE + 1:COLLECTOR], tail=values[COLLECTOR + 1:],
            collector=collector, account_collector=ev.assign is Assign.ACCOUNT,
            promise_amount=is_promise and ev.amount is None and ev.percent_of_owing is not None,
            note=execute and ev.type == ContactType.NOTE,
        ))  # fmt: skip
    return out
