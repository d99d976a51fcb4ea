"""The run-plan journal: which debtors a run of a plan has finished, so that a run killed
at any point and started again resumes where it stopped instead of running the plan a
second time on the debtors it had already done.

A run is keyed by plan, selection (all, a --where filter, a list of files), how it was
started and the business date. Chunks run in file order and each chunk commits its
`last_file` together with its effects, so the finished debtors are always a prefix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Connection, and_, insert, select, update

from collectcli.store import tables as t

_r = t.plan_runs


@dataclass(frozen=True, slots=True)
class PlanRun:
    id: int
    last_file: int | None
    finished: bool
    started_at: str


def run_key(plan: str, via: str, selection: str, today: date,
            start_date: date | None) -> str:
    """The identity of a run: the same command on the same business day has the same key."""
    text = f"{plan}|{via}|{selection}|{today.isoformat()}|{start_date}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def latest(conn: Connection, key: str) -> PlanRun | None:
    row = conn.execute(
        select(_r.c.id, _r.c.last_file, _r.c.finished, _r.c.started_at)
        .where(_r.c.run_key == key).order_by(_r.c.id.desc()).limit(1)
    ).first()
    return None if row is None else PlanRun(row.id, row.last_file, bool(row.finished),
                                            row.started_at)


def start(conn: Connection, key: str, plan: str, selection: str, today: date,
          now: datetime, operator: str | None) -> PlanRun:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S")
    run_id = conn.execute(insert(_r).values(
        run_key=key, plan=plan, selection=selection[:2000], run_date=today,
        started_at=stamp, operator=operator)).inserted_primary_key[0]  # type: ignore[index]
    return PlanRun(int(run_id), None, False, stamp)


def progress(conn: Connection, run_id: int, last_file: int) -> None:
    """Record, in the chunk's own transaction, that the run is done up to `last_file`."""
    conn.execute(update(_r).where(_r.c.id == run_id).values(last_file=last_file))


def finish(conn: Connection, run_id: int, now: datetime) -> None:
    conn.execute(update(_r).where(_r.c.id == run_id).values(
        finished=True, finished_at=now.strftime("%Y-%m-%dT%H:%M:%S")))


def after_file(where: ColumnElement[bool] | None, last_file: int) -> ColumnElement[bool]:
    """The debtors of `where` (all when None) that a resumed run has still to do."""
    rest = t.debtors.c.file > last_file
    return rest if where is None else and_(where, rest)
