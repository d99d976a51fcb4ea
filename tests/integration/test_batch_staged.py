"""`collect batch`'s set-based path against the Workspace path (SPEC 7, 14).

The staged chunk (store/batch_repo.stage_due, store/batch_write.write_staged) must leave
exactly what running every due contact one by one on a Workspace leaves: the same notes
in the same order, the same final status, copies, forwards, done markers and log lines.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from collectcli.cli.batch_run import run_batch
from collectcli.domain.types import AUTOMATIC_TYPES
from collectcli.store.session import open_engine
from tests.cli.batch_setup import add_contact, add_debtors, connect

NOW = datetime(2026, 3, 10, 10, 0)


def _state(db: Path, new: int = 1 << 62) -> dict[str, list[tuple[Any, ...]]]:
    """Each debtor's rows in the order written; the ids of rows from `new` on are dropped (a
    chunk writes its Workspace debtors before its staged ones, so new ids interleave
    differently across debtors)."""
    with connect(db) as con:
        contacts = con.execute("SELECT * FROM contacts ORDER BY file, id").fetchall()
        return {
            "contacts": [row[1:] if row[0] >= new else row for row in contacts],
            "notes": con.execute("SELECT file, date, time, operator, text FROM notes "
                                 "ORDER BY file, id").fetchall(),
            "debtors": con.execute("SELECT file, status FROM debtors ORDER BY file").fetchall(),
            "log": con.execute("SELECT level, file, contact, message FROM app_log "
                               "ORDER BY file, id").fetchall(),
        }


def _run(db: Path, fast: bool, chunk: int) -> dict[str, Any]:
    engine = open_engine(f"sqlite:///{db}")
    try:
        summary = run_batch(engine, NOW, "ADMIN", frozenset(AUTOMATIC_TYPES), True,
                            lambda done, total: None, chunk, fast=fast)
    finally:
        engine.dispose()
    return summary.as_json("2026-03-10")


def _build(db: Path) -> None:
    add_debtors(db, 1, 2, 3, 4, 5)
    # debtor 1: two Notes and three Status contacts whose due order is not their id order
    add_contact(db, 1, 2, "LATE", "2026-03-10", due_time="09:00:00")
    add_contact(db, 1, 7, "second note", "2026-03-10", priority=10)
    add_contact(db, 1, 2, "HIGH", "2026-03-10", priority=90)
    add_contact(db, 1, 7, "first note", "2026-03-01")
    add_contact(db, 1, 2, "EARLY", "2026-03-05")
    add_contact(db, 1, 7, "not yet", "2026-03-10", due_time="11:00:00")
    # debtor 2: repeats with copy, note line, max_intervals counting down and completing,
    # missed occurrences; a blank Status clears the status
    add_contact(db, 2, 7, "Monthly", "2026-01-31", repeat="monthly", copy_on_repeat=1,
                log_repeat_to_notes=1)
    add_contact(db, 2, 2, "  ", "2026-03-10", repeat="weekly", max_intervals=3,
                log_repeat_to_notes=1)
    add_contact(db, 2, 7, "Last time", "2026-03-10", repeat="weekly", max_intervals=1,
                copy_on_repeat=1)
    add_contact(db, 2, 7, "Every 10 days", "2026-02-01", repeat="custom", repeat_days=10,
                anchor_date="2026-01-22", occurrence=1, copy_on_repeat=1)
    # debtor 3: a slow contact (Edit) sends the debtor through the Workspace
    add_contact(db, 3, 7, "with an edit", "2026-03-10")
    add_contact(db, 3, 4, "R14", "2026-03-10")
    # debtor 4: a broken promise; debtor 5: only a future Phone contact
    add_contact(db, 4, 3, "Promise", "2026-03-01", amount=50_00)
    add_contact(db, 4, 7, "note of 4", "2026-03-09", repeat="monthly", copy_on_repeat=1)
    add_contact(db, 5, 1, "Call", "2026-04-01")


def test_the_set_based_batch_leaves_what_the_workspace_path_leaves(cli: Any, tmp_path: Path
                                                                    ) -> None:
    """SPEC 7: due contacts run 'in order of (due date, due time, priority desc, id)'; after
    a contact executes it is marked done or forwarded, `copy_on_repeat` leaves a done copy,
    `log_repeat_to_notes` writes its line, `max_intervals` counts down. The fast path must
    do exactly what the per-contact path does."""
    _build(cli.db)
    reference = tmp_path / "reference.db"
    with connect(cli.db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(cli.db, reference)
    with connect(reference) as con:
        new = con.execute("SELECT max(id) FROM contacts").fetchone()[0] + 1
    for chunk in (1, 2, 100):
        fast_db, slow_db = tmp_path / f"fast{chunk}.db", tmp_path / f"slow{chunk}.db"
        shutil.copy(reference, fast_db)
        shutil.copy(reference, slow_db)
        fast, slow = _run(fast_db, True, chunk), _run(slow_db, False, chunk)
        assert fast == slow
        assert _state(fast_db, new) == _state(slow_db, new), chunk
    assert fast["forwarded"] == 4 and fast["completed"] == 8 and fast["broken_promises"] == 1
    state = _state(fast_db)
    notes = [text for file, _, _, _, text in state["notes"] if file == 1]
    assert notes == ["first note", "second note"]
    assert dict(state["debtors"])[1] == "LATE" and dict(state["debtors"])[2] is None


def test_the_staged_batch_runs_again_without_doing_anything_twice(cli: Any) -> None:
    """SPEC 7: 'Idempotent ... nothing done twice (no duplicate note, ... copy ...)'."""
    _build(cli.db)
    first = _run(cli.db, True, 2)
    before = _state(cli.db)
    second = _run(cli.db, True, 2)
    assert first["processed"] > 0 and second["processed"] == 0
    after = _state(cli.db)
    assert {k: v for k, v in after.items() if k != "log"} == {
        k: v for k, v in before.items() if k != "log"}
