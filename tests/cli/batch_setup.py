"""Helpers for the batch tests: debtors and contacts written straight into the database.

Backend-neutral (tests/cli/backend_db.py): `db` is a SQLite path or a PostgreSQL URL.
`connect` stays a plain sqlite3 connection for the SQLite-only crash and staging tests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from collectcli.cli import batch_cmd  # noqa: F401  (registers `batch` and `letters`)
from tests.cli.backend_db import fetch, insert_many, insert_rows

CONTACT_KEYS = ("file", "type", "description", "due_date", "due_time", "priority", "repeat",
                "repeat_days", "max_intervals", "copy_on_repeat", "log_repeat_to_notes",
                "amount", "broken_through")


@contextmanager
def connect(db: Path | str) -> Iterator[sqlite3.Connection]:
    """SQLite only: a connection that commits and closes (sqlite3's own context manager
    only commits)."""
    con = sqlite3.connect(db)
    try:
        with con:
            yield con
    finally:
        con.close()


def add_debtors(db: Path | str, *files: int, principal: int = 100_00) -> None:
    insert_many(db, "debtors", ({"file": f, "name": f"Debtor {f}", "principal": principal,
                                 "status": "NEW"} for f in files))


def add_contact(db: Path | str, file: int, type_: int, description: str, due: str,
                **kw: Any) -> int:
    row = {"file": file, "type": type_, "description": description, "due_date": due, **kw}
    [cid] = insert_rows(db, "contacts", [row])
    return cid


def snapshot(db: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the batch writes, without ids that depend on the order of commits."""
    return {
        "contacts": sorted(fetch(
            db, "SELECT file, type, description, due_date, status, done_date, anchor_date, "
                "occurrence, max_intervals, is_copy, copy_of IS NOT NULL, broken_through "
                "FROM contacts")),
        "notes": sorted(fetch(db, "SELECT file, date, time, text FROM notes")),
        "debtors": fetch(db, "SELECT file, status, mode, summary FROM debtors ORDER BY file"),
        "transactions": sorted(fetch(db, "SELECT file, type, amount FROM transactions")),
    }
