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
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
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
        connection.commit()


run_migrations_online()
