"""`collect settings show|set` and `collect operators add|list`."""

from __future__ import annotations

from decimal import Decimal

import typer

from collectcli.cli.context import state
from collectcli.cli.render import print_json, show, table
from collectcli.cli.root import operators_app, settings_app
from collectcli.domain.errors import AccessDenied, InputError
from collectcli.domain.model import LogEntry, Operator
from collectcli.domain.money import fmt
from collectcli.domain.settings import SETTINGS, parse_setting, shipped_defaults
from collectcli.store.reference import (
    add_operator,
    get_operator,
    list_operators,
    set_setting,
    settings_text,
    write_log,
)
from collectcli.store.session import unit_of_work

_JSON = typer.Option(False, "--json", help="Print JSON.")
ADMIN_LEVEL = 99  # changing settings and operators needs the top user level


@settings_app.command("show")
def settings_show(ctx: typer.Context, json_out: bool = _JSON) -> None:
    """Every setting with its value (stored, or the shipped default) and what it does."""
    with state(ctx).engine().connect() as conn:
        values = shipped_defaults() | settings_text(conn)
    if json_out:
        print_json({k: values[k] for k in SETTINGS})
        return
    show(table("Settings", ["key", "value", "meaning"],
               ((k, values[k], spec[2]) for k, spec in SETTINGS.items())))


@settings_app.command("set")
def settings_set(ctx: typer.Context, key: str = typer.Argument(..., help="Setting key."),
                 value: str = typer.Argument(..., help="New value; empty clears a plan.")) -> None:
    """Change one setting (booleans true|false; an empty value clears a plan setting)."""
    st = state(ctx)
    parsed = parse_setting(key, value)
    text = _as_text(parsed)
    with unit_of_work(st.engine()) as uow:
        _require_admin(uow.conn, st.operator, "change settings")
        set_setting(uow.conn, key, text)
        write_log(uow.conn, st.now, st.operator,
                  [LogEntry("INFO", "SETUP", f"setting {key} = '{text}'")])
        uow.commit()
    show(f"{key} = {text!r}", to_stderr=True)


@operators_app.command("add")
def operators_add(
    ctx: typer.Context,
    op_id: str = typer.Argument(..., metavar="ID", help="Operator id (up to 16 characters)."),
    level: int = typer.Option(..., "--level", min=1, max=99, help="User level 1-99."),
    name: str = typer.Option("", "--name", help="Full name."),
    can_delete: bool = typer.Option(False, "--can-delete", help="May delete contacts."),
) -> None:
    """Add an operator (collector) with a user level and the right to delete contacts."""
    st = state(ctx)
    op_id = op_id.strip().upper()
    if not op_id or len(op_id) > 16 or not op_id.replace("_", "").replace("-", "").isalnum():
        raise InputError(f"operator id '{op_id}' must be 1-16 letters, digits, '-' or '_'")
    with unit_of_work(st.engine()) as uow:
        _require_admin(uow.conn, st.operator, "add operators")
        if any(o.id == op_id for o in list_operators(uow.conn)):
            raise InputError(f"operator '{op_id}' already exists")
        add_operator(uow.conn, Operator(op_id, name, level, can_delete))
        write_log(uow.conn, st.now, st.operator,
                  [LogEntry("INFO", "SETUP", f"operator {op_id} added, level {level}")])
        uow.commit()
    show(f"operator {op_id} added (level {level})", to_stderr=True)


@operators_app.command("list")
def operators_list(ctx: typer.Context, json_out: bool = _JSON) -> None:
    """The operators with their user levels and rights."""
    with state(ctx).engine().connect() as conn:
        ops = list_operators(conn)
    docs = [{"id": o.id, "name": o.name, "level": o.level, "can_delete": o.can_delete_contacts}
            for o in ops]
    if json_out:
        print_json(docs)
        return
    show(table("Operators", ["id", "name", "level", "can_delete"],
               ([d["id"], d["name"], d["level"], d["can_delete"]] for d in docs)))


def _as_text(value: object) -> str:
    """A parsed setting as it is stored: booleans true|false, money with two decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return fmt(value) or ""
    return str(value)


def _require_admin(conn: object, op_id: str, what: str) -> None:
    op = get_operator(conn, op_id)  # type: ignore[arg-type]
    if op.level < ADMIN_LEVEL:
        raise AccessDenied(f"operator {op.id} (level {op.level}) may not {what}: "
                           f"it takes level {ADMIN_LEVEL}")
