"""The debtor import with its checking in a second process (SPEC 12, 14): same result,
same order, same bad rows as checking in-process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from collectcli.domain.debtor_csv import RowValidator, read_header
from collectcli.domain.errors import InputError
from collectcli.store.bulk_import import ImportSummary, import_lines
from collectcli.store.migrate import upgrade
from collectcli.store.session import open_engine, unit_of_work

TODAY = date(2026, 3, 10)
CSV = ("file,name,principal,status,group,listed\n"
       + "".join(f"{i},Debtor {i},{i}.25,NEW,G{i % 3},2026-02-0{1 + i % 9}\n"
                 for i in range(1, 8))
       + ",Blank One,3,,,\n,Blank Two,4,,,\n"
       + "9,Bad,1.234,,,\n2,Dup,1,,,\n\"20\",\"Quoted, Name\",5.5,,,\n"
       + "".join(f",Tail {i},1.00,,,\n" for i in range(5)))


def _run(tmp_path: Path, name: str, parallel: bool, rejects: list[int] | None,
         chunk: int = 3) -> tuple[ImportSummary, list[tuple[object, ...]]]:
    engine = open_engine(str(tmp_path / name))
    upgrade(engine)
    lines = iter(CSV.splitlines(keepends=True))
    validator = RowValidator(read_header(next(lines).rstrip("\n").split(",")), TODAY)
    sink = None if rejects is None else (lambda line, row, reason: rejects.append(line))
    with unit_of_work(engine) as uow:
        summary = import_lines(uow.conn, lines, 2, validator, today=TODAY, operator="ADMIN",
                               reject=sink, chunk_size=chunk, parallel=parallel)
        uow.commit()
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(
            "SELECT d.file, d.name, d.principal, d.status, d.group_key, d.listed_date, "
            "t.id, t.amount FROM debtors d JOIN transactions t ON t.file = d.file "
            "ORDER BY d.file"))]
    engine.dispose()
    return summary, rows


def test_checking_in_a_second_process_imports_exactly_what_in_process_checking_does(
        tmp_path: Path) -> None:
    """SPEC 12: '--skip-invalid sends bad rows to a rejects file and imports the rest'."""
    seen: list[int] = []
    here, rows_here = _run(tmp_path, "a.db", False, [])
    there, rows_there = _run(tmp_path, "b.db", True, seen)
    assert rows_there == rows_here and len(rows_here) == here.imported == 15
    assert there.problems == here.problems
    assert [(p.line, p.column) for p in there.problems] == [(11, "principal"), (12, "file")]
    assert seen == [11, 12]
    assert rows_here[7][:3] == (8, "Blank One", 300)
    assert rows_here[9][:3] == (20, "Quoted, Name", 550)


def test_every_bad_row_is_listed_in_file_order_when_checked_in_a_second_process(
        tmp_path: Path) -> None:
    """SPEC 12: 'a CSV with any bad row imports nothing and lists every bad row'."""
    summary, _ = _run(tmp_path, "c.db", True, None, chunk=2)
    assert summary.failed and summary.rejected == 2
    assert [p.line for p in summary.problems] == [11, 12]


def test_a_csv_error_found_by_the_second_process_names_its_line(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "d.db"))
    upgrade(engine)
    lines = iter(['name,principal\n', 'Ann,1\n', '"' + "x" * 200_000 + '",1\n'])
    validator = RowValidator(read_header(next(lines).rstrip("\n").split(",")), TODAY)
    with unit_of_work(engine) as uow, pytest.raises(InputError, match="line 3"):
        import_lines(uow.conn, lines, 2, validator, today=TODAY, operator=None, parallel=True)
    engine.dispose()
