"""The debtor import's plain-text path on SQLite (SPEC 11, 14): each chunk's CSV text is
bound as it is, with SQL shaped to the chunk (which columns have blanks, decimals, given
or assigned file numbers); it stores exactly what the record path stores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text

from collectcli.domain.debtor_csv import RowValidator, read_header
from collectcli.store.bulk_import import ImportSummary, import_lines
from collectcli.store.migrate import upgrade
from collectcli.store.session import open_engine, unit_of_work

TODAY = date(2026, 3, 10)
CSV = ("file,name,principal,status,operator,timezone,email,group,listed\n"
       "1,Ann,10.50,NEW,JS,America/New_York,a@x.org,G1,2026-02-01\n"
       "2,Bob,7.25,OPEN,MK,America/Chicago,b@x.org,G1,2026-02-02\n"
       "3,Cy,3.00,,JS,,c@x.org,,2026-02-03\n"  # blank status, zone and group
       "4,Di,4.10,NEW,,America/Denver,,G2,\n"  # blank operator, email and listed
       "5,Ed,12,NEW,JS,America/Denver,e@x.org,G3,2028-02-29\n"  # no decimals, leap day
       "6,Fa,8,NEW,JS,America/Denver,f@x.org,G3,2026-02-06\n"
       ",Gus,1.00,NEW,JS,America/Denver,g@x.org,G4,2026-02-07\n"  # assigned 7 and 8
       ",Hal,0.00,NEW,JS,America/Denver,h@x.org,G4,2026-02-08\n")  # no 196 for 0.00


def _import(tmp_path: Path, name: str, keep_files: bool) -> tuple[ImportSummary, list]:
    engine = open_engine(str(tmp_path / name))
    upgrade(engine)
    lines = iter(CSV.splitlines(keepends=True))
    validator = RowValidator(read_header(next(lines).rstrip("\n").split(",")), TODAY)
    with unit_of_work(engine) as uow:
        summary = import_lines(uow.conn, lines, 2, validator, today=TODAY, operator="JS",
                               keep_files=keep_files, chunk_size=2)
        uow.commit()
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(
            "SELECT d.*, t.type, t.amount, t.payment_date, t.posted_date, t.operator "
            "FROM debtors d LEFT JOIN transactions t ON t.file = d.file ORDER BY d.file"))]
    engine.dispose()
    return summary, rows


def test_the_plain_text_path_stores_what_the_record_path_stores(tmp_path: Path) -> None:
    """Brief: 'Principal is posted as a type-196 transaction ... listed_date defaults to
    today (business clock)'; a blank optional field is NULL, never ''."""
    raw, raw_rows = _import(tmp_path, "raw.db", keep_files=False)
    records, record_rows = _import(tmp_path, "records.db", keep_files=True)
    assert raw_rows == record_rows
    assert (raw.imported, raw.principal_cents) == (records.imported, records.principal_cents)
    assert raw.principal_cents == 1050 + 725 + 300 + 410 + 1200 + 800 + 100
    assert [r[0] for r in raw_rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert "" not in {v for r in raw_rows for v in r}
    by_file = {r[0]: r for r in raw_rows}
    assert by_file[3][3] is None and by_file[4][4] is None  # status, operator
    assert by_file[4][14] == "2026-03-10" and by_file[5][14] == "2028-02-29"
    assert by_file[5][22] == 1200 and by_file[8][-5] is None  # 0.00 has no 196
