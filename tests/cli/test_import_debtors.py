"""`collect import-debtors` (SPEC 11, 12): all or nothing, every bad row listed; on SQLite and
on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from collectcli.cli import debtors_cmd
from tests.cli.backend_db import fetch, peek
from tests.conftest import COLLECT_BIN, Cli

Write = Callable[[str, str], Path]
GOOD = "file,name,principal,timezone\n10,Ann Lee,100.50,America/New_York\n,Bob Roe,20,\n"


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def counts(cli: Cli) -> tuple[int, int]:
    [row] = fetch(cli.db, "SELECT (SELECT count(*) FROM debtors), "
                          "(SELECT count(*) FROM transactions)")
    return int(row[0]), int(row[1])


def _written_bytes(cli: Cli, backend: str) -> int:
    """How much the running import has written so far, committed or not: SQLite's WAL
    file; on PostgreSQL the debtors table's heap file (it grows with uncommitted rows)."""
    if backend == "postgres":
        return int(peek(cli.db, "SELECT pg_relation_size('debtors')")[0][0])
    wal = Path(f"{cli.db}-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_import_posts_principal_as_a_196_transaction_and_lists_today(
        cli: Cli, write: Write) -> None:
    """Brief: 'Principal is posted as a type-196 transaction ... listed_date defaults to
    today (business clock); mode ACTIVE.'"""
    summary = cli.json("import-debtors", str(write("d.csv", GOOD)))
    assert {"read", "imported", "rejected", "errors"} <= summary.keys()
    assert (summary["imported"], summary["rejected"], summary["errors"]) == (2, 0, [])
    ann = cli.json("debtor", "show", "10")
    assert (ann["principal"], ann["owing"], ann["mode"], ann["listed_date"]) == (
        "100.50", "100.50", "ACTIVE", "2026-03-10")
    txns = cli.json("transactions", "10")
    assert [(x["type"], x["amount"]) for x in txns] == [("196", "100.50")]


def test_a_blank_file_number_is_one_more_than_the_highest_so_far(cli: Cli, write: Write) -> None:
    cli.ok("import-debtors", str(write("d.csv", GOOD)))
    assert cli.json("debtor", "show", "11")["name"] == "Bob Roe"


def test_any_bad_row_imports_nothing_and_lists_every_bad_row(cli: Cli, write: Write) -> None:
    """SPEC 12: 'a CSV with any bad row imports nothing and lists every bad row (line
    number, column, reason)'."""
    bad = write("bad.csv", "name,principal,listed\nAnn,1.234,\n,5,\nCy,1e3,2026-02-30\n"
                           "Di,\"1,000.00\",\nEd,-5,\nOk,1,\n")
    result = cli.fails("import-debtors", str(bad))
    lines = result.stderr.strip().splitlines()
    for line, column in ((2, "principal"), (3, "name"), (4, "principal"), (4, "listed"),
                         (5, "principal"), (6, "principal")):
        assert any(f"line {line}, column {column}" in x for x in lines), (line, column)
    assert "nothing imported" in lines[-1]
    assert counts(cli) == (0, 0)


def test_skip_invalid_imports_the_good_rows_and_writes_rejects_with_a_reason(
        cli: Cli, write: Write, tmp_path: Path) -> None:
    """SPEC 12: '--skip-invalid sends bad rows to a rejects file and imports the rest'."""
    bad = write("bad.csv", "name,principal\nAnn,1.234\nBob,5\n")
    rejects = tmp_path / "rejects.csv"
    summary = cli.json("import-debtors", str(bad), "--skip-invalid", str(rejects))
    assert (summary["imported"], summary["rejected"]) == (1, 1)
    text = rejects.read_text().splitlines()
    assert text[0] == "name,principal,reason" and text[1].startswith("Ann,1.234,line 2")
    assert counts(cli) == (1, 1)


def test_duplicate_file_numbers_in_the_file_or_the_database_are_bad_rows(
        cli: Cli, write: Write) -> None:
    cli.ok("import-debtors", str(write("a.csv", "file,name,principal\n5,Ann,1\n")))
    result = cli.fails("import-debtors", str(write(
        "b.csv", "file,name,principal\n5,Bob,1\n7,Cy,1\n7,Di,1\n")))
    assert "line 2, column file: 5 is already in the database" in result.stderr
    assert "line 4, column file: 7 is already used on line 3" in result.stderr
    assert counts(cli) == (1, 1)


def test_an_explicit_number_colliding_with_an_assigned_one_names_both_lines(
        cli: Cli, write: Write) -> None:
    result = cli.fails("import-debtors", str(write(
        "b.csv", "file,name,principal\n,Ann,1\n1,Bob,1\n")))
    assert "line 3, column file: 1 was already assigned to line 2" in result.stderr


def test_non_utf8_bytes_are_reported_with_their_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"name,principal\nAnn,1\nJos\xe9,2\n")
    result = cli.fails("import-debtors", str(path))
    assert "line 3" in result.stderr and "UTF-8" in result.stderr


def test_an_empty_or_missing_file_or_a_bad_header_is_a_clear_error(
        cli: Cli, write: Write, tmp_path: Path) -> None:
    assert "empty" in cli.fails("import-debtors", str(write("e.csv", ""))).stderr
    assert "no such file" in cli.fails("import-debtors", str(tmp_path / "nope.csv")).stderr
    assert "unknown column" in cli.fails(
        "import-debtors", str(write("h.csv", "name,principal,shoe\nA,1,2\n"))).stderr
    assert counts(cli) == (0, 0)


def test_a_bad_time_zone_is_rejected(cli: Cli, write: Write) -> None:
    """Brief: 'timezone (must be a valid IANA zone via zoneinfo when given)'."""
    result = cli.fails("import-debtors", str(write("z.csv", "name,principal,timezone\n"
                                                             "Ann,1,Mars/Base\n")))
    assert "column timezone" in result.stderr


def test_quoted_fields_and_big_files_take_the_same_rules(cli: Cli, write: Write) -> None:
    rows = "".join(f'{i},"Debtor, {i}",{i}.25,NEW\n' for i in range(1, 301))
    cli.ok("import-debtors", str(write("q.csv", "file,name,principal,status\n" + rows)))
    assert cli.json("debtor", "show", "300")["name"] == "Debtor, 300"
    assert counts(cli) == (300, 300)


def test_import_writes_one_application_log_entry(cli: Cli, write: Write) -> None:
    cli.ok("import-debtors", str(write("d.csv", GOOD)))
    entries = cli.json("log", "--category", "IMPORT")
    assert len(entries) == 1 and "imported 2 debtor(s)" in entries[0]["message"]


def test_an_unknown_plan_is_refused_before_anything_is_imported(cli: Cli, write: Write) -> None:
    result = cli.fails("import-debtors", str(write("d.csv", GOOD)), "--plan", "NOPLAN")
    assert "NOPLAN" in result.stderr
    assert counts(cli) == (0, 0)


def test_plan_runs_on_every_imported_debtor(cli: Cli, write: Write) -> None:
    """SPEC 11: 'import-debtors FILE.csv [--plan CODE]'."""
    codes = [p["code"] for p in cli.json("plans", "list")]
    assert "NEW" in codes
    summary = cli.json("import-debtors", str(write("d.csv", GOOD)), "--plan", "NEW")
    assert summary["imported"] == 2 and summary["plan"] is not None
    assert cli.json("contacts", "10", "--all")


def test_a_big_file_checked_in_a_second_process_keeps_every_rule(
        cli: Cli, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SPEC 12: '--skip-invalid sends bad rows to a rejects file and imports the rest';
    SPEC 14: the big-file path (a checker process) must not change the result."""
    monkeypatch.setattr(debtors_cmd, "PARALLEL_FROM_BYTES", 0)
    rows = "".join(f"{i},Debtor {i},{i}.25,NEW\n" for i in range(1, 401))
    bad = write("b.csv", "file,name,principal,status\n" + rows + "401,Bad,1.234,\n,Next,2,\n")
    result = cli.fails("import-debtors", str(bad))
    assert "line 402, column principal" in result.stderr and counts(cli) == (0, 0)
    rejects = tmp_path / "rejects.csv"
    summary = cli.json("import-debtors", str(bad), "--skip-invalid", str(rejects))
    cents = sum(i * 100 + 25 for i in range(1, 401)) + 200
    assert (summary["imported"], summary["rejected"], summary["principal"]) == (
        401, 1, f"{cents // 100}.{cents % 100:02d}")
    assert cli.json("debtor", "show", "401")["name"] == "Next"  # the bad 401 was not kept
    assert counts(cli) == (401, 401)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_sigkill_mid_import_leaves_no_debtors_and_a_rerun_imports_them_all(
        cli: Cli, backend: str, tmp_path: Path) -> None:
    """SPEC 12: 'No operation loses data silently'; the import is one transaction, so a
    kill (SIGKILL: no clean-up at all) leaves the database as before it."""
    data = tmp_path / "big.csv"
    with data.open("w") as fh:
        fh.write("name,principal,status,email\n")
        fh.writelines(f"Debtor {i},{i % 900}.50,NEW,d{i}@example.com\n" for i in range(300_000))
    collect = COLLECT_BIN
    env = {**os.environ, "COLLECT_DB": str(cli.db), "COLLECT_TODAY": "2026-03-10T10:00"}
    argv = [collect, "import-debtors", str(data), "--json"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    children = list[int]()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        children = _children(proc.pid) or children
        if children and _written_bytes(cli, backend) > 4_000_000:
            break  # inserting, with its checker process running
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert children, "the import had no checker process"
    deadline = time.monotonic() + 10
    while not all(map(_gone, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(map(_gone, children)), "the checker process outlived the import"
    assert counts(cli) == (0, 0)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert counts(cli) == (300_000, 300_000)
