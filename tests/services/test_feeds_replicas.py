"""Two replicas polling 50 feeds on PostgreSQL for several intervals: each feed is requested
once per interval, and no item is ingested twice (the feed jobs' leases, not luck)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from bot.core.dedup import MatchConfig
from bot.fetch import Fetcher, FetchLimits
from bot.services.feeds import FeedPolicy, FeedService, HostSpacing, SweepResult
from bot.services.ingest import IngestService
from bot.services.jobs import JobQueue
from storage.db import make_engine, migrate
from storage.models import Article, FeedItem
from tests.conftest import PG_URL, reset_postgres
from tests.feed_docs import Item, rss, synthetic_text
from tests.feed_site import FeedSite, feed_site

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
]

FEEDS = 50
CYCLES = 3
INTERVAL = timedelta(minutes=10)
T0 = datetime(2024, 6, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def pg() -> Iterator[Engine]:
    assert PG_URL
    engine = make_engine(PG_URL)
    reset_postgres(engine)
    migrate(engine)
    yield engine
    engine.dispose()


def replica(engine: Engine, fetcher: Fetcher) -> FeedService:
    """One `newsroom serve` process's feed service: its own queue owner, on the shared DB."""
    return FeedService(
        engine,
        IngestService(engine, MatchConfig(), fetcher),
        JobQueue(engine),
        fetcher,
        policy=FeedPolicy(interval=INTERVAL, threads=3),
        spacing=HostSpacing(0),
    )


def publish(site: FeedSite, feed: int, cycle: int) -> None:
    """Feed `feed` as of `cycle`: one new item each cycle, older ones still listed."""
    items = []
    for c in range(cycle + 1):
        seed = feed * 100 + c
        path = f"/f{feed}/item{c}"
        site.page(path, synthetic_text(seed), site=f"Outlet {feed}")
        items.append(Item(site.url(path), f"Report {seed}", guid=f"f{feed}-{c}", published=T0))
    site.feed(f"/f{feed}/rss", rss(items), etag=f'"{cycle}"')


def test_two_replicas_poll_each_feed_once_per_interval_and_ingest_each_item_once(pg):
    with feed_site() as site, Fetcher(FetchLimits(), allow_private=True) as fetcher:
        a, b = replica(pg, fetcher), replica(pg, fetcher)
        assert a.jobs.owner != b.jobs.owner
        for feed in range(FEEDS):
            publish(site, feed, 0)
            a.watch(site.url(f"/f{feed}/rss"), channel="C1", now=T0)
        site.reset()  # count the polls only, not watch's first look
        for cycle in range(CYCLES):
            if cycle:
                for feed in range(FEEDS):
                    publish(site, feed, cycle)
            now = T0 + cycle * INTERVAL
            results: dict[str, SweepResult] = {}
            start = threading.Barrier(2)

            def sweep(
                name: str,
                service: FeedService,
                when: datetime = now,
                start: threading.Barrier = start,
                results: dict[str, SweepResult] = results,
            ) -> None:
                start.wait()
                results[name] = service.sweep(now=when)

            threads = [threading.Thread(target=sweep, args=p) for p in (("a", a), ("b", b))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            polled = [p.feed_id for r in results.values() for p in r.polls]
            assert len(polled) == len(set(polled)) == FEEDS  # each feed by one replica
            for feed in range(FEEDS):
                assert site.count(f"/f{feed}/rss") == cycle + 1  # once per interval
            assert sum(p.new_items for r in results.values() for p in r.polls) == FEEDS
            # Neither replica may poll before the next interval.
            assert a.sweep(now=now + INTERVAL / 2).polls == ()
            assert b.sweep(now=now + INTERVAL / 2).polls == ()
        both = {name: len(r.polls) for name, r in results.items()}
        assert all(n > 0 for n in both.values()), both  # the work was shared

    for feed in range(FEEDS):
        for c in range(CYCLES):
            assert site.count(f"/f{feed}/item{c}") == 1  # every page fetched once
    with Session(pg) as session:
        stored = session.exec(select(func.count()).select_from(Article)).one()
        items = session.exec(select(func.count()).select_from(FeedItem)).one()
        unlinked = session.exec(
            select(func.count()).select_from(FeedItem).where(col(FeedItem.article_id).is_(None))
        ).one()
    assert stored == items == FEEDS * CYCLES and unlinked == 0
