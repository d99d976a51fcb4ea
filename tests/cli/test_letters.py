"""`collect letters` through the CLI (SPEC 7, 9, 11), on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.backend_db import fetch
from tests.cli.batch_setup import add_contact, add_debtors, snapshot
from tests.conftest import Cli


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def _run(cli, tmp_path: Path, *extra: str) -> dict:
    return cli.json("letters", "--outbox", str(tmp_path / "out"),
                    "--templates", str(tmp_path / "tpl"), *extra)


def test_letters_render_to_the_outbox_one_file_per_contact(cli, tmp_path: Path) -> None:
    """SPEC 7: 'rendered from templates (NAME.txt, Jinja2, debtor fields available) ... into
    an outbox folder, one file per contact, then marked done or forwarded'."""
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "Hello.txt").write_text("Dear {{ name }}, you owe {{ owing }}.\n")
    add_debtors(cli.db, 1, 2)
    a = add_contact(cli.db, 1, 0, "Hello", "2026-03-10")
    b = add_contact(cli.db, 2, 19, "Letter1", "2026-03-09", repeat="monthly")
    doc = _run(cli, tmp_path)
    assert {"letters", "outbox", "processed", "forwarded", "held", "errors"} <= doc.keys()
    assert (doc["letters"], doc["forwarded"], doc["errors"]) == (2, 1, [])
    out = tmp_path / "out" / "2026-03-10"
    assert (out / "Letter" / f"1-{a}.txt").read_text() == "Dear Debtor 1, you owe 100.00.\n"
    assert "Debtor 2" in (out / "Email" / f"2-{b}.txt").read_text()  # the shipped Letter1
    rows = fetch(cli.db, "SELECT id, status, due_date FROM contacts ORDER BY id")
    assert rows == [(a, "done", "2026-03-10"), (b, "pending", "2026-04-09")]


def test_a_repeating_letter_with_log_repeat_to_notes_writes_its_note_line(cli,
                                                                          tmp_path: Path) -> None:
    """Seed 002 (Log Repeat To Notes): 'The note is in the following format: [Type] type
    contact [Description], due [Date] processed by [Op ID]'."""
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 0, "Letter1", "2026-03-10", repeat="monthly",
                log_repeat_to_notes=1)
    assert _run(cli, tmp_path)["forwarded"] == 1
    assert fetch(cli.db, "SELECT file, operator, text FROM notes") == [
        (1, "ADMIN", "Letter type contact Letter1, due 2026-03-10 processed by ADMIN")]


def test_a_missing_template_fails_only_that_contact(cli, tmp_path: Path) -> None:
    """SPEC 7: 'A missing template is an error for that contact only.'"""
    add_debtors(cli.db, 1, 2)
    bad = add_contact(cli.db, 1, 0, "NoSuchLetter", "2026-03-10")
    good = add_contact(cli.db, 2, 0, "Letter1", "2026-03-10")
    doc = _run(cli, tmp_path)
    assert doc["letters"] == 1 and doc["failed"] == 1
    [err] = doc["errors"]
    assert (err["file"], err["contact"]) == (1, bad) and "NoSuchLetter.txt" in err["message"]
    assert (tmp_path / "out" / "2026-03-10" / "Letter" / f"2-{good}.txt").exists()
    assert fetch(cli.db, "SELECT status FROM contacts WHERE id = :i", i=bad) == [("pending",)]


def test_a_template_error_names_the_template_and_line(cli, tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "Broken.txt").write_text("line one\n{{ name \n")
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 0, "Broken", "2026-03-10")
    [err] = _run(cli, tmp_path)["errors"]
    assert "Broken.txt" in err["message"] and "line" in err["message"]


def test_running_letters_twice_the_same_day_writes_nothing_new(cli, tmp_path: Path) -> None:
    """SPEC 7: idempotent: 'nothing done twice (no duplicate ... letter)'."""
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 22, "PaymentReceived", "2026-03-10")
    assert _run(cli, tmp_path)["letters"] == 1
    before = snapshot(cli.db)
    assert _run(cli, tmp_path)["letters"] == 0
    assert snapshot(cli.db) == before
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 1


def test_every_template_the_demonstration_plans_name_is_shipped(cli, tmp_path: Path) -> None:
    """Seed 004: 'Collect! uses the Description field of each Letter contact to locate the
    letter to print': every letter the shipped plans queue renders."""
    import tomllib

    from collectcli.resources import data_dir

    names = {e["description"] for p in data_dir("plans").glob("*.toml")
             for e in tomllib.loads(p.read_text())["events"]
             if e["type"] in ("Letter", "Email", "Text")}
    add_debtors(cli.db, 1)
    for name in sorted(names):
        add_contact(cli.db, 1, 0, name, "2026-03-10")
    doc = _run(cli, tmp_path)
    assert doc["errors"] == [] and doc["letters"] == len(names) > 0


def test_contact_control_holds_a_letter_over_max_total(cli, tmp_path: Path, write) -> None:
    """SPEC 9: 'The letter batch holds Letter/Email/Text contacts that would exceed
    max_total'; SPEC 7: 'it stays pending and the summary says why'."""
    rules = write("rules.toml", '[[control]]\ntype = "Letter"\nmax_total = 1\nperiod = "week"\n')
    cli.ok("controls", "import", str(rules))
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 0, "Letter1", "2026-03-10")
    held = add_contact(cli.db, 1, 0, "PromiseBroken", "2026-03-10")
    doc = _run(cli, tmp_path)
    assert (doc["letters"], doc["held"]) == (1, 1)
    assert fetch(cli.db, "SELECT status FROM contacts WHERE id = :i", i=held) == [("pending",)]
    assert fetch(cli.db, "SELECT count(*) FROM app_log WHERE contact = :i", i=held) == [(1,)]
