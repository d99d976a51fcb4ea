"""Opening the database and the unit of work.

SQLite: WAL journal, a busy timeout, `BEGIN IMMEDIATE` for every transaction so two
`collect` processes queue for the write lock instead of failing half way.
A `UnitOfWork` rolls back unless `commit()` is called.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from collectcli.domain.errors import DatabaseBusy, InputError

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536  # SQLite page cache per connection (64 MiB)
READ_ONLY = "collect_read_only"  # execution option: a SQLite transaction that only reads


def reader(engine: Engine) -> Connection:
    """A connection whose transactions only read: on SQLite a plain (deferred) BEGIN that
    takes no write lock, so it reads a snapshot while another connection writes (WAL)."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def database_url(db: str) -> str:
    """A SQLAlchemy URL from `--db`: a URL as it is, a plain path as a SQLite file."""
    if "://" in db:
        try:
            make_url(db)
        except ArgumentError:
            raise InputError(f"--db '{db}' is not a database URL") from None
        return db
    folder = Path(db).expanduser().resolve().parent
    if not folder.is_dir():
        raise InputError(f"--db {db}: the folder {folder} does not exist (create it first)")
    return f"sqlite:///{Path(db).expanduser()}"


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def open_engine(db: str) -> Engine:
    """An Engine for `--db`, with the SQLite pragmas and BEGIN IMMEDIATE set up."""
    url = database_url(db)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:" and not Path(path).parent.resolve().is_dir():
            raise InputError(f"--db {db}: the folder does not exist (create it first)")
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class UnitOfWork:
    """One database transaction: rolls back on exit unless `commit()` was called."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.conn: Connection

    def __enter__(self) -> UnitOfWork:
        try:
            self.conn = self.engine.connect()
            self.conn.begin()
        except OperationalError as exc:
            raise _busy_or_raise(exc) from None
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self.conn.close()

    def commit(self) -> None:
        try:
            self.conn.commit()
        except OperationalError as exc:
            raise _busy_or_raise(exc) from None
        self.conn.begin()


# PostgreSQL: deadlock detected, serialization failure, lock not available (lock_timeout)
PG_BUSY_STATES = frozenset({"40P01", "40001", "55P03"})


def _busy_or_raise(exc: OperationalError) -> Exception:
    if getattr(exc.orig, "sqlstate", None) in PG_BUSY_STATES:
        return DatabaseBusy(
            "the database is busy: a concurrent transaction holds the same rows "
            f"({type(exc.orig).__name__}); try again"
        )
    if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
        return DatabaseBusy(
            "the database is busy: another collect command (a batch?) holds it; "
            "try again when it has finished"
        )
    return exc


@contextmanager
def page_cache(conn: Connection, mib: int) -> Iterator[None]:
    """SQLite: a bigger page cache for this connection while the block runs (a long run
    over a big database re-reads fewer pages), then the default again (the connection
    goes back to the pool). PostgreSQL: nothing to do."""
    if conn.dialect.name != "sqlite":
        yield
        return
    pragma(conn, f"cache_size = {-mib * 1024}")
    try:
        yield
    finally:
        pragma(conn, f"cache_size = {-CACHE_KIB}")


def pragma(conn: Connection, setting: str) -> None:
    """`PRAGMA setting` on SQLite through the driver's cursor, so no transaction begins
    (per-connection settings outlive the transaction: whoever sets one restores it)."""
    cursor = conn.connection.cursor()
    cursor.execute(f"PRAGMA {setting}")
    cursor.close()


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """One transaction on a connection held across many: committed when the block ends,
    rolled back if it raises; a locked database is DatabaseBusy, as in UnitOfWork."""
    try:
        with conn.begin():
            yield conn
    except OperationalError as exc:
        raise _busy_or_raise(exc) from None


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[UnitOfWork]:
    """`with unit_of_work(engine) as uow: ...; uow.commit()`."""
    with UnitOfWork(engine) as uow:
        yield uow
