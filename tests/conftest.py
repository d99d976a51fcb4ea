"""Shared fixtures: a fresh initialised database and a CLI runner bound to it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from collectcli.cli.app import app

TODAY = "2026-03-10T10:00:00"


@dataclass
class Cli:
    """Runs `collect` in-process against one database with a fixed business clock."""

    db: Path
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
