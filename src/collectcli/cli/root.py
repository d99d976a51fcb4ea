"""The Typer root: global options and the command groups every command module adds to."""

from __future__ import annotations

from datetime import datetime

import typer
from sqlalchemy.exc import IntegrityError, OperationalError
from typer.core import TyperGroup

import collectcli
from collectcli.cli.context import State, parse_business_clock
from collectcli.cli.render import error_line
from collectcli.domain.errors import CollectError


class CollectGroup(TyperGroup):
    """Turns user errors into one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CollectError as exc:
            error_line(str(exc))
            ctx.exit(1)
        except IntegrityError as exc:
            # Two commands raced for the same key (a ref, a file number): nothing of this
            # one was written, its transaction rolled back.
            error_line(f"nothing written: the database refused a duplicate ({exc.orig}); "
                       "another command probably did the same work just now")
            ctx.exit(1)
        except OperationalError as exc:
            text = str(exc.orig)
            if "locked" in text or "busy" in text:
                error_line("the database is busy: another collect command holds it; "
                           "try again when it has finished")
            else:
                error_line(f"database error: {text}")
            ctx.exit(1)


app = typer.Typer(
    cls=CollectGroup,
    name="collect",
    help="Contact plans, promises to pay and nightly batches for a collection agency.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
debtor_app = typer.Typer(help="Show, list, close and edit debtor accounts.", no_args_is_help=True)
plans_app = typer.Typer(help="Contact plans: import, export, list, show, check, graph.",
                        no_args_is_help=True)
contact_app = typer.Typer(help="Add a contact to an account or mark one done.",
                          no_args_is_help=True)
settings_app = typer.Typer(help="Payment posting, promise and WIP settings.", no_args_is_help=True)
operators_app = typer.Typer(help="Operators (collectors) and their rights.", no_args_is_help=True)
app.add_typer(debtor_app, name="debtor")
app.add_typer(plans_app, name="plans")
app.add_typer(contact_app, name="contact")
app.add_typer(settings_app, name="settings")
app.add_typer(operators_app, name="operators")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"collect {collectcli.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str = typer.Option("collect.db", "--db", envvar="COLLECT_DB",
                           help="SQLite file path or SQLAlchemy URL (postgresql+psycopg://…)."),
    today: str = typer.Option(None, "--today", envvar="COLLECT_TODAY",
                              help="Business clock: YYYY-MM-DD[THH:MM[:SS]] (default: now)."),
    operator: str = typer.Option("ADMIN", "--operator", envvar="COLLECT_OPERATOR",
                                 help="Operator running the command."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Contact plans, promises to pay and nightly batches for a collection agency."""
    # The only place the system clock is read: everything below gets `now` from here.
    ctx.obj = State(db=db, now=parse_business_clock(today, datetime.now()), operator=operator)
