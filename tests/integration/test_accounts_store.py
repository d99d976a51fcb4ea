"""store/accounts: load a chunk of accounts, change them in memory, write them in bulk."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from collectcli.domain.errors import NotFound
from collectcli.domain.model import Contact, Debtor, LogEntry, Transaction
from collectcli.domain.types import ContactType, Mode, Repeat, Status
from collectcli.store import tables as t
from collectcli.store.accounts import (
    apply_workspace,
    count_debtors,
    insert_debtors,
    iter_file_chunks,
    load_workspace,
    missing_files,
)
from collectcli.store.migrate import upgrade
from collectcli.store.rows import CONTACT_COLUMNS, contact_to_row
from collectcli.store.session import open_engine, unit_of_work

NOW = datetime(2026, 3, 10, 10, 0)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = open_engine(str(tmp_path / "acc.db"))
    upgrade(eng)
    with unit_of_work(eng) as uow:
        insert_debtors(uow.conn, (
            Debtor(f, f"Debtor {f}", status="NEW", principal=Decimal("100.50"),
                   listed_date=date(2026, 1, f % 28 + 1))
            for f in (1, 2, 3, 5, 8, 13)
        ))
        cols = ", ".join(f'"{c}"' for c in CONTACT_COLUMNS)
        binds = ", ".join(f":{c}" for c in CONTACT_COLUMNS)
        uow.conn.execute(text(f"INSERT INTO contacts ({cols}) VALUES ({binds})"), [
            contact_to_row(Contact(0, 1, ContactType.PHONE, "call", date(2026, 3, 12),
                                   amount=Decimal("12.34"), repeat=Repeat.MONTHLY))
            | {"id": 100},
            contact_to_row(Contact(0, 1, ContactType.REVIEW, "review", date(2026, 3, 20)))
            | {"id": 101},
            contact_to_row(Contact(0, 2, ContactType.LETTER, "old", date(2026, 1, 1),
                                   status=Status.DONE)) | {"id": 102},
            contact_to_row(Contact(0, 5, ContactType.PROMISE, "promise", date(2026, 4, 1),
                                   amount=Decimal("50.00"))) | {"id": 103},
        ])
        uow.commit()
    return eng


def _contacts(engine: Engine, file: int) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM contacts WHERE file = :f ORDER BY id"),
                            {"f": file})
        return [dict(r._mapping) for r in rows]


def test_load_workspace_reads_debtors_and_only_their_pending_contacts(engine: Engine) -> None:
    with engine.connect() as conn:
        ws = load_workspace(conn, [1, 2, 5])
    assert sorted(ws.accounts) == [1, 2, 5]
    acc = ws.account(1)
    assert acc.debtor.principal == Decimal("100.50") and acc.debtor.mode is Mode.ACTIVE
    assert acc.debtor.listed_date == date(2026, 1, 2)
    assert sorted(acc.contacts) == [100, 101]
    call = acc.contacts[100]
    assert call.amount == Decimal("12.34") and call.repeat is Repeat.MONTHLY
    assert call.due_date == date(2026, 3, 12) and call.status is Status.PENDING
    assert ws.account(2).contacts == {}  # the done letter is history, not loaded


def test_load_workspace_names_unknown_file_numbers(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(NotFound, match="4, 99"):
        load_workspace(conn, [1, 4, 99])
    with engine.connect() as conn:
        assert missing_files(conn, [1, 4, 99]) == [4, 99]


def test_iter_file_chunks_streams_file_numbers_in_order(engine: Engine) -> None:
    with engine.connect() as conn:
        assert list(iter_file_chunks(conn, chunk=4)) == [[1, 2, 3, 5], [8, 13]]
        assert list(iter_file_chunks(conn, chunk=3)) == [[1, 2, 3], [5, 8, 13]]
        where = t.debtors.c.file > 2
        assert list(iter_file_chunks(conn, where, chunk=2)) == [[3, 5], [8, 13]]
        assert count_debtors(conn) == 6 and count_debtors(conn, where) == 4


def test_apply_workspace_round_trip(engine: Engine) -> None:
    """Created, changed and deleted contacts; temp-id references; debtor; notes; txns."""
    with unit_of_work(engine) as uow:
        ws = load_workspace(uow.conn, [1, 3, 5])
        acc1 = ws.account(1)
        new = ws.add_contact(Contact(0, 1, ContactType.LETTER, "L1", date(2026, 3, 10),
                                     created_date=NOW.date(), created_time=time(10, 0)))
        copy = ws.add_contact(Contact(0, 1, ContactType.PHONE, "copy", date(2026, 3, 12),
                                      status=Status.DONE, is_copy=True, copy_of=new.id))
        gone = ws.add_contact(Contact(0, 1, ContactType.NOTE, "never written"))
        ws.delete_contact(gone)
        ws.put_contact(replace(acc1.contacts[100], due_date=date(2026, 4, 12), occurrence=1,
                               copy_of=copy.id))
        ws.delete_contact(acc1.contacts[101])
        ws.add_note(1, "*top note", NOW, "ADMIN")
        pay = ws.add_transaction(Transaction(0, 5, "101", Decimal("50.00"), NOW.date(),
                                             NOW.date(), promise_id=103, contact_id=new.id))
        ws.add_transaction(Transaction(0, 5, "105", Decimal("-50.00"), NOW.date(), NOW.date(),
                                       reverses=pay.id))
        ws.put_contact(replace(ws.account(5).contacts[103], made_by_txn=pay.id))
        ws.account(3).update_debtor(status="CLOSED", mode=Mode.CLOSED, closed_date=NOW.date())
        ws.log(LogEntry("INFO", "PLAN", "made a letter", file=1, contact=new.id))
        ids = apply_workspace(uow.conn, ws, NOW, "ADMIN")
        uow.commit()

    assert set(ids) == {new.id, copy.id, pay.id, pay.id - 1}
    c1 = {c["id"]: c for c in _contacts(engine, 1)}
    assert 101 not in c1 and all(c["description"] != "never written" for c in c1.values())
    assert c1[ids[copy.id]]["copy_of"] == ids[new.id]
    assert c1[100]["due_date"] == "2026-04-12" and c1[100]["copy_of"] == ids[copy.id]
    assert c1[ids[new.id]]["created_time"] == "10:00:00"
    assert _contacts(engine, 5)[0]["made_by_txn"] == ids[pay.id]
    with engine.connect() as conn:
        txns = conn.execute(text("SELECT * FROM transactions ORDER BY id")).mappings().all()
        assert [(x["amount"], x["reverses"], x["contact_id"]) for x in txns] == [
            (5000, None, ids[new.id]), (-5000, ids[pay.id], None)]
        assert txns[0]["promise_id"] == 103
        debtor3 = conn.execute(text("SELECT * FROM debtors WHERE file = 3")).mappings().one()
        assert (debtor3["mode"], debtor3["closed_date"]) == ("CLOSED", "2026-03-10")
        assert debtor3["principal"] == 10050
        note = conn.execute(text("SELECT * FROM notes")).mappings().one()
        assert (note["file"], note["time"], note["text"]) == (1, "10:00:00", "*top note")
        log = conn.execute(text("SELECT * FROM app_log")).mappings().one()
        assert log["contact"] == ids[new.id] and log["at"] == "2026-03-10T10:00:00"


def test_apply_workspace_leaves_unchanged_debtors_alone(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE debtors SET summary = 'set elsewhere' WHERE file = 2"))
    with unit_of_work(engine) as uow:
        ws = load_workspace(uow.conn, [2])
        # another writer's change after our load is not overwritten: we did not change 2
        uow.conn.execute(text("UPDATE debtors SET poe = 'Acme' WHERE file = 2"))
        assert apply_workspace(uow.conn, ws, NOW, None) == {}
        uow.commit()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT summary, poe FROM debtors WHERE file = 2")).one()
    assert tuple(row) == ("set elsewhere", "Acme")


def test_new_ids_follow_the_highest_existing_id(engine: Engine) -> None:
    with unit_of_work(engine) as uow:
        ws = load_workspace(uow.conn, [8])
        a = ws.add_contact(Contact(0, 8, ContactType.REVIEW, "r", date(2026, 3, 20)))
        b = ws.add_contact(Contact(0, 8, ContactType.REVIEW, "s", date(2026, 3, 21)))
        ids = apply_workspace(uow.conn, ws, NOW, None)
        uow.commit()
    assert (ids[a.id], ids[b.id]) == (104, 105)


def test_loading_a_chunk_searches_contacts_by_file_not_by_status(engine: Engine) -> None:
    """A chunk's pending contacts are found through the file index; through the status
    index every chunk would scan all pending contacts and a big run would be quadratic."""
    from collectcli.store.accounts import _CONTACT_SELECT

    sql = _CONTACT_SELECT.format(" INDEXED BY ix_contacts_pending_file") + "file BETWEEN 1 AND 5000"
    with engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_contacts_pending_file" in plan and "file>? AND file<?" in plan
