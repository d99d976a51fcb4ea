"""Which migration a database is at, read without loading Alembic (every command asks)."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

HEAD = "0008"
"""The migration this code works with (tests/integration/test_migrations checks it is
Alembic's head); a database at another one is refused until `collect init` upgrades it."""


def current_revision(engine: Engine) -> str | None:
    """The database's migration revision, None for a database never initialised."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
