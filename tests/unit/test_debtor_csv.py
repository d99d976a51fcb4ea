"""Validating debtor CSV rows (SPEC 11, 12): errors are values; the fast path agrees."""

from __future__ import annotations

from datetime import date

import pytest

from collectcli.domain.debtor_chunk import fast_chunk
from collectcli.domain.debtor_csv import RowValidator, money_cents, read_header
from collectcli.domain.debtor_files import FileNumbers
from collectcli.domain.debtor_stream import Checked, RawChunk, check_chunks
from collectcli.domain.errors import InputError

TODAY = date(2026, 3, 10)
HEADER = ["file", "name", "principal", "timezone", "listed", "email"]


def check(*fields: str) -> object:
    return RowValidator(read_header(HEADER), TODAY)(list(fields))


def columns(result: object) -> list[str]:
    assert isinstance(result, list)
    return [c for c, _ in result]


def test_a_good_row_becomes_a_record_in_cents_with_listed_defaulting_to_today() -> None:
    """SPEC 11: 'listed (date)' — blank listed takes the business clock's today."""
    assert check("7", "Ann Lee", "1234.5", "America/New_York", "", "a@x.org") == (
        7, "Ann Lee", 123450, "", "", "", "", "America/New_York", "a@x.org", "", "",
        "2026-03-10")


@pytest.mark.parametrize("text,reason", [
    ("1.234", "more than 2 decimals"), ("-5", "negative"), ("1e3", "exponent"),
    ("1,000.00", "thousands separator"), ("", "required"), ("abc", "not an amount"),
])
def test_money_with_more_than_2_decimals_floats_or_separators_is_rejected(
        text: str, reason: str) -> None:
    """SPEC 12: 'Money: at most 2 decimals, no floats, no thousands separators surprises'."""
    got = money_cents(text)
    assert isinstance(got, str) and reason in got


def test_money_is_parsed_with_integer_arithmetic() -> None:
    assert (money_cents("0"), money_cents("10.5"), money_cents("10.05")) == (0, 1050, 1005)


def test_every_problem_of_a_row_is_listed_with_its_column() -> None:
    """SPEC 12: 'lists every bad row (line number, column, reason)'."""
    got = check("x", "", "1.234", "Mars/Base", "2026-02-30", "nobody")
    assert columns(got) == ["file", "name", "principal", "timezone", "email", "listed"]


def test_dates_must_be_iso() -> None:
    """SPEC 12: 'Dates ISO only.'"""
    assert columns(check("", "A", "1", "", "03/10/2026", "")) == ["listed"]
    assert columns(check("", "A", "1", "", "20260310", "")) == ["listed"]


def test_a_row_with_the_wrong_number_of_fields_is_one_problem() -> None:
    assert columns(check("1", "A")) == ["*"]


@pytest.mark.parametrize("header,words", [
    (["name", "principal", "shoe_size"], "unknown column"),
    (["name"], "no principal"),
    (["name", "principal", "name"], "more than once"),
    ([""], "header"),
])
def test_unknown_missing_or_repeated_header_columns_are_an_error(
        header: list[str], words: str) -> None:
    """SPEC 11: 'Unknown columns are an error.'"""
    with pytest.raises(InputError, match=words):
        read_header(header)


def test_blank_file_numbers_are_one_more_than_the_highest_so_far() -> None:
    """Brief: 'assigned when blank as one more than the highest so far (database max and
    file so far)'."""
    numbers = FileNumbers(highest=100)
    assert numbers.claim(None, 2) == 101
    assert numbers.claim(500, 3) == 500
    assert numbers.claim(None, 4) == 501


def test_a_later_explicit_number_colliding_with_an_assigned_one_names_both_lines() -> None:
    numbers = FileNumbers(highest=0)
    assert numbers.claim(None, 2) == 1
    got = numbers.claim(1, 3)
    assert isinstance(got, str) and "line 2" in got and "assigned" in got


def test_a_duplicate_file_number_within_the_file_names_the_first_line() -> None:
    numbers = FileNumbers(highest=0)
    numbers.claim(9, 2)
    assert numbers.claim(9, 5) == "9 is already used on line 2"


def test_the_column_wise_fast_path_gives_the_same_records_as_the_row_path() -> None:
    header = ["file", "name", "principal", "status", "operator", "state", "country",
              "timezone", "email", "phone", "group", "listed"]
    validator = RowValidator(read_header(header), TODAY)
    lines = ["1,Ann Lee,10.50,NEW,JS,NY,US,America/New_York,a@x.org,555,G1,2026-02-01\n",
             "2,Bob,7,,,,,,,,,\r\n", "3,Cy,0.5,NEW,JS,CA,US,,,,,2026-01-31"]
    got = fast_chunk("".join(lines), validator)
    assert got is not None
    slow = [validator(line.rstrip("\r\n").split(",")) for line in lines]
    fast = got.build(got.files or [])
    assert got.decimals is None and got.cents == 1050 + 700 + 50
    assert got.text == "".join(line.rstrip("\r\n") + "\n" for line in lines)
    assert [tuple(v or None for v in r) for r in fast] == [
        tuple(v or None for v in r) for r in slow if isinstance(r, tuple)]


@pytest.mark.parametrize("line", [
    '1,"Ann, Lee",10.00\n', "1, Ann,10.00\n", "1,Ann,1e3\n", "1,Ann\n", "1,Ann,10.00,x\n",
    "1,Åsa,10.00\n", "0,Ann,10.00\n",
])
def test_the_fast_path_leaves_anything_unusual_to_the_row_path(line: str) -> None:
    validator = RowValidator(read_header(["file", "name", "principal"]), TODAY)
    assert fast_chunk(line, validator) is None


def _chunks(text: str, *, raw: bool, highest: int = 0, size: int = 2) -> list[Checked]:
    lines = iter(text.splitlines(keepends=True))
    validator = RowValidator(read_header(next(lines).rstrip("\n").split(",")), TODAY)
    return list(check_chunks(lines, 2, validator, highest, raw=raw, chunk_size=size))


def test_plain_chunks_come_as_raw_text_with_their_file_numbers_and_total() -> None:
    """SPEC 14: the bulk path binds checked CSV text as it is; blank files are assigned."""
    got = _chunks("name,principal\nAnn,1.50\nBob,2.25\nCy,3\nDi,4\n", raw=True, highest=9)
    assert [c.raw for c in got] == [
        RawChunk("Ann,1.50\nBob,2.25\n", 2, 10, 11, 2, 375, False, frozenset()),
        RawChunk("Cy,3\nDi,4\n", 2, 12, 13, 0, 700, False, frozenset())]


def test_chunks_that_need_a_lookup_or_exact_messages_come_as_records() -> None:
    """SPEC 12: 'lists every bad row (line number, column, reason)' in any chunk."""
    got = _chunks("file,name,principal\n5,Ann,1.5\n20,Bob,2.25\n21,,1\n22,Di,1\n"
                  "23,Ed,1.5\n24,Fa,1.25\n", raw=True, highest=10, size=2)
    assert [c.raw is None for c in got] == [True, True, True]
    assert [s[0] for s in got[0].suspects] == [2] and got[0].records[0][0] == 20
    assert [(line, [c for c, _ in p]) for line, _, p in got[1].bad] == [(4, ["name"])]
    assert [r[2] for r in got[2].records] == [150, 125]  # 1 and 2 decimals mixed
    assert [(c.first_line, c.lines, c.read) for c in got] == [(2, 2, 2), (4, 2, 2), (6, 2, 2)]


def test_without_raw_every_chunk_comes_as_records() -> None:
    got = _chunks("name,principal\nAnn,1.50\nBob,2.25\n", raw=False)
    assert got[0].raw is None and [r[0] for r in got[0].records] == [1, 2]
