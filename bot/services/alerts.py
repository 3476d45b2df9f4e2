"""Use case: real-time conflict alerts, opted into per channel (`/newsroom alerts conflicts`).

Watched items never post on their own; the one exception a channel can ask for is a conflict.
When a feed item brings a conflict to a story the channel discussed (someone posted one of its
links there), one message goes into that story's thread there (the thread of its first link
post in the channel), once per channel and conflict group: the alert is claimed in the
database under a unique constraint before it is posted, so replicas polling feeds together
post it once. Copies, agreements, updates and differences never alert.

A conflict group is named by its story and the earliest earlier claim among its pairs, so a
second feed item repeating a figure already alerted on finds the group claimed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.unionfind import UnionFind
from bot.core.vocabulary import Label
from bot.services.claims import StoredPair
from storage import alert_queries
from storage.models import AlertSent, AlertSubscription

CONFLICTS = "conflicts"  # the one kind of alert today


@dataclass(frozen=True, slots=True)
class ConflictArrival:
    """A watched item's article that brought conflicts to its story (its conflict pairs)."""

    story_id: int
    article_id: int
    title: str
    url: str | None
    pairs: tuple[StoredPair, ...]
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class ConflictAlert:
    """One alert claimed for one channel: the pairs of one conflict group, for its thread."""

    id: int
    channel: str
    thread_ts: str
    key: str
    arrival: ConflictArrival
    pairs: tuple[StoredPair, ...]


def conflict_groups(arrival: ConflictArrival) -> dict[str, tuple[StoredPair, ...]]:
    """The arrival's conflict pairs by conflict group (claims linked by a pair are one group,
    as the digest groups them), each named `story:earliest earlier claim`."""
    conflicts = [p for p in arrival.pairs if p.label == Label.CONFLICT]
    find = UnionFind((p.a_claim_id, p.b_claim_id) for p in conflicts).find
    groups: dict[int, list[StoredPair]] = defaultdict(list)
    for p in conflicts:
        groups[find(p.a_claim_id)].append(p)
    return {
        f"{arrival.story_id}:{min(p.a_claim_id for p in pairs)}": tuple(pairs)
        for pairs in groups.values()
    }


class AlertService:
    def __init__(self, engine: Engine):
        self.engine = engine

    def enable(self, *, channel: str, user: str | None, now: datetime) -> bool:
        """Opt `channel` in to conflict alerts; False when it was already."""
        with Session(self.engine) as session:
            if alert_queries.alert_subscription(session=session, channel=channel) is not None:
                return False
            alert_queries.add_alert_subscription(
                session=session,
                subscription=AlertSubscription(
                    channel=channel, kind=CONFLICTS, created_by=user, created=now
                ),
            )
            try:
                session.commit()
            except IntegrityError:  # opted in meanwhile by another request
                return False
        return True

    def disable(self, *, channel: str) -> bool:
        """Stop `channel`'s alerts; False when it had none."""
        with Session(self.engine) as session:
            removed = alert_queries.remove_alert_subscription(session=session, channel=channel)
            session.commit()
        return removed > 0

    def channels(self) -> list[str]:
        """The channels opted in to conflict alerts."""
        with Session(self.engine) as session:
            return [s.channel for s in alert_queries.alert_subscriptions(session=session)]

    def claim(self, arrivals: Sequence[ConflictArrival], *, now: datetime) -> list[ConflictAlert]:
        """The alerts to post now for these arrivals, each claimed (so never posted twice): one
        per opted-in channel that discussed the story and conflict group not alerted there."""
        claimed: list[ConflictAlert] = []
        for arrival in arrivals:
            groups = conflict_groups(arrival)
            if not groups:
                continue
            with Session(self.engine) as session:
                threads = alert_queries.discussed_threads(
                    session=session, story_id=arrival.story_id, kind=CONFLICTS
                )
                done = alert_queries.sent_keys(session=session, channels=threads, keys=groups)
            for channel, thread_ts in threads.items():
                for key, pairs in groups.items():
                    if (channel, key) in done:
                        continue
                    alert_id = self._claim_one(channel, key, thread_ts, arrival, now=now)
                    if alert_id is not None:
                        claimed.append(
                            ConflictAlert(alert_id, channel, thread_ts, key, arrival, pairs)
                        )
        return claimed

    def _claim_one(
        self, channel: str, key: str, thread_ts: str, arrival: ConflictArrival, *, now: datetime
    ) -> int | None:
        sent = AlertSent(
            channel=channel,
            group_key=key,
            story_id=arrival.story_id,
            article_id=arrival.article_id,
            thread_ts=thread_ts,
            created=now,
        )
        with Session(self.engine) as session:
            try:
                alert_queries.add_alert_sent(session=session, sent=sent)
                session.commit()
            except IntegrityError:  # another replica claimed it first
                session.rollback()
                return None
            return sent.id

    def posted(self, alert_id: int, ts: str) -> None:
        with Session(self.engine) as session:
            alert_queries.set_alert_posted(session=session, alert_id=alert_id, ts=ts)
            session.commit()
