"""`collect contact add FILE ...` and `collect contact done ID`.

`contact done` marks a pending contact done by the operator today. A repeating contact
is forwarded instead, exactly as the batch forwards it (engine.batch.settle): seed 002
says Repeat and 'Log Repeat To Notes' are referenced 'when contacts are worked through
the WIP List', and marking a contact done is working it. So it moves to its next
occurrence (a done copy with copy_on_repeat, a note line with log_repeat_to_notes) and is
completed only when max_intervals runs out. It does not execute an automatic contact's
action: that is the batch's job (`collect batch`).
"""

from __future__ import annotations

from dataclasses import replace

import typer

from collectcli.cli.contact_form import ContactForm, build_contact
from collectcli.cli.context import state
from collectcli.cli.planrunner import make_context
from collectcli.cli.render import print_json, show, table
from collectcli.cli.root import contact_app
from collectcli.cli.shapes import contact_json
from collectcli.domain.errors import InputError, NotFound
from collectcli.domain.model import LogEntry
from collectcli.domain.types import type_label
from collectcli.engine.batch import settle
from collectcli.store.accounts import apply_workspace, contact_file_status, load_workspace
from collectcli.store.session import unit_of_work


@contact_app.command("add")
def add(
    ctx: typer.Context,
    file: int = typer.Argument(..., help="The debtor's file number."),
    type_: str = typer.Option(..., "--type", help="Contact type: Phone, Letter, Promise, … "
                                                  "or a code (custom types 50 and up)."),
    due: str = typer.Option(..., "--due", help="Due date YYYY-MM-DD."),
    time_: str = typer.Option(None, "--time", help="Due time HH:MM (24-hour clock)."),
    description: str = typer.Option("", "--description", help="What the contact is about."),
    priority: int = typer.Option(50, "--priority", help="1-99 (66+ High, 34-65 Medium)."),
    collector: str = typer.Option(None, "--collector",
                                  help="Operator id (default: the account's operator)."),
    amount: str = typer.Option(None, "--amount", help="Amount, e.g. 150.00."),
    promised: str = typer.Option(None, "--promised", help="Promised amount (default: amount)."),
    repeat: str = typer.Option(None, "--repeat", help="weekly, biweekly, monthly, bimonthly, "
                               "quarterly, semiannually, annually or custom."),
    repeat_days: int = typer.Option(None, "--repeat-days", help="Days of a custom repeat."),
    max_intervals: int = typer.Option(None, "--max-intervals", help="Repeat this many times."),
    copy_on_repeat: bool = typer.Option(False, "--copy-on-repeat",
                                        help="Keep a done copy each time it is forwarded."),
    log_repeat_to_notes: bool = typer.Option(False, "--log-repeat-to-notes",
                                             help="Write a note line each time it is forwarded."),
    advance_overpayments: bool = typer.Option(False, "--advance-overpayments",
                                              help="Promise: an overpayment advances periods."),
    no_autodelete: bool = typer.Option(False, "--no-autodelete",
                                       help="Plans deleting pending contacts keep this one."),
    no_autocomplete: bool = typer.Option(False, "--no-autocomplete",
                                         help="Not marked done when worked from the WIP list."),
    no_autocomplete_promise: bool = typer.Option(False, "--no-autocomplete-promise",
                                                 help="Promise: not completed at zero owing."),
    klass: str = typer.Option(None, "--class", help="Contact class."),
    json_out: bool = typer.Option(False, "--json", help="Print the new contact as JSON."),
) -> None:
    """Add a contact to an account (the Contact form, seed 004); prints its id."""
    st = state(ctx)
    form = ContactForm(type_, due, time_, description, priority, collector, amount, promised,
                       repeat, repeat_days, max_intervals, copy_on_repeat, log_repeat_to_notes,
                       advance_overpayments, no_autodelete, no_autocomplete,
                       no_autocomplete_promise, klass)
    with unit_of_work(st.engine()) as uow:
        rc = make_context(uow.conn, st)
        ws = load_workspace(uow.conn, [file])
        new = ws.add_contact(build_contact(form, ws.account(file).debtor, st.now, st.operator,
                                           rc.plans, rc.transaction_types))
        ws.log(LogEntry("INFO", "CONTACT", f"contact added: {type_label(new.type)} "
                        f"'{new.description}' due {new.due_date}", file, new.id))
        ids = apply_workspace(uow.conn, ws, st.now, st.operator)
        uow.commit()
    added = replace(new, id=ids[new.id])
    if json_out:
        print_json(contact_json(added))
        return
    typer.echo(added.id)
    show(table(f"Contact {added.id} added to file {file}", ["type", "due", "description"],
               [(type_label(added.type), added.due_date, added.description)]), to_stderr=True)


@contact_app.command("done")
def done(
    ctx: typer.Context,
    contact_id: int = typer.Argument(..., metavar="ID", help="The contact's id."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Mark a pending contact done by you today; a repeating one is forwarded to its next
    occurrence instead, as the batch does (seed 002)."""
    st = state(ctx)
    with unit_of_work(st.engine()) as uow:
        row = contact_file_status(uow.conn, contact_id)
        if row is None:
            raise NotFound(f"unknown contact {contact_id} (see 'collect contacts FILE --all')")
        if row[1] != "pending":
            raise InputError(f"contact {contact_id} is already done")
        rc = make_context(uow.conn, st)
        ws = load_workspace(uow.conn, [row[0]])
        result = settle(ws, ws.account(row[0]).contacts[contact_id], rc)
        after = ws.account(row[0]).contacts[contact_id]
        ws.log(LogEntry("INFO", "CONTACT", f"contact {contact_id} {result.outcome} by "
                        f"{st.operator}" + (f", next due {after.due_date}"
                                            if result.outcome == "forwarded" else ""),
                        row[0], contact_id))
        apply_workspace(uow.conn, ws, st.now, st.operator)
        uow.commit()
    if json_out:
        print_json({"id": contact_id, "file": row[0], "outcome": result.outcome,
                    "next_due": after.due_date if result.outcome == "forwarded" else None,
                    "contact": contact_json(after)})
        return
    what = (f"forwarded to {after.due_date}" if result.outcome == "forwarded"
            else "marked done")
    show(f"Contact {contact_id} on file {row[0]} {what}.", to_stderr=False)
