"""Migrations: a database made by an older migration upgrades in place."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from collectcli.store.migrate import _config, head_revision, upgrade
from collectcli.store.schema import current_revision
from collectcli.store.session import open_engine


def test_a_database_at_the_first_migration_upgrades_in_place(tmp_path: Path) -> None:
    """Issue 2: 'A database made by an older migration upgrades in place.'"""
    engine = open_engine(str(tmp_path / "old.db"))
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO debtors (file, name) VALUES (7, 'Kept Through Upgrade')"))
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM debtors WHERE file = 7")).scalar_one() == (
            "Kept Through Upgrade"
        )


def test_upgrade_twice_is_harmless(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "x.db"))
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_the_migrations_build_the_indexes_the_tables_declare(tmp_path: Path) -> None:
    """The schema the code assumes (store/tables.py) is the one Alembic builds: the same
    indexes on every table, with the same columns and the same partial conditions."""
    from sqlalchemy import inspect

    from collectcli.store import tables as t

    engine = open_engine(str(tmp_path / "x.db"))
    upgrade(engine)
    built = inspect(engine)
    for table in t.metadata.sorted_tables:
        declared = {i.name: [c.name for c in i.columns] for i in table.indexes}
        found = {i["name"]: i["column_names"] for i in built.get_indexes(table.name)}
        assert found == declared, table.name
    with engine.connect() as conn:
        where = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = "
                                       "'index' AND tbl_name = 'contacts'")).all())
    assert where["ix_contacts_pending_promise"].endswith("WHERE status = 'pending' AND type = 3")
    assert "ix_contacts_pending_due" not in where


def test_the_code_expects_the_newest_migration() -> None:
    """store/schema.HEAD, read by every command without loading Alembic, is Alembic's head."""
    from collectcli.store.schema import HEAD

    assert head_revision() == HEAD


def test_a_command_on_a_database_behind_the_code_asks_for_collect_init(tmp_path: Path) -> None:
    """Bad input loses nothing: a database an older collect set up is refused with one line
    saying how to upgrade it, and `collect init` upgrades it in place."""
    from typer.testing import CliRunner

    from collectcli.cli.app import app

    db = tmp_path / "old.db"
    engine = open_engine(str(db))
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    engine.dispose()
    runner = CliRunner()
    old = runner.invoke(app, ["--db", str(db), "debtor", "list", "--json"])
    assert old.exit_code == 1
    assert "is at schema 0007" in old.stderr and "collect init" in old.stderr
    assert runner.invoke(app, ["--db", str(db), "init"]).exit_code == 0
    assert runner.invoke(app, ["--db", str(db), "debtor", "list", "--json"]).exit_code == 0
