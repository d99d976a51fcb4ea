"""`collect batch --workers N` through the CLI (SPEC 11, 13)."""

from __future__ import annotations

import json

import pytest

from collectcli.cli.batch_workers import merge
from tests.cli.batch_setup import add_contact, add_debtors, connect
from tests.cli.test_batch import SUMMARY_KEYS
from tests.postgres.support import add_contact as pg_contact
from tests.postgres.support import add_debtors as pg_debtors
from tests.postgres.support import rows


# SQLite only by nature (conftest `cli`): the refusal is SQLite's one-writer rule.
def test_workers_above_one_are_refused_on_sqlite_with_one_line(cli) -> None:
    """SPEC 13: the batch is split across processes on PostgreSQL; SQLite has one writer."""
    add_debtors(cli.db, 1)
    add_contact(cli.db, 1, 7, "Batch note", "2026-03-10")
    result = cli.fails("batch", "--workers", "2")
    [line] = result.stderr.strip().splitlines()
    assert "--workers 2" in line and "SQLite" in line and "PostgreSQL" in line
    with connect(cli.db) as con:  # nothing ran
        assert con.execute("SELECT status FROM contacts").fetchall() == [("pending",)]


# SQLite only: its PostgreSQL side is test_workers_on_postgres_print_one_json_summary below
# and the plain batch's is tests/cli/test_batch.py (both backends).
def test_one_worker_on_sqlite_is_the_plain_batch(cli) -> None:
    """SPEC 7: `--workers 1` (the default) is the single-process batch."""
    add_debtors(cli.db, 1, 2)
    add_contact(cli.db, 1, 7, "Batch note", "2026-03-10")
    add_contact(cli.db, 2, 2, "BAT", "2026-03-09")
    doc = cli.json("batch", "--workers", "1")
    assert doc.keys() == SUMMARY_KEYS
    assert (doc["debtors"], doc["processed"]) == (2, 2)


def test_the_workers_summaries_add_up_to_one_summary() -> None:
    """SPEC 11: '--json' of a batch split in workers has the keys of one batch."""
    one = {"date": "2026-03-10", "debtors": 2, "processed": 3, "forwarded": 1, "completed": 2,
           "failed": 1, "held": 0, "broken_promises": 1, "skipped_occurrences": 4,
           "by_type": {"Note": {"processed": 2, "forwarded": 1, "completed": 1, "failed": 0,
                                "held": 0}},
           "errors": [{"file": 2, "contact": 9, "message": "bad"}]}
    two = {**one, "debtors": 5, "errors": [],
           "by_type": {"Status": {"processed": 1, "forwarded": 0, "completed": 1,
                                  "failed": 1, "held": 0},
                       "Note": {"processed": 1, "forwarded": 0, "completed": 1, "failed": 0,
                                "held": 0}}}
    doc = merge([one, two], "2026-03-10")
    assert doc.keys() == SUMMARY_KEYS
    assert (doc["debtors"], doc["processed"], doc["skipped_occurrences"]) == (7, 6, 8)
    assert doc["by_type"]["Note"] == {"processed": 3, "forwarded": 1, "completed": 2,
                                      "failed": 0, "held": 0}
    assert list(doc["by_type"]) == ["Note", "Status"]
    assert doc["errors"] == [{"file": 2, "contact": 9, "message": "bad"}]


@pytest.mark.postgres
def test_workers_on_postgres_print_one_json_summary(pg_url: str) -> None:
    """SPEC 13: '`collect batch --workers N` on one host' gives one summary (SPEC 11 keys)
    and one line in the application log."""
    from tests.conftest import Cli

    dbcli = Cli(pg_url)
    pg_debtors(pg_url, *({"file": f} for f in range(1, 41)))
    for f in range(1, 41):
        pg_contact(pg_url, f, 7, f"Note {f}", "2026-03-10")
        pg_contact(pg_url, f, 2, "BAT", "2026-03-09")
    doc = dbcli.json("batch", "--workers", "2", "--chunk-size", "5")
    assert doc.keys() == SUMMARY_KEYS
    assert (doc["debtors"], doc["processed"], doc["failed"]) == (40, 80, 0)
    assert doc["by_type"]["Status"]["processed"] == 40
    assert sorted(r["text"] for r in rows(pg_url, "notes")) == sorted(
        f"Note {f}" for f in range(1, 41))
    logged = [r["message"] for r in rows(pg_url, "app_log") if r["category"] == "BATCH"]
    assert logged == ["batch: 40 debtors, 80 processed, 0 forwarded, 0 failed, "
                      "0 broken promises, 0 held"]
    assert json.loads(json.dumps(doc)) == doc
