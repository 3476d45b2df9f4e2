"""Query functions for real-time alerts: channels' opt-ins and the alerts claimed.

Keyword-only arguments; none of them commits (the alert service does, once per unit of work).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import AlertSent, AlertSubscription, SlackPost


def alert_subscription(*, session: Session, channel: str) -> AlertSubscription | None:
    return session.get(AlertSubscription, channel)


def add_alert_subscription(*, session: Session, subscription: AlertSubscription) -> None:
    session.add(subscription)


def remove_alert_subscription(*, session: Session, channel: str) -> int:
    removed = session.execute(
        delete(AlertSubscription).where(col(AlertSubscription.channel) == channel)
    )
    return int(removed.rowcount)  # type: ignore[attr-defined]


def alert_subscriptions(*, session: Session) -> list[AlertSubscription]:
    statement = select(AlertSubscription).order_by(col(AlertSubscription.channel))
    return list(session.exec(statement).all())


def discussed_threads(*, session: Session, story_id: int, kind: str) -> dict[str, str]:
    """Per channel opted in to `kind` alerts that posted a link of `story_id`, the thread of
    its first such post there (the post's own thread when it was posted in one)."""
    statement = (
        select(col(SlackPost.channel), col(SlackPost.ts), col(SlackPost.thread_ts))
        .join(AlertSubscription, col(AlertSubscription.channel) == col(SlackPost.channel))
        .where(
            col(SlackPost.kind) == "link",
            col(SlackPost.story_id) == story_id,
            col(AlertSubscription.kind) == kind,
        )
        .order_by(col(SlackPost.created), col(SlackPost.id))
    )
    threads: dict[str, str] = {}
    for channel, ts, thread_ts in session.exec(statement).all():
        threads.setdefault(channel, thread_ts or ts)
    return threads


def sent_keys(
    *, session: Session, channels: Iterable[str], keys: Iterable[str]
) -> set[tuple[str, str]]:
    """The (channel, group key) pairs among these that were claimed already."""
    wanted_channels, wanted_keys = list(set(channels)), list(set(keys))
    if not wanted_channels or not wanted_keys:
        return set()
    statement = select(col(AlertSent.channel), col(AlertSent.group_key)).where(
        col(AlertSent.channel).in_(wanted_channels), col(AlertSent.group_key).in_(wanted_keys)
    )
    return {(c, k) for c, k in session.exec(statement).all()}


def add_alert_sent(*, session: Session, sent: AlertSent) -> AlertSent:
    """Claim an alert; flushing raises IntegrityError when it was claimed already."""
    session.add(sent)
    session.flush()
    return sent


def set_alert_posted(*, session: Session, alert_id: int, ts: str) -> None:
    sent = session.get(AlertSent, alert_id)
    if sent is not None:
        sent.posted_ts = ts
        session.add(sent)
