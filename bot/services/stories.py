"""Use case: list stories with their articles and sources."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from storage import queries
from storage.models import Article, Story


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story with its articles, in the order they were stored."""

    story: Story
    articles: list[Article]


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
