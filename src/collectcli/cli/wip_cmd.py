"""`collect wip`: an operator's work in progress list (SPEC 10, seed 004)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import typer
from rich.markup import escape
from sqlalchemy import Connection

from collectcli.cli.context import state
from collectcli.cli.control_cmd import source_zone
from collectcli.cli.render import print_json, show, table
from collectcli.cli.root import app
from collectcli.cli.shapes import contact_json
from collectcli.domain.errors import InputError
from collectcli.domain.model import Contact, Debtor
from collectcli.domain.types import ContactType, parse_contact_type, type_label
from collectcli.engine.control import applicable_rules, can_contact, history_since
from collectcli.engine.wip import DEFAULT_TYPES, BlockedReason, WipEntry, WipOptions, build_wip
from collectcli.store import control_repo
from collectcli.store.reference import load_settings
from collectcli.store.session import unit_of_work


def entry_json(e: WipEntry) -> dict[str, Any]:
    doc = contact_json(e.contact) | {"name": e.debtor.name, "priority_band": e.band}
    if e.blocked is not None:
        doc["blocked"] = e.blocked
    return doc


def _types(values: list[str] | None) -> tuple[frozenset[int], bool]:
    """--type values: names or codes; 'custom' selects every custom type (≥ 50)."""
    if not values:
        return DEFAULT_TYPES, False
    codes = {parse_contact_type(v) for v in values if v.strip().lower() != "custom"}
    return frozenset(codes), any(v.strip().lower() == "custom" for v in values)


def blocked_reasons(conn: Connection, candidates: list[tuple[Contact, Debtor]],
                    now: datetime) -> BlockedReason | None:
    """Contact control for the Phone contacts of the list, their history loaded at once."""
    rules = [r for r in control_repo.list_rules(conn) if r.type == "Phone"]
    phones = {d.file: d for c, d in candidates if c.type == ContactType.PHONE}
    if not rules or not phones:
        return None
    zone = source_zone()
    history = control_repo.done_history(conn, phones.values(),
                                        history_since(rules, now.date()), now.date())
    verdicts: dict[int, str | None] = {}
    for file, debtor in phones.items():
        mine = applicable_rules(rules, debtor, ContactType.PHONE)
        allowed, reasons = can_contact(mine, debtor, ContactType.PHONE, history[file], now, zone)
        verdicts[file] = None if allowed else "; ".join(reasons)
    return lambda contact, debtor: verdicts.get(debtor.file)


@app.command("wip")
def wip(
    ctx: typer.Context,
    operator: str = typer.Option(None, "--operator", help="Whose list (default: you)."),
    types: list[str] = typer.Option(None, "--type", help="Contact types to load (repeat it; "
                                    "'custom' = types 50 and up). Default: Promise, Phone, "
                                    "Review, Other."),
    look_ahead: int = typer.Option(0, "--look-ahead", min=0,
                                   help="Also load contacts due in the next N days."),
    max_per_type: int = typer.Option(None, "--max", min=1, help="At most N contacts per type."),
    show_blocked: bool = typer.Option(False, "--show-blocked", help="List the Phone contacts "
                                      "contact control blocks now, with the reason."),
    json_out: bool = typer.Option(False, "--json", help="Print the list as JSON."),
) -> None:
    """The work in progress list: pending Promise, Phone, Review and Other contacts due by
    today, by due date, priority (high first) and name; timed contacts last."""
    st = state(ctx)
    who = (operator or st.operator).strip()
    if not who:
        raise InputError("--operator is empty (give an operator id)")
    chosen, custom = _types(types)
    with unit_of_work(st.engine()) as uow:
        options = WipOptions(types=chosen, custom_types=custom, look_ahead=look_ahead,
                             max_per_type=max_per_type,
                             grace_days=load_settings(uow.conn).promise_grace_days,
                             show_blocked=show_blocked)
        until = st.today.fromordinal(st.today.toordinal() + look_ahead)
        candidates = control_repo.wip_candidates(uow.conn, who, chosen, custom, until)
        blocked = blocked_reasons(uow.conn, candidates, st.now)
    entries = build_wip(candidates, options, st.today, blocked)
    if json_out:
        print_json([entry_json(e) for e in entries])
        return
    cols = ["id", "file", "name", "type", "due", "time", "priority", "description"]
    if show_blocked:
        cols.append("blocked")
    rows = ([e.contact.id, e.contact.file, escape(e.debtor.name), type_label(e.contact.type),
             e.contact.due_date, e.contact.due_time, e.band, escape(e.contact.description),
             escape(e.blocked or "")][: len(cols)] for e in entries)
    show(table(f"WIP list of {who} on {st.today.isoformat()}: {len(entries)} contacts",
               cols, rows))
