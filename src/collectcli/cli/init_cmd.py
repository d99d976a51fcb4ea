"""`collect init`: create or upgrade the database and load the shipped reference data."""

from __future__ import annotations

from pathlib import Path

import typer

from collectcli.cli.context import state
from collectcli.cli.render import print_json, show, table
from collectcli.cli.root import app
from collectcli.domain.model import LogEntry
from collectcli.planfile import load_plan_files
from collectcli.resources import data_dir
from collectcli.store import plans_repo
from collectcli.store.reference import seed_admin, seed_settings, seed_transaction_types, write_log
from collectcli.store.session import unit_of_work


@app.command()
def init(
    ctx: typer.Context,
    plans: Path = typer.Option(None, "--plans", help="Folder of plan files to load "
                               "(default: the demonstration plans shipped with collect)."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Create or upgrade the database (Alembic head) and load settings, transaction types,
    the ADMIN operator and the plans. Running it again changes nothing."""
    from collectcli.store.migrate import upgrade  # Alembic is loaded only by init

    st = state(ctx)
    engine = st.engine(require_init=False)
    upgrade(engine)
    folder = plans if plans is not None else data_dir("plans")
    plan_list = load_plan_files(sorted(folder.glob("*.toml")))
    with unit_of_work(engine) as uow:
        added = {
            "settings": seed_settings(uow.conn),
            "transaction_types": seed_transaction_types(uow.conn),
            "operators": seed_admin(uow.conn),
            "plans": plans_repo.insert_missing(uow.conn, plan_list),
        }
        if any(added.values()):
            message = "init: added " + ", ".join(f"{v} {k}" for k, v in added.items())
            write_log(uow.conn, st.now, st.operator, [LogEntry("INFO", "SETUP", message)])
        uow.commit()
    if json_out:
        print_json({"database": st.db_label, "added": added})
        return
    show(table(f"Database {st.db_label} is ready", ["loaded", "added"], added.items()))
