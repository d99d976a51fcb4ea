"""The `collect` entry point: loads every command module and turns user errors into one line."""

from __future__ import annotations

import sys

from collectcli.cli import (  # noqa: F401  (each module registers its commands)
    admin_cmd,
    batch_cmd,
    control_cmd,
    debtors_cmd,
    demo_cmd,
    init_cmd,
    payments_cmd,
    plans_cmd,
    read_cmd,
    runplan_cmd,
    wip_cmd,
)
from collectcli.cli.render import error_line
from collectcli.cli.root import app


def main() -> None:
    """Run the CLI; a user error prints one line on stderr and exits 1, never a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        error_line("interrupted: the current transaction was rolled back")
        sys.exit(130)


if __name__ == "__main__":
    main()
