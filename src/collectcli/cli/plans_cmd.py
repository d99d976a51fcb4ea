"""`collect plans`: import, export, list, show, check and graph contact plans (SPEC 3, 11)."""

from __future__ import annotations

from pathlib import Path

import typer

from collectcli.cli.context import State, state
from collectcli.cli.plans_graph import (
    FORMATS,
    condition,
    event_flags,
    plan_flags,
    render,
    timing,
)
from collectcli.cli.render import err, error_line, print_json, show, table
from collectcli.cli.root import plans_app
from collectcli.domain.errors import InputError, PlanFileError
from collectcli.domain.model import LogEntry, Plan
from collectcli.domain.types import Assign, type_label
from collectcli.planfile import (
    check_plan_dict,
    check_plan_files,
    check_plan_sources,
    immediate_cycles,
    plan_to_dict,
    plan_to_toml,
)
from collectcli.store import plans_repo
from collectcli.store.reference import get_operator, list_operators, write_log
from collectcli.store.session import unit_of_work

JSON_HELP = "Print the result as JSON."


def _report(problems: list[PlanFileError]) -> None:
    for problem in problems:
        error_line(str(problem))


@plans_app.command("import")
def import_plans(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="Plan files (TOML) to load."),
    json_out: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Validate plan files and load them; a plan with an existing code replaces it.

    Every file is checked first: if any is bad, nothing is imported."""
    st = state(ctx)
    with unit_of_work(st.engine()) as uow:
        plans, problems = check_plan_files(files, plans_repo.known_codes(uow.conn))
        if problems:
            _report(problems)
            raise typer.Exit(1)
        added = [p.code for p in plans if plans_repo.save(uow.conn, p)]
        replaced = [p.code for p in plans if p.code not in added]
        message = (f"plans import: added {', '.join(added) or 'none'}; "
                   f"replaced {', '.join(replaced) or 'none'}")
        write_log(uow.conn, st.now, st.operator, [LogEntry("INFO", "PLANS", message)])
        uow.commit()
    if json_out:
        print_json({"imported": [p.code for p in plans], "added": added, "replaced": replaced})
        return
    show(table(f"Imported {len(plans)} plan(s)", ["code", "description", "result"],
               [(p.code, p.description, "added" if p.code in added else "replaced")
                for p in plans]))


@plans_app.command("export")
def export_plan(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Plan code."),
    output: Path = typer.Option(None, "-o", "--output", help="Write to this file "
                                "(default: standard output)."),
) -> None:
    """Write a plan as a TOML plan file that 'plans import' reads back unchanged."""
    st = state(ctx)
    with st.engine().connect() as conn:
        text = plan_to_toml(plans_repo.get(conn, code))
    if output is None:
        typer.echo(text, nl=False)
        return
    if not output.parent.resolve().is_dir():
        raise InputError(f"-o {output}: the folder does not exist (create it first)")
    output.write_text(text, encoding="utf-8")
    err.print(f"exported plan {code.upper()} to {output}", highlight=False)


def _visible(st: State, show_all: bool) -> list[Plan]:
    with st.engine().connect() as conn:
        plans = plans_repo.list_plans(conn)
        if show_all:
            return plans
        level = get_operator(conn, st.operator).level
    return [p for p in plans if not p.sub_plan and p.allows_level(level)]


@plans_app.command("list")
def list_plans(
    ctx: typer.Context,
    show_all: bool = typer.Option(False, "--all", help="Also sub-plans and plans the "
                                  "operator's user level may not run."),
    json_out: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The contact plans the current operator can run (seed 001: sub-plans are hidden)."""
    plans = _visible(state(ctx), show_all)
    if json_out:
        print_json([{"code": p.code, "description": p.description, "sub_plan": p.sub_plan}
                    for p in plans])
        return
    show(table("Contact plans", ["code", "description", "events", "sub-plan", "access"],
               [(p.code, p.description, len(p.events), "yes" if p.sub_plan else "",
                 ", ".join(f"{lo}-{hi}" for lo, hi in p.access) or "all")
                for p in plans]))


@plans_app.command("show")
def show_plan(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Plan code."),
    json_out: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """A plan's switches and its events in run order."""
    with state(ctx).engine().connect() as conn:
        plan = plans_repo.get(conn, code)
    if json_out:
        print_json(plan_to_dict(plan))
        return
    flags = ", ".join(plan_flags(plan)) or "none"
    rows = []
    for index, e in plan.ordered_events():
        when = ", ".join(x for x in (timing(e), condition(e)) if x)
        who = e.operator if e.assign is Assign.SPECIFIC else e.assign.value
        rows.append((index, type_label(e.type), e.description, when, who,
                     ", ".join(event_flags(e))))
    show(table(f"Plan {plan.code}: {plan.description} (switches: {flags})",
               ["#", "type", "description", "when", "assign", "flags"], rows))


def _database_ready(st: State) -> bool:
    """True when --db names a database that 'collect init' has set up (never creates one)."""
    if "://" not in st.db and not Path(st.db).expanduser().exists():
        return False
    try:
        st.engine()
    except InputError:
        return False
    return True


def _extra_problems(plans: dict[str, Plan], sources: dict[str, str],
                    operators: set[str] | None) -> list[PlanFileError]:
    """Specific operators that do not exist; plans that call each other immediately."""
    out = []
    for code, plan in plans.items():
        for index, e in enumerate(plan.events, start=1):
            if (operators is not None and code in sources and e.assign is Assign.SPECIFIC
                    and e.operator not in operators):
                out.append(PlanFileError(sources[code], f"operator '{e.operator}' does not "
                                         "exist (add it with 'collect operators add')",
                                         index, "operator"))
    for chain in immediate_cycles(plans):
        if any(code in sources for code in chain):
            out.append(PlanFileError(sources.get(chain[0], f"plan {chain[0]}"),
                                     "plans call each other immediately and would loop: "
                                     + " -> ".join(chain)))
    return out


@plans_app.command("check")
def check_plans(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(None, help="Plan files; none: every plan in the "
                                       "database."),
    json_out: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Validate plan files (or the stored plans) and report every problem; exit 1 if any."""
    st = state(ctx)
    stored: dict[str, dict[str, object]] = {}
    operators: set[str] | None = None
    if not files or _database_ready(st):
        with st.engine().connect() as conn:
            stored = plans_repo.definitions(conn)
            operators = {op.id for op in list_operators(conn)}
    problems: list[PlanFileError] = []
    plans: dict[str, Plan] = {}
    sources: dict[str, str] = {}
    for code, data in stored.items():
        plan, found = check_plan_dict(data, f"plan {code} in the database", set(stored))
        if not files:
            problems += found
            sources[code] = f"plan {code} in the database"
        if plan is not None:
            plans[code] = plan
    if files:
        good, problems = check_plan_sources(files, set(stored))
        for source, plan in good:
            plans[plan.code], sources[plan.code] = plan, source
    problems += _extra_problems(plans, sources, operators)
    checked = len(files) if files else len(stored)
    if json_out:
        print_json({"checked": checked, "ok": not problems, "problems": [
            {"source": p.file, "event": p.event, "key": p.key, "message": str(p)}
            for p in problems]})
    else:
        _report(problems)
        verdict = f"{len(problems)} problem(s)" if problems else "no problems"
        err.print(f"checked {checked} plan(s): {verdict}", highlight=False)
    if problems:
        raise typer.Exit(1)


@plans_app.command("graph")
def graph_plan(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Plan code."),
    fmt: str = typer.Option("mermaid", "--format", help="mermaid or dot."),
) -> None:
    """Draw a plan and the plans it runs as a flow chart (Mermaid or Graphviz DOT)."""
    if fmt not in FORMATS:
        raise InputError(f"--format '{fmt}' is not one of {', '.join(FORMATS)}")
    with state(ctx).engine().connect() as conn:
        root = plans_repo.get(conn, code).code
        plans = plans_repo.all_plans(conn)
    typer.echo(render(root, plans, fmt), nl=False)
