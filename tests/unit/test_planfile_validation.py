"""Plan file validation (SPEC 3, seeds 001 and 002): every error names file, event and key."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from collectcli.domain.errors import PlanFileError
from collectcli.domain.types import Assign, ContactType, Repeat
from collectcli.planfile import (
    check_plan_files,
    immediate_cycles,
    load_plan_file,
    load_plan_files,
    plan_from_toml,
)

GOOD = '[[events]]\ntype = "Note"\ndescription = "first"\nimmediately = true\n'
HEAD = 'code = "T1"\ndescription = "test plan"\n'

# (test id, text after HEAD + GOOD as the 2nd event, the key the message must name)
BAD_EVENTS = [
    ("unknown_event_key", 'type = "Note"\nimmediately = true\ndelay_dayz = 3', "delay_dayz"),
    ("missing_schedule", 'type = "Review"\ndescription = "r"', "schedule"),
    ("two_schedules", 'type = "Review"\nimmediately = true\ndelay_days = 3', "delay_days"),
    ("minutes_with_day_of_month", 'type = "Review"\nday_of_month = 3\ndelay_minutes = 30',
     "delay_minutes"),
    ("bad_type", 'type = "Fax"\nimmediately = true', "type"),
    ("missing_type", 'description = "x"\nimmediately = true', "type"),
    ("delay_days_as_text", 'type = "Review"\ndelay_days = "3"', "delay_days"),
    ("negative_delay_days", 'type = "Review"\ndelay_days = -1', "delay_days"),
    ("bool_as_text", 'type = "Review"\ndelay_days = 1\nmark_done = "yes"', "mark_done"),
    ("bad_op", 'type = "Review"\ndelay_days = 1\n'
     'schedule_if = { field = "owing", op = "!=", value = "0" }', "schedule_if"),
    ("range_without_value2", 'type = "Review"\ndelay_days = 1\n'
     'schedule_if = { field = "owing", op = "..", value = "0" }', "schedule_if"),
    ("value2_without_range", 'type = "Review"\ndelay_days = 1\n'
     'schedule_if = { field = "owing", op = ">", value = "0", value2 = "9" }', "schedule_if"),
    ("condition_float", 'type = "Review"\ndelay_days = 1\n'
     'schedule_if = { field = "owing", op = ">", value = 1.5 }', "schedule_if"),
    ("custom_repeat_without_days", 'type = "Letter"\ndescription = "L"\ndelay_days = 1\n'
     'repeat = "custom"', "repeat_days"),
    ("repeat_days_without_custom", 'type = "Letter"\ndescription = "L"\ndelay_days = 1\n'
     'repeat = "weekly"\nrepeat_days = 3', "repeat_days"),
    ("bad_repeat", 'type = "Letter"\ndescription = "L"\ndelay_days = 1\nrepeat = "daily"',
     "repeat"),
    ("copy_on_repeat_without_repeat", 'type = "Promise"\ndelay_days = 1\ncopy_on_repeat = true',
     "copy_on_repeat"),
    ("specific_without_operator", 'type = "Phone"\ndelay_days = 1\nassign = "specific"',
     "operator"),
    ("operator_without_specific", 'type = "Phone"\ndelay_days = 1\noperator = "JS"', "operator"),
    ("bad_assign", 'type = "Phone"\ndelay_days = 1\nassign = "boss"', "assign"),
    ("priority_zero", 'type = "Phone"\ndelay_days = 1\npriority = 0', "priority"),
    ("priority_100", 'type = "Phone"\ndelay_days = 1\npriority = 100', "priority"),
    ("day_of_month_32", 'type = "Phone"\nday_of_month = 32', "day_of_month"),
    ("day_of_month_0", 'type = "Phone"\nday_of_month = 0', "day_of_month"),
    ("bad_minutes", 'type = "Phone"\ndelay_minutes = "1:75"', "delay_minutes"),
    ("amount_float", 'type = "Promise"\ndelay_days = 1\namount = 10.5', "amount"),
    ("amount_three_decimals", 'type = "Promise"\ndelay_days = 1\namount = "10.555"', "amount"),
    ("percent_not_promise", 'type = "Review"\ndelay_days = 1\npercent_of_owing = "10"',
     "percent_of_owing"),
    ("percent_over_100", 'type = "Promise"\ndelay_days = 1\npercent_of_owing = "150"',
     "percent_of_owing"),
    ("same_description_only_alone", 'type = "Phone"\ndelay_days = 1\n'
     'same_description_only = true', "same_description_only"),
    ("letter_without_template", 'type = "Letter"\nimmediately = true', "description"),
    ("plan_event_unknown_plan", 'type = "Plan"\ndescription = "NOPE"\nimmediately = true',
     "description"),
]

BAD_PLANS = [
    ("unknown_plan_key", 'code = "T1"\ncolour = "red"\n', "colour"),
    ("code_too_long", 'code = "TOOLONG1"\n', "code"),
    ("code_not_alphanumeric", 'code = "A-1"\n', "code"),
    ("code_missing", 'description = "no code"\n', "code"),
    ("flag_not_bool", 'code = "T1"\nsub_plan = 1\n', "sub_plan"),
    ("four_access_ranges", 'code = "T1"\naccess = [[1, 2], [3, 4], [5, 6], [7, 8]]\n', "access"),
    ("access_range_reversed", 'code = "T1"\naccess = [[50, 10]]\n', "access"),
    ("access_level_zero", 'code = "T1"\naccess = [[0, 10]]\n', "access"),
    ("access_not_pairs", 'code = "T1"\naccess = [[1, 2, 3]]\n', "access"),
]


@pytest.fixture
def plan_file(tmp_path: Path) -> Callable[[str], Path]:
    def _make(text: str) -> Path:
        path = tmp_path / "T1.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return _make


@pytest.mark.parametrize(("body", "key"), [c[1:] for c in BAD_EVENTS],
                         ids=[c[0] for c in BAD_EVENTS])
def test_bad_event_names_file_event_index_and_key(plan_file: Callable[[str], Path],
                                                  body: str, key: str) -> None:
    """SPEC 3: errors 'name the file, the event index and the key'."""
    path = plan_file(HEAD + GOOD + "\n[[events]]\n" + body + "\n")
    with pytest.raises(PlanFileError) as info:
        load_plan_file(path)
    message = str(info.value)
    assert str(path) in message
    assert "event 2" in message
    assert f"key '{key}'" in message
    assert (info.value.event, info.value.key) == (2, key)


@pytest.mark.parametrize(("text", "key"), [c[1:] for c in BAD_PLANS],
                         ids=[c[0] for c in BAD_PLANS])
def test_bad_plan_key_names_file_and_key(plan_file: Callable[[str], Path],
                                         text: str, key: str) -> None:
    """SPEC 3 / seed 001: 'The Code field holds up to 7 alpha-numeric characters'; seed 002:
    'Collect! enables you to set up to 3 ranges of Users per Contact plan.'"""
    path = plan_file(text + GOOD)
    with pytest.raises(PlanFileError) as info:
        load_plan_file(path)
    assert str(path) in str(info.value) and f"key '{key}'" in str(info.value)


def test_money_float_error_says_to_quote_it(plan_file: Callable[[str], Path]) -> None:
    """SPEC 3: amount is money, never a float."""
    path = plan_file(HEAD + '[[events]]\ntype = "Promise"\ndelay_days = 1\namount = 10.5\n')
    with pytest.raises(PlanFileError, match="never a float"):
        load_plan_file(path)


def test_toml_syntax_error_gives_line_and_column(plan_file: Callable[[str], Path]) -> None:
    """Bad input: one line naming file, line and column."""
    path = plan_file('code = "T1"\n[[events]]\ntype = = "Note"\n')
    with pytest.raises(PlanFileError) as info:
        load_plan_file(path)
    assert str(path) in str(info.value)
    assert "line 3" in str(info.value) and "column" in str(info.value)


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes('code = "T1"\ndescription = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(PlanFileError, match=r"not UTF-8.*line 2") as info:
        load_plan_file(path)
    assert str(path) in str(info.value)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no such file") as info:
        load_plan_file(tmp_path / "nothere.toml")
    assert "nothere.toml" in str(info.value)


def test_every_problem_of_a_file_is_reported(plan_file: Callable[[str], Path]) -> None:
    """Problems are values: one bad event does not hide the next (STYLE: beancount)."""
    path = plan_file(HEAD + '[[events]]\ntype = "Fax"\nimmediately = true\n'
                     '[[events]]\ntype = "Phone"\npriority = 0\ndelay_days = 1\n')
    _, problems = check_plan_files([path])
    assert [(p.event, p.key) for p in problems] == [(1, "type"), (2, "priority")]


def test_delay_minutes_may_accompany_delay_days(plan_file: Callable[[str], Path]) -> None:
    """SPEC 4: 'It may also accompany delay_days'."""
    plan = load_plan_file(plan_file(HEAD + '[[events]]\ntype = "Phone"\ndelay_days = 2\n'
                                    'delay_minutes = "1:30"\n'))
    assert (plan.events[0].delay_days, plan.events[0].delay_minutes) == (2, 90)


def test_delay_minutes_takes_hours_and_minutes(plan_file: Callable[[str], Path]) -> None:
    """Seed 002: '40 means 40 minutes, while 1:00 means 60 minutes or 1 hour.'"""
    plan = load_plan_file(plan_file(HEAD + '[[events]]\ntype = "Phone"\ndelay_minutes = 40\n'
                                    '[[events]]\ntype = "Phone"\ndelay_minutes = "1:00"\n'))
    assert [e.delay_minutes for e in plan.events] == [40, 60]


def test_full_event_is_read_into_the_model(plan_file: Callable[[str], Path]) -> None:
    """SPEC 3: every event key reaches the Event record."""
    plan = load_plan_file(plan_file(
        'code = "pr1"\naccess = [[1, 50], [90, 99]]\n[[events]]\ntype = "promise"\n'
        'description = "pay"\ndelay_days = 7\nassign = "specific"\noperator = "JS"\n'
        'priority = 70\nsequence = 2\nrepeat = "custom"\nrepeat_days = 10\nmax_intervals = 6\n'
        'copy_on_repeat = true\nlog_repeat_to_notes = true\nno_autodelete = true\n'
        'advance_overpayments = true\npercent_of_owing = "12.5"\nclass = "A"\n'
        'record_history = false\n'
        'schedule_if = { field = "Owing", op = "..", value = 100, value2 = "500" }\n'))
    assert plan.code == "PR1" and plan.access == ((1, 50), (90, 99))
    e = plan.events[0]
    assert e.type == ContactType.PROMISE and e.assign is Assign.SPECIFIC and e.operator == "JS"
    assert (e.repeat, e.repeat_days, e.max_intervals) == (Repeat.CUSTOM, 10, 6)
    assert e.percent_of_owing == Decimal("12.50") and e.klass == "A"
    assert e.record_history is False and e.sequence == 2
    assert e.schedule_if is not None
    assert (e.schedule_if.field, e.schedule_if.value, e.schedule_if.value2) == ("owing", "100",
                                                                               "500")


def test_amount_as_integer_is_money(plan_file: Callable[[str], Path]) -> None:
    """SPEC 3: money as a TOML string or integer."""
    plan = load_plan_file(plan_file(HEAD + '[[events]]\ntype = "Transaction"\n'
                                    'description = "301"\nimmediately = true\namount = 25\n'))
    assert plan.events[0].amount == Decimal("25.00")


def test_plan_event_may_name_a_known_plan_or_itself(plan_file: Callable[[str], Path]) -> None:
    """Seed 002: 'a Plan Event that calls the same contact plan on the same day next month'."""
    path = plan_file(HEAD + '[[events]]\ntype = "Plan"\ndescription = "t1"\n'
                     'next_month_same_day = true\n[[events]]\ntype = "Plan"\n'
                     'description = "OTHER"\ndelay_days = 1\n')
    with pytest.raises(PlanFileError, match="OTHER"):
        load_plan_file(path)
    plan = load_plan_file(path, known_codes=frozenset({"other"}))
    assert [e.description for e in plan.events] == ["T1", "OTHER"]


def test_plan_events_are_checked_across_the_set(tmp_path: Path) -> None:
    """SPEC 3: a Plan event naming a plan that does not exist is an error; one in the set is
    not."""
    a, b = tmp_path / "A.toml", tmp_path / "B.toml"
    a.write_text('code = "A"\n[[events]]\ntype = "Plan"\ndescription = "B"\nimmediately = true\n')
    b.write_text('code = "B"\n' + GOOD)
    assert [p.code for p in load_plan_files([a, b])] == ["A", "B"]
    with pytest.raises(PlanFileError, match="'B'"):
        load_plan_files([a])


def test_two_files_with_one_code_are_an_error(tmp_path: Path) -> None:
    """Seed 001: 'Each plan must have a unique Code.'"""
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    for p in (a, b):
        p.write_text(HEAD + GOOD)
    with pytest.raises(PlanFileError, match="also used by") as info:
        load_plan_files([a, b])
    assert str(b) in str(info.value) and str(a) in str(info.value)


def test_immediate_cycles_are_found_once() -> None:
    """SPEC 5.4: 'A chain of immediate plan calls that comes back to a plan already running
    is an error'."""
    a = plan_from_toml('code = "A"\n[[events]]\ntype = "Plan"\ndescription = "B"\n'
                       'immediately = true\n', known_codes=None)
    b = plan_from_toml('code = "B"\n[[events]]\ntype = "Plan"\ndescription = "A"\n'
                       'immediately = true\n', known_codes=None)
    c = plan_from_toml('code = "C"\n[[events]]\ntype = "Plan"\ndescription = "C"\n'
                       'delay_days = 30\n', known_codes=None)
    assert immediate_cycles({"A": a, "B": b, "C": c}) == [["A", "B", "A"]]


def test_schedule_if_on_an_unknown_debtor_field_is_a_located_error(tmp_path: Path) -> None:
    """Seed 002: 'Schedule if ... Select from the list of available fields.' A typo such as
    'owning' must not load as a condition that can never be evaluated."""
    path = tmp_path / "TYPO.toml"
    path.write_text(
        'code = "TYPO"\n[[events]]\ntype = "Note"\ndescription = "x"\nimmediately = true\n'
        'schedule_if = { field = "owning", op = ">", value = "0" }\n', encoding="utf-8")
    with pytest.raises(PlanFileError) as err:
        load_plan_file(path)
    message = str(err.value)
    assert "TYPO.toml" in message and "event 1" in message and "schedule_if" in message
    assert "owning" in message
