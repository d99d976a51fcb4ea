"""Read-only views of an account and of the application log: `collect contacts`,
`collect notes`, `collect transactions`, `collect log`."""

from __future__ import annotations

from typing import Any

import typer

from collectcli.cli.context import parse_day, state
from collectcli.cli.render import print_json, show, table
from collectcli.cli.root import app
from collectcli.cli.shapes import contact_json
from collectcli.domain.errors import InputError
from collectcli.domain.money import fmt
from collectcli.store import debtors_repo
from collectcli.store.reference import LOG_LEVELS, read_log

_JSON = typer.Option(False, "--json", help="Print JSON.")


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _hms(value: Any) -> str | None:
    return None if value is None else value.strftime("%H:%M:%S")



@app.command("contacts")
def contacts(ctx: typer.Context, file: int = typer.Argument(..., help="File number."),
             all_: bool = typer.Option(False, "--all", help="Done contacts too."),
             json_out: bool = _JSON) -> None:
    """The pending contacts of an account (all with --all), by due date then id."""
    with state(ctx).engine().connect() as conn:
        docs = [contact_json(c) for c in debtors_repo.contacts_of(conn, file, include_done=all_)]
    if json_out:
        print_json(docs)
        return
    cols = ["id", "type", "description", "due_date", "due_time", "status", "operator",
            "amount", "repeat", "plan"]
    show(table(f"Contacts of {file}", cols, ([d[c] for c in cols] for d in docs)))


@app.command("notes")
def notes(ctx: typer.Context, file: int = typer.Argument(..., help="File number."),
          json_out: bool = _JSON) -> None:
    """The notes of an account in notes order ('*' notes first, then by date and time)."""
    with state(ctx).engine().connect() as conn:
        docs = [{"date": _iso(n["date"]), "time": _hms(n["time"]), "operator": n["operator"],
                 "text": n["text"]} for n in debtors_repo.notes_of(conn, file)]
    if json_out:
        print_json(docs)
        return
    cols = ["date", "time", "operator", "text"]
    show(table(f"Notes of {file}", cols, ([d[c] for c in cols] for d in docs)))


@app.command("transactions")
def transactions(ctx: typer.Context, file: int = typer.Argument(..., help="File number."),
                 json_out: bool = _JSON) -> None:
    """The transactions of an account in posting order."""
    with state(ctx).engine().connect() as conn:
        docs = [{"id": x.id, "file": x.file, "type": x.type, "amount": fmt(x.amount),
                 "date": _iso(x.payment_date), "posted_date": _iso(x.posted_date),
                 "reverses": x.reverses, "promise_id": x.promise_id, "operator": x.operator}
                for x in debtors_repo.transactions_of(conn, file)]
    if json_out:
        print_json(docs)
        return
    cols = ["id", "type", "amount", "date", "posted_date", "reverses", "promise_id"]
    show(table(f"Transactions of {file}", cols, ([d[c] for c in cols] for d in docs)))


@app.command("log")
def log(
    ctx: typer.Context,
    since: str = typer.Option(None, "--since", help="Only entries on or after this date."),
    level: str = typer.Option(None, "--level", help="This level and above: "
                              "DEBUG, INFO, WARNING (or WARN), ERROR."),
    category: str = typer.Option(None, "--category", help="Only this category (BATCH, "
                                 "PAYMENT, PLAN, IMPORT, SETUP...)."),
    json_out: bool = _JSON,
) -> None:
    """The application log, oldest first."""
    day = parse_day(since or None, "--since")
    levels: tuple[str, ...] = ()
    if level:
        name = "WARNING" if level.strip().upper() == "WARN" else level.strip().upper()
        if name not in LOG_LEVELS:
            raise InputError(f"--level '{level}' is not one of {', '.join(LOG_LEVELS)}")
        levels = LOG_LEVELS[LOG_LEVELS.index(name):]
    with state(ctx).engine().connect() as conn:
        docs = read_log(conn, since=None if day is None else day.isoformat(), levels=levels,
                        category=category.strip().upper() if category else None)
    if json_out:
        print_json(docs)
        return
    cols = ["at", "level", "category", "operator", "file", "message"]
    show(table("Application log", cols, ([d[c] for c in cols] for d in docs)))
