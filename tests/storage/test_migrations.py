"""Migrations and models cannot drift: a migrated database matches the SQLModel tables."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - registers the tables
from storage.db import migrate


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_migrate_is_idempotent(engine):
    migrate(engine)
    migrate(engine)


def test_postgresql_vacuums_the_match_indexes_as_rows_arrive(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no vacuum thresholds")
    from sqlalchemy import text

    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT relname, reloptions FROM pg_class "
                "WHERE relname IN ('termposting', 'shingleband')"
            )
        ).all()
    assert len(rows) == 2
    for _, options in rows:
        assert "autovacuum_vacuum_insert_scale_factor=0" in options
