"""`collect debtor close FILE [--plan CODE]` and `collect debtor edit FILE field=value...`,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.cli.runplan_support import add_debtors, add_plan, rows, snapshot
from tests.conftest import Cli

AFTER_CLOSE = """
code = "CLS"

[[events]]
type = "Note"
description = "closed: final letter queued"
immediately = true

[[events]]
type = "Letter"
description = "Closing"
immediately = true
"""


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


@pytest.fixture
def db(cli: Cli) -> str:
    add_debtors(cli.db, [1, 2])
    add_plan(cli.db, AFTER_CLOSE)
    return cli.db


def _add(cli: Cli, *args: str) -> int:
    return int(cli.ok("contact", "add", "1", "--due", "2026-03-20", *args).stdout)


def _status(db: str, cid: int) -> str | None:
    found = rows(db, "SELECT status FROM contacts WHERE id = :i", i=cid)
    return found[0]["status"] if found else None


def test_close_deletes_pending_contacts_but_keeps_no_autodelete_and_completes_promises(
        cli: Cli, db: str) -> None:
    """Seed 004: 'any pending and incomplete contacts are deleted ... Any contacts with the
    switch "Do not autodelete" are NOT deleted. In progress Promises and Transactions are
    marked Completed. The Closed Date field appears displaying the current date.'"""
    phone = _add(cli, "--type", "Phone")
    kept = _add(cli, "--type", "Review", "--no-autodelete")
    promise = _add(cli, "--type", "Promise", "--amount", "10", "--no-autodelete")
    out = cli.json("debtor", "close", "1")
    assert {"file", "mode", "closed_date", "contacts_deleted", "contacts_marked_done",
            "plan"} <= set(out)
    assert (out["mode"], out["closed_date"], out["plan"]) == ("CLOSED", "2026-03-10", None)
    assert (out["contacts_deleted"], out["contacts_marked_done"]) == (1, 1)
    assert (_status(db, phone), _status(db, kept), _status(db, promise)) == (
        None, "pending", "done")
    debtor = rows(db, "SELECT mode, closed_date FROM debtors WHERE file = 1")[0]
    assert debtor == {"mode": "CLOSED", "closed_date": "2026-03-10"}
    history = rows(db, "SELECT status, done_by FROM contacts WHERE type = 8")
    assert history == [{"status": "done", "done_by": "ADMIN"}]
    assert rows(db, "SELECT category FROM app_log WHERE file = 1 AND category = 'DEBTOR'")
    assert "already closed" in cli.fails("debtor", "close", "1").stderr


def test_close_with_a_plan_runs_the_plan_after_closing(cli: Cli, db: str) -> None:
    """SPEC 5: 'Plans also run when ... an account is closed (debtor close --plan)'."""
    out = cli.json("debtor", "close", "2", "--plan", "cls")
    assert out["plan"]["status"] == "ran" and out["plan"]["contacts_created"] >= 1
    assert rows(db, "SELECT text FROM notes WHERE file = 2") == [
        {"text": "closed: final letter queued"}]
    letters = rows(db, "SELECT due_date, status FROM contacts WHERE file = 2 AND type = 0")
    assert letters == [{"due_date": "2026-03-10", "status": "pending"}]


def test_close_with_an_unknown_plan_changes_nothing(cli: Cli, db: str) -> None:
    before = snapshot(db)
    assert "NOPE" in cli.fails("debtor", "close", "2", "--plan", "NOPE").stderr
    assert "99" in cli.fails("debtor", "close", "99").stderr
    assert snapshot(db) == before


def test_edit_sets_fields_by_name_alias_or_printable_code(cli: Cli, db: str) -> None:
    """Seed 004: 'the Description would contain Summary=Test note ... Or, you could use
    POE=Fred's Cleaners ... Or, you can use the printable field code ... @de.su=Test
    note'."""
    out = cli.json("debtor", "edit", "1", "Summary=Test note; really", "POE=Fred's Cleaners",
                   "@de.st=HOLD", "listed=2026-01-31")
    assert {"file", "name", "status", "summary", "poe", "owing", "listed_date",
            "promise_date"} <= set(out)
    assert (out["summary"], out["poe"], out["status"], out["listed_date"]) == (
        "Test note; really", "Fred's Cleaners", "HOLD", "2026-01-31")
    row = rows(db, "SELECT summary, poe, status, listed_date FROM debtors WHERE file = 1")[0]
    assert row == {"summary": "Test note; really", "poe": "Fred's Cleaners", "status": "HOLD",
                   "listed_date": "2026-01-31"}
    assert rows(db, "SELECT message FROM app_log WHERE category = 'DEBTOR'")


@pytest.mark.parametrize(("pair", "message"), [
    ("colour=red", "unknown debtor field"),
    ("owing=5", "cannot be edited"),
    ("listed_date=31/01/2026", "ISO date"),
    ("name=", "cannot be blank"),
    ("summary", "not field=value"),
])
def test_edit_with_a_bad_field_changes_nothing(cli: Cli, db: str, pair: str,
                                               message: str) -> None:
    """SPEC 12: 'An Edit contact can change only known debtor fields'."""
    before = snapshot(db)
    assert message in cli.fails("debtor", "edit", "1", "summary=ok", pair).stderr
    assert snapshot(db) == before
