"""Test data for the contact control and WIP commands, written straight into the database.

Backend-neutral (tests/cli/backend_db.py): `db` is a SQLite path or a PostgreSQL URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.backend_db import execute, insert_many, table_rows


def add_debtors(db: Path | str, *debtors: dict[str, Any]) -> None:
    """Debtors by file number; New York timezone and US unless given."""
    insert_many(db, "debtors", (
        {"name": f"Debtor {d['file']}", "timezone": "America/New_York", "country": "US",
         "operator": "ADMIN", "principal": 10000, **d} for d in debtors))


def add_contacts(db: Path | str, *contacts: dict[str, Any]) -> None:
    """Pending contacts (file, type code, due ISO date, ...) assigned to ADMIN unless given."""
    insert_many(db, "contacts", (
        {"collector": "ADMIN", "status": "pending", "priority": 50, "description": "", **c}
        for c in contacts))


def set_setting(db: Path | str, key: str, value: str) -> None:
    execute(db, "UPDATE settings SET value = :v WHERE key = :k", v=value, k=key)


def rows(db: Path | str, table: str) -> list[Any]:
    return table_rows(db, table)
