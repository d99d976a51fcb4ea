"""The import journal: each debtor file imported, by the hash of its content, so that the
same file given again (a re-run after a kill, a cron retry) imports nothing twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from collectcli.store import tables as t

_i = t.imports


@dataclass(frozen=True, slots=True)
class ImportRecord:
    name: str
    imported_at: str
    rows: int
    plan: str | None
    files: list[int]


def find(conn: Connection, content_hash: str) -> ImportRecord | None:
    row = conn.execute(
        select(_i).where(_i.c.content_hash == content_hash).order_by(_i.c.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return ImportRecord(row.name, row.imported_at, row.rows, row.plan,
                        decode_ranges(row.files or ""))


def record(conn: Connection, content_hash: str, name: str, now: datetime, rows: int,
           plan: str | None, files: Iterable[int]) -> None:
    """Note the import in its own transaction (call before it commits)."""
    conn.execute(insert(_i).values(
        content_hash=content_hash, name=name[:260], imported_at=now.strftime("%Y-%m-%dT%H:%M:%S"),
        rows=rows, plan=plan, files=encode_ranges(files) or None))


def encode_ranges(files: Iterable[int]) -> str:
    """Sorted file numbers as compact ranges: [1, 2, 3, 7] -> '1-3,7'."""
    parts: list[str] = []
    start = prev = None
    for f in sorted(set(files)):
        if prev is not None and f == prev + 1:
            prev = f
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = f
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ",".join(parts)


def decode_ranges(text: str) -> list[int]:
    files: list[int] = []
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        files.extend(range(int(lo), int(hi or lo) + 1))
    return files
