"""Migrations and models cannot drift: a migrated database matches the SQLModel tables."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from storage import statements
from storage.db import alembic_config, migrate
from storage.models import on_backend  # also registers the tables


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": on_backend(engine.dialect.name)}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_migrate_is_idempotent(engine):
    migrate(engine)
    migrate(engine)


def test_postgresql_vacuums_the_match_indexes_as_rows_arrive(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no vacuum thresholds")
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT relname, reloptions FROM pg_class "
                "WHERE relname IN ('termposting', 'shingleset')"
            )
        ).all()
    assert len(rows) == 2
    for _, options in rows:
        assert "autovacuum_vacuum_insert_scale_factor=0" in options


def _story_with_articles(connection, n: int) -> None:
    """Story 1 with articles 1..n (PostgreSQL), for index rows to point at."""
    connection.execute(
        text(
            "INSERT INTO story (id, title, first_seen, last_seen, article_count, "
            "source_count) VALUES (1, 't', now(), now(), :n, :n)"
        ),
        {"n": n},
    )
    connection.execute(
        text(
            "INSERT INTO article (id, title, text, content_hash, story_id, relation, "
            "fetched, day, profile, signal) SELECT g, 't', '', 'h' || g, 1, 'new_story', "
            "now(), 1, '', '' FROM generate_series(1, :n) AS g"
        ),
        {"n": n},
    )


def test_postgresql_band_rows_become_one_array_per_article_and_back(engine):
    """Migration 0005 moves a database's band keys into shingleset and back on downgrade."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps its band rows")
    config = alembic_config(engine)
    command.downgrade(config, "0004")
    with engine.begin() as connection:
        _story_with_articles(connection, 2)
        connection.execute(
            text("INSERT INTO shingleband (key, article_id) VALUES (:k, :a)"),
            [{"k": k, "a": a} for a, keys in ((1, (5, -3, 9)), (2, (7,))) for k in keys],
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        sets = dict(connection.execute(text("SELECT article_id, keys FROM shingleset")).all())
        tables = set(
            connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            .scalars()
            .all()
        )
    assert sets == {1: [-3, 5, 9], 2: [7]}
    assert "shingleband" not in tables
    command.downgrade(config, "0004")
    with engine.connect() as connection:
        rows = set(connection.execute(text("SELECT key, article_id FROM shingleband")).all())
    assert rows == {(5, 1), (-3, 1), (9, 1), (7, 2)}
    command.upgrade(config, "head")


def test_sqlite_document_frequencies_are_clustered_and_survive_the_rebuild(engine):
    """Migration 0006 rebuilds SQLite's termstat WITHOUT ROWID, keeping its rows."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's termstat is unchanged")
    config = alembic_config(engine)
    command.downgrade(config, "0005")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO termstat (term, df) VALUES (0, 2), (-5, 1), (7, 2)"))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = set(connection.execute(text("SELECT term, df FROM termstat")).all())
        ddl = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'termstat'")
        ).scalar()
    assert rows == {(0, 2), (-5, 1), (7, 2)}
    assert "WITHOUT ROWID" in ddl
    command.downgrade(config, "0005")
    command.upgrade(config, "head")


def test_postgresql_candidate_lookup_uses_the_indexes_after_analyze(engine):
    """The statement the service matches with reads the band keys through the GIN index and
    the postings and articles through their keys; written plainly, the band lookup scanned
    the table."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite looks band keys up by primary key")
    with engine.begin() as connection:
        _story_with_articles(connection, 10_000)
        connection.execute(
            text(
                "INSERT INTO shingleset (article_id, keys) SELECT g, ARRAY(SELECT "
                "(random() * 9e18 - 4.5e18)::bigint + g * 0 FROM generate_series(1, 16)) "
                "FROM generate_series(1, 10000) AS g"
            )
        )
        connection.execute(
            text(
                "INSERT INTO termposting (term, day, article_id) SELECT 1 + (g * 7 + t) % 5000, "
                "g % 60, g FROM generate_series(1, 10000) AS g, generate_series(1, 16) AS t"
            )
        )
        connection.execute(
            text(
                "INSERT INTO termstat (term, df) SELECT term, count(*) FROM termposting "
                "GROUP BY term UNION ALL SELECT 0, 10000"
            )
        )
    with engine.connect() as connection:
        for table in ("shingleset", "termposting", "termstat", "article"):
            connection.execute(text(f"ANALYZE {table}"))
        keys = connection.execute(text("SELECT keys FROM shingleset WHERE article_id = 7")).scalar()
        lookup = statements.candidates_sql("postgresql")
        params = {"hash": "h", "keys": keys, "terms": [56, 57, 58, 59, 60, 61, 62, 63], "lo": 0}
        params |= {"hi": 20, "share": 0.02, "min_df": 500, "min_terms": 6, "limit": 20, "copies": 5}
        plan = " ".join(
            row[0] for row in connection.execute(text(f"EXPLAIN {lookup}"), params | {"lead": 9})
        )
        plainly = connection.execute(
            text("EXPLAIN SELECT article_id FROM shingleset WHERE keys && CAST(:k AS bigint[])"),
            {"k": keys},
        ).all()
    assert "ix_shingleset_keys" in plan
    assert "termposting_pkey" in plan and "article_pkey" in plan
    assert "Seq Scan" not in plan
    assert "Seq Scan on shingleset" in " ".join(row[0] for row in plainly)  # why it is written so


def test_article_versions_migrate_up_and_down_with_rows_in_place(engine):
    """Migration 0010 moves the canonical URL's uniqueness to (canonical_url, version) on a
    database with articles and rows referencing them (SQLite rebuilds the article table);
    downgrading keeps every row, the earlier versions losing their canonical URL."""
    config = alembic_config(engine)
    command.downgrade(config, "0008")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO story (id, title, first_seen, last_seen, article_count, "
                "source_count) VALUES (1, 't', '2026-12-01', '2026-12-01', 1, 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO article (id, canonical_url, title, text, content_hash, story_id, "
                "relation, fetched, day, profile) VALUES (1, 'https://x.example/a', 't', 'x', "
                "'h1', 1, 'new_story', '2026-12-01', 1, :p)"
            ),
            {"p": b""},
        )
        connection.execute(text("INSERT INTO termposting (term, day, article_id) VALUES (5, 1, 1)"))
    command.upgrade(config, "head")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT version, version_of FROM article")).one() == (
            1,
            None,
        )
        assert connection.execute(text("SELECT article_id FROM termposting")).scalar() == 1
        connection.execute(
            text(
                "INSERT INTO article (id, canonical_url, title, text, content_hash, story_id, "
                "relation, fetched, day, profile, version, version_of) VALUES (2, "
                "'https://x.example/a', 't', 'y', 'h2', 1, 'revision', '2026-12-01', 1, :p, 2, 1)"
            ),
            {"p": b""},
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO article (canonical_url, title, text, content_hash, story_id, "
                "relation, fetched, day, profile, version) VALUES ('https://x.example/a', 't', "
                "'z', 'h3', 1, 'revision', '2026-12-01', 1, :p, 2)"
            ),
            {"p": b""},
        )
    command.downgrade(config, "0008")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, canonical_url FROM article ORDER BY id")).all()
    assert rows == [(1, None), (2, "https://x.example/a")]
    command.upgrade(config, "head")


def test_an_id_stored_twice_before_0009_stays_on_its_first_article(engine):
    """Migration 0009 makes external_id unique where given: a database holding one id twice
    keeps it on the first article; articles without an id are left as they are."""
    config = alembic_config(engine)
    command.downgrade(config, "0008")
    rows = [(1, "dup"), (2, None), (3, "dup"), (4, None), (5, "solo")]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO story (id, title, first_seen, last_seen, article_count, "
                "source_count) VALUES (1, 't', :now, :now, 5, 5)"
            ),
            {"now": "2026-12-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO article (id, title, text, content_hash, story_id, relation, "
                "fetched, day, profile, signal, external_id) VALUES (:id, 't', '', :h, 1, "
                "'new_story', :now, 1, :p, '', :x)"
            ),
            [
                {"id": i, "h": f"h{i}", "now": "2026-12-01 00:00:00", "p": b"", "x": x}
                for i, x in rows
            ],
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        kept = dict(connection.execute(text("SELECT id, external_id FROM article")).all())
    assert kept == {1: "dup", 2: None, 3: None, 4: None, 5: "solo"}
