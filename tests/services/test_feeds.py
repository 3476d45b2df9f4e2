"""bot/services/feeds.py against local feed servers built from the seeds.

The fetcher keeps its address policy on and exempts only the loopback addresses the sites
listen on; any other (127.0.0.2 included) is refused as it would be in production.
"""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from unittest.mock import Mock

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core.dedup import MatchConfig
from bot.core.digest import WatchedSummary
from bot.fetch import Fetcher, FetchLimits
from bot.scheduler import DigestScheduler
from bot.services.alerts import AlertService
from bot.services.digest import DigestService
from bot.services.feeds import (
    FEED,
    FeedPolicy,
    FeedService,
    HostSpacing,
    SweepResult,
    WatchError,
)
from bot.services.flags import FlagService
from bot.services.ingest import IngestService
from bot.services.jobs import JobQueue
from bot.services.links import LinkService
from bot.views.digest import digest_text, render_digest
from storage import feed_queries
from storage.models import Article, ClaimPairRow, Feed, FeedItem, Job, Story
from tests.fake_slack import message_problems
from tests.feed_docs import Item, atom, news_sitemap, rss
from tests.feed_site import (
    ATOM,
    MB,
    XML,
    Doc,
    FeedSite,
    endless_feed,
    feed_site,
    huge_feed,
    redirect_to,
)

NOW = datetime(2024, 6, 20, 16, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)
LIMITS = FetchLimits(total_timeout=2.0)
OUTLET_HOSTS = ("127.0.0.11", "127.0.0.12", "127.0.0.13")  # three outlets, three sites
EXEMPT = {"127.0.0.1", *OUTLET_HOSTS}


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with feed_site() as s:
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(LIMITS, allow_addresses=EXEMPT) as f:
        yield f


def make_service(engine: Engine, fetcher: Fetcher, **policy: object) -> FeedService:
    ingest = IngestService(engine, MatchConfig(), fetcher)
    settings: dict[str, object] = {"interval": INTERVAL, "threads": 1, **policy}
    return FeedService(
        engine,
        ingest,
        JobQueue(engine),
        fetcher,
        policy=FeedPolicy(**settings),  # type: ignore[arg-type]
        spacing=HostSpacing(0),
    )


@pytest.fixture
def service(engine: Engine, fetcher: Fetcher) -> FeedService:
    return make_service(engine, fetcher)


def watched(service: FeedService, url: str, *, channel: str | None = "C1") -> int:
    """A feed stored as watched without `watch` (which would refuse the broken ones)."""
    with Session(service.engine) as session:
        feed = Feed(url=url, kind="rss", channel=channel, next_poll=NOW, created=NOW)
        feed_queries.add_feed(session=session, feed=feed)
        session.commit()
        assert feed.id is not None
        feed_id = feed.id
    service.jobs.schedule(kind=FEED, key=str(feed_id), payload={"url": url}, at=NOW)
    return feed_id


def seed_item(site: FeedSite, seeds: dict[str, str], name: str, outlet: str, path: str) -> Item:
    text = seeds[name]
    url = site.page(path, text, site=outlet)
    return Item(url, text.splitlines()[0][:80], guid=f"{outlet}:{name}", published=NOW)


def articles(engine: Engine) -> list[Article]:
    with Session(engine) as session:
        return list(session.exec(select(Article).order_by(col(Article.id))).all())


def stories(engine: Engine) -> list[Story]:
    with Session(engine) as session:
        return list(session.exec(select(Story)).all())


@pytest.fixture
def seeds(seed_texts: dict[str, str]) -> dict[str, str]:
    return {name[:3]: text for name, text in seed_texts.items()}


# --- watch, unwatch, watching ---------------------------------------------------------------


def test_watch_rss_and_atom_then_poll_ingests_each_item_once(service, site, seeds, engine):
    a = [seed_item(site, seeds, n, "NPR", f"/npr/{n}") for n in ("000", "001")]
    b = [seed_item(site, seeds, n, "The Northlines", f"/tn/{n}") for n in ("003", "004")]
    rss_url = site.feed("/npr/rss", rss(a, title="NPR World"))
    atom_url = site.feed("/tn/atom", atom(b, title="Northlines"), content_type=ATOM)

    first = service.watch(rss_url, channel="C1", now=NOW)
    second = service.watch(atom_url, channel="C1", now=NOW)
    assert first.created and (first.feed.kind, first.feed.title) == ("rss", "NPR World")
    assert second.created and second.feed.kind == "atom"
    assert not service.watch(rss_url, channel="C2", now=NOW).created

    swept = service.sweep(now=NOW)
    assert sorted((p.status, p.new_items, p.stored) for p in swept.polls) == [
        ("fetched", 2, 2),
        ("fetched", 2, 2),
    ]
    assert len(articles(engine)) == 4
    assert len(stories(engine)) == 1  # one event, four outlets' coverage
    assert service.sweep(now=NOW + timedelta(minutes=1)).polls == ()  # not due yet

    again = service.sweep(now=NOW + INTERVAL)
    assert [p.new_items for p in again.polls] == [0, 0]
    for path in ("/npr/000", "/npr/001", "/tn/003", "/tn/004"):
        assert site.count(path) == 1  # seen items are never fetched again
    assert len(articles(engine)) == 4
    views = service.watching()
    assert [(v.url, v.items, v.channel) for v in views] == [(rss_url, 2, "C1"), (atom_url, 2, "C1")]


def test_unwatch_forgets_the_feed_and_its_job(service, site, seeds, engine):
    url = site.feed("/npr/rss", rss([seed_item(site, seeds, "000", "NPR", "/npr/000")]))
    feed = service.watch(url, channel=None, now=NOW).feed
    service.sweep(now=NOW)
    assert service.unwatch("https://example.com/nothing") is None
    removed = service.unwatch(url)
    assert removed is not None and (removed.id, removed.url) == (feed.id, url)
    assert service.watching() == []
    assert service.jobs.keys(FEED) == set()
    assert len(articles(engine)) == 1  # its articles stay
    assert service.sweep(now=NOW + INTERVAL).polls == ()


def test_watch_resolves_a_page_to_its_feed_or_its_news_sitemap(service, site, seeds):
    site.routes["/plain"] = Doc(b"<html><head><title>Home</title></head><body>hi</body></html>")
    with pytest.raises(WatchError, match="not a feed and names none"):
        service.watch(site.url("/plain"), channel="C1", now=NOW)

    feed = site.feed("/npr/rss", rss([seed_item(site, seeds, "000", "NPR", "/npr/000")]))
    home = b'<html><head><link rel="alternate" type="application/rss+xml" href="/npr/rss">'
    site.routes["/npr/"] = Doc(home + b"</head><body>news</body></html>")
    found = service.watch(site.url("/npr/"), channel="C1", now=NOW)
    assert (found.feed.url, found.feed.site_url) == (feed, site.url("/npr/"))
    assert not service.watch(site.url("/npr/"), channel="C1", now=NOW).created

    item = seed_item(site, seeds, "001", "Vietnam News", "/vn/001")
    site.routes["/robots.txt"] = Doc(b"User-agent: *\nSitemap: /vn/news.xml\n", "text/plain")
    site.feed("/vn/news.xml", news_sitemap([item]), content_type=XML)
    site.routes["/vn/"] = Doc(b"<html><body>Vietnam News</body></html>")
    sitemap = service.watch(site.url("/vn/"), channel="C1", now=NOW)
    assert (sitemap.feed.kind, sitemap.feed.url) == ("sitemap", site.url("/vn/news.xml"))


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Doc(b"<rss><channel><item><title>x</ti", "application/rss+xml"), "not a well-formed"),
        (Doc(b"%PDF-1.7", "application/pdf"), "content type application/pdf"),
        (
            Doc(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>', XML),
            "not a news sitemap",
        ),
    ],
)
def test_watch_refuses_what_is_neither_a_feed_nor_a_news_sitemap(service, site, route, reason):
    site.routes["/x"] = route
    with pytest.raises(WatchError, match=reason) as caught:
        service.watch(site.url("/x"), channel="C1", now=NOW)
    assert "\n" not in str(caught.value)
    assert service.watching() == []


def test_watch_refuses_a_refused_address_and_a_bad_url(service):
    with pytest.raises(WatchError, match=r"refused: 127\.0\.0\.2 is a loopback address"):
        service.watch("http://127.0.0.2:9/rss", channel="C1", now=NOW)
    with pytest.raises(WatchError):
        service.watch("not a url", channel="C1", now=NOW)


# --- polling --------------------------------------------------------------------------------


def test_the_same_wire_story_from_three_outlets_is_one_story_and_one_source(service, seeds, engine):
    outlets = ["Outlet A", "Outlet B", "Outlet C"]
    with contextlib.ExitStack() as stack:
        for host, outlet in zip(OUTLET_HOSTS, outlets, strict=True):
            site = stack.enter_context(feed_site(host))
            item = seed_item(site, seeds, "000", outlet, "/world/wire")
            watched(service, site.feed("/rss", rss([item], title=outlet)))
        swept = service.sweep(now=NOW)
    assert sum(p.stored for p in swept.polls) == 3
    assert sum(p.copies for p in swept.polls) == 2
    (story,) = stories(engine)
    assert (story.article_count, story.source_count) == (3, 1)
    first, *copies = articles(engine)
    assert first.relation == "new_story" and first.outlet == "Outlet A"
    for copy in copies:
        assert copy.relation == "near_duplicate"
        assert copy.signal == "copy of Outlet A: the same text"
    assert service.watched_summary(since=NOW, channel="C1").copies == 2
    summary = service.watched_summary(since=NOW)
    assert (summary.articles, summary.sources) == (3, 1)


def test_the_watching_channels_digest_says_what_its_feeds_brought(service, seeds, engine):
    with contextlib.ExitStack() as stack:
        for host, outlet in zip(OUTLET_HOSTS, ("Outlet A", "Outlet B", "Outlet C"), strict=True):
            site = stack.enter_context(feed_site(host))
            item = seed_item(site, seeds, "000", outlet, "/world/wire")
            watched(service, site.feed("/rss", rss([item], title=outlet)), channel="C1")
        service.sweep(now=NOW)
    digest = DigestService(
        engine,
        FlagService(engine),
        default_time="09:00",
        default_tz="UTC",
        watched=service.watched_summary,
    )
    until = datetime.now(UTC)
    since = until - timedelta(hours=24)
    ours = digest.build(since=since, until=until, channel="C1")
    assert ours.watched == WatchedSummary(articles=3, copies=2)
    (story,) = ours.stories  # reached only through the feeds, a story like any other
    assert (story.article_count, story.source_count) == (3, 1)
    line = "3 new sources since yesterday from watched feeds, 2 of them wire copies"
    parent = render_digest(ours, False)[0]
    assert message_problems({"text": parent.text, "blocks": parent.blocks}) == []
    assert line in str(parent.blocks) and line in parent.text
    assert line in digest_text(ours)
    # Another channel's digest shows the story but no line for feeds it does not watch.
    theirs = digest.build(since=since, until=until, channel="C2")
    assert theirs.watched is None and len(theirs.stories) == 1
    assert "watched feeds" not in str(render_digest(theirs, False)[0].blocks)
    # Nothing since: quiet (no message at all), whatever the feeds brought before.
    later = digest.build(since=until, until=until + timedelta(hours=24), channel="C1")
    assert later.watched is None and render_digest(later, False) == []


def test_a_304_on_the_second_poll_fetches_no_page(service, site, seeds):
    item = seed_item(site, seeds, "000", "NPR", "/npr/000")
    site.feed("/rss", rss([item]), etag='"v1"', last_modified="Thu, 20 Jun 2024 16:00:00 GMT")
    watched(service, site.url("/rss"))
    assert service.sweep(now=NOW).polls[0].stored == 1
    (poll,) = service.sweep(now=NOW + INTERVAL).polls
    assert (poll.status, poll.new_items, poll.next_poll) == ("not_modified", 0, NOW + 2 * INTERVAL)
    assert site.count("/rss") == 2 and site.conditional["/rss"] == 1
    assert site.count("/npr/000") == 1


def test_broken_feeds_are_each_refused_with_a_reason_and_the_others_unaffected(
    engine, fetcher, site, seeds
):
    service = make_service(engine, fetcher, threads=4)
    good = seed_item(site, seeds, "001", "Vietnam News", "/vn/001")
    site.routes["/huge"] = huge_feed(50)
    site.routes["/endless"] = endless_feed
    site.routes["/loop"] = redirect_to("/loop")
    feeds = {
        "good": site.feed("/good", rss([good])),
        "malformed": site.feed("/bad", b"<?xml version='1.0'?><rss><channel><item><tit"),
        "huge": site.url("/huge"),
        "endless": site.url("/endless"),
        "loop": site.url("/loop"),
        "refused": site.url("/good").replace("127.0.0.1", "127.0.0.2"),
        "not a feed": site.url("/vn/001"),
    }
    ids = {watched(service, url): name for name, url in feeds.items()}
    tracemalloc.start()
    try:
        swept = service.sweep(now=NOW)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    polls = {ids[p.feed_id]: p for p in swept.polls}
    assert polls["good"].status == "fetched" and polls["good"].stored == 1
    reasons = {name: polls[name].error for name in feeds if name != "good"}
    assert reasons == {
        "malformed": reasons["malformed"],
        "huge": "page is larger than 5 MB",
        "endless": "timed out after 2 s",
        "loop": "too many redirects (more than 5)",
        "refused": "refused: 127.0.0.2 is a loopback address",
        "not a feed": "not a feed (content type text/html)",
    }
    assert reasons["malformed"] is not None and reasons["malformed"].startswith(
        "not a well-formed feed (line 1"
    )
    assert peak < 25 * MB  # the 50 MB feed was streamed and cut off, not held
    assert all(polls[n].next_poll == NOW + 2 * INTERVAL for n in reasons)  # backed off
    assert polls["good"].next_poll == NOW + INTERVAL
    assert len(articles(engine)) == 1


def test_a_feed_that_keeps_failing_is_reported_once_and_backs_off_to_a_ceiling(
    engine, fetcher, site, seeds
):
    service = make_service(engine, fetcher, report_after=3, backoff_ceiling=timedelta(hours=1))
    site.feed("/rss", b"not xml at all <")
    feed_id = watched(service, site.url("/rss"), channel="C9")
    now, waits, alerts = NOW, [], []
    for _ in range(5):
        (poll,) = service.sweep(now=now).polls
        waits.append(poll.next_poll - now)
        alerts.extend(service.sweep(now=now).alerts)  # not due again: nothing
        alerts += [poll.alert] if poll.alert else []
        now = poll.next_poll
    assert waits == [INTERVAL * 2, INTERVAL * 4, *[timedelta(hours=1)] * 3]
    assert len(alerts) == 1
    (alert,) = alerts
    assert (alert.feed_id, alert.channel, alert.failures) == (feed_id, "C9", 3)
    assert alert.error.startswith("not")
    (view,) = service.watching()
    assert view.reported and view.failures == 5 and view.last_error == alert.error

    site.feed("/rss", rss([seed_item(site, seeds, "000", "NPR", "/npr/000")]))
    (poll,) = service.sweep(now=now).polls
    assert poll.status == "fetched" and poll.next_poll == now + INTERVAL
    (view,) = service.watching()
    assert not view.reported and view.failures == 0 and view.last_error is None


def test_a_restart_resumes_without_ingesting_again(engine, site, seeds):
    items = [seed_item(site, seeds, n, "NPR", f"/npr/{n}") for n in ("000", "001")]
    site.feed("/rss", rss(items), etag='"v1"')
    with Fetcher(LIMITS, allow_addresses=EXEMPT) as first_fetcher:
        first = make_service(engine, first_fetcher)
        watched(first, site.url("/rss"))
        assert first.sweep(now=NOW).polls[0].stored == 2
        # It takes the feed again and dies holding the lease, before polling.
        assert first.jobs.take_due(kinds=(FEED,), now=NOW + INTERVAL)
    items.append(seed_item(site, seeds, "003", "NPR", "/npr/003"))
    site.feed("/rss", rss(items), etag='"v2"')
    with Fetcher(LIMITS, allow_addresses=EXEMPT) as fetcher:
        restarted = make_service(engine, fetcher)  # another process: another owner
        assert restarted.sweep(now=NOW + INTERVAL).polls == ()  # the lease is still held
        later = NOW + INTERVAL + restarted.jobs.lease + timedelta(seconds=1)
        (poll,) = restarted.sweep(now=later).polls
    assert (poll.new_items, poll.stored) == (1, 1)
    assert [site.count(f"/npr/{n}") for n in ("000", "001", "003")] == [1, 1, 1]
    assert len(articles(engine)) == 3


def test_a_link_two_feeds_list_is_fetched_once(service, site, seeds, engine):
    shared = seed_item(site, seeds, "001", "Vietnam News", "/vn/001")
    first = watched(service, site.feed("/a", rss([shared])))
    service.sweep(now=NOW)
    second = watched(service, site.feed("/b", rss([Item(shared.link, "same", guid="other")])))
    polls = {p.feed_id: p for p in service.sweep(now=NOW).polls}
    assert polls[second].skipped == 1 and polls[second].stored == 0
    assert first not in polls
    assert site.count("/vn/001") == 1
    with Session(engine) as session:
        rows = session.exec(select(FeedItem)).all()
    assert {r.article_id for r in rows} == {articles(engine)[0].id}


def test_an_item_page_that_fails_is_tried_again_a_few_times_then_left(service, site, seeds):
    missing = Item(site.url("/gone"), "Gone", guid="g1")
    site.feed("/rss", rss([missing]), etag='"v1"')
    watched(service, site.url("/rss"))
    now = NOW
    for _ in range(3):
        (poll,) = service.sweep(now=now).polls
        assert (poll.status, poll.failed_items) == ("fetched", 1)
        assert poll.next_poll == now + INTERVAL  # the feed itself is fine: no backoff
        assert poll.error is not None and poll.error.startswith(site.url("/gone") + ": HTTP 404")
        now = poll.next_poll
    assert site.conditional["/rss"] == 0  # no validators while the item is unsettled
    (poll,) = service.sweep(now=now).polls
    assert poll.status == "not_modified"  # left alone after three attempts
    assert site.count("/gone") == 3


def test_at_most_max_new_items_a_poll_and_the_rest_next_time(engine, fetcher, site, seeds):
    service = make_service(engine, fetcher, max_new_items=1)
    items = [seed_item(site, seeds, n, "NPR", f"/npr/{n}") for n in ("000", "001")]
    site.feed("/rss", rss(items), etag='"v1"')
    watched(service, site.url("/rss"))
    (poll,) = service.sweep(now=NOW).polls
    assert poll.new_items == 1
    (poll,) = service.sweep(now=NOW + INTERVAL).polls  # no validator sent: a full answer
    assert poll.new_items == 1 and site.conditional["/rss"] == 0
    (poll,) = service.sweep(now=NOW + 2 * INTERVAL).polls
    assert poll.status == "not_modified"


def test_an_entry_updated_by_its_outlet_is_fetched_again(service, site, seeds, engine):
    """The versions seam: the page goes back to IngestService, which decides what it is."""
    item = Item(site.page("/npr/000", seeds["000"], site="NPR"), "t", guid="x", published=NOW)
    later = Item(item.link, "t", guid="x", published=NOW, updated=NOW + timedelta(hours=2))
    site.feed("/atom", atom([item]), content_type=ATOM)
    watched(service, site.url("/atom"))
    service.sweep(now=NOW)
    site.feed("/atom", atom([later]), content_type=ATOM)
    (poll,) = service.sweep(now=NOW + INTERVAL).polls
    assert poll.new_items == 0 and site.count("/npr/000") == 2
    (poll,) = service.sweep(now=NOW + 2 * INTERVAL).polls
    assert site.count("/npr/000") == 2  # the same updated date: not again
    assert len(articles(engine)) == 1


def test_ensure_jobs_gives_a_feed_without_a_job_one(service, site, seeds, engine):
    url = site.feed("/rss", rss([seed_item(site, seeds, "000", "NPR", "/npr/000")]))
    feed = service.watch(url, channel="C1", now=NOW).feed
    service.jobs.remove(kind=FEED, key=str(feed.id))  # a lost inbox file, say
    (poll,) = service.sweep(now=NOW).polls
    assert poll.feed_id == feed.id
    with Session(engine) as session:
        job = session.exec(select(Job).where(col(Job.kind) == FEED)).one()
    assert job.state == "pending" and job.claimed_by is None and job.next_run == NOW + INTERVAL


# --- per-host spacing -----------------------------------------------------------------------


def test_host_spacing_spaces_requests_to_one_host_only():
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    spacing = HostSpacing(2.0, clock=lambda: clock[0], sleep=sleep)
    assert spacing.wait("https://a.example/1") == 0
    assert spacing.wait("https://A.example/2") == 2.0  # the same host, however spelt
    assert spacing.wait("https://a.example/3") == 4.0  # its turn after the one before
    assert spacing.wait("https://b.example/1") == 0
    clock[0] = 110.0
    assert spacing.wait("https://a.example/4") == 0
    assert slept == [2.0, 4.0]
    assert HostSpacing(0).wait("https://a.example/") == 0


def test_polls_space_their_requests_to_one_host(engine, fetcher, site, seeds):
    calls: list[str] = []

    class Recording(HostSpacing):
        def wait(self, url: str) -> float:
            calls.append(url)
            return 0.0

    service = make_service(engine, fetcher)
    service.spacing = Recording(1.0)
    items = [seed_item(site, seeds, n, "NPR", f"/npr/{n}") for n in ("000", "001")]
    watched(service, site.feed("/rss", rss(items)))
    service.sweep(now=NOW)
    assert calls == [site.url("/rss"), items[0].link, items[1].link]  # every request waits


def test_a_news_sitemap_is_polled_like_a_feed_with_its_validators(service, site, seeds):
    item = seed_item(site, seeds, "001", "Vietnam News", "/vn/001")
    site.feed("/news.xml", news_sitemap([item]), content_type=XML, etag='"s1"')
    watched(service, site.url("/news.xml"))
    (poll,) = service.sweep(now=NOW).polls
    assert (poll.status, poll.stored) == ("fetched", 1)
    (poll,) = service.sweep(now=NOW + INTERVAL).polls
    assert poll.status == "not_modified"  # a sitemap has no title: its ETag is kept all the same
    (view,) = service.watching()
    assert view.title is None and view.items == 1


def test_a_poll_that_loses_its_lease_stops_before_the_next_item(service, site, seeds):
    items = [seed_item(site, seeds, n, "NPR", f"/npr/{n}") for n in ("000", "001")]
    site.feed("/rss", rss(items), etag='"v1"')
    feed_id = watched(service, site.url("/rss"))
    answers = iter([True, False])  # renewed before the first item, taken over before the second
    result = service.poll(feed_id, now=NOW, renew=lambda: next(answers))
    assert result is not None and (result.new_items, result.stored) == (1, 1)
    assert site.count("/npr/000") == 1 and site.count("/npr/001") == 0
    (view,) = service.watching()
    with Session(service.engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None and feed.etag is None  # the rest is left for the next poll
    assert view.items == 1


def test_a_long_poll_renews_its_lease(engine, fetcher, site, seeds):
    service = make_service(engine, fetcher)
    service.jobs = JobQueue(engine, lease=timedelta(seconds=0.3))  # renewed every 0.1 s
    items = [seed_item(site, seeds, n, "NPR", f"/npr/{n}") for n in ("000", "001", "003")]
    site.feed("/rss", rss(items))
    watched(service, site.url("/rss"))
    renewals: list[datetime] = []
    start = service.jobs.start

    def recording(job_id: int, *, now: datetime) -> int | None:
        renewals.append(now)
        return start(job_id, now=now)

    service.jobs.start = recording  # type: ignore[method-assign]
    (poll,) = service.sweep(now=NOW).polls
    assert poll.stored == 3
    assert renewals and all(r > NOW for r in renewals)  # the lease moved on with the poll


def test_an_item_its_outlet_revised_is_its_next_version_with_the_figure_updated(
    service, site, seeds, engine
):
    """The outlet changed a figure of a page it had published: the updated item is stored as
    the page's next version, in its story, the changed figure an update, not a conflict."""
    item = Item(site.page("/npr/000", seeds["000"], site="NPR"), "t", guid="x", published=NOW)
    site.feed("/atom", atom([item]), content_type=ATOM)
    watched(service, site.url("/atom"))
    service.sweep(now=NOW)
    revised = seeds["000"].replace("$3.6 billion", "$3.9 billion")
    site.page("/npr/000", revised, site="NPR")
    later = Item(item.link, "t", guid="x", published=NOW, updated=NOW + timedelta(hours=2))
    site.feed("/atom", atom([later]), content_type=ATOM)

    service.sweep(now=NOW + INTERVAL)

    with Session(engine) as session:
        rows = session.exec(select(Article).order_by(col(Article.id))).all()
        assert [(a.version, a.relation) for a in rows] == [(1, "new_story"), (2, "revision")]
        assert rows[1].story_id == rows[0].story_id
        story = session.get(Story, rows[0].story_id)
        assert story is not None and story.source_count == 1
        labels = session.exec(select(ClaimPairRow.label)).all()
    assert "update" in labels and "conflict" not in labels


# --- conflict alerts ------------------------------------------------------------------------


def _alerting(service: FeedService, engine: Engine) -> tuple[DigestScheduler, Mock, AlertService]:
    alerts = AlertService(engine)
    post = Mock(return_value="1700000100.000200")
    return (
        DigestScheduler(Mock(spec=DigestService), post, feeds=service, alerts=alerts),
        post,
        alerts,
    )


def _discussed(service: FeedService, engine: Engine, site: FeedSite, seeds: dict[str, str]) -> None:
    """#C1 discussed the story: someone posted the AP article (12 agreements) there."""
    url = site.page("/ap/000", seeds["000"], site="AP")
    LinkService(engine, service.ingest).post_link(
        channel="C1", ts="1700000000.000100", thread_ts=None, url=url
    )


def _feed_brings_conflict_and_copy(service: FeedService, site: FeedSite, seeds) -> None:
    """A feed of #C1 lists a copy of the AP article, then another outlet's 11 agreements."""
    copy = seed_item(site, seeds, "002", "Copier", "/copier/002")
    other = seed_item(site, seeds, "001", "Vietnam News", "/vn/001")
    watched(service, site.feed("/rss", rss([copy, other])), channel="C1")


def test_a_conflict_a_feed_brings_to_a_discussed_story_is_alerted_once(
    service, site, seeds, engine, monkeypatch
):
    scheduler, post, alerts = _alerting(service, engine)
    sweeps: list[SweepResult] = []
    sweep = service.sweep
    monkeypatch.setattr(service, "sweep", lambda **kw: sweeps.append(sweep(**kw)) or sweeps[-1])
    assert alerts.enable(channel="C1", user="U1", now=NOW)
    assert not alerts.enable(channel="C1", user="U1", now=NOW)  # on already
    alerts.enable(channel="C2", user="U1", now=NOW)  # on, but the story was never posted there
    _discussed(service, engine, site, seeds)
    _feed_brings_conflict_and_copy(service, site, seeds)

    assert scheduler.sweep_feeds() == 1

    (call_,) = post.call_args_list  # one message: the conflict, none for the copy, none in C2
    channel, message, thread_ts = call_.args
    assert (channel, thread_ts) == ("C1", "1700000000.000100")  # in the story's thread
    assert message.text.startswith("A watched feed brought 1 conflict with earlier coverage")
    assert message_problems({"text": message.text, "blocks": message.blocks}) == []
    shown = str(message.blocks)
    assert "11" in shown and "12" in shown and "Vietnam News" in shown
    assert "score" not in shown.lower() and "0." not in message.text
    (arrival,) = sweeps[0].conflicts  # the Vietnam News article; the copy brought none
    assert arrival.outlet == "Vietnam News"
    # Claimed: another replica handed the same arrival, or a later sweep, posts nothing.
    assert alerts.claim([arrival], now=NOW) == []
    scheduler.sweep_feeds()
    assert post.call_count == 1


def test_no_alert_for_a_story_the_channel_never_discussed(service, site, seeds, engine):
    scheduler, post, alerts = _alerting(service, engine)
    alerts.enable(channel="C1", user="U1", now=NOW)
    site.page("/ap/000", seeds["000"], site="AP")
    watched(service, site.feed("/ap.xml", rss([seed_item(site, seeds, "000", "AP", "/ap/000")])))
    _feed_brings_conflict_and_copy(service, site, seeds)

    scheduler.sweep_feeds()

    assert post.call_count == 0  # a conflict, but nobody posted the story in #C1


def test_no_alert_once_the_channel_turned_alerts_off(service, site, seeds, engine):
    scheduler, post, alerts = _alerting(service, engine)
    alerts.enable(channel="C1", user="U1", now=NOW)
    assert alerts.disable(channel="C1") and not alerts.disable(channel="C1")
    assert alerts.channels() == []
    _discussed(service, engine, site, seeds)
    _feed_brings_conflict_and_copy(service, site, seeds)

    scheduler.sweep_feeds()

    assert post.call_count == 0
