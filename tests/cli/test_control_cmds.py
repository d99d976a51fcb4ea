"""`collect controls`, `collect call`, `collect can-contact` (SPEC 9, seed 003), on SQLite and
on PostgreSQL."""

from __future__ import annotations

import pytest

from collectcli.domain.control import KEYS
from tests.cli.backend_db import postgres_for
from tests.cli.control_setup import add_debtors, rows
from tests.conftest import Cli

RULES = """
[[control]]
type = "Phone"
description = "calls"
max_total = 7
period = "week"
hold_days = 7
attempt_results = [1, 2, 3]
rpc_results = [4, 101]
call_from = "08:00"
call_to = "21:00"
"""


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch):
    """The business clock is read in UTC (COLLECT_TZ), debtors live in New York."""
    monkeypatch.setenv("COLLECT_TZ", "UTC")


@pytest.fixture
def cli(dbcli: Cli) -> Cli:
    """Each test runs on SQLite and on PostgreSQL (conftest `dbcli`; the PostgreSQL copy is
    skipped, saying why, when COLLECT_TEST_PG_URL is unset)."""
    return dbcli


def test_controls_import_and_list_show_the_toml_keys(cli, write):
    """SPEC 11: '`controls list`: a list of rule objects with the TOML keys'."""
    path = write("rules.toml", RULES)
    assert cli.json("controls", "import", str(path)) == {"imported": 1, "skipped": 0,
                                                         "removed": 0}
    [rule] = cli.json("controls", "list")
    assert set(rule) <= set(KEYS)
    assert rule["max_total"] == 7 and rule["rpc_results"] == ["4", "101"]
    assert rule["call_from"] == "08:00"
    again = cli.json("controls", "import", str(path))
    assert again["imported"] == 0 and again["skipped"] == 1
    assert cli.json("controls", "import", str(path), "--replace")["removed"] == 1
    assert len(cli.json("controls", "list")) == 1


def test_a_rule_without_max_total_is_a_located_error_and_imports_nothing(cli, write):
    """Seed 003: 'MAX TOTAL CONTACTS ... is a required field and must be filled in on all
    Contact Controls'."""
    path = write("rules.toml", RULES + '\n[[control]]\ntype = "Letter"\nperiod = "month"\n')
    result = cli.fails("controls", "import", str(path))
    assert f"{path}, control 2, key 'max_total': required on every rule" in result.stderr
    assert cli.json("controls", "list") == []


def test_a_rule_file_with_a_toml_syntax_error_names_line_and_column(cli, write):
    """SPEC 12: bad input names what and where."""
    path = write("rules.toml", '[[control]]\ntype = "Phone\n')
    assert "line 2, column" in " ".join(cli.fails("controls", "import", str(path)).stderr.split())


def test_preset_regf_print_shows_the_toml_and_imports_nothing(cli):
    """SPEC 9: '`collect controls preset regf` imports a ready rule set (`--print` shows its
    TOML and imports nothing)'."""
    text = cli.ok("controls", "preset", "regf", "--print").stdout
    assert "[[control]]" in text and "max_total = 7" in text and "Not legal advice" in text
    assert cli.json("controls", "list") == []
    assert cli.json("controls", "preset", "regf")["imported"] == 2
    phone, letter = cli.json("controls", "list")
    assert (phone["max_total"], phone["hold_days"], phone["call_from"], phone["call_to"]) == (
        7, 7, "08:00", "21:00")
    assert (letter["validation_business_days"], letter["validation_calendar_days"]) == (5, 30)
    assert "unknown preset 'tcpa'" in cli.fails("controls", "preset", "tcpa").stderr


def test_can_contact_json_says_allowed_and_reasons(cli, write):
    """SPEC 11: '`can-contact`: {"allowed": true|false, "reasons": ["…"]}'. 12:00 UTC on
    2026-03-10 is 08:00 in New York (EDT)."""
    cli.ok("controls", "import", str(write("rules.toml", RULES)))
    add_debtors(cli.db, {"file": 1})
    assert cli.json("can-contact", "1", "--type", "Phone", today="2026-03-10T12:00") == {
        "allowed": True, "reasons": []}
    verdict = cli.json("can-contact", "1", "--type", "Phone", today="2026-03-10T11:59")
    assert verdict["allowed"] is False
    assert verdict["reasons"][0].startswith("outside the call window 08:00-21:00: it is 07:59")
    assert cli.json("can-contact", "1", "--type", "Review") == {"allowed": True, "reasons": []}
    assert "no debtor with file number 9" in cli.fails("can-contact", "9", "--type",
                                                       "Phone").stderr


def test_the_eighth_call_in_seven_days_is_recorded_with_a_warning_and_logged(cli, write):
    """SPEC 9: calling when a rule says no prints a warning with the reasons and records the
    call anyway (it happened); the app log notes the breach."""
    cli.ok("controls", "import", str(write("rules.toml", RULES)))
    add_debtors(cli.db, {"file": 1})
    for day in range(4, 11):
        call = cli.json("call", "1", "--result", "1", today=f"2026-03-{day:02d}T15:00")
        assert call["allowed"] is True, call
    assert set(call) >= {"contact", "file", "result", "allowed", "reasons", "hold_until"}
    eighth = cli("call", "1", "--result", "2", today="2026-03-10T16:00")
    assert eighth.exit_code == 0
    assert "breaks contact control" in eighth.stderr and "max reached: 7" in eighth.stderr
    phones = [r for r in rows(cli.db, "contacts") if r.type == 1]
    assert len(phones) == 8 and all(r.status == "done" for r in phones)
    assert phones[-1].call_result == "2" and phones[-1].done_by == "ADMIN"
    log = [r for r in rows(cli.db, "app_log") if r.level == "WARNING"]
    assert len(log) == 1 and log[0].category == "CONTROL" and log[0].file == 1
    # A day later the oldest call (4 March) has left the 7-day window.
    assert cli.json("can-contact", "1", "--type", "Phone",
                    today="2026-03-11T15:00")["allowed"] is False
    assert cli.json("can-contact", "1", "--type", "Phone",
                    today="2026-03-12T15:00")["allowed"] is True


def test_an_rpc_call_starts_the_hold_through_day_seven(cli, write):
    """SPEC 9: 'An RPC result starts the hold: the day of the conversation is day 1 and calls
    are blocked through day hold_days'."""
    cli.ok("controls", "import", str(write("rules.toml", RULES)))
    add_debtors(cli.db, {"file": 1})
    assert cli.json("call", "1", "--result", "4",
                    today="2026-03-01T15:00")["hold_until"] == "2026-03-07"
    held = cli.json("can-contact", "1", "--type", "Phone", today="2026-03-07T20:00")
    assert held["allowed"] is False
    assert held["reasons"][0].startswith("in hold after a right-party contact until 2026-03-07")
    assert cli.json("can-contact", "1", "--type", "Phone",
                    today="2026-03-08T20:00")["allowed"] is True


def test_call_at_sets_the_time_of_the_call(cli, write):
    """SPEC 11: 'collect call FILE --result CODE [--at HH:MM]'."""
    cli.ok("controls", "import", str(write("rules.toml", RULES)))
    add_debtors(cli.db, {"file": 1})
    late = cli("call", "1", "--result", "3", "--at", "02:30", today="2026-03-10T15:00")
    assert late.exit_code == 0 and "outside the call window" in late.stderr
    assert rows(cli.db, "contacts")[-1].done_time == "02:30:00"


def test_an_unknown_call_result_is_an_error_and_records_nothing(cli):
    """Seed 003 'Default Call Results On Contact Form' lists the known codes."""
    add_debtors(cli.db, {"file": 1})
    result = cli.fails("call", "1", "--result", "999")
    assert "--result '999' is not a call result code" in result.stderr
    assert rows(cli.db, "contacts") == []


def test_group_rule_counts_the_calls_of_every_group_member(cli, write):
    """Seed 003 'Apply To Group': 'factor in all Contacts on the Debtor's group'."""
    rule = RULES.replace('period = "week"', 'period = "week"\napply_to_group = true')
    rule = rule.replace("max_total = 7", "max_total = 2")
    cli.ok("controls", "import", str(write("rules.toml", rule)))
    add_debtors(cli.db, {"file": 1, "group_key": "G"}, {"file": 2, "group_key": "G"},
                {"file": 3})
    cli.ok("call", "2", "--result", "1", today="2026-03-10T14:00")
    cli.ok("call", "2", "--result", "1", today="2026-03-10T15:00")
    verdict = cli.json("can-contact", "1", "--type", "Phone", today="2026-03-10T16:00")
    assert verdict["allowed"] is False and "the group's" in verdict["reasons"][0]
    assert cli.json("can-contact", "3", "--type", "Phone",
                    today="2026-03-10T16:00")["allowed"] is True


def test_a_bad_collect_tz_is_a_clear_error(cli, write, monkeypatch):
    """SPEC 9: the business clock is read in the zone COLLECT_TZ."""
    cli.ok("controls", "import", str(write("rules.toml", RULES)))
    add_debtors(cli.db, {"file": 1})
    monkeypatch.setenv("COLLECT_TZ", "Nowhere/Land")
    assert "COLLECT_TZ 'Nowhere/Land'" in cli.fails("can-contact", "1", "--type",
                                                   "Phone").stderr


# All ten clocks on SQLite; on PostgreSQL three of them (the database part, rules and debtor
# read back, is the same for every clock; the window arithmetic is backend-free).
@postgres_for(
    "clock, allowed",
    [
        ("2026-03-08T11:59", False), ("2026-03-08T12:00", True), ("2026-03-09T00:59", True),
        ("2026-03-09T01:00", True), ("2026-03-09T01:01", False),
        ("2026-11-01T12:59", False), ("2026-11-01T13:00", True), ("2026-11-02T01:59", True),
        ("2026-11-02T02:00", True), ("2026-11-02T02:01", False),
    ],
    on_postgres={0, 1, 9},
)
def test_call_window_07_59_08_00_20_59_21_00_21_01_new_york_across_dst_with_utc_clock(
        cli, write, clock, allowed):
    """SPEC 9: 'with 08:00-21:00, 08:00 and 21:00 local are allowed, 07:59 and 21:01 are
    not. The business clock is read in the zone COLLECT_TZ' (UTC here; New York changes to
    EDT on 2026-03-08 and back to EST on 2026-11-01)."""
    cli.ok("controls", "import", str(write("rules.toml", RULES)))
    add_debtors(cli.db, {"file": 1})
    assert cli.json("can-contact", "1", "--type", "Phone", today=clock)["allowed"] is allowed


def test_holidays_come_from_the_debtors_country_and_an_unknown_country_has_none():
    """SPEC 9: 'holidays from the `holidays` package for the debtor's country'."""
    from datetime import date

    from collectcli.cli.control_cmd import holiday_provider

    assert date(2026, 11, 26) in holiday_provider("USA")  # Thanksgiving
    assert date(2026, 7, 1) in holiday_provider("ca")  # Canada Day
    assert date(2026, 11, 26) not in holiday_provider("ZZ")
