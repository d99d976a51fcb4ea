"""The debtor import's fast path (SPEC 12, 14): text read in blocks of whole lines, whole
chunks checked by one expression, file numbers remembered a run at a time; whatever it
cannot vouch for goes to the row validator, which names the line, column and reason."""

from __future__ import annotations

import io
from datetime import date

import pytest

from collectcli.domain.debtor_chunk import MAX_ZONES, fast_chunk
from collectcli.domain.debtor_csv import RowValidator, read_header
from collectcli.domain.debtor_files import FileNumbers
from collectcli.domain.debtor_stream import Checked, check_chunks
from collectcli.domain.debtor_text import LineSource, text_blocks

TODAY = date(2026, 3, 10)
HEADER = ["file", "name", "principal", "status", "timezone", "email", "group", "listed"]


def validator(header: list[str] = HEADER) -> RowValidator:
    return RowValidator(read_header(header), TODAY)


def test_blocks_end_at_line_ends_and_keep_crlf_whole() -> None:
    text = "a,1\r\nb,2\r\nc,3\rd,4\ne,5"
    for size in range(1, len(text) + 1):
        blocks = list(text_blocks(io.StringIO(text, newline=""), size))
        assert "".join(blocks) == text
        assert all(b.endswith(("\n", "\r")) for b in blocks[:-1])
        assert not any(b.startswith("\n") for b in blocks)  # no '\r\n' cut in two


def test_a_chunk_takes_whole_pieces_and_hands_back_what_a_quoted_field_did_not_use() -> None:
    source = LineSource(iter(['a,"x\n', 'y",1\nb,2\nc,3\n', "d,4\n"]))
    assert source.chunk(1) == 'a,"x\n'
    lines = source.lines()
    assert next(lines) == 'y",1\n'  # the quoted field runs on into the next piece
    assert source.chunk(1) == "b,2\nc,3\n"
    assert source.chunk(5) == "d,4\n" and source.chunk(5) == ""


def test_a_quoted_field_running_past_the_end_of_a_chunk_keeps_every_line_number() -> None:
    """SPEC 12: 'lists every bad row (line number, column, reason)'."""
    text = 'name,principal\nAnn,1\n"Bob\nRoe",2\nCy,x\nDi,3\n'
    pieces = text_blocks(io.StringIO(text.split("\n", 1)[1], newline=""), 8)
    got = list(check_chunks(pieces, 2, validator(["name", "principal"]), 0, raw=False,
                            chunk_size=1))
    assert [r[1] for c in got for r in c.records] == ["Ann", "Bob\nRoe", "Di"]
    assert [(line, [c for c, _ in p]) for c in got for line, _, p in c.bad] == [
        (5, ["principal"])]
    assert sum(c.lines for c in got) == 5


def _plain(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


def test_a_clean_chunk_tells_its_blank_columns_and_decimals_without_reading_values() -> None:
    text = _plain("1,Ann,10.50,NEW,America/New_York,a@x.org,G1,2026-02-01",
                  "2,Bob,7.25,,America/Chicago,,,")
    got = fast_chunk(text, validator())
    assert got is not None and got.files == [1, 2] and got.count == 2
    assert got.decimals == 2 and got.blanks == {"status", "email", "group", "listed"}
    records = got.build([1, 2])
    assert [r[2] for r in records] == [1050, 725] and records[1][11] == "2026-03-10"
    assert fast_chunk(_plain("1,Ann,10,,,,,", "2,Bob,7,,,,,"), validator()).decimals == 0
    assert fast_chunk(_plain("1,Ann,10.5,,,,,", "2,Bob,7,,,,,"), validator()).decimals is None


@pytest.mark.parametrize("line", [
    "1,Ann,1.00,,Mars/Base,,,",  # not an IANA zone
    "1,Ann,1.00,,,ann.example.org,,",  # no '@'
    "1,Ann,1.00,,,,,2026-02-29",  # 2026 is not a leap year
    "1,Ann,1.00,,,,,2026-13-01",
    "1,Ann,1.00,,,,,0000-01-01",
    "1,Ann,1.00,NEW ,,,,",  # a blank the row validator would strip
    "1,Ann,1.00,,,,,\x7f",
    "1," + "A" * 201 + ",1.00,,,,,",
    "1,Ann,1.00,,,,",  # one field short
    "01,Ann,1.00,,,,,",
    ",Ann,1.00,,,,,\n2,Bob,1.00,,,,,",  # blank and given file numbers in one chunk
])
def test_anything_the_expression_cannot_vouch_for_goes_to_the_row_path(line: str) -> None:
    assert fast_chunk(line + "\n", validator()) is None


def test_a_leap_day_in_a_leap_year_stays_on_the_fast_path() -> None:
    got = fast_chunk(_plain("1,Ann,1.00,,,,,2028-02-29"), validator())
    assert got is not None and got.blanks == {"status", "timezone", "email", "group"}


def test_valid_zones_are_learned_and_many_zones_are_still_checked() -> None:
    """Brief: 'timezone (must be a valid IANA zone via zoneinfo when given)'."""
    v = validator()
    zones = ["America/New_York", "Europe/Paris", "Asia/Tokyo", "UTC", "Etc/GMT+5",
             "America/Argentina/Buenos_Aires", "Africa/Cairo", "Australia/Sydney",
             "Europe/London", "Asia/Kolkata", "Pacific/Auckland", "America/Denver",
             "America/Chicago", "America/Los_Angeles", "Europe/Berlin", "Asia/Dubai",
             "America/Sao_Paulo", "Europe/Madrid"]
    assert len(zones) > MAX_ZONES
    for i, zone in enumerate(zones, 1):
        assert fast_chunk(_plain(f"{i},Ann,1.00,,{zone},,,"), v) is not None, zone
        assert fast_chunk(_plain(f"{i},Ann,1.00,,{zone}x,,,"), v) is None, zone
    assert fast_chunk(_plain("99,Ann,1.00,,Europe/Paris,,,"), v) is not None


def test_numbers_rising_above_the_highest_are_one_run_that_still_names_lines() -> None:
    numbers = FileNumbers(highest=10)
    assert numbers.claim_many([11, 12, 15], 3, 2) == [11, 12, 15]
    assert numbers.claim_many(None, 2, 5) == [16, 17]
    assert numbers.claim(12, 9) == "12 is already used on line 3"
    assert numbers.claim(17, 10) == "17 was already assigned to line 6 (its file was blank)"
    assert numbers.claim(13, 11) == 13
    assert numbers.claim_many([14, 13], 2, 12) is None  # 13 is taken: the row path says so
    assert numbers.claim_many([19, 18], 2, 12) == [19, 18]
    assert numbers.claim(18, 20) == "18 is already used on line 13"


def test_the_first_chunk_is_small_so_the_inserting_process_starts_early() -> None:
    lines = iter(f"D{i},1\n" for i in range(5000))
    got: list[Checked] = list(check_chunks(lines, 2, validator(["name", "principal"]), 0,
                                           raw=True, chunk_size=3000))
    assert [c.lines for c in got] == [2000, 3000]
