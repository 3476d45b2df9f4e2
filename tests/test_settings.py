"""Settings: environment names, defaults shared with the matcher, fail-fast validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.core.dedup import MatchConfig
from bot.services import match_config
from bot.settings import Settings


def test_defaults_are_the_matchers(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///newsroom.db"
    assert settings.allow_private_fetch is False
    assert match_config(settings) == MatchConfig()


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("NEWSROOM_ALLOW_PRIVATE_FETCH", "true")
    monkeypatch.setenv("NEWSROOM_SAME_STORY_SHORT", "0.42")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.allow_private_fetch is True
    assert match_config(settings).same_story_short == 0.42


def test_bad_values_fail_fast(monkeypatch):
    monkeypatch.setenv("NEWSROOM_SAME_STORY_LONG", "2")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)
