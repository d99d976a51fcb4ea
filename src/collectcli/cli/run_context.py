"""The RunContext every command that runs rules builds from the database."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from collectcli.engine.context import ConfirmDelete, RunContext
from collectcli.store import plans_repo
from collectcli.store.reference import get_operator, load_settings, transaction_types

if TYPE_CHECKING:
    from sqlalchemy import Connection


def load_context(conn: Connection, now: datetime, operator: str, *,
                 start_date: date | None = None, confirm_delete: ConfirmDelete | None = None,
                 assume_yes: bool = False) -> RunContext:
    """Business clock, operator, settings, plans and transaction types for one command."""
    return RunContext(
        now=now, operator=get_operator(conn, operator), settings=load_settings(conn),
        plans=plans_repo.all_plans(conn), transaction_types=transaction_types(conn),
        start_date=start_date, confirm_delete=confirm_delete, assume_yes=assume_yes,
    )
