"""The global options of every command: database, business clock, operator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

import typer
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from collectcli.domain.errors import InputError
from collectcli.store.schema import HEAD, current_revision
from collectcli.store.session import open_engine


def parse_business_clock(text: str | None, system_now: datetime) -> datetime:
    """`--today DATE[THH:MM[:SS]]`; a date alone takes the system clock's time of day."""
    if text is None or text.strip() == "":
        return system_now.replace(microsecond=0)
    raw = text.strip()
    try:
        if "T" in raw or " " in raw:
            return datetime.fromisoformat(raw.replace(" ", "T")).replace(microsecond=0, tzinfo=None)
        day = date.fromisoformat(raw)
    except ValueError:
        raise InputError(
            f"--today '{text}' is not a date (write YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None
    return datetime.combine(day, system_now.time().replace(microsecond=0))


def parse_day(text: str | None, option: str) -> date | None:
    """An ISO date given to `option` (None when not given); anything else is a clear error."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{option} '{text}' is not a date (write YYYY-MM-DD)") from None


@dataclass
class State:
    """What every command gets from the global options."""

    db: str
    now: datetime
    operator: str
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def db_label(self) -> str:
        """The database for people to read: a URL's password is never shown."""
        if "://" not in self.db:
            return self.db
        return make_url(self.db).render_as_string(hide_password=True)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def time_now(self) -> time:
        return self.now.time()

    def engine(self, *, require_init: bool = True) -> Engine:
        """The database engine; refuses a database `collect init` has not set up or upgraded."""
        if self._engine is None:
            self._engine = open_engine(self.db)
            if require_init:
                self._check_schema(self._engine)
        return self._engine

    def _check_schema(self, engine: Engine) -> None:
        """Refuse a database `collect init` has not set up, or not upgraded to HEAD."""
        revision = current_revision(engine)
        if revision is None:
            raise InputError(f"the database '{self.db}' is not set up: run 'collect init' first")
        if revision != HEAD:
            raise InputError(f"the database '{self.db}' is at schema {revision}, this collect "
                             f"needs {HEAD}: run 'collect init' to upgrade it")


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj
