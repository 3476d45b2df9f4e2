"""Query functions for what the bot knows of Slack: events seen, messages about articles, flags.

Keyword-only arguments; none of them commits (the service does, once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, distinct, func
from sqlmodel import Session, col, select

from storage.models import ClaimRow, Flag, FlagNotice, SlackPost, SlackRequest


def add_request(*, session: Session, signature_hash: str, expires: datetime) -> None:
    """Record a signed request; flushing raises IntegrityError when it was recorded before."""
    session.add(SlackRequest(signature_hash=signature_hash, expires=expires))
    session.flush()


def remove_requests(*, session: Session, expired_by: datetime) -> int:
    """Forget requests whose signatures no longer verify at `expired_by`."""
    statement = delete(SlackRequest).where(col(SlackRequest.expires) < expired_by)
    return session.execute(statement).rowcount or 0  # type: ignore[attr-defined]


def add_posts(*, session: Session, posts: Sequence[SlackPost]) -> None:
    session.add_all(posts)


def message_posts(*, session: Session, channel: str, ts: str) -> list[SlackPost]:
    """What a message is about: one row per article (claim_id None) or claim."""
    statement = select(SlackPost).where(SlackPost.channel == channel, SlackPost.ts == ts)
    return list(session.exec(statement.order_by(col(SlackPost.id))).all())


def first_link_post(*, session: Session, article_id: int) -> SlackPost | None:
    """The first message that carried an article's link."""
    statement = (
        select(SlackPost)
        .where(SlackPost.article_id == article_id, SlackPost.kind == "link")
        .order_by(col(SlackPost.id))
    )
    return session.exec(statement).first()


def add_flag(*, session: Session, flag: Flag) -> None:
    """Record a flag; flushing raises IntegrityError when the same reaction is already there."""
    session.add(flag)
    session.flush()


def remove_flag(*, session: Session, channel: str, ts: str, user: str, reaction: str) -> int:
    statement = delete(Flag).where(
        col(Flag.channel) == channel,
        col(Flag.ts) == ts,
        col(Flag.user) == user,
        col(Flag.reaction) == reaction,
    )
    return session.execute(statement).rowcount or 0  # type: ignore[attr-defined]


def get_flag(*, session: Session, channel: str, ts: str, user: str, reaction: str) -> Flag | None:
    statement = select(Flag).where(
        col(Flag.channel) == channel,
        col(Flag.ts) == ts,
        col(Flag.user) == user,
        col(Flag.reaction) == reaction,
    )
    return session.exec(statement).first()


def get_flag_notice(*, session: Session, channel: str, ts: str) -> FlagNotice | None:
    return session.get(FlagNotice, (channel, ts))


def add_flag_notice(*, session: Session, channel: str, ts: str, created: datetime) -> None:
    """Record the bot's confirmation on a message; raises IntegrityError when already there."""
    session.add(FlagNotice(channel=channel, ts=ts, created=created))
    session.flush()


def _same_message() -> Any:
    return and_(col(SlackPost.channel) == col(Flag.channel), col(SlackPost.ts) == col(Flag.ts))


def flagged(
    *, session: Session, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[Flag, SlackPost]]:
    """Flags with what they flag, oldest first, optionally within (since, until]."""
    statement = select(Flag, SlackPost).join(SlackPost, _same_message())
    if since is not None:
        statement = statement.where(Flag.created > since)
    if until is not None:
        statement = statement.where(Flag.created <= until)
    rows = session.exec(statement.order_by(col(Flag.created), col(Flag.id), col(SlackPost.id)))
    return [(flag, post) for flag, post in rows.all()]


def count_flagged_targets(*, session: Session) -> int:
    statement = select(func.count(distinct(col(SlackPost.id)))).join(Flag, _same_message())
    return int(session.exec(statement).one())


def claims_by_id(*, session: Session, ids: Sequence[int]) -> dict[int, ClaimRow]:
    if not ids:
        return {}
    rows = session.exec(select(ClaimRow).where(col(ClaimRow.id).in_(set(ids))))
    return {r.id: r for r in rows.all() if r.id is not None}
