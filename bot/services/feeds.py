"""Use case: watch outlets' feeds and news sitemaps, and ingest what they list like pasted links.

`watch` resolves what it is given to a feed: the URL itself when it is an RSS or Atom feed or a
news sitemap, else the feed its page names (`<link rel="alternate">`), else a news sitemap
(robots.txt's `Sitemap:` lines, then two usual addresses). Anything else is refused with a
reason.

Polling runs on the job queue (bot/services/jobs.py), the inbox's own lease and table: each
feed has one `job` row of kind `feed`, keyed by its id, so any number of replicas' sweeps poll
each feed once per interval, one replica at a time. After a poll the job goes back to
pending, due after the feed's interval, or after a backoff that doubles with each failure in a
row up to a ceiling. A feed that keeps failing is reported once (`FeedAlert`, for the caller
to post in the feed's channel), and the report is shown in `watching` until a poll succeeds.

What a poll learns is stored, so a restart resumes: the validators (a 304 costs one request
and nothing else), and every item by its GUID or link. A new item's page is fetched and
ingested as a pasted link is (canonical URL, copies, stories, claims); an item already seen is
not fetched again, nor a link whose canonical URL is already stored, and a page with the same
text as a stored one is IngestService's duplicate. Items never post anything.

The seam for revised articles: an item seen before whose entry now carries another `updated`
value is fetched again and handed to `IngestService.ingest_url`, which decides what a revised
page is (a duplicate today; a new version of the article once IngestService stores versions).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.digest import WatchedSummary as WatchedSummary  # the digest's record
from bot.core.feeds import FeedEntry, FeedError, ParsedFeed, feed_links, parse_document
from bot.core.feeds import robots_sitemaps as sitemaps_in_robots
from bot.core.urls import InvalidURL, canonicalize
from bot.core.vocabulary import INDEPENDENT, Label, Relation
from bot.fetch import FetchedPage, Fetcher, FetchError, UnexpectedType
from bot.services.alerts import ConflictArrival
from bot.services.ingest import IngestError, IngestResult, IngestService
from bot.services.jobs import JobQueue, QueuedJob
from storage import feed_queries, queries
from storage.models import Feed, FeedItem

logger = logging.getLogger(__name__)

FEED = "feed"  # the job kind
ITEM_ATTEMPTS = 3  # an item page that fails this often is left alone
SITEMAP_GUESSES = ("/news-sitemap.xml", "/sitemap_news.xml")
_COPIES = frozenset({Relation.NEAR_DUPLICATE, Relation.DUPLICATE})


class WatchError(ValueError):
    """What cannot be watched; str() is one line."""


# --- plain results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedView:
    """A watched feed as plain data."""

    id: int
    url: str
    site_url: str | None
    kind: str
    channel: str | None
    title: str | None
    failures: int
    last_error: str | None
    reported: bool  # it kept failing and was reported
    next_poll: datetime
    last_polled: datetime | None
    items: int = 0


@dataclass(frozen=True, slots=True)
class WatchResult:
    feed: FeedView
    created: bool  # False: it was watched already


@dataclass(frozen=True, slots=True)
class FeedAlert:
    """A feed that keeps failing, to be reported once in its channel."""

    feed_id: int
    url: str
    title: str | None
    channel: str | None
    failures: int
    error: str


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed did."""

    feed_id: int
    url: str
    status: str  # fetched | not_modified | failed
    next_poll: datetime
    new_items: int = 0  # items seen for the first time
    stored: int = 0  # new articles stored
    copies: int = 0  # of which copies (no new source)
    skipped: int = 0  # items whose canonical URL was stored already (not fetched)
    failed_items: int = 0
    error: str | None = None
    alert: FeedAlert | None = None
    conflicts: tuple[ConflictArrival, ...] = ()  # new articles that brought conflicts


@dataclass(frozen=True, slots=True)
class SweepResult:
    polls: tuple[PollResult, ...] = ()

    @property
    def alerts(self) -> list[FeedAlert]:
        return [p.alert for p in self.polls if p.alert is not None]

    @property
    def conflicts(self) -> list[ConflictArrival]:
        return [c for p in self.polls for c in p.conflicts]


@dataclass(frozen=True)
class FeedPolicy:
    """How feeds are polled."""

    interval: timedelta = timedelta(minutes=15)
    backoff_ceiling: timedelta = timedelta(hours=6)
    report_after: int = 5
    max_new_items: int = 30
    threads: int = 4

    def backoff(self, failures: int, interval: timedelta) -> timedelta:
        """The wait after `failures` failed polls in a row: the interval doubled each time,
        at most the ceiling (and never less than the interval)."""
        wait = interval * int(2 ** min(failures, 20))
        return max(interval, min(wait, self.backoff_ceiling))


# --- per-host spacing -----------------------------------------------------------------------


class HostSpacing:
    """No two requests of this process to one host closer than `seconds`: each caller
    reserves the host's next free slot under a lock, then sleeps until it comes."""

    def __init__(
        self,
        seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> float:
        """Wait for `url`'s host's turn; how long it waited."""
        if self.seconds <= 0:
            return 0.0
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.seconds
            if len(self._next) > 10_000:  # forget hosts whose turn has long passed
                self._next = {h: t for h, t in self._next.items() if t > now}
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay


# --- the service ----------------------------------------------------------------------------


def _view(feed: Feed, items: int = 0) -> FeedView:
    assert feed.id is not None
    return FeedView(
        id=feed.id,
        url=feed.url,
        site_url=feed.site_url,
        kind=feed.kind,
        channel=feed.channel,
        title=feed.title,
        failures=feed.failures,
        last_error=feed.last_error,
        reported=feed.error_reported,
        next_poll=feed.next_poll,
        last_polled=feed.last_polled,
        items=items,
    )


def _fits(value: str | None, limit: int) -> str | None:
    return value if value is not None and len(value) <= limit else None


@dataclass
class _Found:
    """A feed `watch` resolved: where it is, what it is, and its first answer."""

    url: str
    parsed: ParsedFeed
    page: FetchedPage
    site_url: str | None = None


@dataclass
class _Tally:
    new_items: int = 0
    stored: int = 0
    copies: int = 0
    skipped: int = 0
    failed: int = 0
    unsettled: bool = False  # items left for the next poll: keep no validators
    errors: list[str] = field(default_factory=list)
    conflicts: list[ConflictArrival] = field(default_factory=list)


class FeedService:
    def __init__(
        self,
        engine: Engine,
        ingest: IngestService,
        jobs: JobQueue,
        fetcher: Fetcher,
        *,
        policy: FeedPolicy | None = None,
        spacing: HostSpacing | None = None,
    ) -> None:
        self.engine = engine
        self.ingest = ingest
        self.jobs = jobs
        self.fetcher = fetcher
        self.policy = policy or FeedPolicy()
        self.spacing = spacing or HostSpacing(1.0)

    # Watching ------------------------------------------------------------------------------

    def watch(
        self, url: str, *, channel: str | None, now: datetime, user: str | None = None
    ) -> WatchResult:
        """Watch the feed `url` is or names, for `channel`'s digest; raises WatchError."""
        url = url.strip()
        try:
            canonicalize(url)
        except InvalidURL as exc:
            raise WatchError(str(exc)) from exc
        with Session(self.engine) as session:
            known = feed_queries.feed_by_url(session=session, url=url)
            known = known or feed_queries.feed_by_site_url(session=session, site_url=url)
            if known is not None:
                return WatchResult(_view(known), created=False)
        found = self._resolve(url)
        feed = Feed(
            url=found.url,
            site_url=found.site_url,
            kind=found.parsed.kind,
            channel=channel,
            title=found.parsed.title,
            interval_s=int(self.policy.interval.total_seconds()),
            next_poll=now,
            created_by=user,
            created=now,
        )
        with Session(self.engine) as session:
            try:
                feed_queries.add_feed(session=session, feed=feed)
                session.commit()
            except IntegrityError:
                session.rollback()
                existing = feed_queries.feed_by_url(session=session, url=found.url)
                if existing is None:
                    raise
                return WatchResult(_view(existing), created=False)
            view = _view(feed)
        # Its first poll is due now, on whichever replica's sweep comes first.
        self.jobs.schedule(kind=FEED, key=str(view.id), payload={"url": view.url}, at=now)
        return WatchResult(view, created=True)

    def unwatch(self, url: str) -> FeedView | None:
        """Stop watching a feed, named by its URL, the site URL it was watched by, or its
        id; the feed as it was, or None when no feed is so named. Its articles stay."""
        url = url.strip()
        with Session(self.engine) as session:
            feed = feed_queries.feed_by_url(session=session, url=url)
            feed = feed or feed_queries.feed_by_site_url(session=session, site_url=url)
            if feed is None and url.isdigit():
                feed = session.get(Feed, int(url))
            if feed is None or feed.id is None:
                return None
            view = _view(feed)
            feed_queries.remove_feed(session=session, feed_id=feed.id)
            session.commit()
        self.jobs.remove(kind=FEED, key=str(view.id))
        return view

    def watching(self, channel: str | None = None) -> list[FeedView]:
        """The watched feeds (of `channel`), failing ones marked."""
        with Session(self.engine) as session:
            counts = feed_queries.item_counts(session=session)
            return [
                _view(f, counts.get(f.id or 0, 0))
                for f in feed_queries.feeds(session=session, channel=channel)
            ]

    def watched_summary(
        self, *, since: datetime, until: datetime | None = None, channel: str | None = None
    ) -> WatchedSummary:
        """What watched items brought in (since, until] (see ``watched_summary``)."""
        return watched_summary(self.engine, since=since, until=until, channel=channel)

    def _resolve(self, url: str) -> _Found:
        """The feed or news sitemap `url` is or leads to; raises WatchError."""
        try:
            return self._feed_at(url)
        except UnexpectedType as exc:
            if exc.media_type not in ("text/html", "application/xhtml+xml"):
                raise WatchError(f"{url}: {exc.reason}") from exc
        except (FetchError, FeedError) as exc:
            raise WatchError(f"{url}: {_reason(exc)}") from exc
        # A page: the feeds it names, else a news sitemap of its site.
        page = self._get(url)
        problems = []
        for link in feed_links(page.text(), base_url=page.url)[:3]:
            try:
                return self._feed_at(link.url, site_url=url)
            except (FetchError, FeedError) as exc:
                problems.append(f"{link.url}: {_reason(exc)}")
        if problems:
            raise WatchError(f"the feed {url} names could not be read ({problems[0]})")
        for sitemap in self._sitemap_candidates(page.url)[:4]:
            try:
                found = self._feed_at(sitemap, site_url=url)
            except (FetchError, FeedError):
                continue
            if found.parsed.kind == "sitemap":
                return found
        raise WatchError(f"{url} is not a feed and names none, and its site has no news sitemap")

    def _get(self, url: str) -> FetchedPage:
        self.spacing.wait(url)
        try:
            return self.fetcher.fetch(url)
        except FetchError as exc:
            raise WatchError(f"{url}: {exc.reason}") from exc

    def _feed_at(self, url: str, *, site_url: str | None = None, depth: int = 0) -> _Found:
        """The feed at `url` (a sitemap index: its news sitemap); FetchError or FeedError."""
        self.spacing.wait(url)
        page = self.fetcher.fetch_feed(url)
        parsed = parse_document(page.body, url=page.url, content_type=page.content_type)
        if parsed.kind == "sitemap":
            if parsed.sitemaps:
                news = [s for s in parsed.sitemaps if "news" in s.lower()]
                if not news or depth:
                    raise FeedError("a sitemap index that lists no news sitemap")
                return self._feed_at(news[0], site_url=site_url or url, depth=depth + 1)
            if not parsed.news:
                raise FeedError("a sitemap without news entries (not a news sitemap)")
        return _Found(url=page.url, parsed=parsed, page=page, site_url=site_url)

    def _sitemap_candidates(self, page_url: str) -> list[str]:
        root = urljoin(page_url, "/")
        found: list[str] = []
        try:
            self.spacing.wait(root)
            robots = self.fetcher.fetch(urljoin(root, "/robots.txt"))
            if robots.content_type == "text/plain":
                found = sitemaps_in_robots(robots.text(), base_url=robots.url)
        except FetchError:
            pass
        found.extend(urljoin(root, path) for path in SITEMAP_GUESSES)
        return list(dict.fromkeys(found))

    # Polling -------------------------------------------------------------------------------

    def ensure_jobs(self, *, now: datetime) -> int:
        """A poll job for every feed that has none (a lost inbox file, say), and none for a
        feed no longer watched; how many were added."""
        # The jobs first: `watch` stores a feed before its job, so a job read here has its
        # feed in the read that follows (unless it was unwatched since).
        keys = self.jobs.keys(FEED)
        with Session(self.engine) as session:
            ids = {str(f.id): f.url for f in feed_queries.feeds(session=session)}
        added = 0
        for key in ids.keys() - keys:
            added += self.jobs.schedule(kind=FEED, key=key, payload={"url": ids[key]}, at=now)
        for key in keys - ids.keys():
            self.jobs.remove(kind=FEED, key=key)
        return added

    def sweep(self, *, now: datetime | None = None, limit: int = 10_000) -> SweepResult:
        """Poll the feeds that are due and that no other replica holds, a few at once.

        Jobs are taken a batch at a time (as many as are polled at once), so that a lease
        never runs out while its feed waits in this process's queue, and replicas sweeping
        together share the due feeds between them."""
        now = now or datetime.now(UTC)
        self.ensure_jobs(now=now)
        batch = max(1, self.policy.threads)
        polls: list[PollResult | None] = []
        with ThreadPoolExecutor(batch) as pool:
            while len(polls) < limit:
                taken = self.jobs.take_due(
                    kinds=(FEED,), now=now, limit=min(batch, limit - len(polls))
                )
                if not taken:
                    break
                polls.extend(pool.map(lambda job: self._run(job, now), taken))
        return SweepResult(tuple(p for p in polls if p is not None))

    def _run(self, job: QueuedJob, now: datetime) -> PollResult | None:
        """Poll one feed under the lease `take_due` just gave this process, renewed as the
        poll goes on, then hand the job back for the next poll."""
        began = renewed = time.monotonic()

        def renew() -> bool:
            nonlocal renewed
            moment = time.monotonic()
            if moment - renewed < self.jobs.lease.total_seconds() / 3:
                return True
            renewed = moment
            later = now + timedelta(seconds=moment - began)
            return self.jobs.start(job.id, now=later) is not None  # None: taken over

        try:
            result = self.poll(int(job.key), now=now, renew=renew)
        except Exception as exc:  # a bug or a lost database: the feed is tried again later
            logger.exception("polling feed %s failed", job.key)
            retry = now + self.policy.backoff(1, self.policy.interval)
            self.jobs.release(job.id, next_run=retry, error=type(exc).__name__)
            return None
        if result is None:
            self.jobs.remove(kind=FEED, key=job.key)  # unwatched meanwhile
            return None
        self.jobs.release(job.id, next_run=result.next_poll, error=result.error)
        return result

    def poll(
        self, feed_id: int, *, now: datetime, renew: Callable[[], bool] | None = None
    ) -> PollResult | None:
        """Poll one feed now (the caller holds its lease, and `renew` renews it: False when
        another process took the feed over, which stops the poll before its next item);
        None when the feed is not watched."""
        with Session(self.engine) as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                return None
            session.expunge(feed)
        interval = timedelta(seconds=feed.interval_s)
        try:
            self.spacing.wait(feed.url)
            page = self.fetcher.fetch_feed(
                feed.url, etag=feed.etag, last_modified=feed.last_modified
            )
            parsed = (
                None
                if page.not_modified
                else parse_document(page.body, url=page.url, content_type=page.content_type)
            )
        except (FetchError, FeedError) as exc:
            return self._failed(feed, _reason(exc), now=now)
        if parsed is None:
            next_poll = now + interval
            self._save(feed, now=now, next_poll=next_poll)
            return PollResult(feed_id, feed.url, "not_modified", next_poll)
        tally = self._items(feed, parsed.entries, now=now, renew=renew)
        next_poll = now + interval
        keep = not tally.unsettled
        self._save(
            feed,
            now=now,
            next_poll=next_poll,
            answered=True,
            etag=_fits(page.etag, 512) if keep else None,
            last_modified=_fits(page.last_modified, 64) if keep else None,
            title=parsed.title or feed.title,
        )
        return PollResult(
            feed_id,
            feed.url,
            "fetched",
            next_poll,
            new_items=tally.new_items,
            stored=tally.stored,
            copies=tally.copies,
            skipped=tally.skipped,
            failed_items=tally.failed,
            error=tally.errors[0] if tally.errors else None,
            conflicts=tuple(tally.conflicts),
        )

    def _save(
        self,
        feed: Feed,
        *,
        now: datetime,
        next_poll: datetime,
        answered: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
    ) -> None:
        """A good poll: the failures forgotten and, when the feed `answered` in full (a
        200, not a 304), the validators to send next time (even none) and its title."""
        values: dict[str, object] = {
            "next_poll": next_poll,
            "last_polled": now,
            "failures": 0,
            "last_error": None,
            "error_reported": False,
        }
        if answered:
            values.update(etag=etag, last_modified=last_modified)
            if title is not None:
                values["title"] = title[:500]
        with Session(self.engine) as session:
            assert feed.id is not None
            feed_queries.update_feed(session=session, feed_id=feed.id, **values)
            session.commit()

    def _failed(self, feed: Feed, reason: str, *, now: datetime) -> PollResult:
        assert feed.id is not None
        failures = feed.failures + 1
        next_poll = now + self.policy.backoff(failures, timedelta(seconds=feed.interval_s))
        report = failures >= self.policy.report_after and not feed.error_reported
        with Session(self.engine) as session:
            feed_queries.update_feed(
                session=session,
                feed_id=feed.id,
                failures=failures,
                last_error=reason[:500],
                last_polled=now,
                next_poll=next_poll,
                error_reported=feed.error_reported or report,
            )
            session.commit()
        logger.info("feed %s failed (%d in a row): %s", feed.id, failures, reason)
        alert = None
        if report:
            alert = FeedAlert(feed.id, feed.url, feed.title, feed.channel, failures, reason)
        return PollResult(feed.id, feed.url, "failed", next_poll, error=reason, alert=alert)

    def _items(
        self,
        feed: Feed,
        entries: Sequence[FeedEntry],
        *,
        now: datetime,
        renew: Callable[[], bool] | None = None,
    ) -> _Tally:
        """Fetch and ingest the entries not seen before (at most max_new_items a poll)."""
        assert feed.id is not None
        tally = _Tally()
        unique = list({e.key: e for e in reversed(entries)}.values())[::-1]  # first wins
        with Session(self.engine) as session:
            seen = feed_queries.items_by_key(
                session=session, feed_id=feed.id, keys=[e.key for e in unique]
            )
            for row in seen.values():
                session.expunge(row)
        budget = self.policy.max_new_items
        for entry in unique:
            item = seen.get(entry.key)
            if item is not None and not _worth_again(item, entry):
                continue
            if budget == 0 or (renew is not None and not renew()):
                tally.unsettled = True  # the rest next time (or by whoever took it over)
                break
            budget -= 1
            self._item(feed.id, entry, item, tally, now=now)
        return tally

    def _item(
        self, feed_id: int, entry: FeedEntry, item: FeedItem | None, tally: _Tally, *, now: datetime
    ) -> None:
        article_id = None
        error = None
        stored = self._stored_article(entry.link) if item is None else None
        if stored is not None:
            article_id = stored
            tally.skipped += 1
        else:
            self.spacing.wait(entry.link)
            try:
                result = self.ingest.ingest_url(entry.link)
            except IngestError as exc:
                error = str(exc)
            else:
                article_id = result.article_id
                if result.stored:
                    tally.stored += 1
                    tally.copies += result.relation in _COPIES
                    if (arrival := self._conflict_arrival(result)) is not None:
                        tally.conflicts.append(arrival)
        if error is not None:
            tally.failed += 1
            tally.errors.append(f"{entry.link}: {error}")
        with Session(self.engine) as session:
            if item is None:
                tally.new_items += 1
                row = FeedItem(
                    feed_id=feed_id,
                    key=entry.key,
                    link=entry.link[:2048],
                    updated=entry.updated,
                    article_id=article_id,
                    attempts=1,
                    error=None if error is None else error[:500],
                    seen=now,
                )
                try:
                    feed_queries.add_item(session=session, item=row)
                except IntegrityError:  # recorded meanwhile (a lease that ran out): seen
                    session.rollback()
                    return
            else:
                again = session.get(FeedItem, item.id)
                if again is None:
                    return
                again.attempts += 1
                again.updated = entry.updated
                again.article_id = article_id or again.article_id
                again.error = None if error is None else error[:500]
                session.add(again)
                row = again
            if error is not None and row.attempts < ITEM_ATTEMPTS:
                tally.unsettled = True
            session.commit()

    def _conflict_arrival(self, result: IngestResult) -> ConflictArrival | None:
        """What a new article brought for conflict alerts: its conflict pairs (none for a
        copy, an agreement or a difference), and its outlet to name it by."""
        if result.relation in _COPIES:
            return None
        pairs = tuple(p for p in result.claim_pairs if p.label == Label.CONFLICT)
        if not pairs:
            return None
        with Session(self.engine) as session:
            article = queries.articles_by_id(session=session, ids={result.article_id})
        outlet = article[0].outlet if article else None
        return ConflictArrival(
            result.story_id, result.article_id, result.title, result.url, pairs, outlet
        )

    def _stored_article(self, link: str) -> int | None:
        """The article already stored under `link`'s canonical URL, if any."""
        try:
            canonical = canonicalize(link)
        except InvalidURL:
            return None
        with Session(self.engine) as session:
            stored = queries.article_by_canonical_url(session=session, canonical_url=canonical)
        return None if stored is None else stored.id


def watched_summary(
    engine: Engine, *, since: datetime, until: datetime | None = None, channel: str | None = None
) -> WatchedSummary:
    """What watched items brought in (since, until]: new articles, and the copies among them
    (for the digest's line "3 new sources since yesterday from watched feeds, 2 of them wire
    copies"). A revised page is neither a source nor a copy: not counted."""
    with Session(engine) as session:
        rows = feed_queries.watched_arrivals(
            session=session, since=since, until=until, channel=channel
        )
    counted = [r for _, r in rows if r in INDEPENDENT or r == Relation.NEAR_DUPLICATE]
    copies = sum(1 for r in counted if r not in INDEPENDENT)
    return WatchedSummary(articles=len(counted), copies=copies)


def _worth_again(item: FeedItem, entry: FeedEntry) -> bool:
    """An item seen before is fetched again when its page could not be read yet (a few
    times), or when the outlet marked the entry updated since (the versions seam)."""
    if item.article_id is None:
        return item.attempts < ITEM_ATTEMPTS
    return entry.updated is not None and item.updated is not None and entry.updated != item.updated


def _reason(exc: Exception) -> str:
    return exc.reason if isinstance(exc, FetchError) else str(exc)
