"""Use case: a reply that Slack would not take now is posted later, not only logged.

When a post still fails after the Web API client's own retries (a lost connection, 429s or
5xx for about a minute), the message is queued as a `slack_post` job and the sweep
(bot/scheduler.py) posts it on the job queue's retry schedule. What the reply is about (an
article, its claims) travels with it, so that flags on it work once it is posted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.services.jobs import JobQueue

POST = "slack_post"


@dataclass(frozen=True, slots=True)
class ReplyAbout:
    """What a reply is about, to be recorded once it is posted."""

    story_id: int
    article_id: int
    claim_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PendingPost:
    """A message to post, as plain data."""

    channel: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    marker: dict[str, str] | None = None  # names the reply so a retry can find it
    about: ReplyAbout | None = None

    def payload(self) -> dict[str, Any]:
        about = self.about
        return {
            "channel": self.channel,
            "text": self.text,
            "blocks": self.blocks,
            "thread_ts": self.thread_ts,
            "marker": self.marker,
            "about": None
            if about is None
            else {
                "story_id": about.story_id,
                "article_id": about.article_id,
                "claim_ids": list(about.claim_ids),
            },
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PendingPost:
        about = payload.get("about")
        return cls(
            channel=payload["channel"],
            text=payload["text"],
            blocks=payload.get("blocks") or [],
            thread_ts=payload.get("thread_ts"),
            marker=payload.get("marker"),
            about=None
            if about is None
            else ReplyAbout(
                story_id=about["story_id"],
                article_id=about["article_id"],
                claim_ids=tuple(about.get("claim_ids") or ()),
            ),
        )


class Outbox:
    def __init__(self, queue: JobQueue):
        self.queue = queue

    def defer(self, post: PendingPost, *, now: datetime) -> int | None:
        """Queue `post` to be posted by a later sweep (not now: it has just failed)."""
        key = ":".join(sorted((post.marker or {}).values())) or uuid.uuid4().hex
        job_id = self.queue.add(kind=POST, key=key[:255], payload=post.payload(), now=now)
        if job_id is not None:
            self.queue.retry_later(job_id, attempt=1, error="post failed", now=now)
        return job_id
