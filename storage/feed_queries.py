"""Query functions for watched feeds and the items they listed.

Keyword-only arguments; none of them commits (the feed service does, once per unit of work).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from storage.models import Article, Feed, FeedItem


def add_feed(*, session: Session, feed: Feed) -> Feed:
    """Store a new feed; flushing raises IntegrityError when its URL is watched already."""
    session.add(feed)
    session.flush()
    return feed


def feed_by_url(*, session: Session, url: str) -> Feed | None:
    return session.exec(select(Feed).where(col(Feed.url) == url)).first()


def feed_by_site_url(*, session: Session, site_url: str) -> Feed | None:
    return session.exec(select(Feed).where(col(Feed.site_url) == site_url)).first()


def feeds(*, session: Session, channel: str | None = None) -> list[Feed]:
    """Every watched feed (of one channel), oldest first."""
    statement = select(Feed).order_by(col(Feed.id))
    if channel is not None:
        statement = statement.where(col(Feed.channel) == channel)
    return list(session.exec(statement).all())


def remove_feed(*, session: Session, feed_id: int) -> bool:
    """Forget a feed and the items it listed (their articles stay)."""
    session.execute(delete(FeedItem).where(col(FeedItem.feed_id) == feed_id))
    removed = session.execute(delete(Feed).where(col(Feed.id) == feed_id))
    return bool(removed.rowcount)  # type: ignore[attr-defined]


def items_by_key(*, session: Session, feed_id: int, keys: Iterable[str]) -> dict[str, FeedItem]:
    """The items of `feed_id` already seen among `keys`, by key."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, FeedItem] = {}
    for start in range(0, len(wanted), 500):  # bound the IN list
        chunk = wanted[start : start + 500]
        rows = session.exec(
            select(FeedItem).where(col(FeedItem.feed_id) == feed_id, col(FeedItem.key).in_(chunk))
        )
        found.update((row.key, row) for row in rows.all())
    return found


def add_item(*, session: Session, item: FeedItem) -> FeedItem:
    """Record an item as seen; flushing raises IntegrityError when it was recorded already."""
    session.add(item)
    session.flush()
    return item


def update_feed(*, session: Session, feed_id: int, **values: Any) -> bool:
    """Set poll-state columns of a feed (validators, failures, next poll, ...)."""
    statement = update(Feed).where(col(Feed.id) == feed_id).values(**values)
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def watched_arrivals(
    *, session: Session, since: datetime, until: datetime | None = None, channel: str | None = None
) -> list[tuple[int, str]]:
    """(article id, relation) of each article stored in (since, until] that a watched item
    brought (of feeds feeding `channel`, when given), each article once. An item whose link
    was stored before (a pasted link, say) brought nothing new."""
    statement = (
        select(col(Article.id), col(Article.relation))
        .join(FeedItem, col(FeedItem.article_id) == col(Article.id))
        .join(Feed, col(Feed.id) == col(FeedItem.feed_id))
        .where(col(Article.fetched) > since)
        .distinct()
    )
    if until is not None:
        statement = statement.where(col(Article.fetched) <= until)
    if channel is not None:
        statement = statement.where(col(Feed.channel) == channel)
    return [(a, str(r)) for a, r in session.exec(statement).all() if a is not None]


def item_counts(*, session: Session) -> dict[int, int]:
    """How many items each feed has listed, by feed id."""
    statement = select(col(FeedItem.feed_id), func.count()).group_by(col(FeedItem.feed_id))
    return {int(f): int(n) for f, n in session.exec(statement).all()}
