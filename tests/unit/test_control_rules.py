"""Contact control rule files (SPEC 9, seed 003) and the Regulation F preset."""

from __future__ import annotations

from datetime import time

import pytest

from collectcli.domain.control import (
    ATTEMPT_RESULTS,
    CALL_RESULTS,
    RPC_RESULTS,
    ControlFileError,
    parse_controls,
    rule_from_table,
)
from collectcli.domain.control_presets import REGF_PRESET

GOOD = """
[[control]]
type = "Phone"
description = "national"
max_total = 7
period = "week"
hold_days = 7
attempt_results = [1, 2, "3"]
rpc_results = "4, 101"
call_from = "08:00"
call_to = "21:00"

[[control]]
type = "Text"
state = "NY"
max_total = 3
period = "month"
apply_to_group = true
sms_reauth_days = 90
"""


def test_rule_file_reads_every_control_table():
    """Seed 003: Type, Description, State, Country, Max Total, Period, Apply To Group, Hold
    For, Call Attempt, Call RPC, Call From, Call To, SMS Reauth."""
    phone, text = parse_controls(GOOD, "rules.toml")
    assert (phone.type, phone.max_total, phone.period, phone.hold_days) == ("Phone", 7, "week", 7)
    assert phone.attempt_results == {"1", "2", "3"} and phone.rpc_results == {"4", "101"}
    assert (phone.call_from, phone.call_to) == (time(8), time(21))
    assert (text.state, text.apply_to_group, text.sms_reauth_days) == ("NY", True, 90)


def test_rule_round_trips_through_its_toml_keys():
    """SPEC 11: '`controls list`: a list of rule objects with the TOML keys'."""
    phone, _ = parse_controls(GOOD, "rules.toml")
    doc = phone.to_dict()
    assert doc["rpc_results"] == ["4", "101"] and doc["call_from"] == "08:00"
    assert rule_from_table(doc, "x", 1) == phone


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[control]]\ntype = "Phone"\nmax_total = 7\n[[control]]\ntype = "Letter"\n',
         "rules.toml, control 2, key 'max_total': required on every rule"),
        ('[[control]]\ntype = "Phone"\nmax_total = 7\ncolour = "red"\n',
         "rules.toml, control 1, key 'colour': unknown key"),
        ('[[control]]\ntype = "Phone"\nmax_total = 7\nperiod = "fortnight"\n',
         "rules.toml, control 1, key 'period': 'fortnight' is not a period"),
        ('[[control]]\ntype = "Fax"\nmax_total = 7\n',
         "rules.toml, control 1, key 'type': 'Fax' is not a control type"),
        ('[[control]]\ntype = "Phone"\nmax_total = 7\ncall_from = "8am"\ncall_to = "21:00"\n',
         "rules.toml, control 1, key 'call_from': '8am' is not a time"),
        ('[[control]]\ntype = "Phone"\nmax_total = 7\ncall_from = "08:00"\n',
         "rules.toml, control 1, key 'call_to': call_from and call_to go together"),
        ('[[control]]\ntype = "Letter"\nmax_total = 7\nhold_days = 7\n',
         "rules.toml, control 1, key 'hold_days': does not apply to a Letter rule"),
        ('[[control]]\ntype = "Phone"\nmax_total = -1\n',
         "rules.toml, control 1, key 'max_total': -1 is not a whole number"),
        ('[[control]]\ntype = "Phone"\nmax_total = 7\nrpc_results = [4]\n'
         'attempt_results = [4]\n', "key 'rpc_results': result 4 is also in attempt_results"),
        ('max_total = 7\n', "rules.toml: unknown top-level key 'max_total'"),
    ],
)
def test_a_bad_rule_file_is_a_located_error(text, message):
    """Seed 003: 'MAX TOTAL CONTACTS ... is a required field and must be filled in on all
    Contact Controls'; SPEC 3/9: errors name the file, the index and the key."""
    with pytest.raises(ControlFileError) as err:
        parse_controls(text, "rules.toml")
    assert message in str(err.value)


def test_a_toml_syntax_error_gives_line_and_column():
    """Brief: TOML syntax errors are reported with line and column."""
    with pytest.raises(ControlFileError) as err:
        parse_controls('[[control]]\ntype = "Phone"\nmax_total = = 7\n', "rules.toml")
    assert "rules.toml: TOML syntax error" in str(err.value)
    assert "line 3, column" in str(err.value)


def test_default_call_results_are_the_seed_list():
    """Seed 003 'Default Call Results On Contact Form': 0-6 and 101-128."""
    assert CALL_RESULTS["4"] == "Spoke to debtor. Verified right party."
    assert CALL_RESULTS["128"] == "Dialer: cancelled broadcast or blank num"
    assert sorted(CALL_RESULTS, key=int) == [*map(str, range(7)), *map(str, range(101, 129))]
    assert set(RPC_RESULTS) == {"4", "101"}
    assert not set(ATTEMPT_RESULTS) & {"0", "4", "101", "124", "125", "126", "128"}


def test_regf_preset_encodes_regulation_f():
    """SPEC 9: '12 CFR 1006.14(b)(2): at most 7 calls in 7 days, none for 7 days after a
    conversation; 1006.6(b)(1)(i): calls 08:00-21:00 local; 1006.34: validation 5
    business + 30 calendar days'."""
    phone, letter = parse_controls(REGF_PRESET, "preset regf")
    assert (phone.type, phone.max_total, phone.period, phone.hold_days) == ("Phone", 7, "week", 7)
    assert (phone.call_from, phone.call_to) == (time(8), time(21))
    assert phone.rpc_results == {"4", "101"} and phone.attempt_results == set(ATTEMPT_RESULTS)
    assert (phone.state, phone.country) == (None, None)
    assert letter.type == "Letter" and letter.validation_letter == "Letter1"
    assert (letter.validation_business_days, letter.validation_calendar_days) == (5, 30)
    assert "Not legal advice" in REGF_PRESET
