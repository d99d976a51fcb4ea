"""Backend-neutral test data and snapshots for the flows that run on SQLite and PostgreSQL.

Everything goes through SQLAlchemy Core on `--db` (a SQLite path or a PostgreSQL URL), so
one helper serves both; ids always come from the database (never written explicitly, so
PostgreSQL's sequences stay right).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from collectcli.store import tables as t
from collectcli.store.session import open_engine

VOLATILE = {"id", "transaction", "contact", "copy_of", "reverses", "reversed_by",
            "promise_id", "contact_id", "made_by_txn"}


def add_debtors(db: str, *debtors: dict[str, Any]) -> None:
    """Debtors by file number (principal in cents), New York time, US, operator ADMIN."""
    engine = open_engine(db)
    try:
        with engine.begin() as conn:
            conn.execute(insert(t.debtors), [
                {"name": f"Debtor {d['file']}", "timezone": "America/New_York", "country": "US",
                 "operator": "ADMIN", "status": "NEW", "principal": 100_00, **d}
                for d in debtors])
    finally:
        engine.dispose()


def add_contact(db: str, file: int, type_: int, description: str, due: str,
                **kw: Any) -> int:
    """A pending contact written directly; returns its id."""
    row = {"file": file, "type": type_, "description": description,
           "due_date": date.fromisoformat(due), "collector": "ADMIN", **kw}
    for key in ("anchor_date", "broken_through"):
        if isinstance(row.get(key), str):
            row[key] = date.fromisoformat(row[key])
    engine = open_engine(db)
    try:
        with engine.begin() as conn:
            return int(conn.execute(insert(t.contacts).values(**row)).inserted_primary_key[0])
    finally:
        engine.dispose()


def set_settings(db: str, **values: str) -> None:
    engine = open_engine(db)
    try:
        with engine.begin() as conn:
            for key, value in values.items():
                conn.execute(update(t.settings).where(t.settings.c.key == key)
                             .values(value=value))
    finally:
        engine.dispose()


def rows(db: str, table: str, order_by: str = "", **where: Any) -> list[dict[str, Any]]:
    """A table's rows as dicts, by primary key (or `order_by`), optionally filtered."""
    tbl = getattr(t, table)
    stmt = select(tbl)
    for key, value in where.items():
        stmt = stmt.where(tbl.c[key] == value)
    order = [tbl.c[order_by]] if order_by else list(tbl.primary_key.columns)
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt.order_by(*order))]
    finally:
        engine.dispose()


def strip_ids(doc: Any) -> Any:
    """A JSON document (or rows) without the ids that depend on the backend's sequences."""
    if isinstance(doc, dict):
        return {k: strip_ids(v) for k, v in doc.items() if k not in VOLATILE}
    if isinstance(doc, list):
        return [strip_ids(v) for v in doc]
    return doc


def snapshot(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """What the commands write, sorted, without ids: equal on SQLite and PostgreSQL."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in ("debtors", "contacts", "transactions", "notes"):
        out[table] = sorted(
            (tuple(sorted(strip_ids(r).items()))
             for r in rows(db, table)), key=repr)
    out["app_log"] = sorted(((r["category"], r["file"], r["message"])
                             for r in rows(db, "app_log")), key=repr)
    return out

