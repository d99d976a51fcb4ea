"""`collect wip` (SPEC 10, seed 004 WIP Reload Filters), on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.cli.control_setup import add_contacts, add_debtors, set_setting
from tests.conftest import Cli

CONTACT_KEYS = {"id", "file", "type", "description", "due_date", "due_time", "status",
                "done_date", "done_by", "operator", "priority", "amount", "promised", "repeat",
                "repeat_days", "max_intervals", "copy_on_repeat", "log_repeat_to_notes",
                "advance_overpayments", "no_autodelete", "no_autocomplete", "is_copy", "plan",
                "call_result"}
PHONE, PROMISE, REVIEW, OTHER, LETTER = 1, 3, 5, 6, 0


@pytest.fixture(autouse=True)
def new_york_clock(monkeypatch):
    """The business clock (10:00 on 2026-03-10) is read in New York, where debtors live."""
    monkeypatch.setenv("COLLECT_TZ", "America/New_York")


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


@pytest.fixture
def book(cli):
    add_debtors(cli.db, {"file": 1, "name": "Ann Archer"}, {"file": 2, "name": "Bob Baker"})
    add_contacts(
        cli.db,
        {"id": 1, "file": 2, "type": PHONE, "due_date": "2026-03-10", "priority": 50},
        {"id": 2, "file": 1, "type": REVIEW, "due_date": "2026-03-10", "priority": 50},
        {"id": 3, "file": 1, "type": OTHER, "due_date": "2026-03-10", "priority": 80},
        {"id": 4, "file": 1, "type": PHONE, "due_date": "2026-03-02", "priority": 10},
        {"id": 5, "file": 1, "type": PHONE, "due_date": "2026-03-10", "due_time": "09:00:00",
         "priority": 99},
        {"id": 6, "file": 1, "type": PHONE, "due_date": "2026-03-13"},
        {"id": 7, "file": 1, "type": LETTER, "due_date": "2026-03-10"},
        {"id": 8, "file": 2, "type": PHONE, "due_date": "2026-03-10", "collector": "JS"},
    )
    return cli


def test_wip_json_is_contacts_with_name_and_priority_band(book):
    """SPEC 11: '`wip`: a list of contact objects (as `contacts`) with "name" and
    "priority_band"'."""
    entries = book.json("wip")
    assert all(CONTACT_KEYS | {"name", "priority_band"} <= set(e) for e in entries)
    assert entries[0]["name"] == "Ann Archer" and entries[0]["type"] == "Phone"


def test_wip_order_is_due_date_priority_name_type_timed_last(book):
    """SPEC 10: 'sorted by due date, priority (high first), name, type, timed contacts last';
    seed 002 bands: 66-99 High, 34-65 Medium, 1-33 Low."""
    entries = book.json("wip")
    assert [e["id"] for e in entries] == [4, 3, 2, 1, 5]
    assert [e["priority_band"] for e in entries] == ["Low", "High", "Medium", "Medium", "High"]


def test_wip_is_the_operators_own_list(book):
    """Seed 004: contacts 'will appear in the operators' WIP lists'."""
    assert [e["id"] for e in book.json("wip", "--operator", "JS")] == [8]
    assert [e["id"] for e in book.json("wip", operator="JS")] == [8]


def test_wip_type_filter_look_ahead_and_max(book):
    """Seed 004 WIP Reload Filters: selected types, 'Look Ahead Days', 'Maximum Calls'."""
    assert [e["id"] for e in book.json("wip", "--type", "Review", "--type", "Other")] == [3, 2]
    assert [e["id"] for e in book.json("wip", "--type", "Phone", "--look-ahead", "3")] == [
        4, 1, 5, 6]
    assert [e["id"] for e in book.json("wip", "--type", "Phone", "--max", "2")] == [4, 1]
    assert "unknown contact type 'Fax'" in book.fails("wip", "--type", "Fax").stderr


def test_wip_promise_appears_once_grace_days_have_passed(cli):
    """Seed 004: 'on April 12th, a Promise for April 8th with a 3 grace days is now
    overdue. On April 12th, the Promise will show up in the operator's WIP List.'"""
    add_debtors(cli.db, {"file": 1})
    add_contacts(cli.db, {"id": 1, "file": 1, "type": PROMISE, "due_date": "2026-04-08",
                          "amount": 5000, "promised": 5000})
    set_setting(cli.db, "promise_grace_days", "3")
    assert cli.json("wip", today="2026-04-11T10:00") == []
    [promise] = cli.json("wip", today="2026-04-12T10:00")
    assert promise["type"] == "Promise" and promise["amount"] == "50.00"


def test_wip_leaves_out_blocked_calls_or_shows_them_with_the_reason(book):
    """SPEC 9: 'The WIP list leaves out Phone contacts that may not be called now
    (`--show-blocked` lists them with the reason)'."""
    book.ok("controls", "preset", "regf")
    book.ok("call", "1", "--result", "4", today="2026-03-09T10:00")  # an RPC yesterday
    assert [e["id"] for e in book.json("wip")] == [3, 2, 1]  # Ann's calls 4, 5 are held
    shown = book.json("wip", "--show-blocked")
    blocked = {e["id"]: e.get("blocked") for e in shown}
    assert blocked[1] is None and blocked[3] is None
    assert blocked[4].startswith("in hold after a right-party contact until 2026-03-15")
    assert blocked[5] == blocked[4]
    assert "blocked" not in next(e for e in shown if e["id"] == 1)


def test_wip_blocks_calls_to_a_debtor_without_a_timezone(cli):
    """SPEC 9: the call window is the debtor's local time; no timezone, no call."""
    cli.ok("controls", "preset", "regf")
    add_debtors(cli.db, {"file": 1, "timezone": None})
    add_contacts(cli.db, {"id": 1, "file": 1, "type": PHONE, "due_date": "2026-03-10"})
    assert cli.json("wip") == []
    [entry] = cli.json("wip", "--show-blocked")
    assert entry["blocked"].startswith("no timezone known for the debtor")


def test_wip_table_on_a_terminal(book):
    """Every command prints a table without --json."""
    assert "WIP list of ADMIN" in book.ok("wip").stdout
