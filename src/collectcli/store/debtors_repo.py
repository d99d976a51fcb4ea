"""Reading debtors and what hangs off them: contacts, notes, transactions, promise date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, select

from collectcli.domain.errors import NotFound
from collectcli.domain.model import Contact, Debtor, Transaction
from collectcli.domain.money import from_cents
from collectcli.domain.types import ContactType
from collectcli.domain.where import Filter
from collectcli.store import tables as t
from collectcli.store.rows import as_date, as_time, contact_from_row, debtor_from_row
from collectcli.store.where_sql import compile_where


def _promise_dates() -> Any:
    c = t.contacts.c
    return (select(c.file, func.min(c.due_date).label("promise_date"))
            .where(c.type == int(ContactType.PROMISE), t.PENDING_CONTACT)
            .group_by(c.file).subquery())


def get_debtor(conn: Connection, file: int) -> Debtor:
    row = conn.execute(select(t.debtors).where(t.debtors.c.file == file)).mappings().first()
    if row is None:
        raise NotFound(f"no debtor with file number {file}")
    return debtor_from_row(dict(row))


def require_debtor(conn: Connection, file: int) -> None:
    if conn.execute(select(t.debtors.c.file).where(t.debtors.c.file == file)).first() is None:
        raise NotFound(f"no debtor with file number {file}")


def promise_date(conn: Connection, file: int) -> date | None:
    """The earliest pending Promise contact's due date, or None."""
    c = t.contacts.c
    value = conn.execute(select(func.min(c.due_date)).where(
        c.file == file, c.type == int(ContactType.PROMISE), t.PENDING_CONTACT
    )).scalar()
    return as_date(value)


def list_debtors(conn: Connection, filters: tuple[Filter, ...] = (),
                 limit: int | None = None) -> Iterator[tuple[Debtor, date | None]]:
    """Debtors matching every filter, by file number, each with its promise date."""
    p = _promise_dates()
    query = (select(t.debtors, p.c.promise_date)
             .select_from(t.debtors.outerjoin(p, p.c.file == t.debtors.c.file))
             .where(compile_where(filters)).order_by(t.debtors.c.file))
    if limit:
        query = query.limit(limit)
    for row in conn.execute(query).mappings():
        yield debtor_from_row(dict(row)), as_date(row["promise_date"])


def contacts_of(conn: Connection, file: int, *, include_done: bool = False) -> list[Contact]:
    """Pending contacts (all with include_done) by due date, then id; undated last."""
    require_debtor(conn, file)
    c = t.contacts.c
    query = select(t.contacts).where(c.file == file)
    if not include_done:
        query = query.where(t.PENDING_CONTACT)
    query = query.order_by(case((c.due_date.is_(None), 1), else_=0), c.due_date, c.id)
    return [contact_from_row(dict(r)) for r in conn.execute(query).mappings()]


def notes_of(conn: Connection, file: int) -> list[dict[str, Any]]:
    """Notes in notes order: a text starting with '*' first, then by date, time, id."""
    require_debtor(conn, file)
    n = t.notes.c
    starred = case((func.substr(n.text, 1, 1) == "*", 0), else_=1)
    rows = conn.execute(select(t.notes).where(n.file == file)
                        .order_by(starred, n.date, n.time, n.id)).mappings()
    return [{"id": r["id"], "date": as_date(r["date"]), "time": as_time(r["time"]),
             "operator": r["operator"], "text": r["text"]} for r in rows]


def transactions_of(conn: Connection, file: int) -> list[Transaction]:
    """Transactions in the order they were posted."""
    require_debtor(conn, file)
    x = t.transactions.c
    rows = conn.execute(select(t.transactions).where(x.file == file).order_by(x.id)).mappings()
    return [Transaction(
        id=r["id"], file=r["file"], type=r["type"], amount=from_cents(int(r["amount"])),
        payment_date=as_date(r["payment_date"]) or date.min,
        posted_date=as_date(r["posted_date"]) or date.min, reverses=r["reverses"],
        reversed_by=r["reversed_by"], promise_id=r["promise_id"],
        promise_before=r["promise_before"], contact_id=r["contact_id"], ref=r["ref"],
        operator=r["operator"]) for r in rows]


def plan_exists(conn: Connection, code: str) -> bool:
    return conn.execute(select(t.plans.c.code).where(t.plans.c.code == code)).first() is not None


def promises_due_on(conn: Connection, day: date) -> list[tuple[int, int, int]]:
    """(file, contact id, amount in cents) of the pending promises due on `day`."""
    c = t.contacts
    rows = conn.execute(
        select(c.c.file, c.c.id, c.c.amount).where(
            t.PENDING_CONTACT, c.c.type == int(ContactType.PROMISE),
            c.c.due_date == day.isoformat()).order_by(c.c.file, c.c.id))
    return [(r.file, r.id, int(r.amount or 0)) for r in rows]
