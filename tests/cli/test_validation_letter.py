"""Seed 003 end to end: the letter batch sending the validation letter sets the debtor's
validation end (send date + business days + calendar days). On SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """The test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def test_sending_the_regf_validation_letter_sets_validation_end_across_thanksgiving(
        cli: Cli, tmp_path: Path) -> None:
    """Seed 003: 'when Letter 1 is printed, Collect! will take the current date, add 5 days
    (excluding Saturday, Sunday, and holidays), then add 30 days'. Sent Tuesday
    2026-11-24: Wed 25, (Thanksgiving 26), Fri 27, Mon 30, Tue Dec 1, Wed Dec 2 = 5 business
    days; + 30 calendar days = 2027-01-01."""
    day = "2026-11-24T10:00:00"
    debtors = tmp_path / "d.csv"
    debtors.write_text("file,name,principal,state,country,timezone\n"
                       "1,Ann Lee,500.00,NY,US,America/New_York\n", encoding="utf-8")
    cli.ok("import-debtors", str(debtors), today=day)
    cli.ok("controls", "preset", "regf", today=day)
    cli.ok("run-plan", "NEW", "--file", "1", today=day)  # Letter1 queued for today
    sent = cli.json("letters", "--outbox", str(tmp_path / "out"), today=day)
    assert sent["errors"] == []
    assert cli.json("debtor", "show", "1", today=day)["validation_end"] == "2027-01-01"
    assert any((tmp_path / "out").rglob("1-*.txt"))
