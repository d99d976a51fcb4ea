"""`collect run-plan CODE (--file N... | --all | --where F)`: a contact plan on many accounts.

Also loads the account commands of the same issue: `contact add|done` (contact_cmds)
and `debtor close|edit` (debtor_change_cmds).
"""

from __future__ import annotations

from pathlib import Path

import typer

from collectcli.cli import contact_cmds, debtor_change_cmds  # noqa: F401  (register commands)
from collectcli.cli.context import parse_day, state
from collectcli.cli.planrunner import DEFAULT_EXPORT_DIR, run_plan_on_files
from collectcli.cli.render import print_json
from collectcli.cli.root import app
from collectcli.domain.errors import InputError


@app.command("run-plan")
def run_plan_cmd(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="The contact plan's code, e.g. NEW."),
    files: list[int] = typer.Option(None, "--file", help="A debtor's file number (repeat it)."),
    all_: bool = typer.Option(False, "--all", help="Every debtor."),
    where: str = typer.Option(None, "--where",
                              help="Debtors matching a filter: status=NEW,owing>100,operator=JS "
                                   "(',' means AND)."),
    start_date: str = typer.Option(None, "--start-date",
                                   help="Reference date for a plan that prompts for a start "
                                        "date (seed 001); applies to the whole batch."),
    yes: bool = typer.Option(False, "--yes", help="Answer yes to 'Prompt before deleting'."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Show what the plan would do per debtor; write nothing."),
    export_dir: Path = typer.Option(DEFAULT_EXPORT_DIR, "--export-dir",
                                    help="Folder of the Export action's daily CSV file."),
    again: bool = typer.Option(False, "--again",
                               help="Run it once more even if the same run already finished "
                                    "today."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Run a contact plan on one account, some, or all of them (SPEC 5).

    Each chunk of debtors commits on its own, with a journal of how far the run got: the
    same command run again the same day after a crash or a kill resumes where it stopped,
    and one that finished is not repeated (--again runs it once more). A debtor whose plan
    fails is left as it was and listed in the summary's errors.
    """
    chosen = sum([bool(files), all_, where is not None])
    if chosen != 1:
        raise InputError("run-plan needs exactly one of --file N (repeatable), --all or "
                         "--where F")
    summary = run_plan_on_files(
        state(ctx), code, files or None, where=where, start_date=parse_day(start_date,
                                                                           "--start-date"),
        yes=yes, dry_run=dry_run, json_out=json_out, export_dir=export_dir, again=again,
    )
    if json_out:
        print_json(summary)
