"""`debtor show|list`, `contacts`, `notes`, `transactions`, `log` (SPEC 11 JSON shapes), on
SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.backend_db import insert_many
from tests.conftest import Cli

SHOW_KEYS = {"file", "name", "mode", "status", "operator", "sales", "owing", "principal",
             "paid", "commission_rate", "rate_plan", "state", "country", "timezone", "group",
             "listed_date", "closed_date", "last_payment_date", "promise_date",
             "validation_end", "summary", "poe"}
CONTACT_KEYS = {"id", "file", "type", "description", "due_date", "due_time", "status",
                "done_date", "done_by", "operator", "priority", "amount", "promised", "repeat",
                "repeat_days", "max_intervals", "copy_on_repeat", "log_repeat_to_notes",
                "advance_overpayments", "no_autodelete", "no_autocomplete", "is_copy", "plan",
                "call_result"}


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


@pytest.fixture
def accounts(cli: Cli, write: Callable[[str, str], Path]) -> Cli:
    cli.ok("import-debtors", str(write("d.csv", "file,name,principal,status,operator\n"
                                                 "1,Ann,100.00,NEW,JS\n2,Bob,50,HOLD,MK\n"
                                                 "3,Cy,250.75,new,JS\n")))
    base = {"amount": None, "promised": None, "status": "pending", "done_date": None}
    # explicit ids: the tests check the order by id (backend_db moves PostgreSQL's sequence)
    insert_many(cli.db, "contacts", [base | row for row in (
        {"id": 1, "file": 1, "type": 3, "due_date": "2026-04-01", "amount": 2500,
         "promised": 2500},
        {"id": 2, "file": 1, "type": 3, "due_date": "2026-03-20", "amount": 2500},
        {"id": 3, "file": 1, "type": 1, "due_date": "2026-03-20"},
        {"id": 4, "file": 1, "type": 3, "due_date": "2026-03-01", "status": "done",
         "done_date": "2026-03-02"},
    )])
    insert_many(cli.db, "notes", [
        {"file": 1, "date": "2026-03-01", "time": "09:00:00", "operator": "JS", "text": "a"},
        {"file": 1, "date": "2026-03-05", "time": "08:00:00", "operator": "JS",
         "text": "*important"},
        {"file": 1, "date": "2026-02-01", "time": "10:00:00", "operator": "MK", "text": "b"},
    ])
    return cli


def test_debtor_show_has_the_spec_keys_and_the_earliest_pending_promise(accounts: Cli) -> None:
    """SPEC 11: 'promise_date is the earliest pending promise's due date or null'."""
    doc = accounts.json("debtor", "show", "1")
    assert doc.keys() >= SHOW_KEYS
    assert (doc["promise_date"], doc["owing"], doc["paid"]) == ("2026-03-20", "100.00", "0.00")
    assert accounts.json("debtor", "show", "2")["promise_date"] is None


def test_an_unknown_debtor_is_a_clear_error(accounts: Cli) -> None:
    for args in (["debtor", "show", "99"], ["contacts", "99"], ["notes", "99"],
                 ["transactions", "99"]):
        assert "no debtor with file number 99" in accounts.fails(*args).stderr


def test_debtor_list_filters_with_where_money_as_money_and_text_without_case(
        accounts: Cli) -> None:
    assert [d["file"] for d in accounts.json("debtor", "list")] == [1, 2, 3]
    got = accounts.json("debtor", "list", "--where", "status=NEW,owing>100")
    assert [d["file"] for d in got] == [3]
    got = accounts.json("debtor", "list", "--where", "owing>=100,operator<>MK")
    assert [d["file"] for d in got] == [1, 3]
    assert [d["file"] for d in accounts.json("debtor", "list", "--where", "sales=")] == [1, 2, 3]


def test_a_bad_where_names_the_part(accounts: Cli) -> None:
    result = accounts.fails("debtor", "list", "--where", "status=NEW,owing>>1")
    assert "owing>>1" in result.stderr


def test_contacts_are_pending_sorted_by_due_date_then_id_with_the_spec_keys(
        accounts: Cli) -> None:
    docs = accounts.json("contacts", "1")
    assert [d["id"] for d in docs] == [2, 3, 1]
    assert docs[0].keys() >= CONTACT_KEYS
    assert (docs[2]["type"], docs[2]["amount"], docs[2]["promised"]) == (
        "Promise", "25.00", "25.00")
    assert [d["id"] for d in accounts.json("contacts", "1", "--all")] == [4, 2, 3, 1]


def test_notes_starting_with_a_star_sort_to_the_top(accounts: Cli) -> None:
    """SPEC 2: 'A note whose text starts with * sorts to the top.'"""
    docs = accounts.json("notes", "1")
    assert [d["text"] for d in docs] == ["*important", "b", "a"]
    assert set(docs[0]) == {"date", "time", "operator", "text"}
    assert docs[0]["time"] == "08:00:00"


def test_transactions_have_the_spec_keys(accounts: Cli) -> None:
    docs = accounts.json("transactions", "3")
    assert {"id", "file", "type", "amount", "date", "posted_date", "reverses",
            "promise_id"} <= docs[0].keys()
    assert (docs[0]["amount"], docs[0]["posted_date"]) == ("250.75", "2026-03-10")


def test_log_filters_by_since_level_and_category(accounts: Cli) -> None:
    docs = accounts.json("log", "--category", "import")
    assert docs and set(docs[0]) == {"at", "level", "category", "operator", "file", "message"}
    assert accounts.json("log", "--level", "ERROR") == []
    assert accounts.json("log", "--since", "2026-03-11") == []
    assert "--level" in accounts.fails("log", "--level", "LOUD").stderr
