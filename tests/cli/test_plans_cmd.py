"""`collect plans ...` through the CLI (SPEC 3, 11; seeds 000, 001, 002), on SQLite and on
PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.backend_db import fetch, postgres_for
from tests.cli.runplan_support import add_op
from tests.conftest import Cli
from tests.unit.test_planfile_validation import BAD_EVENTS, BAD_PLANS, GOOD, HEAD

Write = Callable[[str, str], Path]
SHIPPED = {"NEW", "C1", "R14", "PRA", "PRR", "PRF", "PRU", "PRO", "PRN", "PRB"}


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def _plans_table(cli: Cli) -> list[tuple[str, int, str, str]]:
    """Every column of every plan, so a changed flag or description shows too."""
    return [(r[0], r[1], r[2], r[3]) for r in fetch(
        cli.db, "SELECT code, sub_plan, description, definition FROM plans ORDER BY code")]


def _log(cli: Cli) -> list[str]:
    return [r[0] for r in fetch(cli.db, "SELECT message FROM app_log ORDER BY id")]


CASES = [(c[0], HEAD + GOOD + "\n[[events]]\n" + c[1] + "\n", 2, c[2]) for c in BAD_EVENTS] + [
    (c[0], c[1] + GOOD, None, c[2]) for c in BAD_PLANS]
NAMES = [c[0] for c in CASES]


# Every case on SQLite; on PostgreSQL three: an event refused by its type, an event naming a
# plan looked up among the database's plans, a plan-level key. Each case takes the same
# database path (validate, then nothing written); the checks themselves are backend-free.
@postgres_for("text, event, key", [c[1:] for c in CASES], ids=NAMES, on_postgres={
    NAMES.index("bad_type"), NAMES.index("plan_event_unknown_plan"),
    NAMES.index("unknown_plan_key")})
def test_import_of_a_bad_file_names_file_event_and_key_and_changes_nothing(
        cli: Cli, write: Write, text: str, event: int | None, key: str) -> None:
    """SPEC 3: errors 'name the file, the event index and the key'; SPEC 12: nothing is
    written."""
    before = _plans_table(cli)
    path = write("bad.toml", text)
    result = cli.fails("plans", "import", str(path))
    assert str(path) in result.stderr
    assert f"key '{key}'" in result.stderr
    if event is not None:
        assert f"event {event}" in result.stderr
    assert _plans_table(cli) == before


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("syntax.toml", b'code = "X"\n[[events]]\ntype = = "Note"\n', "line 3, column"),
    ("latin.toml", 'code = "X"\ndescription = "Caf\xe9"\n'.encode("latin-1"), "not UTF-8"),
], ids=["syntax", "latin"])
def test_import_of_an_unreadable_file_is_an_error(cli: Cli, tmp_path: Path, name: str,
                                                  content: bytes, expected: str) -> None:
    """Bad input: a TOML syntax error gives line and column; a file must be UTF-8."""
    before = _plans_table(cli)
    path = tmp_path / name
    path.write_bytes(content)
    result = cli.fails("plans", "import", str(path))
    assert str(path) in result.stderr and expected in result.stderr
    assert _plans_table(cli) == before


def test_import_of_a_missing_file_is_an_error(cli: Cli, tmp_path: Path) -> None:
    result = cli.fails("plans", "import", str(tmp_path / "gone.toml"))
    assert "gone.toml" in result.stderr and "no such file" in result.stderr


def test_import_imports_none_when_one_file_is_bad(cli: Cli, write: Write) -> None:
    """Brief: 'validate all files first, import none if any is bad'."""
    good = write("good.toml", 'code = "GOOD1"\n' + GOOD)
    bad = write("bad.toml", HEAD + '[[events]]\ntype = "Fax"\nimmediately = true\n')
    before = _plans_table(cli)
    result = cli.fails("plans", "import", str(good), str(bad))
    assert "bad.toml, event 1, key 'type'" in result.stderr
    assert _plans_table(cli) == before


def test_plan_event_may_name_a_plan_in_the_database_or_in_the_same_import(
        cli: Cli, write: Write) -> None:
    """SPEC 3: 'a Plan event naming a plan that does not exist' is an error."""
    calls_new = write("a.toml", 'code = "A"\n[[events]]\ntype = "Plan"\ndescription = "NEW"\n'
                      'immediately = true\n')
    calls_b = write("c.toml", 'code = "C"\n[[events]]\ntype = "Plan"\ndescription = "B"\n'
                    'delay_days = 3\n')
    b = write("b.toml", 'code = "B"\n' + GOOD)
    result = cli.fails("plans", "import", str(calls_b))
    assert "c.toml, event 1, key 'description'" in result.stderr and "'B'" in result.stderr
    summary = cli.json("plans", "import", str(calls_new), str(calls_b), str(b))
    assert sorted(summary["added"]) == ["A", "B", "C"] and summary["replaced"] == []


def test_import_replaces_a_plan_and_logs_it(cli: Cli, write: Write) -> None:
    """Import of an existing code replaces it; data-changing commands write the app log."""
    path = write("r14.toml", 'code = "r14"\ndescription = "Review in 21 days"\n'
                 '[[events]]\ntype = "Review"\ndescription = "x"\ndelay_days = 21\n')
    summary = cli.json("plans", "import", str(path))
    assert summary == {"imported": ["R14"], "added": [], "replaced": ["R14"]}
    shown = cli.json("plans", "show", "R14")
    assert shown["events"][0]["delay_days"] == 21
    assert any("plans import" in m and "R14" in m for m in _log(cli))


def test_export_then_import_is_lossless_for_every_shipped_plan(cli: Cli, tmp_path: Path) -> None:
    """SPEC 3: 'plans export writes the same format back (round trip is lossless)'."""
    before = _plans_table(cli)
    files = []
    for code in sorted(SHIPPED):
        out = tmp_path / f"{code}.toml"
        cli.ok("plans", "export", code.lower(), "-o", str(out))
        files.append(str(out))
    assert cli.ok("plans", "export", "PRB").stdout == (tmp_path / "PRB.toml").read_text()
    cli.ok("plans", "import", *files)
    assert _plans_table(cli) == before


def test_unknown_plan_is_a_clear_error(cli: Cli) -> None:
    for args in (("show", "NOPE"), ("export", "NOPE"), ("graph", "NOPE")):
        result = cli.fails("plans", *args)
        assert "unknown contact plan 'NOPE'" in result.stderr


def test_list_hides_sub_plans_unless_all(cli: Cli) -> None:
    """Seed 001: a sub-plan 'will not show up in the list of contact plans that the end user
    sees'."""
    listed = cli.json("plans", "list")
    assert {p["code"] for p in listed} == {"NEW", "C1", "R14", "PRA", "PRR"}
    assert all(set(p) == {"code", "description", "sub_plan"} for p in listed)
    everything = cli.json("plans", "list", "--all")
    assert {p["code"] for p in everything} == SHIPPED
    assert {p["code"] for p in everything if p["sub_plan"]} == {"PRF", "PRU", "PRO", "PRN", "PRB"}


def test_list_hides_plans_outside_the_operators_level(cli: Cli, write: Write) -> None:
    """Seed 002: 'The plan will be invisible and inaccessible to user levels with no
    access.'"""
    add_op(cli.db, "LOW", 10)
    cli.ok("plans", "import", str(write("hi.toml", 'code = "HI"\naccess = [[50, 99]]\n' + GOOD)))
    low = {p["code"] for p in cli.json("plans", "list", operator="LOW")}
    admin = {p["code"] for p in cli.json("plans", "list")}
    assert "HI" not in low and "HI" in admin
    assert "HI" in {p["code"] for p in cli.json("plans", "list", "--all", operator="LOW")}


def test_show_json_is_the_plan_as_its_toml_keys(cli: Cli) -> None:
    """SPEC 11: 'plans show: the plan as its TOML keys, with "events" a list of event
    tables.'"""
    shown = cli.json("plans", "show", "prb")
    assert {"code", "description", "prompt_start_date", "delete_pending",
            "prompt_before_deleting", "skip_closed", "allow_all_users_to_delete", "sub_plan",
            "access", "events"} <= set(shown)
    assert shown["code"] == "PRB"
    assert shown["events"][3] == {"type": "Status", "description": "PRB", "immediately": True,
                                  "record_history": True,
                                  "schedule_if": {"field": "owing", "op": ">", "value": "0"}}
    assert "PromiseBroken" in cli.ok("plans", "show", "PRB").stdout


def test_check_reports_every_problem_of_every_file(cli: Cli, write: Write) -> None:
    """Brief: 'report every problem, exit 1 if any'."""
    one = write("one.toml", HEAD + '[[events]]\ntype = "Fax"\nimmediately = true\n'
                '[[events]]\ntype = "Phone"\ndelay_days = 1\npriority = 0\n')
    two = write("two.toml", 'code = "T2"\n[[events]]\ntype = "Phone"\nday_of_month = 40\n')
    result = cli.fails("plans", "check", str(one), str(two))
    assert "one.toml, event 1, key 'type'" in result.stderr
    assert "one.toml, event 2, key 'priority'" in result.stderr
    assert "two.toml, event 1, key 'day_of_month'" in result.stderr
    report = cli(*["plans", "check", str(one), str(two), "--json"])
    assert report.exit_code == 1
    doc = json.loads(report.stdout)
    assert doc["ok"] is False and doc["checked"] == 2
    assert [(p["event"], p["key"]) for p in doc["problems"]] == [(1, "type"), (2, "priority"),
                                                                 (1, "day_of_month")]


def test_check_without_files_checks_the_database(cli: Cli) -> None:
    assert cli.json("plans", "check") == {"checked": 10, "ok": True, "problems": []}


def test_check_reports_unknown_operator_and_immediate_loop(cli: Cli, write: Write) -> None:
    """SPEC 5.4: a chain of immediate plan calls that comes back is an error at run time."""
    a = write("a.toml", 'code = "A"\n[[events]]\ntype = "Plan"\ndescription = "B"\n'
              'immediately = true\n[[events]]\ntype = "Phone"\ndelay_days = 1\n'
              'assign = "specific"\noperator = "NOBODY"\n')
    b = write("b.toml", 'code = "B"\n[[events]]\ntype = "Plan"\ndescription = "A"\n'
              'immediately = true\n')
    result = cli.fails("plans", "check", str(a), str(b))
    assert "a.toml, event 2, key 'operator': operator 'NOBODY' does not exist" in result.stderr
    assert "A -> B -> A" in result.stderr


def test_graph_follows_sub_plans_and_stops_on_cycles(cli: Cli, write: Write) -> None:
    """Seed 000: 'Then create a flow chart'; seed 002: a Plan event 'that calls the same
    contact plan on the same day next month' (a cycle) must not loop the drawing."""
    loop = write("loop.toml", 'code = "LOOP"\ndescription = "monthly loop"\n'
                 'delete_pending = true\n[[events]]\ntype = "Plan"\ndescription = "PRB"\n'
                 'immediately = true\n[[events]]\ntype = "Plan"\ndescription = "LOOP"\n'
                 'next_month_same_day = true\n'
                 'schedule_if = { field = "owing", op = "..", value = "1", value2 = "500" }\n'
                 '[[events]]\ntype = "Letter"\ndescription = "Letter1"\nday_of_month = 15\n'
                 'repeat = "monthly"\nmark_done = true\n')
    cli.ok("plans", "import", str(loop))
    chart = cli.ok("plans", "graph", "LOOP").stdout
    assert chart.startswith("flowchart TD")
    assert chart.count('P_LOOP(["') == 1 and chart.count('P_PRB(["') == 1
    assert "E_LOOP_1 -.->|\"runs now\"| P_PRB" in chart
    assert "E_LOOP_2 -.->|\"runs when due\"| P_LOOP" in chart
    assert '|"next month, if owing in 1..500"|' in chart
    assert '|"day 15"|' in chart and "repeat monthly" in chart and "mark done" in chart
    assert "delete pending" in chart and "+14 days" in chart and "if owing #gt; 0" in chart
    dot = cli.ok("plans", "graph", "LOOP", "--format", "dot").stdout
    assert dot.startswith('digraph "LOOP" {') and dot.rstrip().endswith("}")
    assert '"E_LOOP_2" -> "P_LOOP" [label="runs when due", style=dashed];' in dot
    assert '"P_PRB" -> "E_PRB_4" [label="immediately, if owing > 0"];' in dot
    assert "--format 'png'" in cli.fails("plans", "graph", "LOOP", "--format", "png").stderr


def test_init_loads_the_ten_plans_and_a_second_init_changes_nothing(cli: Cli) -> None:
    """SPEC 11: init loads the plans; 'idempotent'."""
    before = _plans_table(cli)
    assert {row[0] for row in before} == SHIPPED
    assert cli.json("init")["added"]["plans"] == 0
    assert _plans_table(cli) == before


def test_init_keeps_a_plan_the_user_changed(cli: Cli, write: Write) -> None:
    """A second init adds missing plans only; it never overwrites an imported one."""
    cli.ok("plans", "import", str(write("n.toml", 'code = "NEW"\ndescription = "mine"\n' + GOOD)))
    cli.ok("init")
    assert cli.json("plans", "show", "NEW")["description"] == "mine"
