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
