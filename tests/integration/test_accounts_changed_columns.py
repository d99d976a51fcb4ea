"""store/apply: a changed contact or debtor is written by the columns that changed only,
and the rows read back equal the records the engine left in the workspace."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from collectcli.domain.model import Contact, Debtor
from collectcli.domain.types import ContactType, Repeat, Status
from collectcli.engine.records import evolve_contact, evolve_debtor
from collectcli.store.accounts import apply_workspace, insert_debtors, load_workspace
from collectcli.store.migrate import upgrade
from collectcli.store.rows import CONTACT_COLUMNS, contact_to_row
from collectcli.store.session import open_engine, unit_of_work

NOW = datetime(2026, 3, 10, 10, 0)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = open_engine(str(tmp_path / "changed.db"))
    upgrade(eng)
    with unit_of_work(eng) as uow:
        insert_debtors(uow.conn, [Debtor(1, "One", principal=Decimal("500.00")),
                                  Debtor(2, "Two", principal=Decimal("80.00"))])
        cols = ", ".join(f'"{c}"' for c in CONTACT_COLUMNS)
        binds = ", ".join(f":{c}" for c in CONTACT_COLUMNS)
        uow.conn.execute(text(f"INSERT INTO contacts ({cols}) VALUES ({binds})"), [
            contact_to_row(Contact(0, 1, ContactType.PROMISE, "promise", date(2026, 3, 15),
                                   amount=Decimal("100.00"), promised=Decimal("100.00"),
                                   repeat=Repeat.MONTHLY, anchor_date=date(2026, 3, 15)))
            | {"id": 7},
        ])
        uow.commit()
    return eng


def test_changed_promise_and_debtor_read_back_as_the_engine_left_them(engine: Engine) -> None:
    with unit_of_work(engine) as uow:
        ws = load_workspace(uow.conn, [1, 2])
        acc = ws.account(1)
        moved = evolve_contact(acc.contacts[7], due_date=date(2026, 4, 15), occurrence=1,
                               amount=Decimal("40.00"))
        ws.put_contact(moved)
        acc.update_debtor(paid=Decimal("100.00"), last_payment_date=date(2026, 3, 15))
        ws.account(2).update_debtor(paid=Decimal("0.00"))  # equal value: nothing to write
        apply_workspace(uow.conn, ws, NOW, "ADMIN")
        uow.commit()
    with unit_of_work(engine) as uow:
        again = load_workspace(uow.conn, [1, 2])
    assert again.account(1).contacts[7] == moved
    assert again.account(1).debtor == acc.debtor
    assert again.account(2).debtor == ws.account(2).original


def test_only_the_changed_columns_are_set(engine: Engine) -> None:
    """A column the workspace did not change keeps what the database holds, even when it
    changed in the database after the load (proof that it is not in the UPDATE)."""
    with unit_of_work(engine) as uow:
        ws = load_workspace(uow.conn, [1])
        uow.conn.execute(text("UPDATE contacts SET description = 'edited' WHERE id = 7"))
        uow.conn.execute(text("UPDATE debtors SET name = 'Renamed' WHERE file = 1"))
        ws.put_contact(evolve_contact(ws.account(1).contacts[7], status=Status.DONE))
        ws.account(1).update_debtor(paid=Decimal("1.00"))
        apply_workspace(uow.conn, ws, NOW, "ADMIN")
        uow.commit()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT description, status FROM contacts WHERE id = 7")).one()
        debtor = conn.execute(text("SELECT name, paid FROM debtors WHERE file = 1")).one()
    assert tuple(row) == ("edited", "done")
    assert tuple(debtor) == ("Renamed", 100)


def test_fast_records_equal_the_dataclass_ones() -> None:
    c = Contact(3, 1, ContactType.PROMISE, "p", date(2026, 3, 1), amount=Decimal("5.00"))
    assert evolve_contact(c, amount=Decimal("1.00")) == Contact(
        3, 1, ContactType.PROMISE, "p", date(2026, 3, 1), amount=Decimal("1.00"))
    d = Debtor(1, "One")
    assert evolve_debtor(d, paid=Decimal("2.00")) == Debtor(1, "One", paid=Decimal("2.00"))
    assert type(evolve_contact(c)) is Contact
