"""Writing a Plan back as its TOML keys, so export then import is lossless."""

from __future__ import annotations

from typing import Any

import tomli_w

from collectcli.domain.model import Event, Plan
from collectcli.domain.types import Assign, type_label
from collectcli.planfile.reader import EVENT_FLAGS, PLAN_FLAGS


def _event_to_dict(e: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"type": type_label(e.type), "description": e.description}
    if e.immediately:
        out["immediately"] = True
    for key in ("delay_days", "day_of_month"):
        if getattr(e, key) is not None:
            out[key] = getattr(e, key)
    if e.next_month_same_day:
        out["next_month_same_day"] = True
    if e.delay_minutes is not None:
        out["delay_minutes"] = e.delay_minutes
    if e.assign is not Assign.ACCOUNT:
        out["assign"] = e.assign.value
    simple = {"operator": e.operator, "priority": e.priority, "sequence": e.sequence,
              "repeat": e.repeat.value if e.repeat else None, "repeat_days": e.repeat_days,
              "max_intervals": e.max_intervals}
    out.update({k: v for k, v in simple.items() if v is not None})
    out.update({k: True for k in EVENT_FLAGS if getattr(e, k)})
    if e.record_history is not None:
        out["record_history"] = e.record_history
    if e.amount is not None:
        out["amount"] = f"{e.amount:.2f}"
    if e.percent_of_owing is not None:
        out["percent_of_owing"] = f"{e.percent_of_owing:.2f}"
    if e.klass is not None:
        out["class"] = e.klass
    if e.schedule_if is not None:
        c = e.schedule_if
        cond = {"field": c.field, "op": c.op, "value": c.value}
        out["schedule_if"] = cond if c.value2 is None else {**cond, "value2": c.value2}
    return out


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as its TOML keys (also the JSON of `plans show`); events a list of tables."""
    out: dict[str, Any] = {"code": plan.code, "description": plan.description}
    out.update({k: getattr(plan, k) for k in PLAN_FLAGS})
    out["access"] = [list(r) for r in plan.access]
    out["events"] = [_event_to_dict(e) for e in plan.events]
    return out


def _toml_value(value: Any) -> str:
    return tomli_w.dumps({"v": value}).strip()[len("v = "):]


def plan_to_toml(plan: Plan) -> str:
    """The plan as a TOML file that `plan_from_toml` / `plans import` reads back unchanged.

    Plan keys first, then one `[[events]]` table per event; schedule_if as an inline table.
    """
    data = plan_to_dict(plan)
    events = data.pop("events")
    chunks = [f"# Contact plan {plan.code}, written by 'collect plans export'\n",
              tomli_w.dumps(data)]
    for event in events:
        cond = event.pop("schedule_if", None)
        chunks.append("\n[[events]]\n" + tomli_w.dumps(event))
        if cond is not None:
            inline = ", ".join(f"{k} = {_toml_value(v)}" for k, v in cond.items())
            chunks.append(f"schedule_if = {{ {inline} }}\n")
    return "".join(chunks)


