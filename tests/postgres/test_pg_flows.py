"""The main CLI flows on both backends (SPEC 13: 'The same code runs on PostgreSQL').

Every test here takes `dbcli`, so it runs once on SQLite and once on PostgreSQL (ids
`sqlite` / `postgres`); the PostgreSQL run is skipped with a visible reason when
COLLECT_TEST_PG_URL is unset. The expected values are the same on both, so each test is
also a comparison of the two backends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Cli
from tests.postgres.support import add_contact, add_debtors, rows, set_settings, strip_ids

Write = Callable[[str, str], Path]


DEBTORS_CSV = ("file,name,principal,timezone,state\n"
               "10,Ann Lee,100.50,America/New_York,NY\n"
               "11,Bob Roe,12345678.99,America/Chicago,TX\n"
               ",Cy Doe,0.01,,\n")


def test_init_on_an_empty_database_then_again_changes_nothing(empty_db_url: str) -> None:
    """SPEC 11: 'init ... Running it again changes nothing.'"""
    cli = Cli(empty_db_url)
    first = cli.json("init")
    assert first["added"]["plans"] == 10 and first["added"]["operators"] == 1
    again = cli.json("init")
    assert set(again["added"].values()) == {0}


def test_import_debtors_keeps_money_exact(dbcli: Cli, write: Write) -> None:
    """SPEC 2: 'Money is decimal.Decimal everywhere ... never a float'."""
    summary = dbcli.json("import-debtors", str(write("d.csv", DEBTORS_CSV)))
    assert (summary["imported"], summary["rejected"], summary["errors"]) == (3, 0, [])
    assert dbcli.json("debtor", "show", "11")["principal"] == "12345678.99"
    cy = dbcli.json("debtor", "show", "12")
    assert (cy["name"], cy["principal"], cy["owing"], cy["listed_date"]) == (
        "Cy Doe", "0.01", "0.01", "2026-03-10")
    assert [(x["type"], x["amount"]) for x in dbcli.json("transactions", "10")] == [
        ("196", "100.50")]


def test_a_bad_debtors_csv_writes_nothing(dbcli: Cli, write: Write) -> None:
    """SPEC 12: 'a CSV with any bad row imports nothing and lists every bad row'."""
    bad = write("bad.csv", "file,name,principal\n20,Ok Row,10.00\n21,Bad Money,1.234\n"
                           "22,,5.00\n")
    result = dbcli.fails("import-debtors", str(bad))
    assert "line 3" in result.stderr and "line 4" in result.stderr
    assert rows(str(dbcli.db), "debtors") == []
    assert rows(str(dbcli.db), "transactions") == []


def test_plans_import_export_list(dbcli: Cli, write: Write, tmp_path: Path) -> None:
    exported = dbcli.ok("plans", "export", "PRB").stdout
    assert "PRB" in exported
    mine = write("MINE.toml", exported.replace("PRB", "MINE", 2))
    dbcli.ok("plans", "import", str(mine))
    codes = [p["code"] for p in dbcli.json("plans", "list", "--all")]
    assert "MINE" in codes and codes == sorted(codes)
    assert dbcli.ok("plans", "export", "MINE").stdout == mine.read_text()


def test_run_plan_new_on_all_and_with_where(dbcli: Cli, write: Write, backend: str) -> None:
    dbcli.ok("import-debtors", str(write("d.csv", DEBTORS_CSV)))
    everyone = dbcli.json("run-plan", "NEW", "--all")
    assert (everyone["run"], everyone["skipped"], everyone["contacts_created"]) == (3, 0, 6)
    pending = dbcli.json("contacts", "10")
    assert pending and all(c["due_date"] >= "2026-03-10" for c in pending)
    where = dbcli.json("run-plan", "NEW", "--where", "state=TX")
    assert where["run"] == 1


def test_run_plan_results_are_the_same_on_both_backends(
        db_url: str, write: Write, tmp_path: Path) -> None:
    """SPEC 13: the same code, the same contacts, on SQLite and on PostgreSQL."""
    reference = Cli(tmp_path / "reference.db")
    reference.ok("init")
    for cli in (Cli(db_url), reference):
        cli.ok("import-debtors", str(write("d.csv", DEBTORS_CSV)))
        cli.ok("run-plan", "NEW", "--all")
    for file in ("10", "11", "12"):
        assert strip_ids(Cli(db_url).json("contacts", file, "--all")) == strip_ids(
            reference.json("contacts", file, "--all"))
        assert Cli(db_url).json("debtor", "show", file) == reference.json("debtor", "show", file)


def test_contact_add_and_done(dbcli: Cli) -> None:
    add_debtors(str(dbcli.db), {"file": 7})
    added = dbcli.json("contact", "add", "7", "--type", "Phone", "--due", "2028-02-29",
                       "--time", "09:30", "--description", "Leap day call")
    assert (added["due_date"], added["due_time"]) == ("2028-02-29", "09:30:00")
    done = dbcli.json("contact", "done", str(added["id"]))
    assert (done["outcome"], done["contact"]["status"], done["contact"]["done_date"]) == (
        "done", "done", "2026-03-10")
    assert dbcli.json("contacts", "7") == []


def test_debtor_close_and_edit(dbcli: Cli) -> None:
    add_debtors(str(dbcli.db), {"file": 1}, {"file": 2})
    edited = dbcli.json("debtor", "edit", "1", "Summary=Test note; really",
                        "POE=Fred's Cleaners")
    assert edited
    shown = dbcli.json("debtor", "show", "1")
    assert (shown["summary"], shown["poe"]) == ("Test note; really", "Fred's Cleaners")
    closed = dbcli.json("debtor", "close", "2")
    assert closed
    assert dbcli.json("debtor", "show", "2")["mode"] == "CLOSED"
    assert "already closed" in dbcli.fails("debtor", "close", "2").stderr


def _promised(cli: Cli) -> int:
    """Debtor 1 owing 1000.00 with a 100.00 monthly promise due 2026-03-15."""
    set_settings(str(cli.db), promise_full_plan="", promise_under_plan="",
                 promise_over_plan="")
    add_debtors(str(cli.db), {"file": 1, "principal": 100_000})
    return int(cli.json("contact", "add", "1", "--type", "Promise", "--due", "2026-03-15",
                        "--amount", "100.00", "--repeat", "monthly")["id"])


def test_post_payment_full_then_nsf_restores_the_promise_exactly(dbcli: Cli) -> None:
    """Seed 004: 'When an NSF check is returned ... Collect! will back date the promise to
    its outstanding date and amount.'"""
    pid = _promised(dbcli)
    before = rows(str(dbcli.db), "contacts", id=pid)
    paid = dbcli.json("post-payment", "--file", "1", "--amount", "100.00",
                      "--date", "2026-03-15")
    assert paid["promise"] == {"id": pid, "outcome": "full", "due_date": "2026-04-15",
                               "amount": "100.00"}
    nsf = dbcli.json("post-payment", "--file", "1", "--amount", "-100.00")
    assert nsf["promise"]["outcome"] == "nsf" and nsf["promise"]["due_date"] == "2026-03-15"
    after = rows(str(dbcli.db), "contacts", id=pid)
    keep = ("due_date", "amount", "promised", "anchor_date", "occurrence", "status")
    assert [{k: r[k] for k in keep} for r in after] == [{k: r[k] for k in keep} for r in before]
    assert dbcli.json("debtor", "show", "1")["paid"] == "0.00"


def test_post_payment_over_and_under(dbcli: Cli) -> None:
    pid = _promised(dbcli)
    under = dbcli.json("post-payment", "--file", "1", "--amount", "40.01")
    assert under["promise"]["id"] == pid and under["promise"]["outcome"] == "under"
    over = dbcli.json("post-payment", "--file", "1", "--amount", "12345.67")
    assert over["promise"]["outcome"] in {"over", "full"}
    shown = dbcli.json("debtor", "show", "1")
    assert (shown["paid"], shown["owing"]) == ("12385.68", "-11385.68")


def test_post_payments_rerun_posts_nothing_twice(dbcli: Cli, write: Write) -> None:
    _promised(dbcli)
    add_debtors(str(dbcli.db), {"file": 2, "principal": 50_000})
    path = write("p.csv", "file,amount,date,ref\n1,100.00,2026-03-15,R1\n2,0.01,2024-02-29,R2\n"
                          "2,99.99,2026-12-31,R3\n")
    assert dbcli.json("post-payments", str(path))["posted"] == 3
    again = dbcli.json("post-payments", str(path))
    assert again["posted"] == 0
    txns = dbcli.json("transactions", "2")
    assert [(x["amount"], x["date"]) for x in txns if x["type"] == "101"] == [
        ("0.01", "2024-02-29"), ("99.99", "2026-12-31")]


def test_batch_note_status_repeat_and_broken_promise(dbcli: Cli) -> None:
    """SPEC 7 and seed 004: automatic contacts run; a broken promise runs PRB once."""
    db = str(dbcli.db)
    add_debtors(db, {"file": 1}, {"file": 2}, {"file": 3})
    add_contact(db, 1, 7, "Batch note", "2026-03-10")
    add_contact(db, 2, 2, "BAT", "2026-03-09")
    add_contact(db, 1, 7, "Monthly", "2026-01-31", repeat="monthly", copy_on_repeat=True,
                log_repeat_to_notes=True, anchor_date="2026-01-31")
    add_contact(db, 3, 3, "Promise", "2026-03-01", amount=5_000, promised=5_000)
    first = dbcli.json("batch")
    assert first["processed"] >= 3
    second = dbcli.json("batch")
    assert second["processed"] == 0
    assert dbcli.json("debtor", "show", "2")["status"] == "BAT"
    notes = [n["text"] for n in dbcli.json("notes", "1")]
    assert "Batch note" in notes
    monthly = [c for c in rows(db, "contacts", file=1) if c["description"] == "Monthly"]
    assert sorted((c["status"], c["due_date"].isoformat(), c["is_copy"]) for c in monthly) == [
        ("done", "2026-01-31", True), ("pending", "2026-03-31", False)]
    broken = dbcli.json("batch", "--broken-promises")
    assert broken["processed"] == 0
    prb = [c for c in rows(db, "contacts", file=3) if c["plan"] == "PRB"]
    assert prb, "the broken promise ran PRB"
    dbcli.json("batch", "--broken-promises")
    assert len([c for c in rows(db, "contacts", file=3) if c["plan"] == "PRB"]) == len(prb)


def test_letters_render_into_an_outbox(dbcli: Cli, tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "Hello.txt").write_text("Dear {{ name }}, you owe {{ owing }}.\n")
    db = str(dbcli.db)
    add_debtors(db, {"file": 1, "principal": 1_234_567_899})
    cid = add_contact(db, 1, 0, "Hello", "2026-03-10")
    doc = dbcli.json("letters", "--outbox", str(tmp_path / "out"),
                     "--templates", str(tmp_path / "tpl"))
    assert (doc["letters"], doc["errors"]) == (1, [])
    letter = tmp_path / "out" / "2026-03-10" / "Letter" / f"1-{cid}.txt"
    assert letter.read_text() == "Dear Debtor 1, you owe 12345678.99.\n"
    assert rows(db, "contacts", id=cid)[0]["status"] == "done"


def test_controls_preset_can_contact_call_and_wip(dbcli: Cli) -> None:
    """Seed 003: a Regulation F limit of 7 calls in 7 days holds the eighth."""
    db = str(dbcli.db)
    assert dbcli.json("controls", "preset", "regf")["imported"] == 2
    add_debtors(db, {"file": 1})
    assert dbcli.json("can-contact", "1", "--type", "Phone",
                      today="2026-03-10T12:00")["allowed"] is True
    for day in range(3, 10):
        dbcli.json("call", "1", "--result", "1", today=f"2026-03-{day:02d}T15:00")
    held = dbcli.json("can-contact", "1", "--type", "Phone", today="2026-03-09T16:00")
    assert held["allowed"] is False and held["reasons"]
    add_contact(db, 1, 3, "Promise", "2026-03-10", amount=100)
    [entry] = dbcli.json("wip", "--show-blocked")
    assert entry["file"] == 1


def test_dates_and_money_round_trip_exactly(dbcli: Cli) -> None:
    """SPEC 2: money and dates keep their exact values (Feb 29, Dec 31, 0.01, 12345678.99)."""
    db = str(dbcli.db)
    add_debtors(db, {"file": 5, "principal": 1})
    for due, amount in (("2028-02-29", "0.01"), ("2026-12-31", "12345678.99"),
                        ("2024-02-29", "1000000.00")):
        dbcli.ok("contact", "add", "5", "--type", "Promise", "--due", due, "--amount", amount)
    got = sorted((c["due_date"], c["amount"]) for c in dbcli.json("contacts", "5"))
    assert got == [("2024-02-29", "1000000.00"), ("2026-12-31", "12345678.99"),
                   ("2028-02-29", "0.01")]
    assert dbcli.json("debtor", "show", "5")["principal"] == "0.01"
