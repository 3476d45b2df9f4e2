"""Engine, sessions and migrations.

SQLite (the default) runs in WAL mode with foreign keys on; PostgreSQL connections are checked
before use (pool pre-ping) so that a restarted server costs a retry, not an error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, make_url
from sqlmodel import SQLModel, create_engine

from storage.models import Job, SlackRequest

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, *, sqlite_timeout: float = 30.0) -> Engine:
    """An engine for `url` with the settings this project relies on; on SQLite a writer waits
    up to `sqlite_timeout` seconds for another's write lock before "database is locked"."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": sqlite_timeout}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # Sessions in UTC: timestamps come back in the zone the application uses, unconverted.
    # Added to any options the URL carries (connect_args would replace them).
    given = make_url(url).query.get("options") or ()
    options = " ".join([*([given] if isinstance(given, str) else given), "-c TimeZone=UTC"])
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"options": options},
    )


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the database schema up to date (idempotent, safe to run at every start)."""
    command.upgrade(alembic_config(engine), "head")


def open_database(url: str, *, sqlite_timeout: float = 30.0) -> Engine:
    """An engine on an up-to-date schema."""
    engine = make_engine(url, sqlite_timeout=sqlite_timeout)
    migrate(engine)
    return engine


def inbox_url_for(database_url: str) -> str | None:
    """Where the inbox lives by default: beside a SQLite file (newsroom.db ->
    newsroom.inbox.db); None (the database itself) on PostgreSQL or an in-memory SQLite."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database or "")
    return str(url.set(database=str(path.with_name(f"{path.stem}.inbox{path.suffix or '.db'}"))))


def open_inbox(url: str) -> Engine:
    """An engine on a SQLite file of its own for the claims taken before an acknowledgement:
    the job queue and the signed requests. Its two tables are created when missing (they are
    the head schema of `job` and `slack_request`; a change to them adds a step here)."""
    engine = make_engine(url)
    tables = [SQLModel.metadata.tables[m.__tablename__] for m in (Job, SlackRequest)]
    SQLModel.metadata.create_all(engine, tables=tables)
    return engine


_WRITERS: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


@contextmanager
def writer(engine: Engine) -> Iterator[None]:
    """Hold this process's write turn on a SQLite engine (nothing on PostgreSQL).

    SQLite has one writer at a time; a writer that finds the file locked sleeps in SQLite's
    busy handler, in steps of up to 100 ms, however short the other's transaction. Threads of
    one process queue here instead, on a lock, for the short writes of the inbox that an ack
    waits on (claims, lease updates)."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with _WRITERS_LOCK:
        lock = _WRITERS.setdefault(engine, threading.Lock())
    with lock:
        yield
