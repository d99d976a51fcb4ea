"""Helpers of the run-plan / contact / debtor-change CLI tests: direct database set-up.

`db` is a SQLite path or a PostgreSQL URL. Rows read with plain SQL hold dates as ISO
strings and booleans as 0/1 on both backends (tests/cli/backend_db.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from collectcli.domain.model import Debtor, Operator
from collectcli.planfile import plan_from_toml
from collectcli.store import plans_repo
from collectcli.store.accounts import insert_debtors
from collectcli.store.reference import add_operator
from collectcli.store.session import open_engine, unit_of_work
from tests.cli.backend_db import fetch, fetch_dicts


def add_debtors(db: Any, files: range | list[int], **fields: Any) -> None:
    """Debtors `files`, named 'Debtor N', principal 100.00, with `fields` set."""
    values = {"principal": Decimal("100.00"), "status": "NEW", "operator": "JS", **fields}
    engine = open_engine(str(db))
    with unit_of_work(engine) as uow:
        insert_debtors(uow.conn, (Debtor(f, f"Debtor {f}", **values) for f in files))
        uow.commit()
    engine.dispose()


def add_plan(db: Any, toml: str) -> None:
    engine = open_engine(str(db))
    with unit_of_work(engine) as uow:
        plans_repo.save(uow.conn, plan_from_toml(toml, "test plan"))
        uow.commit()
    engine.dispose()


def add_op(db: Any, op_id: str, level: int, can_delete: bool = False) -> None:
    engine = open_engine(str(db))
    with unit_of_work(engine) as uow:
        add_operator(uow.conn, Operator(op_id, op_id, level, can_delete))
        uow.commit()
    engine.dispose()


def rows(db: Any, sql: str, **params: Any) -> list[dict[str, Any]]:
    return fetch_dicts(db, sql, **params)


def scalar(db: Any, sql: str, **params: Any) -> Any:
    found = fetch(db, sql, **params)
    return found[0][0] if found else None


def snapshot(db: Any) -> tuple[Any, ...]:
    """Everything a plan run may write, to compare before and after."""
    return tuple(
        tuple(tuple(r.values()) for r in rows(db, f"SELECT * FROM {table} ORDER BY 1"))
        for table in ("debtors", "contacts", "notes", "transactions", "app_log")
    )
