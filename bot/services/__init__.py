"""Use cases of the bot, shared by the CLI and the Slack handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, text

from bot.core.dedup import MatchConfig
from bot.core.vocabulary import DEFAULT_FLAG_EMOJI
from bot.fetch import Fetcher, FetchLimits
from bot.services.alerts import AlertService
from bot.services.claims import ClaimService
from bot.services.digest import DigestService
from bot.services.events import EventLog
from bot.services.feeds import FeedPolicy, FeedService, HostSpacing
from bot.services.flags import FlagService
from bot.services.ingest import IngestService
from bot.services.jobs import JobQueue
from bot.services.links import LinkService
from bot.services.outbox import Outbox
from bot.services.stories import StoryService
from bot.settings import Settings
from storage.db import inbox_url_for, open_database, open_inbox


def match_config(settings: Settings) -> MatchConfig:
    """The deduplicator's thresholds, from settings."""
    return MatchConfig(
        near_dup_shingle_jaccard=settings.near_dup_shingle_jaccard,
        near_dup_fact_containment=settings.near_dup_fact_containment,
        same_story_long=settings.same_story_long,
        same_story_mixed=settings.same_story_mixed,
        same_story_short=settings.same_story_short,
        corpus_prior_docs=settings.corpus_prior_docs,
        corpus_idf_scale=settings.corpus_idf_scale,
        window_days=settings.story_window_days,
        half_life_days=settings.time_decay_half_life_days,
        headline_story_mean=settings.headline_story_mean,
    )


def make_fetcher(settings: Settings) -> Fetcher:
    limits = FetchLimits(
        connect_timeout=settings.fetch_connect_timeout,
        total_timeout=settings.fetch_total_timeout,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
    )
    return Fetcher(limits, allow_private=settings.allow_private_fetch)


@dataclass
class Services:
    """The long-lived services of one process."""

    ingest: IngestService
    stories: StoryService
    claims: ClaimService
    links: LinkService
    flags: FlagService
    digest: DigestService
    events: EventLog
    jobs: JobQueue  # the inbox and outbox queue, on `inbox_engine`
    outbox: Outbox
    inbox_engine: Engine
    feeds: FeedService  # watched feeds, polled on `jobs`
    alerts: AlertService  # channels' real-time conflict alerts

    @property
    def backend(self) -> str:
        """The database in use: sqlite or postgresql."""
        return self.ingest.engine.dialect.name

    def healthy(self) -> bool:
        """The database answers."""
        try:
            with self.ingest.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True


def build_services(settings: Settings, *, database_url: str | None = None) -> Services:
    """Open the database (migrating it) and wire the services."""
    url = database_url or settings.database_url
    engine = open_database(url, sqlite_timeout=settings.sqlite_busy_timeout)
    inbox_url = settings.inbox_url or inbox_url_for(url)
    inbox = open_inbox(inbox_url) if inbox_url else engine
    jobs = JobQueue(
        inbox,
        lease=timedelta(seconds=settings.job_lease_seconds),
        retry_seconds=settings.job_retry_seconds,
        max_attempts=settings.job_max_attempts,
    )
    fetcher = make_fetcher(settings)
    ingest = IngestService(engine, match_config(settings), fetcher)
    flags = FlagService(engine, emoji=next(iter(settings.flag_reactions), DEFAULT_FLAG_EMOJI))
    feeds = FeedService(
        engine,
        ingest,
        jobs,
        fetcher,
        policy=feed_policy(settings),
        spacing=HostSpacing(settings.feed_host_spacing_seconds),
    )
    digest = DigestService(
        engine,
        flags,
        default_time=settings.digest_time,
        default_tz=settings.digest_timezone,
        watched=feeds.watched_summary,
    )
    return Services(
        ingest=ingest,
        stories=StoryService(engine),
        claims=ClaimService(engine),
        links=LinkService(engine, ingest),
        flags=flags,
        digest=digest,
        events=EventLog(jobs),
        jobs=jobs,
        outbox=Outbox(jobs),
        inbox_engine=inbox,
        feeds=feeds,
        alerts=AlertService(engine),
    )


def feed_policy(settings: Settings) -> FeedPolicy:
    """How feeds are polled, from settings."""
    return FeedPolicy(
        interval=timedelta(seconds=settings.feed_interval_seconds),
        backoff_ceiling=timedelta(seconds=settings.feed_backoff_ceiling_seconds),
        report_after=settings.feed_report_after,
        max_new_items=settings.feed_max_new_items,
        threads=settings.feed_threads,
    )
