"""Use case: the daily digest of a channel, posted exactly once per channel and day.

A run (channel, period) is claimed in the database under a unique constraint before anything
is posted, so several bot replicas with their own schedulers post one digest. A run that
failed, or whose claimant died (a stale claim), is taken over by the next attempt; the parent
message's ts is stored as soon as it is posted, so a retry never posts it twice. The window
of each digest starts where the channel's previous one ended, so "new since" is exact.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.claims import quantity_name
from bot.core.digest import (
    ArticleRecord,
    ClaimRecord,
    Digest,
    NewClaimKey,
    PairRecord,
    StoryRecord,
    WatchedSummary,
    first_new_claims,
    select_digest,
)
from bot.core.schedule import last_occurrence, parse_time_of_day, parse_timezone
from bot.core.vocabulary import DISPUTED, Label, Relation
from bot.services.flags import FlagService
from storage import digest_queries, queries
from storage.models import DigestRun, Subscription

logger = logging.getLogger(__name__)

FIRST_WINDOW = timedelta(hours=24)  # a channel's first digest looks back this far
STALE_CLAIM = timedelta(minutes=10)  # a claim older than this without a post is taken over
CATCH_UP = timedelta(hours=20)  # a missed digest is still posted this long after its time
MAX_NEW_CLAIMS = 3  # new claims listed per story (the rest are in `/newsroom claims N`)

# render(digest, nothing_new_line) -> the messages to post: the parent, then its thread replies
Render = Callable[[Digest, bool], Sequence[Any]]
# post(channel, message, thread_ts) -> ts of the posted message
Poster = Callable[[str, Any, str | None], str]
# watched(since=, until=, channel=) -> what watched feeds (of the channel; None: all) brought
Watched = Callable[..., WatchedSummary]


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """What a digest run did: posted | empty | already | failed."""

    status: str
    period: str
    ts: str | None = None
    stories: int = 0
    error: str | None = None


def _pairs_shown(pairs: list[Any]) -> list[Any]:
    """The pairs a digest shows: every labelled pair, and the agreements that side with a
    claim of a conflict or an update (the digest lists those sources with the side)."""
    disputed = {i for p in pairs if p.label in DISPUTED for i in (p.claim_a, p.claim_b)}
    return [
        p for p in pairs if p.label != Label.AGREE or p.claim_a in disputed or p.claim_b in disputed
    ]


def _claim_record(row: Any) -> ClaimRecord:
    """A claim row (digest_queries.CLAIM_COLUMNS) as the digest's record."""
    (id_, story, article, kind, surface, scope_text, counted_text, counted, is_new, seen) = row[:10]
    sentence, period, position, value, headline = row[10:]
    quantity = quantity_name(kind, scope_text, counted_text, counted)
    return ClaimRecord(
        id_, story, article, kind, surface, quantity, is_new, seen,
        sentence, period, position, value, bool(headline),
    )  # fmt: skip


def _claim_key(row: Any) -> NewClaimKey:
    """A row of digest_queries.window_new_claim_keys as what ranks the claim."""
    id_, story, kind, scope_text, counted_text, counted, value, position, headline, seen = row
    quantity = quantity_name(kind, scope_text, counted_text, counted)
    return NewClaimKey(id_, story, kind, quantity, value, position, bool(headline), seen)


def thread_link(channel: str, ts: str) -> str:
    """A link to a Slack message that Slack resolves for anyone in the workspace, composed
    without a call (chat.getPermalink gives the same with the workspace's domain)."""
    return f"https://slack.com/archives/{channel}/p{ts.replace('.', '')}"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Build a digest without the cyclic collector, then hand what survives straight to the
    oldest generation: a day's digest reads a few hundred thousand rows into short-lived,
    acyclic records (freed by reference counting), and a young collection on re-enabling would
    scan them all (some 0.1 s) only to promote the digest. ``freeze``/``unfreeze`` moves every
    tracked object to the oldest generation without scanning."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():  # unfreeze would also thaw what others froze
                gc.freeze()
                gc.unfreeze()
            gc.enable()


class DigestService:
    def __init__(
        self,
        engine: Engine,
        flags: FlagService,
        *,
        default_time: str,
        default_tz: str,
        watched: Watched | None = None,
    ):
        self.engine = engine
        self.flags = flags
        self.watched = watched  # FeedService.watched_summary, for the digest's feeds line
        self.default_time = default_time
        self.default_tz = default_tz

    # Subscriptions ---------------------------------------------------------------------------

    def subscribe(
        self, *, channel: str, at: str | None, timezone: str | None, user: str | None
    ) -> Subscription:
        """Create or change a channel's subscription; raises ScheduleError on a bad time/zone."""
        at = at or self.default_time
        timezone = timezone or self.default_tz
        when = parse_time_of_day(at)
        parse_timezone(timezone)
        with Session(self.engine) as session:
            sub = digest_queries.subscription(session=session, channel=channel)
            if sub is None:
                sub = Subscription(channel=channel, at="", timezone="", created_by=user)
            sub.at, sub.timezone = when.strftime("%H:%M"), timezone
            session.add(sub)
            session.commit()
            session.refresh(sub)
            return sub

    def unsubscribe(self, *, channel: str) -> bool:
        with Session(self.engine) as session:
            removed = digest_queries.remove_subscription(session=session, channel=channel)
            session.commit()
        return removed > 0

    def subscriptions(self) -> list[Subscription]:
        with Session(self.engine) as session:
            return digest_queries.subscriptions(session=session)

    # Building --------------------------------------------------------------------------------

    def window_start(self, channel: str, until: datetime) -> datetime:
        """Where the channel's next digest starts: the end of its last one, or 24 h back."""
        with Session(self.engine) as session:
            last = digest_queries.last_run_end(session=session, channel=channel)
        return last if last is not None and last < until else until - FIRST_WINDOW

    def build(self, *, since: datetime, until: datetime, channel: str | None = None) -> Digest:
        """The digest of what happened in (since, until], with what the watched feeds of
        `channel` (None: of every channel) brought. Stories reached only through a feed are
        in it like any story."""
        with _collector_paused():
            digest = replace(self._build(since=since, until=until), flag_emoji=self.flags.emoji)
        if self.watched is None:
            return digest
        summary = self.watched(since=since, until=until, channel=channel)
        return replace(digest, watched=summary if summary.articles else None)

    def _build(self, *, since: datetime, until: datetime) -> Digest:
        with Session(self.engine) as session:
            articles = digest_queries.window_articles(session=session, since=since, until=until)
            keys = digest_queries.window_new_claim_keys(session=session, since=since, until=until)
            all_pairs = digest_queries.window_pairs(session=session, since=since, until=until)
            flags = self.flags.records(since=since, until=until)
            corroborated = {i for p in all_pairs if p.label == Label.AGREE for i in p[2:4]}
            disputed = {i for p in all_pairs if p.label != Label.AGREE for i in p[2:4]}
            disputed |= {f.claim_id for f in flags if f.claim_id is not None}
            # Claims in dispute are shown on their dispute or flag lines, never listed again.
            ranked = [_claim_key(k) for k in keys]
            listed, _ = first_new_claims(
                (k for k in ranked if k.id not in disputed),
                MAX_NEW_CLAIMS,
                corroborated=corroborated,
            )
            _, claim_stats = first_new_claims(ranked, 0)
            pairs = _pairs_shown(all_pairs)
            # The claims listed, those the pairs compare and those flagged, in one read.
            wanted = set(listed)
            wanted.update(i for p in pairs for i in (p.claim_a, p.claim_b))
            wanted.update(f.claim_id for f in flags if f.claim_id is not None)
            claims = digest_queries.claim_columns(session=session, ids=wanted)
            have_articles = {a.id for a in articles}
            wanted_articles = {a.matched_id for a in articles if a.matched_id} | {
                c.article_id for c in claims
            }
            wanted_articles |= {f.article_id for f in flags}
            articles += digest_queries.article_columns(
                session=session, ids=wanted_articles - have_articles
            )
            story_ids = {a.story_id for a in articles} | {p.story_id for p in pairs}
            story_ids |= {f.story_id for f in flags}
            stories = queries.stories_by_id(session=session, ids=story_ids)
            posts = digest_queries.first_link_posts(session=session, story_ids=story_ids)
        # Rows are tuples in the column order of the queries; records are built positionally.
        return select_digest(
            stories=[StoryRecord._make(s) for s in stories],
            articles=[
                ArticleRecord(
                    id_, story, title, outlet, url or canonical, Relation(rel), matched, fetched
                )
                for id_, story, title, outlet, url, canonical, rel, matched, fetched in articles
            ],
            claims=[_claim_record(c) for c in claims],
            pairs=[
                PairRecord(id_, story, a, b, Label(label), seen)
                for id_, story, a, b, label, seen in pairs
            ],
            flags=flags,
            since=since,
            until=until,
            max_new_claims=MAX_NEW_CLAIMS,
            new_claim_stats=claim_stats,
            corroborated=corroborated,
            threads={story: thread_link(*post) for story, post in posts.items()},
        )

    def preview(self, *, channel: str, now: datetime) -> Digest:
        return self.build(since=self.window_start(channel, now), until=now, channel=channel)

    # Posting exactly once --------------------------------------------------------------------

    def run_due(
        self, *, channel: str, now: datetime, post: Poster, render: Render
    ) -> RunOutcome | None:
        """Post the channel's scheduled digest if its latest occurrence has none yet."""
        with Session(self.engine) as session:
            sub = digest_queries.subscription(session=session, channel=channel)
        if sub is None:
            return None
        day, scheduled = last_occurrence(
            parse_time_of_day(sub.at), parse_timezone(sub.timezone), now
        )
        if now - scheduled > CATCH_UP:
            return None
        return self.run(
            channel=channel,
            period=day.isoformat(),
            until=now,  # a late (catch-up) digest covers everything up to when it is posted
            now=now,
            post=post,
            render=render,
            nothing_new=sub.nothing_new,
        )

    def run_all_due(self, *, now: datetime, post: Poster, render: Render) -> list[RunOutcome]:
        """Catch up: every subscribed channel whose latest digest has not gone out."""
        outcomes = []
        for sub in self.subscriptions():
            try:
                outcome = self.run_due(channel=sub.channel, now=now, post=post, render=render)
            except Exception:  # one channel's failure must not stop the others
                logger.exception("digest catch-up failed for channel %s", sub.channel)
                continue
            if outcome is not None and outcome.status != "already":
                outcomes.append(outcome)
        return outcomes

    def run(
        self,
        *,
        channel: str,
        period: str,
        until: datetime,
        now: datetime,
        post: Poster,
        render: Render,
        nothing_new: bool = False,
    ) -> RunOutcome:
        """Claim (channel, period), build the digest of (last end, until], render it with
        `render` (the views' ``digest_messages``) and post it, and record it."""
        run = self._claim(channel=channel, period=period, until=until, now=now)
        if run is None:
            return RunOutcome("already", period)
        assert run.id is not None
        try:
            digest = self.build(since=run.since, until=run.until, channel=channel)
            with _collector_paused():
                messages = render(digest, nothing_new)
            if not messages:
                self._finish(run.id, status="empty", ts=None, digest=digest)
                return RunOutcome("empty", period)
            ts = run.posted_ts
            if ts is None:
                ts = post(channel, messages[0], None)
                self._save_ts(run.id, ts)
            for message in messages[1:]:
                post(channel, message, ts)
        except Exception as exc:
            logger.exception("digest for channel %s (%s) failed", channel, period)
            self._fail(run.id, str(exc) or type(exc).__name__)
            return RunOutcome("failed", period, error=str(exc) or type(exc).__name__)
        self._finish(run.id, status="posted", ts=ts, digest=digest)
        return RunOutcome("posted", period, ts=ts, stories=len(digest.stories))

    def _claim(
        self, *, channel: str, period: str, until: datetime, now: datetime
    ) -> DigestRun | None:
        since = self.window_start(channel, until)
        with Session(self.engine) as session:
            try:
                run = digest_queries.add_run(
                    session=session,
                    run=DigestRun(
                        channel=channel,
                        period=period,
                        since=since,
                        until=until,
                        status="claimed",
                        claimed_at=now,
                        attempts=1,
                    ),
                )
                session.commit()
                session.refresh(run)
                return run
            except IntegrityError:
                session.rollback()
            existing = digest_queries.run_for(session=session, channel=channel, period=period)
            if existing is None or existing.id is None:
                return None
            taken = digest_queries.reclaim_run(
                session=session, run_id=existing.id, stale_before=now - STALE_CLAIM, now=now
            )
            session.commit()
            if not taken:
                return None
            session.refresh(existing)
            return existing

    def _update_run(self, run_id: int, **fields: Any) -> None:
        """Set fields of a run and commit."""
        with Session(self.engine) as session:
            run = session.get(DigestRun, run_id)
            assert run is not None
            for name, value in fields.items():
                setattr(run, name, value)
            session.add(run)
            session.commit()

    def _save_ts(self, run_id: int, ts: str) -> None:
        self._update_run(run_id, posted_ts=ts)

    def _fail(self, run_id: int, error: str) -> None:
        self._update_run(run_id, status="failed", error=error[:500])

    def _finish(self, run_id: int, *, status: str, ts: str | None, digest: Digest) -> None:
        """Mark the run done and record what it included, in one transaction."""
        with Session(self.engine) as session:
            run = session.get(DigestRun, run_id)
            assert run is not None
            run.status, run.posted_ts, run.error = status, ts, None
            session.add(run)
            digest_queries.add_items(session=session, run_id=run_id, items=digest.items())
            session.commit()
