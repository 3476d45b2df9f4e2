"""Column helpers on SQLite and PostgreSQL: UTC timestamps and long id lists."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, text
from sqlmodel import Session

from storage.ids import id_in
from storage.models import Story, _parse_sqlite_utc


def _add_stories(engine, seen: list[datetime]) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(Story),
            [
                {"id": i, "title": f"story {i}", "first_seen": when, "last_seen": when}
                for i, when in enumerate(seen, 1)
            ],
        )


def test_timestamps_come_back_aware_in_utc(engine):
    paris = timezone(timedelta(hours=2))
    _add_stories(
        engine,
        [
            datetime(2024, 6, 20, 6, 0, 0, 123456, tzinfo=UTC),
            datetime(2024, 6, 20, 8, 30, tzinfo=paris),  # stored as 06:30 UTC
            datetime(2024, 6, 20, 7, 0),  # naive: taken as UTC
        ],
    )
    with Session(engine) as session:
        seen = session.connection().execute(select(Story.first_seen).order_by(Story.id)).scalars()
        values = list(seen)
    assert values == [
        datetime(2024, 6, 20, 6, 0, 0, 123456, tzinfo=UTC),
        datetime(2024, 6, 20, 6, 30, tzinfo=UTC),
        datetime(2024, 6, 20, 7, 0, tzinfo=UTC),
    ]
    assert all(v.tzinfo is UTC for v in values)


def test_sqlite_text_with_or_without_a_zone():
    assert _parse_sqlite_utc(None) is None
    assert _parse_sqlite_utc("2024-06-20 06:00:00") == datetime(2024, 6, 20, 6, tzinfo=UTC)
    assert _parse_sqlite_utc("2024-06-20 08:00:00+02:00") == datetime(2024, 6, 20, 6, tzinfo=UTC)


def test_id_in_takes_thousands_of_ids_as_one_parameter(engine):
    when = datetime(2024, 6, 20, tzinfo=UTC)
    _add_stories(engine, [when] * 5000)
    wanted = set(range(2, 5001, 3)) | {999_999}  # one id that is not there
    with Session(engine) as session:
        statement = select(Story.id).where(id_in(session, Story.id, wanted))
        found = set(session.connection().execute(statement).scalars())
        assert found == set(range(2, 5001, 3))
        assert not list(
            session.connection().execute(select(Story.id).where(id_in(session, Story.id, [])))
        )
        compiled = statement.compile(session.get_bind())
    assert len(compiled.params) == 1  # one bound parameter, not expanded into 1,668
    assert not any(bind.expanding for bind in compiled.binds.values())


def test_postgresql_sessions_run_in_utc_and_keep_the_urls_options():
    from storage.db import make_engine

    pg_url = os.environ.get("TEST_DATABASE_URL")
    if not pg_url:
        pytest.skip("TEST_DATABASE_URL not set")
    separator = "&" if "?" in pg_url else "?"
    engine = make_engine(f"{pg_url}{separator}options=-capplication_name%3Dnewsroom-test")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW TimeZone")).scalar() == "UTC"
            assert connection.execute(text("SHOW application_name")).scalar() == "newsroom-test"
    finally:
        engine.dispose()
