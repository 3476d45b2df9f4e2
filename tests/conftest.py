"""Shared fixtures: the seed articles and databases (SQLite always, PostgreSQL when set), and
the guard against reading outside the repository."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.core.dedup import MatchConfig
from bot.services.ingest import IngestService
from storage.db import make_engine, migrate

# Fail the run when a test opens a file beside the repository (../shared, say): a fresh clone
# has nothing there. An audit hook installed before collection; see tests/read_guard.py.
pytest_plugins = ["tests.read_guard"]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SEEDS / "gold.json").read_text())


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(SEEDS.glob("0*.txt"))}


def reset_postgres(engine: Engine) -> None:
    """Empty the test database (drop and recreate the public schema)."""
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once a run (about 0.2 s): each test's SQLite database
    starts as a copy of it, which is what migrating an empty file gives."""
    path = tmp_path_factory.mktemp("migrated") / "head.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    eng.dispose()  # the last connection closed: SQLite checkpoints the WAL and removes it
    return path


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
            ],
        ),
    ]
)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        eng = make_engine(f"sqlite:///{path}")
    else:
        assert PG_URL
        eng = make_engine(PG_URL)
        reset_postgres(eng)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def ingest_service(engine: Engine) -> IngestService:
    return IngestService(engine, MatchConfig(), fetcher=None)
