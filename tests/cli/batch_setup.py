"""Helpers for the batch tests: debtors and contacts written straight into the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from collectcli.cli import batch_cmd  # noqa: F401  (registers `batch` and `letters`)

CONTACT_KEYS = ("file", "type", "description", "due_date", "due_time", "priority", "repeat",
                "repeat_days", "max_intervals", "copy_on_repeat", "log_repeat_to_notes",
                "amount", "broken_through")


@contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits and closes (sqlite3's own context manager only commits)."""
    con = sqlite3.connect(db)
    try:
        with con:
            yield con
    finally:
        con.close()


def add_debtors(db: Path, *files: int, principal: int = 100_00) -> None:
    with connect(db) as con:
        con.executemany("INSERT INTO debtors (file, name, principal, status) "
                        "VALUES (?, ?, ?, 'NEW')",
                        [(f, f"Debtor {f}", principal) for f in files])


def add_contact(db: Path, file: int, type_: int, description: str, due: str,
                **kw: Any) -> int:
    row = {"file": file, "type": type_, "description": description, "due_date": due, **kw}
    cols = ", ".join(row)
    with connect(db) as con:
        cur = con.execute(f"INSERT INTO contacts ({cols}) VALUES ({', '.join('?' * len(row))})",
                          tuple(row.values()))
        return int(cur.lastrowid or 0)


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the batch writes, without ids that depend on the order of commits."""
    with connect(db) as con:
        return {
            "contacts": sorted(con.execute(
                "SELECT file, type, description, due_date, status, done_date, anchor_date, "
                "occurrence, max_intervals, is_copy, copy_of IS NOT NULL, broken_through "
                "FROM contacts").fetchall()),
            "notes": sorted(con.execute("SELECT file, date, time, text FROM notes").fetchall()),
            "debtors": con.execute("SELECT file, status, mode, summary FROM debtors "
                                   "ORDER BY file").fetchall(),
            "transactions": sorted(con.execute(
                "SELECT file, type, amount FROM transactions").fetchall()),
        }
