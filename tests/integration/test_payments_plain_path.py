"""The bulk path of `post-payments` (engine/payments_fast.py, store/payments_write.py)
writes exactly what the Workspace path (engine.payments.post_payment + apply_workspace)
writes, for random files of payments on random debtors and promises, under many settings
(SPEC 8, 14: 'keep the per-debtor logic' — every row of every table equal)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from collectcli.engine import payments_fast
from tests.cli.backend_db import SQLITE_ONLY, execute
from tests.integration.payments_paths import (
    SETTINGS,
    canonical,
    post_file,
    random_payments,
    table_rows,
    two_dbs,
)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of rows each call of the bulk path posted."""
    plain_rows: list[int] = []
    real = payments_fast.post_fast

    def counting(*a: Any, **k: Any) -> Any:
        plain_rows.append(len(a[1]))
        return real(*a, **k)

    monkeypatch.setattr("collectcli.cli.payments_bulk.post_fast", counting)
    return plain_rows


def _both_paths(make: Any, rnd: random.Random, name: str, debtors: int, payments: int,
                chunk: int, tmp_path: Path) -> tuple[Any, Any, str, str]:
    """Two equal databases under SETTINGS[name] and one payments file, posted through the
    Workspace path on one and the plain path on the other: (slow, fast, their dbs)."""
    engine_db, plain_db = make(rnd, debtors, SETTINGS[name])
    csv_path = random_payments(rnd, debtors, payments, tmp_path / "payments.csv")
    return (post_file(engine_db, csv_path, chunk, plain=False),
            post_file(plain_db, csv_path, chunk, plain=True), engine_db, plain_db)


@pytest.mark.parametrize("name", sorted(SETTINGS))
@pytest.mark.parametrize("seed", [1, 2, 3])
@SQLITE_ONLY  # PostgreSQL: the next test, fewer cases (each needs two fresh databases)
def test_plain_path_writes_what_the_workspace_path_writes(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch, name: str, seed: int) -> None:
    """SPEC 8: promise management, NSF restores, plans in SPEC 15's order and the last
    payment date come out the same whichever path posts a payment."""
    plain_rows = _counting(monkeypatch)
    slow, fast, engine_db, plain_db = _both_paths(
        two_dbs(backend, tmp_path, request), random.Random(f"{name}-{seed}"), name,
        60, 400, 97, tmp_path)
    if name == "not_compiled":
        assert not plain_rows
    else:
        assert sum(plain_rows) > 100
    assert fast == slow
    assert canonical(plain_db) == canonical(engine_db)


@pytest.mark.parametrize("name", ["shipped", "groups", "tolerances_and_early_skip"])
def test_plain_path_writes_what_the_workspace_path_writes_on_each_backend(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """SPEC 13: 'The same code runs on PostgreSQL' — the bulk path too."""
    plain_rows = _counting(monkeypatch)
    slow, fast, engine_db, plain_db = _both_paths(
        two_dbs(backend, tmp_path, request), random.Random(f"{name}-backend"), name,
        40, 200, 60, tmp_path)
    assert sum(plain_rows) > 50
    assert fast == slow
    assert canonical(plain_db) == canonical(engine_db)


def test_all_plain_payments_get_the_very_same_rows_and_ids(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A file of plain payments (the benchmark's kind) is written id for id as the
    Workspace path writes it."""
    rnd = random.Random(7)
    engine_db, plain_db = two_dbs(backend, tmp_path, request)(rnd, 80, {})
    for db in (engine_db, plain_db):
        execute(db, "UPDATE debtors SET mode = 'ACTIVE', manage_group_promises = false")
    lines = ["file,amount,date,type"] + [
        f"{rnd.randint(1, 80)},{rnd.choice(['100.00', '60.00', '250.00'])},2026-03-15,"
        for _ in range(300)]
    csv_path = tmp_path / "payments.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow = post_file(engine_db, csv_path, 120, plain=False)
    fast = post_file(plain_db, csv_path, 120, plain=True)
    assert fast == slow
    assert fast["counts"]["posted"] == 300
    for table in ("debtors", "contacts", "transactions", "notes"):
        assert table_rows(plain_db, table) == table_rows(engine_db, table), table
