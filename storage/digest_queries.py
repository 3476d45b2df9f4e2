"""Query functions for digests: subscriptions, runs and what each run included, and the rows
a digest window selects. Keyword-only arguments; none of them commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from bot.core.claims import WHEN_KINDS
from storage.ids import id_in
from storage.models import (
    Article,
    ClaimPairRow,
    ClaimRow,
    DigestItem,
    DigestRun,
    SlackPost,
    Subscription,
)


def subscriptions(*, session: Session) -> list[Subscription]:
    return list(session.exec(select(Subscription).order_by(col(Subscription.channel))).all())


def subscription(*, session: Session, channel: str) -> Subscription | None:
    return session.get(Subscription, channel)


def remove_subscription(*, session: Session, channel: str) -> int:
    statement = delete(Subscription).where(col(Subscription.channel) == channel)
    return session.execute(statement).rowcount or 0  # type: ignore[attr-defined]


def last_run_end(*, session: Session, channel: str) -> datetime | None:
    """The end of the window of the channel's latest digest that went out (or was empty)."""
    statement = (
        select(DigestRun.until)
        .where(DigestRun.channel == channel, col(DigestRun.status).in_(("posted", "empty")))
        .order_by(col(DigestRun.until).desc())
    )
    return session.exec(statement).first()


def add_run(*, session: Session, run: DigestRun) -> DigestRun:
    """Claim a run; flushing raises IntegrityError when the (channel, period) is taken."""
    session.add(run)
    session.flush()
    return run


def run_for(*, session: Session, channel: str, period: str) -> DigestRun | None:
    statement = select(DigestRun).where(DigestRun.channel == channel, DigestRun.period == period)
    return session.exec(statement).first()


def reclaim_run(*, session: Session, run_id: int, stale_before: datetime, now: datetime) -> bool:
    """Take over a failed run, or one whose claimant stopped before `stale_before` (atomic)."""
    statement = (
        update(DigestRun)
        .where(
            col(DigestRun.id) == run_id,
            or_(
                col(DigestRun.status) == "failed",
                (col(DigestRun.status) == "claimed") & (col(DigestRun.claimed_at) < stale_before),
            ),
        )
        .values(status="claimed", claimed_at=now, attempts=DigestRun.attempts + 1)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def add_items(*, session: Session, run_id: int, items: Iterable[tuple[str, int]]) -> None:
    rows = [{"run_id": run_id, "kind": kind, "item_id": item} for kind, item in set(items)]
    if rows:
        session.execute(insert(DigestItem), rows)


# The columns a digest shows (article text is left in the database).
ARTICLE_COLUMNS = tuple(
    col(c)
    for c in (
        Article.id,
        Article.story_id,
        Article.title,
        Article.outlet,
        Article.url,
        Article.canonical_url,
        Article.relation,
        Article.matched_id,
        Article.fetched,
    )
)
# A claim of a revised version is no longer new: its later version's claim is (if it is).
_STILL_NEW = and_(col(ClaimRow.is_new), ~col(ClaimRow.superseded)).label("is_new")
CLAIM_COLUMNS = (
    *(
        col(c)
        for c in (
            ClaimRow.id,
            ClaimRow.story_id,
            ClaimRow.article_id,
            ClaimRow.kind,
            ClaimRow.surface,
            ClaimRow.scope_text,
            ClaimRow.counted_text,
            ClaimRow.counted,
        )
    ),
    _STILL_NEW,
    *(
        col(c)
        for c in (
            ClaimRow.first_seen,
            ClaimRow.sentence,
            ClaimRow.period,
            ClaimRow.position,
            ClaimRow.value,
            ClaimRow.headline,
        )
    ),
)


def window_articles(*, session: Session, since: datetime, until: datetime) -> list[Any]:
    statement = select_columns(*ARTICLE_COLUMNS).where(
        col(Article.fetched) > since, col(Article.fetched) <= until
    )
    return list(session.connection().execute(statement.order_by(col(Article.id))).all())


def article_columns(*, session: Session, ids: Iterable[int]) -> list[Any]:
    wanted = list(set(ids))
    if not wanted:
        return []
    return list(
        session.connection()
        .execute(select_columns(*ARTICLE_COLUMNS).where(id_in(session, Article.id, wanted)))
        .all()
    )


def window_new_claim_keys(*, session: Session, since: datetime, until: datetime) -> list[Any]:
    """What ranks the new claims first made in (since, until], without their text: rows of
    (id, story_id, kind, scope_text, counted_text, counted, value, position, headline,
    first_seen); those that only say when something happened (WHEN_KINDS) left out."""
    statement = select_columns(
        col(ClaimRow.id),
        col(ClaimRow.story_id),
        col(ClaimRow.kind),
        col(ClaimRow.scope_text),
        col(ClaimRow.counted_text),
        col(ClaimRow.counted),
        col(ClaimRow.value),
        col(ClaimRow.position),
        col(ClaimRow.headline),
        col(ClaimRow.first_seen),
    ).where(
        col(ClaimRow.first_seen) > since,
        col(ClaimRow.first_seen) <= until,
        col(ClaimRow.is_new),
        ~col(ClaimRow.superseded),  # a revised version's: its later version's count
        col(ClaimRow.kind).not_in(sorted(WHEN_KINDS)),
    )
    return list(session.connection().execute(statement).all())


def claim_columns(*, session: Session, ids: Iterable[int]) -> list[Any]:
    wanted = list(set(ids))
    if not wanted:
        return []
    return list(
        session.connection()
        .execute(select_columns(*CLAIM_COLUMNS).where(id_in(session, ClaimRow.id, wanted)))
        .all()
    )


def window_pairs(*, session: Session, since: datetime, until: datetime) -> list[Any]:
    statement = select_columns(
        col(ClaimPairRow.id),
        col(ClaimPairRow.story_id),
        col(ClaimPairRow.claim_a),
        col(ClaimPairRow.claim_b),
        col(ClaimPairRow.label),
        col(ClaimPairRow.first_seen),
    ).where(
        col(ClaimPairRow.first_seen) > since,
        col(ClaimPairRow.first_seen) <= until,
        ~col(ClaimPairRow.superseded),
    )
    return list(session.connection().execute(statement.order_by(col(ClaimPairRow.id))).all())


def first_link_posts(*, session: Session, story_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Per story, the (channel, ts) of the first message that posted one of its links."""
    wanted = list(set(story_ids))
    if not wanted:
        return {}
    statement = (
        select_columns(col(SlackPost.story_id), col(SlackPost.channel), col(SlackPost.ts))
        .where(col(SlackPost.kind) == "link", id_in(session, SlackPost.story_id, wanted))
        .order_by(col(SlackPost.created), col(SlackPost.id))
    )
    first: dict[int, tuple[str, str]] = {}
    for story_id, channel, ts in session.connection().execute(statement):
        first.setdefault(story_id, (channel, ts))
    return first
