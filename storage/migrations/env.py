"""Alembic environment: runs migrations on the engine handed over in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.models import on_backend  # also registers the tables on SQLModel.metadata

config = context.config
target_metadata = SQLModel.metadata
MIGRATION_LOCK = 0x6E657773  # "news": the advisory lock key migrations hold on PostgreSQL


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (SQLite cannot drop a constraint in place),
            # dropping the old one: with foreign keys enforced, the rows referencing it would
            # fail. Off outside any transaction (the pragma is a no-op inside one), checked
            # after, on again for the connection's next user.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            include_object=on_backend(connection.dialect.name),
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Replicas starting together migrate one at a time; the others then find
                # the schema at head and do nothing.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise RuntimeError(f"a migration broke a foreign key: {tuple(broken)}")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations_online()
