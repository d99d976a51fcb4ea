"""The JSON shapes of SPEC 11 that several commands print."""

from __future__ import annotations

from typing import Any

from collectcli.domain.model import Contact
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
