"""store/apply leaves out of an INSERT the columns whose value is the column's default
(NULL, or the server default of flags, priority, occurrence, status): rows read back equal
the records the engine made, whichever columns were bound."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from collectcli.domain.model import Contact, Debtor
from collectcli.domain.types import ContactType, Repeat, Status
from collectcli.engine.records import evolve_contact
from collectcli.store.accounts import apply_workspace, insert_debtors, load_workspace
from collectcli.store.migrate import upgrade
from collectcli.store.session import open_engine, unit_of_work

NOW = datetime(2026, 3, 10, 10, 0)


def test_new_contacts_with_default_and_non_default_values_read_back_equal(
        tmp_path: Path) -> None:
    eng = open_engine(str(tmp_path / "defaults.db"))
    upgrade(eng)
    with unit_of_work(eng) as uow:
        insert_debtors(uow.conn, [Debtor(1, "One", principal=Decimal("500.00"))])
        uow.commit()
    plain = Contact(0, 1, int(ContactType.LETTER), "", due_date=date(2026, 3, 10))
    full = Contact(0, 1, int(ContactType.PROMISE), "p", due_date=date(2026, 3, 15),
                   due_time=time(9, 30), priority=0, amount=Decimal("0.00"),
                   promised=Decimal("10.00"), repeat=Repeat.MONTHLY, occurrence=3,
                   copy_on_repeat=True, log_repeat_to_notes=True, advance_overpayments=True,
                   no_autodelete=True, no_autocomplete=True, no_autocomplete_promise=True,
                   status=Status.PENDING, is_copy=True, klass="K", plan="PRF")
    with unit_of_work(eng) as uow:
        ws = load_workspace(uow.conn, [1])
        made = [ws.add_contact(plain), ws.add_contact(full)]
        ids = apply_workspace(uow.conn, ws, NOW, "ADMIN")
        uow.commit()
    with unit_of_work(eng) as uow:
        again = load_workspace(uow.conn, [1]).account(1).contacts
    for c in made:
        stored = again[ids[c.id]]
        assert stored == evolve_contact(c, id=ids[c.id])
