"""Test data for the contact control and WIP commands, written straight into the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, select, update

from collectcli.store import tables as t


def add_debtors(db: Path, *debtors: dict[str, Any]) -> None:
    """Debtors by file number; New York timezone and US unless given."""
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        for d in debtors:
            conn.execute(insert(t.debtors).values(
                name=f"Debtor {d['file']}", timezone="America/New_York", country="US",
                operator="ADMIN", principal=10000).values(**d))
    engine.dispose()


def add_contacts(db: Path, *contacts: dict[str, Any]) -> None:
    """Pending contacts (file, type code, due ISO date, ...) assigned to ADMIN unless given."""
    rows = []
    for c in contacts:
        row = {"collector": "ADMIN", "status": "pending", "priority": 50, "description": "",
               **c}
        for key in ("due_date", "done_date"):
            if isinstance(row.get(key), str):
                row[key] = date.fromisoformat(row[key])
        rows.append(row)
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        for row in rows:
            conn.execute(insert(t.contacts).values(**row))
    engine.dispose()


def set_setting(db: Path, key: str, value: str) -> None:
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(update(t.settings).where(t.settings.c.key == key).values(value=value))
    engine.dispose()


def rows(db: Path, table: str) -> list[Any]:
    engine = create_engine(f"sqlite:///{db}")
    tbl = getattr(t, table)
    with engine.connect() as conn:
        out = list(conn.execute(select(tbl).order_by(*tbl.primary_key.columns)))
    engine.dispose()
    return out
