"""Test data for the payment commands, written straight into an initialised database.

`db` is a SQLite path or a PostgreSQL URL (engines from `open_engine`, as the CLI opens
them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from collectcli.store import tables as t
from collectcli.store.session import open_engine
from tests.cli.backend_db import bump_sequence


def seed(db: Path, debtors: list[dict[str, Any]], contacts: list[dict[str, Any]] = ()) -> None:
    """Insert debtors (file, name, principal in cents, ...) and contacts (promises)."""
    engine = open_engine(str(db))
    with engine.begin() as conn:
        conn.execute(insert(t.debtors), [{"name": f"Debtor {d['file']}", **d} for d in debtors])
        if contacts:
            conn.execute(insert(t.contacts), list(contacts))
            bump_sequence(conn, t.contacts)  # the promises carry their ids
    engine.dispose()


def set_settings(db: Path, **values: str) -> None:
    """Settings written directly (what `collect settings set` stores)."""
    engine = open_engine(str(db))
    with engine.begin() as conn:
        for key, value in values.items():
            conn.execute(update(t.settings).where(t.settings.c.key == key).values(value=value))
    engine.dispose()


def monthly_promise(cid: int, file: int, cents: int, due: str = "2026-03-15",
                    **kw: Any) -> dict[str, Any]:
    from datetime import date

    day = date.fromisoformat(due)
    return {"id": cid, "file": file, "type": 3, "description": "Monthly promise",
            "due_date": day, "anchor_date": day, "amount": cents, "promised": cents,
            "repeat": "monthly", "status": "pending", **kw}


def query(db: Path, table: str, **where: Any) -> list[Any]:
    engine = open_engine(str(db))
    tbl = getattr(t, table)
    stmt = select(tbl)
    for k, v in where.items():
        stmt = stmt.where(tbl.c[k] == v)
    with engine.connect() as conn:
        rows = list(conn.execute(stmt.order_by(tbl.c[tbl.primary_key.columns.keys()[0]])))
    engine.dispose()
    return rows
