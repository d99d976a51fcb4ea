"""Alembic, run programmatically: `upgrade(engine)` brings any database to head."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from collectcli.resources import data_dir


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(data_dir("migrations")))
    return cfg


def upgrade(engine: Engine) -> None:
    """Upgrade the database to the newest migration (creates it when empty)."""
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
