"""PostgreSQL for the test suite: one initialised template per session, a copy per test.

`COLLECT_TEST_PG_URL` names a server and a database the tests may connect to as a user
that may CREATE DATABASE (e.g. `postgresql+psycopg://postgres@127.0.0.1:5432/postgres`).
Once per session `collect init` runs on a template database; each test gets
`CREATE DATABASE … TEMPLATE …` (a file copy on the server, about 10x faster than running
the migrations per test) and drops it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

ENV = "COLLECT_TEST_PG_URL"
SKIP_REASON = f"{ENV} is not set: PostgreSQL tests skipped"


def admin_url() -> URL | None:
    """The server named by COLLECT_TEST_PG_URL, or None when it is unset."""
    raw = os.environ.get(ENV, "").strip()
    return make_url(raw) if raw else None


def url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


class PgServer:
    """Creates and drops throwaway databases on the server named by COLLECT_TEST_PG_URL."""

    def __init__(self, url: URL):
        self.url = url
        self.prefix = f"collect_test_{uuid.uuid4().hex[:8]}"
        self._count = 0
        self._admin: Engine = create_engine(url, isolation_level="AUTOCOMMIT",
                                            poolclass=NullPool)
        self.template: str | None = None

    def database_url(self, name: str) -> str:
        return url_text(self.url.set(database=name))

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(sql))

    def _kick(self, name: str) -> None:
        """End other sessions on `name` (a CLI engine's pool may still hold one)."""
        with self._admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": name})

    def build_template(self, initialise: Callable[[str], None]) -> None:
        """Create the template database and run `initialise(url)` (collect init) on it."""
        name = f"{self.prefix}_tpl"
        self._execute(f'CREATE DATABASE "{name}"')
        self.template = name
        initialise(self.database_url(name))
        self._kick(name)

    def create(self, from_template: bool = True) -> str:
        """A fresh database copied from the template (or an empty one): its URL."""
        self._count += 1
        name = f"{self.prefix}_{self._count}"
        if self.template and from_template:
            self._kick(self.template)
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        else:
            self._execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop(self, db_url: str) -> None:
        name = make_url(db_url).database
        self._kick(str(name))
        self._execute(f'DROP DATABASE IF EXISTS "{name}"')

    def close(self) -> None:
        if self.template:
            self._kick(self.template)
            self._execute(f'DROP DATABASE IF EXISTS "{self.template}"')
        self._admin.dispose()


def server_version(url: URL) -> str:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()
