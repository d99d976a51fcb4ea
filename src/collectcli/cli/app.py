"""The `collect` entry point: loads every command module and turns user errors into one line."""

from __future__ import annotations

import sys

from sqlalchemy.exc import OperationalError

from collectcli.cli import (  # noqa: F401  (each module registers its commands)
    admin_cmd,
    debtors_cmd,
    init_cmd,
    payments_cmd,
    plans_cmd,
    read_cmd,
    runplan_cmd,
)
from collectcli.cli.render import error_line
from collectcli.cli.root import app
from collectcli.domain.errors import CollectError


def main() -> None:
    """Run the CLI; a user error prints one line on stderr and exits 1, never a traceback."""
    try:
        app()
    except CollectError as exc:
        error_line(str(exc))
        sys.exit(1)
    except OperationalError as exc:
        text = str(exc.orig)
        if "locked" in text or "busy" in text:
            error_line("the database is busy: another collect command holds it; try again later")
        else:
            error_line(f"database error: {text}")
        sys.exit(1)
    except KeyboardInterrupt:
        error_line("interrupted: the current transaction was rolled back")
        sys.exit(130)


if __name__ == "__main__":
    main()
