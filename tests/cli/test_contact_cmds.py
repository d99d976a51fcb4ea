"""`collect contact add` (the Contact form, seed 004) and `collect contact done`, on SQLite and
on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.cli.backend_db import postgres_for
from tests.cli.runplan_support import add_debtors, rows, snapshot
from tests.conftest import Cli

CONTACT_KEYS = {"id", "file", "type", "description", "due_date", "due_time", "status",
                "done_date", "done_by", "operator", "priority", "amount", "promised",
                "repeat", "repeat_days", "max_intervals", "copy_on_repeat",
                "log_repeat_to_notes", "advance_overpayments", "no_autodelete",
                "no_autocomplete", "is_copy", "plan", "call_result"}


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


@pytest.fixture
def db(cli: Cli) -> str:
    add_debtors(cli.db, [7, 8])
    return cli.db


def _contact(db: str, cid: int) -> dict[str, object]:
    return rows(db, "SELECT * FROM contacts WHERE id = :i", i=cid)[0]


def test_contact_add_takes_every_contact_form_field(cli: Cli, db: str) -> None:
    out = cli.json("contact", "add", "7", "--type", "promise", "--due", "2026-03-15",
                   "--time", "14:30", "--description", "first payment", "--priority", "70",
                   "--collector", "AB", "--amount", "150", "--repeat", "monthly",
                   "--max-intervals", "6", "--copy-on-repeat", "--log-repeat-to-notes",
                   "--advance-overpayments", "--no-autodelete", "--no-autocomplete",
                   "--no-autocomplete-promise", "--class", "VIP")
    assert set(out) >= CONTACT_KEYS
    assert (out["type"], out["amount"], out["promised"], out["due_time"]) == (
        "Promise", "150.00", "150.00", "14:30:00")
    row = _contact(db, out["id"])
    assert (row["amount"], row["repeat"], row["max_intervals"], row["class"]) == (
        15000, "monthly", 6, "VIP")
    assert (row["anchor_date"], row["originator"], row["created_date"]) == (
        "2026-03-15", "ADMIN", "2026-03-10")
    assert all(row[f] for f in ("copy_on_repeat", "log_repeat_to_notes",
                                "advance_overpayments", "no_autodelete", "no_autocomplete",
                                "no_autocomplete_promise"))
    log = rows(db, "SELECT * FROM app_log WHERE category = 'CONTACT'")
    assert log[0]["contact"] == out["id"] and log[0]["file"] == 7


def test_contact_add_prints_the_new_id_and_defaults_collector_to_the_account_operator(
        cli: Cli, db: str) -> None:
    result = cli.ok("contact", "add", "8", "--type", "Phone", "--due", "2026-03-11")
    cid = int(result.stdout.strip())
    row = _contact(db, cid)
    assert (row["collector"], row["type"], row["status"], row["promised"]) == (
        "JS", 1, "pending", None)


def test_promised_defaults_to_amount_but_can_differ(cli: Cli, db: str) -> None:
    """SPEC 11: '--promised defaults to --amount'."""
    out = cli.json("contact", "add", "7", "--type", "Promise", "--due", "2026-03-15",
                   "--amount", "50.00", "--promised", "200.00")
    assert (out["amount"], out["promised"]) == ("50.00", "200.00")


# Every case on SQLite; on PostgreSQL three (an option error, the plan looked up among the
# database's plans, the Edit field check): each case takes the same database path, the
# account read and the form refused before anything is written.
@postgres_for("args, message", [
    (["--type", "Bogus", "--due", "2026-03-15"], "unknown contact type"),
    (["--type", "Phone", "--due", "15/03/2026"], "--due"),
    (["--type", "Phone", "--due", "2026-03-15", "--time", "25:00"], "--time"),
    (["--type", "Phone", "--due", "2026-03-15", "--priority", "0"], "--priority"),
    (["--type", "Promise", "--due", "2026-03-15", "--amount", "1.234"], "--amount"),
    (["--type", "Promise", "--due", "2026-03-15", "--amount", "1,000.00"], "--amount"),
    (["--type", "Phone", "--due", "2026-03-15", "--repeat", "hourly"], "unknown repeat"),
    (["--type", "Phone", "--due", "2026-03-15", "--repeat", "custom"], "--repeat-days"),
    (["--type", "Phone", "--due", "2026-03-15", "--copy-on-repeat"], "needs --repeat"),
    (["--type", "Phone", "--due", "2026-03-15", "--repeat", "monthly", "--repeat-days", "3"],
     "custom"),
    (["--type", "Plan", "--due", "2026-03-15", "--description", "NOPLAN"], "plan"),
    (["--type", "Edit", "--due", "2026-03-15", "--description", "color=red"], "color"),
], on_postgres={0, 10, 11})
def test_contact_add_rejects_bad_input_naming_the_option(cli: Cli, db: str, args: list[str],
                                                         message: str) -> None:
    """Seed 002: Repeat options are 'visible only when there is a value in the Repeat
    field'; money has at most two decimals (SPEC 12)."""
    before = snapshot(db)
    assert message in cli.fails("contact", "add", "7", *args).stderr
    assert snapshot(db) == before


def test_contact_add_on_an_unknown_debtor_is_an_error(cli: Cli, db: str) -> None:
    assert "99" in cli.fails("contact", "add", "99", "--type", "Phone", "--due",
                             "2026-03-15").stderr


def test_contact_done_marks_a_pending_contact_done_by_the_operator_today(
        cli: Cli, db: str) -> None:
    cid = int(cli.ok("contact", "add", "7", "--type", "Phone", "--due", "2026-03-12").stdout)
    out = cli.json("contact", "done", str(cid))
    assert {"id", "file", "outcome", "next_due", "contact"} <= set(out)
    assert (out["outcome"], out["next_due"]) == ("done", None)
    row = _contact(db, cid)
    assert (row["status"], row["done_date"], row["done_by"]) == ("done", "2026-03-10", "ADMIN")
    assert "already done" in cli.fails("contact", "done", str(cid)).stderr
    assert "unknown contact" in cli.fails("contact", "done", "999").stderr


def test_contact_done_on_a_repeating_contact_forwards_it_like_the_wip_list(
        cli: Cli, db: str) -> None:
    """Seed 002: Log Repeat To Notes 'is referenced ... when contacts are worked through
    the WIP List'; Create Copy On Repeat 'create[s] a completed copy of the Contact every
    time it is forwarded'."""
    cid = int(cli.ok("contact", "add", "7", "--type", "Phone", "--due", "2026-03-10",
                     "--repeat", "monthly", "--copy-on-repeat", "--log-repeat-to-notes",
                     "--max-intervals", "2").stdout)
    out = cli.json("contact", "done", str(cid))
    assert (out["outcome"], out["next_due"]) == ("forwarded", "2026-04-10")
    row = _contact(db, cid)
    assert (row["status"], row["due_date"], row["max_intervals"]) == ("pending", "2026-04-10", 1)
    copies = rows(db, "SELECT * FROM contacts WHERE is_copy")
    assert [(c["status"], c["copy_of"]) for c in copies] == [("done", cid)]
    notes = rows(db, "SELECT text FROM notes WHERE file = 7")
    assert notes == [{"text": "Phone type contact , due 2026-03-10 processed by ADMIN"}]
    last = cli.json("contact", "done", str(cid), today="2026-04-10T09:00")
    assert last["outcome"] == "completed" and _contact(db, cid)["status"] == "done"
