"""A contact plan drawn as a flow chart (seed 000: "create a flow chart"), Mermaid or DOT.

The plan and every plan it runs through Plan events are drawn once each, so a cycle of
plans ends in an edge back to a plan already drawn. Edges carry the timing and the
`schedule_if` condition; nodes carry the plan's and the event's switches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from collectcli.domain.model import Event, Plan
from collectcli.domain.types import Assign, ContactType, type_label

FORMATS = ("mermaid", "dot")


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple[str, ...]
    shape: str  # plan | event | call | missing


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    dashed: bool = False


def timing(e: Event) -> str:
    """When the event happens, as the chart shows it."""
    if e.immediately:
        return "immediately"
    if e.day_of_month is not None:
        return f"day {e.day_of_month}"
    if e.next_month_same_day:
        return "next month"
    parts = []
    if e.delay_days is not None:
        parts.append(f"+{e.delay_days} days")
    if e.delay_minutes is not None:
        parts.append(f"+{e.delay_minutes} min")
    return " ".join(parts)


def condition(e: Event) -> str | None:
    c = e.schedule_if
    if c is None:
        return None
    if c.op == "..":
        return f"if {c.field} in {c.value}..{c.value2}"
    return f"if {c.field} {c.op} {c.value}"


def plan_flags(p: Plan) -> list[str]:
    flags = []
    if p.delete_pending:
        flags.append("delete pending" + (" (prompt)" if p.prompt_before_deleting else ""))
    names = {"prompt_start_date": "prompts for start date", "skip_closed": "skips closed",
             "allow_all_users_to_delete": "all users may delete", "sub_plan": "sub-plan"}
    flags += [text for key, text in names.items() if getattr(p, key)]
    if p.access:
        flags.append("levels " + ", ".join(f"{lo}-{hi}" for lo, hi in p.access))
    return flags


def event_flags(e: Event) -> list[str]:
    flags = []
    if e.repeat is not None:
        every = f"every {e.repeat_days} days" if e.repeat_days else e.repeat.value
        flags.append(f"repeat {every}" + (f" x{e.max_intervals}" if e.max_intervals else ""))
    if e.delete_same_type:
        flags.append("delete same type" + (" + description" if e.same_description_only else ""))
    switches = ("mark_done", "no_autodelete", "no_autocomplete", "no_autocomplete_promise",
                "copy_on_repeat", "log_repeat_to_notes", "advance_overpayments")
    flags += [key.replace("_", " ") for key in switches if getattr(e, key)]
    if e.record_history is not None:
        flags.append("record history" if e.record_history else "no history")
    if e.amount is not None:
        flags.append(f"amount {e.amount:.2f}")
    if e.percent_of_owing is not None:
        flags.append(f"{e.percent_of_owing:.2f}% of owing")
    if e.assign is not Assign.ACCOUNT:
        flags.append(f"assign {e.operator or e.assign.value}")
    if e.priority is not None:
        flags.append(f"priority {e.priority}")
    return flags


def build(root: str, plans: Mapping[str, Plan]) -> tuple[list[Node], list[Edge]]:
    """Nodes and edges of `root` and every plan it reaches; each plan drawn once."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    queue, seen = [root], {root}
    while queue:
        code = queue.pop(0)
        plan = plans.get(code)
        if plan is None:
            nodes.append(Node(f"P_{code}", (f"{code}", "plan not found"), "missing"))
            continue
        nodes.append(Node(f"P_{code}", (f"{code}: {plan.description}", *plan_flags(plan)), "plan"))
        for order, (index, e) in enumerate(plan.ordered_events(), start=1):
            node_id = f"E_{code}_{index}"
            head = f"{order}. {type_label(e.type)}: {e.description}"
            shape = "call" if e.type == ContactType.PLAN else "event"
            nodes.append(Node(node_id, (head, *event_flags(e)), shape))
            label = ", ".join(x for x in (timing(e), condition(e)) if x)
            edges.append(Edge(f"P_{code}", node_id, label))
            if e.type == ContactType.PLAN:
                target = e.description
                edges.append(Edge(node_id, f"P_{target}",
                                  "runs now" if e.immediately else "runs when due", True))
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return nodes, edges


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def mermaid(nodes: list[Node], edges: list[Edge]) -> str:
    shapes = {"plan": ('(["', '"])'), "event": ('["', '"]'), "call": ('{{"', '"}}'),
              "missing": ('[/"', '"/]')}
    out = ["flowchart TD"]
    for n in nodes:
        left, right = shapes[n.shape]
        out.append(f"    {n.id}{left}{'<br/>'.join(_mermaid_text(x) for x in n.lines)}{right}")
    for e in edges:
        arrow = "-.->" if e.dashed else "-->"
        label = f'|"{_mermaid_text(e.label)}"|' if e.label else ""
        out.append(f"    {e.source} {arrow}{label} {e.target}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot(root: str, nodes: list[Node], edges: list[Edge]) -> str:
    shapes = {"plan": "box, style=rounded", "event": "box", "call": "hexagon",
              "missing": "box, style=dashed"}
    out = [f'digraph "{_dot_text(root)}" {{', "    rankdir=TB;", "    node [fontsize=10];"]
    for n in nodes:
        label = "\\n".join(_dot_text(x) for x in n.lines)
        out.append(f'    "{n.id}" [label="{label}", shape={shapes[n.shape]}];')
    for e in edges:
        style = ", style=dashed" if e.dashed else ""
        out.append(f'    "{e.source}" -> "{e.target}" [label="{_dot_text(e.label)}"{style}];')
    out.append("}")
    return "\n".join(out) + "\n"


def render(root: str, plans: Mapping[str, Plan], fmt: str) -> str:
    """The flow chart of plan `root` in `fmt` (mermaid or dot)."""
    nodes, edges = build(root, plans)
    return mermaid(nodes, edges) if fmt == "mermaid" else dot(root, nodes, edges)
