"""The `collect` entry point: loads the command modules and turns user errors into one line.

A nightly job runs one command, so `main` loads only the module of that command when the
command line names one of the busy top-level commands (ONLY); anything else (`--help`,
groups, completion) loads every module. Start-up matters: every module loaded costs
every cron run its import time.
"""

from __future__ import annotations

import importlib
import os
import sys

from collectcli.cli.render import error_line
from collectcli.cli.root import app

MODULES = ("admin_cmd", "batch_cmd", "control_cmd", "debtors_cmd", "demo_cmd", "init_cmd",
           "payments_cmd", "plans_cmd", "read_cmd", "runplan_cmd", "wip_cmd")
ONLY = {"import-debtors": "debtors_cmd", "batch": "batch_cmd", "letters": "batch_cmd",
        "post-payment": "payments_cmd", "post-payments": "payments_cmd",
        "run-plan": "runplan_cmd", "init": "init_cmd", "wip": "wip_cmd"}
# not in ONLY: `demo` runs the other commands through `app`, so it needs them all
_VALUED = ("--db", "--today", "--operator")  # global options that take a value


def command_name(argv: list[str]) -> str | None:
    """The command the arguments name (the first word that is not a global option)."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUED:
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def load_commands(argv: list[str]) -> None:
    """Register the command the arguments name, or every command."""
    only = ONLY.get(command_name(argv) or "")
    if only is None or any(k.endswith("_COMPLETE") for k in os.environ):
        for module in MODULES:
            importlib.import_module(f"collectcli.cli.{module}")
    else:
        importlib.import_module(f"collectcli.cli.{only}")


def main() -> None:
    """Run the CLI; a user error prints one line on stderr and exits 1, never a traceback."""
    load_commands(sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:
        error_line("interrupted: the current transaction was rolled back")
        sys.exit(130)


if __name__ == "__main__":
    main()
