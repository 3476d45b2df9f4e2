"""Use case: a link posted in Slack. Ingest the article and remember which messages are about it.

The messages (the post carrying the link, the bot's reply, replies in that thread) are what
people react to when they flag an article or its claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.vocabulary import Relation
from bot.services.ingest import IngestError, IngestResult, IngestService
from bot.services.outbox import ReplyAbout
from storage import slack_queries
from storage.models import SlackPost


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """What became of one posted link: an ingest result or a one-line reason it failed."""

    url: str
    result: IngestResult | None = None
    error: str | None = None
    first_post: tuple[str, str] | None = None  # (channel, ts) where the article was first posted


class LinkService:
    def __init__(self, engine: Engine, ingest: IngestService):
        self.engine = engine
        self.ingest = ingest

    def post_link(
        self, *, channel: str, ts: str, thread_ts: str | None, url: str, rerun: bool = False
    ) -> LinkOutcome:
        """Ingest a link posted in `channel` at `ts` and record the message as about it.

        On a re-run of the same message (`rerun`: the event's earlier attempt died after
        storing the article), the article found stored is this message's own: the verdict is
        the one it was given then, not "already posted"."""
        try:
            result = self.ingest.ingest_url(url)
        except IngestError as exc:
            return LinkOutcome(url=url, error=str(exc))
        with Session(self.engine) as session:
            known = slack_queries.message_posts(session=session, channel=channel, ts=ts)
            if not result.stored and result.relation == Relation.DUPLICATE:
                # Stored by this message's own earlier attempt: it is recorded as its link,
                # or (on a re-run) no message is recorded for the article at all.
                own = _links(known, result.article_id) or (
                    rerun
                    and slack_queries.first_link_post(session=session, article_id=result.article_id)
                    is None
                )
                if own:
                    result = self.ingest.replay(result.article_id) or result
            first = None
            if result.relation == Relation.DUPLICATE:
                earlier = result.matched_id if result.stored else result.article_id
                post = slack_queries.first_link_post(session=session, article_id=earlier or 0)
                first = (post.channel, post.ts) if post is not None else None
            if not _links(known, result.article_id):
                post = _post(channel, ts, thread_ts, "link", result.story_id, result.article_id)
                slack_queries.add_posts(session=session, posts=[post])  # once, if run again
            session.commit()
        return LinkOutcome(url=url, result=result, first_post=first)

    def record_reply(
        self, *, channel: str, ts: str, thread_ts: str | None, about: ReplyAbout
    ) -> None:
        """Remember the bot's reply about an article and the claims it names (once)."""
        posts = [
            _post(channel, ts, thread_ts, "reply", about.story_id, about.article_id, claim_id)
            for claim_id in (None, *about.claim_ids)
        ]
        with Session(self.engine) as session:
            if slack_queries.message_posts(session=session, channel=channel, ts=ts):
                return
            slack_queries.add_posts(session=session, posts=posts)
            session.commit()

    def record_thread_message(self, *, channel: str, ts: str, thread_ts: str) -> bool:
        """A reply in a thread about an article is about that article too. True if it was."""
        with Session(self.engine) as session:
            roots = slack_queries.message_posts(session=session, channel=channel, ts=thread_ts)
            articles = {(p.story_id, p.article_id) for p in roots if p.claim_id is None}
            if not articles:
                return False
            slack_queries.add_posts(
                session=session,
                posts=[
                    _post(channel, ts, thread_ts, "thread", story_id, article_id)
                    for story_id, article_id in sorted(articles)
                ],
            )
            session.commit()
        return True


def _links(posts: list[SlackPost], article_id: int) -> bool:
    """Whether one of a message's posts records it as the link of `article_id`."""
    return any(p.kind == "link" and p.article_id == article_id for p in posts)


def _post(
    channel: str,
    ts: str,
    thread_ts: str | None,
    kind: str,
    story_id: int,
    article_id: int,
    claim_id: int | None = None,
) -> SlackPost:
    return SlackPost(
        channel=channel,
        ts=ts,
        thread_ts=thread_ts,
        kind=kind,
        story_id=story_id,
        article_id=article_id,
        claim_id=claim_id,
        created=datetime.now(UTC),
    )


def reply_about(result: IngestResult) -> ReplyAbout:
    """What a reply about an ingest result is about: the article and the claims it names."""
    claim_ids = tuple(sorted({p.b_claim_id for p in result.claim_pairs}))
    return ReplyAbout(story_id=result.story_id, article_id=result.article_id, claim_ids=claim_ids)
