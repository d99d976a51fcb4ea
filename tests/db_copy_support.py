"""A copy of a test database on its own backend (conftest `db_copy`).

SQLite: the online backup API into a new file. PostgreSQL: `CREATE DATABASE … TEMPLATE`
the source (a file copy on the server, sequences included), after ending the sessions a
CLI engine's pool may still hold on the source (PostgreSQL copies only an idle database).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.pg_support import PgServer


def copy_sqlite(db: str, to: Path) -> str:
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return str(to)


def copy_postgres(server: PgServer, db: str) -> str:
    """A new database on `server` equal to `db`; `server.drop(url)` removes it."""
    source = make_url(db).database
    name = f"{server.prefix}_copy_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": source})
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    finally:
        admin.dispose()
    return server.database_url(name)
