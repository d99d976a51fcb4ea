"""`collect debtor close FILE [--plan CODE]` and `collect debtor edit FILE field=value...`.

Close follows seed 004's Close contact (engine.actions executes it): mode CLOSED, closed
date today, pending contacts deleted except 'Do not autodelete' (and Metro), pending
Promise and Transaction contacts marked done. A done Close contact stays as history.
Then the plan given with --plan runs as a primary plan (SPEC 5: 'Plans also run when an
account is closed'), in the same transaction: if it fails, nothing is written.

Edit follows the Edit contact's field rules (domain/fields.py): known debtor fields by
name, alias or printable code, typed values; anything else is an error and nothing
changes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import typer

from collectcli.cli.context import state
from collectcli.cli.plan_output import append_exports, confirm_delete_prompt
from collectcli.cli.planrunner import DEFAULT_EXPORT_DIR, is_terminal, make_context
from collectcli.cli.render import print_json, show, table
from collectcli.cli.root import debtor_app
from collectcli.cli.shapes import debtor_json
from collectcli.domain.errors import InputError
from collectcli.domain.fields import parse_assignments
from collectcli.domain.model import Contact, LogEntry
from collectcli.domain.types import ContactType, Mode, Status
from collectcli.engine.actions import execute
from collectcli.engine.plans import check_access, run_plan
from collectcli.engine.workspace import Account
from collectcli.store import plans_repo
from collectcli.store.accounts import apply_workspace, load_workspace
from collectcli.store.session import unit_of_work


def _promise_date(acc: Account) -> date | None:
    return min((c.due_date for c in acc.pending(ContactType.PROMISE) if c.due_date),
               default=None)


@debtor_app.command("close")
def close(
    ctx: typer.Context,
    file: int = typer.Argument(..., help="The debtor's file number."),
    plan: str = typer.Option(None, "--plan", help="A contact plan to run after closing."),
    yes: bool = typer.Option(False, "--yes", help="Answer yes to the plan's delete prompt."),
    export_dir: Path = typer.Option(DEFAULT_EXPORT_DIR, "--export-dir",
                                    help="Folder of the Export action's daily CSV file."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Close an account (seed 004 Close contact), then run --plan on it if given."""
    st = state(ctx)
    with unit_of_work(st.engine()) as uow:
        confirm = None if yes or not is_terminal() else confirm_delete_prompt()
        rc = make_context(uow.conn, st, confirm_delete=confirm, assume_yes=yes)
        if plan is not None:
            check_access(plans_repo.get(uow.conn, plan), rc.operator, "user", True)
        ws = load_workspace(uow.conn, [file])
        acc = ws.account(file)
        if acc.debtor.mode is Mode.CLOSED:
            raise InputError(f"debtor {file} is already closed (on {acc.debtor.closed_date})")
        before = dict(acc.contacts)
        closing = Contact(0, file, ContactType.CLOSE, "Account closed", st.today,
                          collector=st.operator, originator=st.operator,
                          assigned_by=st.operator, created_date=st.today,
                          created_time=rc.time, anchor_date=st.today)
        execute(ws, closing, rc)
        deleted = len(acc.deleted)
        marked = sum(1 for i in acc.changed if not acc.contacts[i].pending and before[i].pending)
        ws.add_contact(replace(closing, status=Status.DONE, done_date=st.today,
                               done_time=rc.time, done_by=st.operator))
        ws.log(LogEntry("INFO", "DEBTOR", f"account closed by {st.operator}: {deleted} pending "
                        f"contacts deleted, {marked} marked done", file))
        outcome = None
        if plan is not None:
            outcome = run_plan(ws, file, plan.strip().upper(), rc, primary=True, via="user")
        apply_workspace(uow.conn, ws, st.now, st.operator)
        uow.commit()
    if ws.exports:
        append_exports(export_dir, st.today, ws.exports)
    result = {
        "file": file, "mode": acc.debtor.mode.value, "closed_date": acc.debtor.closed_date,
        "contacts_deleted": deleted, "contacts_marked_done": marked,
        "plan": None if outcome is None else {
            "code": plan.strip().upper() if plan else None, "status": outcome.status,
            "contacts_created": outcome.contacts_created,
            "events_executed": outcome.events_executed, "message": outcome.message},
    }
    if json_out:
        print_json(result)
        return
    rows = [("mode", "CLOSED"), ("closed date", st.today), ("contacts deleted", deleted),
            ("contacts marked done", marked)]
    if outcome is not None:
        rows.append((f"plan {plan}", f"{outcome.status}, {outcome.contacts_created} contacts"))
    show(table(f"File {file} closed", ["", ""], rows))


def _shown(value: object) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


@debtor_app.command("edit")
def edit(
    ctx: typer.Context,
    file: int = typer.Argument(..., help="The debtor's file number."),
    assignments: list[str] = typer.Argument(..., metavar="FIELD=VALUE...",
                                            help="Debtor fields to set, e.g. summary=Text "
                                                 "poe='Fred''s Cleaners' @de.st=HOLD."),
    json_out: bool = typer.Option(False, "--json", help="Print the debtor as JSON."),
) -> None:
    """Change debtor fields by name, alias or printable code (the Edit contact's rules)."""
    st = state(ctx)
    changes = parse_assignments(assignments)
    with unit_of_work(st.engine()) as uow:
        ws = load_workspace(uow.conn, [file])
        acc = ws.account(file)
        acc.update_debtor(**changes)
        text = ", ".join(f"{k}={_shown(v)}" for k, v in changes.items())
        ws.log(LogEntry("INFO", "DEBTOR", f"debtor edited by {st.operator}: {text}", file))
        apply_workspace(uow.conn, ws, st.now, st.operator)
        uow.commit()
    if json_out:
        print_json(debtor_json(acc.debtor, _promise_date(acc)))
        return
    show(table(f"File {file} edited", ["field", "value"],
               [(k, _shown(v)) for k, v in changes.items()]))
