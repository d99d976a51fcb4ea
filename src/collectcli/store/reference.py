"""Reference data: settings, operators, transaction types; and the application log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from collectcli.domain.errors import NotFound
from collectcli.domain.model import LogEntry, Operator, TransactionType
from collectcli.domain.settings import Settings, shipped_defaults
from collectcli.store import tables as t
from collectcli.store.rows import db_money, money

SHIPPED_TRANSACTION_TYPES = (
    TransactionType("101", "Payment", "payment"),
    TransactionType("105", "Returned NSF", "reversal"),
    TransactionType("196", "Original Principal", "principal"),
    TransactionType("301", "Fee", "fee"),
    TransactionType("401", "Interest", "interest"),
)


def settings_text(conn: Connection) -> dict[str, str]:
    return {r.key: r.value for r in conn.execute(select(t.settings))}


def load_settings(conn: Connection) -> Settings:
    return Settings.from_text(settings_text(conn))


def set_setting(conn: Connection, key: str, value: str) -> None:
    if conn.execute(update(t.settings).where(t.settings.c.key == key).values(value=value)).rowcount:
        return
    conn.execute(insert(t.settings).values(key=key, value=value))


def seed_settings(conn: Connection) -> int:
    """Insert the shipped settings that are missing; returns how many were added."""
    have = set(settings_text(conn))
    rows = [{"key": k, "value": v} for k, v in shipped_defaults().items() if k not in have]
    if rows:
        conn.execute(insert(t.settings), rows)
    return len(rows)


def get_operator(conn: Connection, op_id: str) -> Operator:
    row = conn.execute(select(t.operators).where(t.operators.c.id == op_id)).first()
    if row is None:
        raise NotFound(f"unknown operator '{op_id}' (add it with 'collect operators add')")
    return Operator(row.id, row.name, row.level, bool(row.can_delete_contacts))


def list_operators(conn: Connection) -> list[Operator]:
    rows = conn.execute(select(t.operators).order_by(t.operators.c.id))
    return [Operator(r.id, r.name, r.level, bool(r.can_delete_contacts)) for r in rows]


def add_operator(conn: Connection, op: Operator) -> None:
    conn.execute(
        insert(t.operators).values(
            id=op.id, name=op.name, level=op.level, can_delete_contacts=op.can_delete_contacts
        )
    )


def seed_admin(conn: Connection) -> int:
    if conn.execute(select(t.operators.c.id).where(t.operators.c.id == "ADMIN")).first():
        return 0
    add_operator(conn, Operator("ADMIN", "Administrator", 99, True))
    return 1


def transaction_types(conn: Connection) -> dict[str, TransactionType]:
    return {
        r.code: TransactionType(r.code, r.description, r.kind, money(r.default_amount), r.plan)
        for r in conn.execute(select(t.transaction_types))
    }


def seed_transaction_types(conn: Connection) -> int:
    have = set(transaction_types(conn))
    rows = [
        {"code": tt.code, "description": tt.description, "kind": tt.kind,
         "default_amount": db_money(tt.default_amount), "plan": tt.plan}
        for tt in SHIPPED_TRANSACTION_TYPES
        if tt.code not in have
    ]
    if rows:
        conn.execute(insert(t.transaction_types), rows)
    return len(rows)


def write_log(
    conn: Connection, at: datetime, operator: str | None, entries: Iterable[LogEntry]
) -> None:
    """Append entries to the application log, stamped with the business clock."""
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S")
    rows = [
        {"at": stamp, "level": e.level, "category": e.category, "operator": operator,
         "file": e.file, "contact": e.contact, "message": e.message}
        for e in entries
    ]
    if rows:
        conn.execute(insert(t.app_log), rows)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def read_log(conn: Connection, *, since: str | None = None, levels: Iterable[str] = (),
             category: str | None = None) -> list[dict[str, object]]:
    """Application log entries, oldest first: on or after the ISO date `since`, of the
    given `levels`, of one `category`."""
    a = t.app_log.c
    query = select(t.app_log).order_by(a.at, a.id)
    if since is not None:
        query = query.where(a.at >= since)
    wanted = tuple(levels)
    if wanted:
        query = query.where(a.level.in_(wanted))
    if category is not None:
        query = query.where(a.category == category)
    return [{"at": r.at, "level": r.level, "category": r.category, "operator": r.operator,
             "file": r.file, "message": r.message} for r in conn.execute(query)]
