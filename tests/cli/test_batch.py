"""`collect batch` through the CLI (SPEC 7, 11), on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest

from collectcli.store import session
from tests.cli.backend_db import SQLITE_ONLY, fetch
from tests.cli.batch_setup import add_contact, add_debtors, snapshot
from tests.conftest import Cli

SUMMARY_KEYS = {"date", "debtors", "processed", "forwarded", "completed", "failed", "held",
                "broken_promises", "skipped_occurrences", "by_type", "errors"}


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def test_batch_json_summary_has_the_counts_and_errors(cli) -> None:
    """SPEC 11: 'batch ... a summary object with counts, and "errors": [{"file", "contact",
    "message"}]'."""
    add_debtors(cli.db, 1, 2)
    add_contact(cli.db, 1, 7, "Batch note", "2026-03-10")
    add_contact(cli.db, 1, 2, "BAT", "2026-03-09")
    bad = add_contact(cli.db, 2, 11, "nosuchfield=1", "2026-03-10")
    doc = cli.json("batch")
    assert doc.keys() >= SUMMARY_KEYS
    assert doc["processed"] == 2 and doc["failed"] == 1
    assert doc["by_type"]["Note"] == {"processed": 1, "forwarded": 0, "completed": 1,
                                      "failed": 0, "held": 0}
    [err] = doc["errors"]
    assert (err["file"], err["contact"]) == (2, bad) and "nosuchfield" in err["message"]
    assert fetch(cli.db, "SELECT status FROM debtors WHERE file = 1") == [("BAT",)]
    logged = fetch(cli.db, "SELECT file, contact FROM app_log WHERE level = 'ERROR'")
    assert logged == [(2, bad)]


def test_batch_leaves_future_and_operator_assisted_contacts_alone(cli) -> None:
    """SPEC 6: 'Promise, Phone, Review, Other, custom: ... the batch never completes them'."""
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 1, "Call", "2026-03-01")
    add_contact(cli.db, 1, 7, "Next month", "2026-04-10")
    add_contact(cli.db, 1, 7, "Later today", "2026-03-10", due_time="11:00:00")
    assert cli.json("batch")["processed"] == 0


def test_running_the_batch_twice_the_same_day_changes_nothing_the_second_time(cli) -> None:
    """SPEC 7: 'running the batch again the same day ... does not run it again'; idempotent."""
    add_debtors(cli.db, 1, 2)
    add_contact(cli.db, 1, 7, "Monthly", "2026-01-31", repeat="monthly", copy_on_repeat=1,
                log_repeat_to_notes=1)
    add_contact(cli.db, 2, 3, "Promise", "2026-03-01", amount=50_00)
    add_contact(cli.db, 2, 4, "C1", "2026-03-10")
    first = cli.json("batch")
    assert first["broken_promises"] == 1 and first["forwarded"] == 1
    before = snapshot(cli.db)
    second = cli.json("batch")
    assert second["processed"] == 0 and second["broken_promises"] == 0
    assert snapshot(cli.db) == before


def test_type_selects_only_those_contacts(cli) -> None:
    """SPEC 7: '--type T (repeatable) and --broken-promises select only those'."""
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 7, "Note", "2026-03-10")
    add_contact(cli.db, 1, 2, "BAT", "2026-03-10")
    add_contact(cli.db, 1, 3, "Promise", "2026-03-01")
    doc = cli.json("batch", "--type", "Status")
    assert set(doc["by_type"]) == {"Status"} and doc["broken_promises"] == 0
    doc = cli.json("batch", "--broken-promises")
    assert doc["processed"] == 0 and doc["broken_promises"] == 1


@SQLITE_ONLY  # an option error: refused before any database is opened
def test_a_letter_type_is_refused_by_batch(cli) -> None:
    result = cli("batch", "--type", "Letter")
    assert result.exit_code == 2 and "collect letters" in result.output + result.stderr


@SQLITE_ONLY  # SQLite's one write lock (BEGIN IMMEDIATE, busy timeout); PostgreSQL has none to
# hold: it waits on row locks instead (tests/postgres/test_pg_payment_locks.py)
def test_a_busy_database_is_one_clear_line_not_a_traceback(cli, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """SPEC 12: 'a second batch waits or says clearly that one is running'."""
    monkeypatch.setattr(session, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(cli.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli.fails("batch")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "busy" in result.stderr and "Traceback" not in result.stderr


def test_batch_prints_a_summary_table_without_json(cli) -> None:
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 7, "Note", "2026-03-10")
    result = cli.ok("batch")
    assert "processed" in result.stdout and "Note" in result.stdout
