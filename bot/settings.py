"""Settings: the one place that reads the environment (and `.env`).

Built once in the entry point and passed down; nothing else reads `os.environ`.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.dedup import MatchConfig

_MATCH = MatchConfig()


class Settings(BaseSettings):
    """Configuration of the bot, from the environment or a `.env` file."""

    model_config = SettingsConfigDict(
        env_file=".env", env_prefix="NEWSROOM_", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        default="sqlite:///newsroom.db",
        validation_alias=AliasChoices("DATABASE_URL", "NEWSROOM_DATABASE_URL"),
        description="SQLAlchemy URL; SQLite by default, postgresql+psycopg://... to scale out.",
    )

    # Fetching article pages.
    allow_private_fetch: bool = Field(
        default=False,
        description="Lift the private/loopback address check (for tests against local servers).",
    )
    fetch_connect_timeout: float = 5.0
    fetch_total_timeout: float = 20.0
    fetch_max_bytes: int = 5 * 1024 * 1024
    fetch_max_redirects: int = 5

    # Deduplication thresholds; the defaults are the tuned ones in bot/core/dedup.py.
    near_dup_shingle_jaccard: float = Field(default=_MATCH.near_dup_shingle_jaccard, ge=0, le=1)
    near_dup_fact_containment: float = Field(default=_MATCH.near_dup_fact_containment, ge=0, le=1)
    same_story_long: float = Field(default=_MATCH.same_story_long, ge=0, le=1)
    same_story_mixed: float = Field(default=_MATCH.same_story_mixed, ge=0, le=1)
    same_story_short: float = Field(default=_MATCH.same_story_short, ge=0, le=1)
    corpus_prior_docs: float = Field(default=_MATCH.corpus_prior_docs, ge=0)
    corpus_idf_scale: float = Field(default=_MATCH.corpus_idf_scale, ge=0)
    story_window_days: float = Field(default=_MATCH.window_days, gt=0)
    time_decay_half_life_days: float = Field(default=_MATCH.half_life_days, gt=0)
