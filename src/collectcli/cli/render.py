"""Output: Rich tables and progress on stderr, JSON on stdout, one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

err = Console(stderr=True)
out = Console()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(document: Any) -> None:
    """Exactly one JSON document on stdout (SPEC 1): money as '0.00' strings, ISO dates."""
    sys.stdout.write(json.dumps(document, default=_default, indent=2) + "\n")


def error_line(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/] {message}", highlight=False, soft_wrap=True)


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    tbl = Table(title=title, title_justify="left")
    for col in columns:
        tbl.add_column(col)
    for row in rows:
        tbl.add_row(*(_cell(v) for v in row))
    return tbl


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (Decimal, date, time)):
        return str(_default(value))
    return str(value)


def show(renderable: Any, *, to_stderr: bool = False) -> None:
    (err if to_stderr else out).print(renderable)


def progress(*, enabled: bool) -> Progress:
    """A progress bar on stderr, shown only on a terminal and never under --json."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not (enabled and err.is_terminal),
        transient=False,
    )
