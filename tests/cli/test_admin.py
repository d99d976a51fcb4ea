"""`settings show|set` and `operators add|list` (SPEC 11)."""

from __future__ import annotations

from tests.conftest import Cli


def test_settings_show_lists_every_key_with_its_value(cli: Cli) -> None:
    doc = cli.json("settings", "show")
    assert doc["promise_full_plan"] == "PRF" and doc["auto_manage_promises"] == "true"
    assert len(doc) == 16


def test_settings_set_validates_the_value_and_is_logged(cli: Cli) -> None:
    """SPEC 11: 'booleans true|false ... An unknown key or a bad value is an error.'"""
    cli.ok("settings", "set", "under_tolerance", "5")
    cli.ok("settings", "set", "auto_manage_promises", "FALSE")
    doc = cli.json("settings", "show")
    assert (doc["under_tolerance"], doc["auto_manage_promises"]) == ("5.00", "false")
    assert "setting under_tolerance" in cli.json("log", "--category", "SETUP")[-2]["message"]


def test_an_empty_value_clears_a_plan_setting(cli: Cli) -> None:
    """SPEC 11: 'An empty value clears a plan setting.'"""
    cli.ok("settings", "set", "promise_broken_plan", "")
    assert cli.json("settings", "show")["promise_broken_plan"] == ""


def test_an_unknown_key_or_a_bad_value_is_an_error(cli: Cli) -> None:
    assert "unknown setting 'colour'" in cli.fails("settings", "set", "colour", "red").stderr
    assert "under_tolerance" in cli.fails("settings", "set", "under_tolerance", "1.234").stderr
    assert "true or false" in cli.fails("settings", "set", "use_nsf_date", "maybe").stderr


def test_operators_add_and_list(cli: Cli) -> None:
    cli.ok("operators", "add", "js", "--level", "20", "--name", "Jo Smith", "--can-delete")
    ops = cli.json("operators", "list")
    assert ops[1] == {"id": "JS", "name": "Jo Smith", "level": 20, "can_delete": True}
    assert "already exists" in cli.fails("operators", "add", "JS", "--level", "5").stderr


def test_only_a_level_99_operator_changes_settings_and_operators(cli: Cli) -> None:
    cli.ok("operators", "add", "LOW", "--level", "10")
    result = cli.fails("settings", "set", "under_tolerance", "1", operator="LOW")
    assert "level 99" in result.stderr
    assert cli.fails("operators", "add", "X", "--level", "1", operator="LOW").exit_code == 1


def test_an_unknown_operator_is_a_clear_error(cli: Cli) -> None:
    result = cli.fails("settings", "set", "under_tolerance", "1", operator="NOBODY")
    assert "unknown operator 'NOBODY'" in result.stderr
