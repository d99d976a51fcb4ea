"""`collect post-payment` and `collect post-payments` through the CLI (SPEC 8, 11, 12), on
SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.cli.payments_setup import monthly_promise, query, seed, set_settings
from tests.conftest import COLLECT_BIN, TODAY, Cli

SUMMARY_KEYS = {"payments", "reversals", "promises", "contacts_created", "notes", "plans_run",
                "errors"}


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


@pytest.fixture
def promised(cli: Any) -> Any:
    """Debtors 1 and 2 owing 1000.00, each with a 100.00 monthly promise due 2026-03-15."""
    set_settings(cli.db, promise_full_plan="", promise_under_plan="", promise_over_plan="")
    seed(cli.db, [{"file": 1, "principal": 100_000}, {"file": 2, "principal": 100_000}],
         [monthly_promise(1, 1, 10_000), monthly_promise(2, 2, 10_000)])
    return cli


def test_post_payment_json_has_the_summary_transaction_and_promise(promised: Any) -> None:
    """SPEC 11: 'post-payment also "transaction" (its id) and "promise": {"id", "outcome",
    "due_date", "amount"}'."""
    doc = promised.json("post-payment", "--file", "1", "--amount", "100.00",
                        "--date", "2026-03-15")
    assert SUMMARY_KEYS | {"transaction", "promise"} <= set(doc)
    assert doc["promise"] == {"id": 1, "outcome": "full", "due_date": "2026-04-15",
                              "amount": "100.00"}
    txn = query(promised.db, "transactions", id=doc["transaction"])[0]
    assert (txn.amount, txn.promise_id) == (10_000, 1)
    assert query(promised.db, "debtors", file=1)[0].paid == 10_000


def test_nsf_through_the_cli_restores_the_promise_and_refuses_a_second(promised: Any) -> None:
    """Seed 004: 'When an NSF check is returned, enter the amount as a negative and Collect!
    will back date the promise to its outstanding date and amount.'"""
    paid = promised.json("post-payment", "--file", "1", "--amount", "100.00")
    nsf = promised.json("post-payment", "--file", "1", "--amount", "-100.00")
    assert nsf["promise"]["outcome"] == "nsf"
    assert nsf["promise"]["due_date"] == "2026-03-15"
    assert query(promised.db, "transactions", id=paid["transaction"])[0].reversed_by == (
        nsf["transaction"])
    again = promised.fails("post-payment", "--file", "1", "--amount", "0", "--reverses",
                           str(paid["transaction"]))
    assert "already reversed" in again.stderr
    assert len(query(promised.db, "transactions")) == 2
    assert query(promised.db, "debtors", file=1)[0].paid == 0


def test_post_payment_unknown_file_is_one_line_and_changes_nothing(promised: Any) -> None:
    """SPEC 1: 'one clear line on stderr naming the problem'."""
    result = promised.fails("post-payment", "--file", "99", "--amount", "5.00")
    assert "99" in result.stderr
    assert query(promised.db, "transactions") == []


def _csv(write: Any, name: str, rows: list[str]) -> Path:
    return write(name, "\n".join(["file,amount,date,type", *rows]) + "\n")


def test_bad_rows_post_nothing_and_are_all_listed(promised: Any, write: Any) -> None:
    """SPEC 12: 'a CSV with any bad row imports nothing and lists every bad row (line number,
    column, reason)'."""
    path = _csv(write, "p.csv", ["1,100.00,2026-03-15,101", "77,5.00,,", "2,1.234,,",
                                 "2,5.00,2026-13-01,", "1,5.00,,999"])
    result = promised.fails("post-payments", str(path))
    for line, column in ((3, "file"), (4, "amount"), (5, "date"), (6, "type")):
        assert f"line {line}, column '{column}'" in result.stderr
    assert query(promised.db, "transactions") == []


def test_skip_invalid_writes_rejects_and_posts_the_rest(promised: Any, write: Any,
                                                        tmp_path: Path) -> None:
    """SPEC 12: '--skip-invalid sends bad rows to a rejects file and imports the rest'."""
    path = _csv(write, "p.csv", ["1,100.00,2026-03-15,101", "77,5.00,,", "2,40.00,,"])
    rejects = tmp_path / "rejects.csv"
    doc = promised.json("post-payments", str(path), "--skip-invalid", str(rejects))
    assert {"rows", "posted", "already_posted", "rejected", "failed"} | SUMMARY_KEYS <= set(doc)
    assert (doc["posted"], doc["rejected"]) == (2, 1)
    assert doc["promises"]["full"] == 1 and doc["promises"]["under"] == 1
    assert "no debtor has file number 77" in rejects.read_text()


def test_rerun_without_ref_posts_nothing_twice(promised: Any, write: Any) -> None:
    """SPEC 7/8: a run repeated 'finishes the work with nothing done twice'."""
    path = _csv(write, "p.csv", ["1,100.00,2026-03-15,", "2,50.00,2026-03-15,"])
    assert promised.json("post-payments", str(path))["posted"] == 2
    again = promised.json("post-payments", str(path))
    assert (again["posted"], again["already_posted"]) == (0, 2)
    assert len(query(promised.db, "transactions")) == 2


def test_rerun_with_ref_posts_nothing_twice_even_reordered(promised: Any, write: Any) -> None:
    """A `ref` column keys each payment whatever its line."""
    first = write("a.csv", "file,amount,ref\n1,100.00,R1\n2,50.00,R2\n")
    second = write("b.csv", "file,amount,ref\n2,50.00,R2\n1,100.00,R1\n2,10.00,R3\n")
    assert promised.json("post-payments", str(first))["posted"] == 2
    doc = promised.json("post-payments", str(second))
    assert (doc["posted"], doc["already_posted"]) == (1, 2)
    assert sorted(r.ref for r in query(promised.db, "transactions")) == ["R1", "R2", "R3"]


def test_a_row_with_nothing_to_reverse_fails_alone(promised: Any, write: Any) -> None:
    """Batch problems are values in the summary; the other rows are posted."""
    path = _csv(write, "p.csv", ["1,100.00,,", "2,-30.00,,", "2,20.00,,"])
    doc = promised.json("post-payments", str(path))
    assert (doc["posted"], doc["failed"]) == (2, 1)
    assert doc["errors"][0]["file"] == 2 and "no unreversed payment" in doc["errors"][0]["message"]


@pytest.mark.slow
def test_killed_post_payments_rerun_posts_each_payment_exactly_once(
    cli: Any, write: Any, tmp_path: Path
) -> None:
    """SPEC 7: 'a batch killed at any point and run again finishes the work with nothing done
    twice'."""
    n = 4000
    seed(cli.db, [{"file": f, "principal": 100_000} for f in range(1, n + 1)],
         [monthly_promise(f, f, 10_000) for f in range(1, n + 1)])
    rows = [f"{f},{(f % 7) + 95}.00,2026-03-15,101" for f in range(1, n + 1)]
    path = _csv(write, "big.csv", rows)
    env = {**os.environ, "COLLECT_DB": str(cli.db), "COLLECT_TODAY": TODAY}
    argv = [COLLECT_BIN, "post-payments", str(path), "--chunk", "250", "--json"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(random.uniform(0.8, 2.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    assert '"errors": []' in done.stdout
    txns = query(cli.db, "transactions")
    assert len(txns) == n
    assert set(Counter(t.file for t in txns).values()) == {1}
    paid = {d.file: d.paid for d in query(cli.db, "debtors")}
    assert all(paid[f] == ((f % 7) + 95) * 100 for f in range(1, n + 1))


def test_post_payment_with_a_ref_already_posted_posts_nothing_again(cli: Cli) -> None:
    """The bar: a retried command does nothing twice — with --ref, post-payment is safe
    to run again after a kill or a timeout."""
    seed(cli.db, [{"file": 1, "principal": 50_000}], [])
    first = cli.json("post-payment", "--file", "1", "--amount", "25.00", "--ref", "BANK-77")
    second = cli.json("post-payment", "--file", "1", "--amount", "25.00", "--ref", "BANK-77")
    assert second["already_posted"] is True
    assert second["transaction"] == first["transaction"]
    assert len(query(cli.db, "transactions", ref="BANK-77")) == 1
