"""The JSON shapes of SPEC 11 that several commands print."""

from __future__ import annotations

from datetime import date
from typing import Any

from collectcli.domain.model import Contact, Debtor
from collectcli.domain.money import fmt
from collectcli.domain.types import type_label


def contact_json(c: Contact) -> dict[str, Any]:
    """A contact as `collect contacts --json` shows it (SPEC 11); `wip` adds to it."""
    return {
        "id": c.id, "file": c.file, "type": type_label(c.type), "description": c.description,
        "due_date": c.due_date, "due_time": c.due_time, "status": c.status.value,
        "done_date": c.done_date, "done_by": c.done_by, "operator": c.collector,
        "priority": c.priority, "amount": fmt(c.amount), "promised": fmt(c.promised),
        "repeat": None if c.repeat is None else c.repeat.value, "repeat_days": c.repeat_days,
        "max_intervals": c.max_intervals, "copy_on_repeat": c.copy_on_repeat,
        "log_repeat_to_notes": c.log_repeat_to_notes,
        "advance_overpayments": c.advance_overpayments, "no_autodelete": c.no_autodelete,
        "no_autocomplete": c.no_autocomplete, "is_copy": c.is_copy, "plan": c.plan,
        "call_result": c.call_result, "class": c.klass,
    }


def debtor_json(d: Debtor, promise_date: date | None) -> dict[str, Any]:
    """A debtor as `debtor show --json` prints it (SPEC 11); `promise_date` is the
    earliest pending promise's due date."""
    return {
        "file": d.file, "name": d.name, "mode": d.mode.value, "status": d.status,
        "operator": d.operator, "sales": d.sales, "owing": fmt(d.owing),
        "principal": fmt(d.principal), "paid": fmt(d.paid), "fees": fmt(d.fees),
        "interest": fmt(d.interest),
        "commission_rate": None if d.commission_rate is None else str(d.commission_rate),
        "rate_plan": d.rate_plan, "state": d.state, "country": d.country,
        "timezone": d.timezone, "email": d.email, "phone": d.phone, "group": d.group_key,
        "listed_date": d.listed_date, "closed_date": d.closed_date,
        "last_payment_date": d.last_payment_date, "promise_date": promise_date,
        "validation_end": d.validation_end, "summary": d.summary, "poe": d.poe,
    }
