"""Use case: flag claims and articles by reacting to messages about them.

A flag is a (message, user, reaction) row; what it flags is what the message is about. A second
identical reaction is a no-op, removing the reaction removes the flag, and the bot confirms
once per message (a `flag_notice` row decides which process confirms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.digest import FlagRecord
from bot.core.vocabulary import DEFAULT_FLAG_EMOJI
from storage import queries, slack_queries
from storage.models import Flag, SlackPost


@dataclass(frozen=True, slots=True)
class FlagOutcome:
    """The result of a flag reaction."""

    flagged: bool  # the message is about an article or claim and the flag was recorded
    confirm: bool  # this is the message's first flag: confirm in the thread
    thread_ts: str | None = None  # where to confirm
    what: str = ""  # "the article ..." / "2 claims of ..."


@dataclass(frozen=True, slots=True)
class FlaggedItem:
    """One flagged article or claim, with who flagged it."""

    story_id: int
    article_id: int
    article_title: str
    outlet: str | None
    url: str | None
    claim_id: int | None
    claim: str | None  # the claim's value and sentence, when a claim was flagged
    users: tuple[str, ...]
    first_flagged: datetime


class FlagService:
    def __init__(self, engine: Engine, *, emoji: str = DEFAULT_FLAG_EMOJI):
        self.engine = engine
        self.emoji = emoji  # the reaction the bot's messages name when they say how to flag

    def flag(
        self,
        *,
        channel: str,
        ts: str,
        user: str,
        reaction: str,
        now: datetime,
        rerun: bool = False,
    ) -> FlagOutcome:
        """Record a flag reaction. The same flag again is a no-op, unless this is a re-run of
        its own event (`rerun`: the earlier attempt died after committing it), which confirms
        it if it was the message's first (the handler reads the thread back before posting)."""
        with Session(self.engine) as session:
            posts = slack_queries.message_posts(session=session, channel=channel, ts=ts)
            if not posts:
                return FlagOutcome(flagged=False, confirm=False)
            try:
                slack_queries.add_flag(
                    session=session,
                    flag=Flag(channel=channel, ts=ts, user=user, reaction=reaction, created=now),
                )
                session.commit()
            except IntegrityError:
                # The same flag is stored: a repeated reaction, or this event's earlier attempt
                # committed it and died. The flag stands as first recorded.
                session.rollback()
                if not rerun:
                    return FlagOutcome(flagged=False, confirm=False)
                earlier = slack_queries.get_flag(
                    session=session, channel=channel, ts=ts, user=user, reaction=reaction
                )
                if earlier is None:  # removed again in between
                    return FlagOutcome(flagged=False, confirm=False)
                now = earlier.created
            confirm = self._claim_notice(session, channel=channel, ts=ts, created=now)
            claims = [p.claim_id for p in posts if p.claim_id is not None]
            article = queries.articles_by_id(session=session, ids=[posts[0].article_id])
            title = article[0].title if article else "the article"
            what = f"{len(claims)} claim(s) of “{title}”" if claims else f"“{title}”"
            thread = posts[0].thread_ts or posts[0].ts
            return FlagOutcome(flagged=True, confirm=confirm, thread_ts=thread, what=what)

    @staticmethod
    def _claim_notice(session: Session, *, channel: str, ts: str, created: datetime) -> bool:
        """Whether the flag made at `created` is the message's first, to be confirmed.

        The first flag's run records the notice with its own time; a re-run of that flag
        finds the notice carrying the same time and confirms again (the post is read back
        from the thread, so it is not posted twice), while any later flag finds an earlier
        notice and stays quiet.
        """
        try:
            slack_queries.add_flag_notice(session=session, channel=channel, ts=ts, created=created)
            session.commit()
            return True
        except IntegrityError:
            session.rollback()
        notice = slack_queries.get_flag_notice(session=session, channel=channel, ts=ts)
        return notice is not None and notice.created == created

    def unflag(self, *, channel: str, ts: str, user: str, reaction: str) -> bool:
        with Session(self.engine) as session:
            removed = slack_queries.remove_flag(
                session=session, channel=channel, ts=ts, user=user, reaction=reaction
            )
            session.commit()
        return removed > 0

    def flagged(self, *, limit: int = 50) -> list[FlaggedItem]:
        """Flagged articles and claims, most recently flagged first."""
        with Session(self.engine) as session:
            targets: dict[tuple[int, int | None], list[Flag]] = {}
            for flag, post in _targets(slack_queries.flagged(session=session)):
                targets.setdefault((post.article_id, post.claim_id), []).append(flag)
            keys = list(targets)
            articles = {
                a.id: a for a in queries.articles_by_id(session=session, ids={a for a, _ in keys})
            }
            claims = slack_queries.claims_by_id(
                session=session, ids=[c for _, c in keys if c is not None]
            )
        items = []
        for article_id, claim_id in keys:
            group = targets[(article_id, claim_id)]
            article = articles[article_id]
            claim = claims.get(claim_id) if claim_id is not None else None
            items.append(
                FlaggedItem(
                    story_id=article.story_id,
                    article_id=article_id,
                    article_title=article.title,
                    outlet=article.outlet,
                    url=article.url or article.canonical_url,
                    claim_id=claim_id,
                    claim=f"{claim.surface}: {claim.sentence}" if claim else None,
                    users=tuple(dict.fromkeys(f.user for f in group)),
                    first_flagged=min(f.created for f in group),
                )
            )
        items.sort(key=lambda i: i.first_flagged, reverse=True)
        return items[:limit]

    def records(self, *, since: datetime, until: datetime) -> list[FlagRecord]:
        """Flags made within (since, until], as plain records for the digest."""
        with Session(self.engine) as session:
            rows = slack_queries.flagged(session=session, since=since, until=until)
        return [
            FlagRecord(
                story_id=post.story_id,
                article_id=post.article_id,
                claim_id=post.claim_id,
                user=flag.user,
                created=flag.created,
            )
            for flag, post in _targets(rows)
        ]


def _targets(rows: list[tuple[Flag, SlackPost]]) -> list[tuple[Flag, SlackPost]]:
    """Flags with what they flag: a message about claims flags those claims, not its article."""
    about_claims = {(p.channel, p.ts) for _, p in rows if p.claim_id is not None}
    return [
        (f, p) for f, p in rows if p.claim_id is not None or (p.channel, p.ts) not in about_claims
    ]
