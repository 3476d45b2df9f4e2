"""Settings: the one place that reads the environment (and `.env`).

Built once in the entry point and passed down; nothing else reads `os.environ`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.dedup import MatchConfig
from bot.core.schedule import parse_time_of_day, parse_timezone

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
    headline_story_mean: float = Field(default=_MATCH.headline_story_mean, gt=0)
    corpus_prior_docs: float = Field(default=_MATCH.corpus_prior_docs, ge=0)
    corpus_idf_scale: float = Field(default=_MATCH.corpus_idf_scale, ge=0)
    story_window_days: float = Field(default=_MATCH.window_days, gt=0)
    time_decay_half_life_days: float = Field(default=_MATCH.half_life_days, gt=0)

    # Slack. Tokens are secrets: they never appear in logs or reprs.
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "NEWSROOM_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "NEWSROOM_SLACK_SIGNING_SECRET"),
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "NEWSROOM_SLACK_APP_TOKEN")
    )
    slack_api_base_url: str = Field(
        default="https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_BASE_URL", "NEWSROOM_SLACK_API_BASE_URL"),
    )
    flag_reactions: Annotated[list[str], NoDecode] = Field(
        default=["triangular_flag_on_post", "warning"],
        description="Emoji names (comma-separated in the environment) that flag a claim.",
    )
    post_interval: float = Field(
        default=1.0, ge=0, description="Seconds between two bot messages in one channel."
    )
    slack_retries: int = Field(
        default=7, ge=0, description="Retries on 429 (after Retry-After), 5xx and lost links."
    )
    shutdown_grace_seconds: float = Field(
        default=25.0,
        ge=0,
        description="On SIGTERM, how long to wait for acknowledged events to finish; those not "
        "started by then are dropped.",
    )

    sqlite_busy_timeout: float = Field(
        default=30.0,
        gt=0,
        description="On SQLite, how long a write waits for another's write lock before it "
        "fails (and an inbox event is tried again later).",
    )

    # The durable inbox and outbox (docs/INTERNALS.md: the inbox and the outbox).
    inbox_url: str | None = Field(
        default=None,
        description="Where acknowledged events and failed posts are queued. Default: the "
        "database itself on PostgreSQL; on SQLite a file of its own beside the database "
        "(newsroom.db -> newsroom.inbox.db), so that storing an event never waits behind an "
        "ingest's write lock.",
    )
    job_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a process holds an event it is handling before another may "
        "take it over (longer than the slowest message takes).",
    )
    job_retry_seconds: Annotated[list[float], NoDecode] = Field(
        default=[1, 2, 5, 10, 30, 60, 120, 300],
        description="Waits before the attempts after a failure (comma-separated; the last "
        "repeats).",
    )
    job_max_attempts: int = Field(default=20, ge=1, description="Attempts before giving up.")
    job_sweep_seconds: float = Field(
        default=2.0, gt=0, description="How often the scheduler looks for events to run again."
    )

    # Isolation: link fetching has a pool of its own.
    link_threads: int = Field(
        default=8,
        ge=1,
        description="Links fetched and ingested at once (extraction is CPU-bound: more "
        "threads take the interpreter from the request threads that acknowledge).",
    )
    link_per_message: int = Field(default=2, ge=1, description="Links of one message at once.")
    link_per_host: int = Field(default=4, ge=1, description="Links from one site at once.")

    # Digest defaults (a subscription may set its own time and timezone).
    digest_time: str = "09:00"
    digest_timezone: str = "UTC"
    digest_sweep_seconds: int = Field(
        default=60,
        ge=1,
        description="How often the scheduler re-reads subscriptions and catches up.",
    )

    # Watched feeds (README: Watching feeds).
    feed_interval_seconds: int = Field(
        default=900, ge=10, description="How often a watched feed is polled."
    )
    feed_backoff_ceiling_seconds: int = Field(
        default=6 * 3600,
        ge=10,
        description="Longest wait before polling a failing feed again (the wait doubles "
        "from the interval at each failure in a row, up to this).",
    )
    feed_report_after: int = Field(
        default=5, ge=1, description="Failed polls in a row before a feed is reported, once."
    )
    feed_host_spacing_seconds: float = Field(
        default=1.0,
        ge=0,
        description="Least time between two requests of this process to one site while "
        "polling (feeds and their items).",
    )
    feed_sweep_seconds: float = Field(
        default=10.0, gt=0, description="How often the scheduler looks for feeds due a poll."
    )
    feed_threads: int = Field(default=4, ge=1, description="Feeds polled at once per process.")
    feed_max_new_items: int = Field(
        default=30, ge=1, description="New items of one feed fetched per poll (the rest next)."
    )

    @field_validator("flag_reactions", mode="before")
    @classmethod
    def _split_reactions(cls, value: object) -> object:
        if isinstance(value, str) and not value.lstrip().startswith("["):
            return [v.strip().strip(":") for v in value.split(",") if v.strip()]
        return value

    @field_validator("job_retry_seconds", mode="before")
    @classmethod
    def _split_seconds(cls, value: object) -> object:
        if isinstance(value, str) and not value.lstrip().startswith("["):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("digest_time")
    @classmethod
    def _check_time(cls, value: str) -> str:
        parse_time_of_day(value)
        return value

    @field_validator("digest_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        parse_timezone(value)
        return value
