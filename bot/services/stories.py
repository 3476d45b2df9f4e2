"""Use case: look up stories, articles and conflicts (read only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.urls import InvalidURL, canonicalize
from bot.core.vocabulary import Label
from storage import queries, slack_queries
from storage.models import Article, ClaimRow, Story


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story with its articles, in the order they were stored."""

    story: Story
    articles: list[Article]


@dataclass(frozen=True, slots=True)
class PairView:
    """A labelled pair of claims with the articles that make them."""

    story_id: int
    story_title: str
    label: Label
    a: ClaimRow
    a_article: Article
    b: ClaimRow
    b_article: Article
    first_seen: datetime


class StoryService:
    def __init__(self, engine: Engine):
        self.engine = engine

    def recent(self, *, limit: int = 50) -> list[StoryView]:
        with Session(self.engine) as session:
            stories = queries.list_stories(session=session, limit=limit)
            return [
                StoryView(s, queries.story_articles(session=session, story_id=s.id))
                for s in stories
                if s.id is not None
            ]

    def today(self, *, now: datetime, limit: int = 20) -> list[Story]:
        """Stories with an article in the 24 hours before `now`, most recent first."""
        with Session(self.engine) as session:
            stories = queries.list_stories(session=session, limit=limit)
        return [s for s in stories if s.last_seen > now - timedelta(hours=24)]

    def find(self, ref: str) -> StoryView | None:
        """A story by its id, or by the URL of one of its articles."""
        with Session(self.engine) as session:
            story: Story | None
            if ref.isdigit():
                story = session.get(Story, int(ref))
            else:
                try:
                    key = canonicalize(ref)
                except InvalidURL:
                    return None
                story = queries.story_by_article_url(session=session, canonical_url=key)
            if story is None or story.id is None:
                return None
            return StoryView(story, queries.story_articles(session=session, story_id=story.id))

    def search(self, words: list[str], *, limit: int = 10) -> list[Article]:
        with Session(self.engine) as session:
            return queries.search_articles(session=session, words=words, limit=limit)

    def pairs(
        self,
        *,
        labels: tuple[Label, ...] = (Label.CONFLICT,),
        since: datetime | None,
        limit: int = 20,
    ) -> list[PairView]:
        """Labelled claim pairs (conflicts by default) first seen after `since`, newest first."""
        with Session(self.engine) as session:
            rows = queries.labelled_pairs(session=session, labels=labels, since=since, limit=limit)
            claims = slack_queries.claims_by_id(
                session=session, ids=[i for r in rows for i in (r.claim_a, r.claim_b)]
            )
            articles = {
                a.id: a
                for a in queries.articles_by_id(
                    session=session, ids={c.article_id for c in claims.values()}
                )
            }
            stories = {
                r.story_id: queries.story_by_id(session=session, story_id=r.story_id) for r in rows
            }
        views = []
        for r in rows:
            a, b = claims[r.claim_a], claims[r.claim_b]
            views.append(
                PairView(
                    story_id=r.story_id,
                    story_title=stories[r.story_id].title,
                    label=Label(r.label),
                    a=a,
                    a_article=articles[a.article_id],
                    b=b,
                    b_article=articles[b.article_id],
                    first_seen=r.first_seen,
                )
            )
        return views

    def counts(self) -> dict[str, int]:
        with Session(self.engine) as session:
            counts = queries.table_counts(session=session)
            counts["flagged"] = slack_queries.count_flagged_targets(session=session)
        return counts
