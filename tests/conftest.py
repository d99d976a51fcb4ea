"""Shared fixtures: a fresh initialised database and a CLI runner bound to it.

`cli` is SQLite. `db_url` / `dbcli` run a test on both backends (ids `sqlite` and
`postgres`); the PostgreSQL copy needs COLLECT_TEST_PG_URL (tests/pg_support.py) and is
skipped, with that reason shown, when it is unset.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from collectcli.cli.app import app, load_commands
from tests.db_copy_support import copy_postgres, copy_sqlite
from tests.pg_support import SKIP_REASON, PgServer, admin_url, server_version

load_commands([])  # every command registered on `app` for the CliRunner
TODAY = "2026-03-10T10:00:00"

COLLECT_BIN = str(Path(sys.executable).parent / "collect")
"""The `collect` command of the environment running the tests (for real-kill tests)."""


@dataclass
class Cli:
    """Runs `collect` in-process against one database with a fixed business clock."""

    db: Path | str  # a SQLite file path or a database URL
    today: str = TODAY
    operator: str = "ADMIN"

    def __call__(self, *args: str, input: str | None = None, today: str | None = None,
                 operator: str | None = None) -> Any:
        runner = CliRunner()
        argv = ["--db", str(self.db), "--today", today or self.today,
                "--operator", operator or self.operator, *args]
        return runner.invoke(app, argv, input=input, catch_exceptions=False)

    def ok(self, *args: str, **kw: Any) -> Any:
        result = self(*args, **kw)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str, **kw: Any) -> Any:
        return json.loads(self.ok(*args, "--json", **kw).stdout)

    def fails(self, *args: str, **kw: Any) -> Any:
        result = self(*args, **kw)
        assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A CLI on a freshly initialised SQLite database."""
    c = Cli(tmp_path / "collect.db")
    c.ok("init")
    return c


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """write(name, text) -> path of a file in the test's temporary folder."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def pytest_report_header(config: pytest.Config) -> str:
    url = admin_url()
    if url is None:
        return f"postgresql: {SKIP_REASON}"
    try:
        return f"postgresql: {url.render_as_string()} (server {server_version(url)})"
    except Exception as exc:  # the header must not stop the run; the fixtures will fail
        return f"postgresql: {url.render_as_string()} is NOT reachable: {exc}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The PostgreSQL server of COLLECT_TEST_PG_URL with an initialised template database."""
    url = admin_url()
    if url is None:
        pytest.skip(SKIP_REASON)
    server = PgServer(url)
    try:
        server.build_template(lambda db: Cli(db).ok("init"))
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh PostgreSQL database, already initialised (a copy of the session template)."""
    db = pg_server.create()
    yield db
    pg_server.drop(db)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """'sqlite' or 'postgres': the test runs once on each."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An initialised database on the test's backend: a SQLite path or a PostgreSQL URL."""
    if backend == "postgres":
        return str(request.getfixturevalue("pg_url"))
    path = tmp_path / "collect.db"
    Cli(path).ok("init")
    return str(path)


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database never initialised, on the test's backend."""
    if backend == "postgres":
        server: PgServer = request.getfixturevalue("pg_server")
        db = server.create(from_template=False)
        request.addfinalizer(lambda: server.drop(db))
        return db
    return str(tmp_path / "empty.db")


@pytest.fixture
def dbcli(db_url: str) -> Cli:
    """A CLI on an initialised database of the test's backend (business clock TODAY)."""
    return Cli(db_url)


@pytest.fixture
def db_copy(backend: str, tmp_path: Path, request: pytest.FixtureRequest
            ) -> Iterator[Callable[[str], str]]:
    """db_copy(db) -> a new database on the test's backend equal to `db` (a SQLite backup
    into the test's folder; on PostgreSQL a copy by template, dropped after the test)."""
    server: PgServer | None = (request.getfixturevalue("pg_server") if backend == "postgres"
                               else None)
    copies: list[str] = []

    def _copy(db: str) -> str:
        if server is None:
            copies.append(copy_sqlite(db, tmp_path / f"copy{len(copies) + 1}.db"))
        else:
            copies.append(copy_postgres(server, db))
        return copies[-1]

    yield _copy
    if server is not None:
        for url in copies:
            server.drop(url)
