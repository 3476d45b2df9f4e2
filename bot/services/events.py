"""Use case: handle each Slack event once, however many times Slack delivers it.

The event id is claimed in the database before the event is handled, so two bot processes
receiving the same retried delivery do not both act; a handler that fails releases its claim
so that Slack's next retry can run it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import slack_queries

T = TypeVar("T")


class EventLog:
    def __init__(self, engine: Engine):
        self.engine = engine

    def claim(self, event_id: str) -> bool:
        """True when this process is the first to see `event_id`."""
        with Session(self.engine) as session:
            try:
                slack_queries.add_event(
                    session=session, event_id=event_id, received=datetime.now(UTC)
                )
                session.commit()
            except IntegrityError:
                return False
        return True

    def release(self, event_id: str) -> None:
        with Session(self.engine) as session:
            slack_queries.remove_event(session=session, event_id=event_id)
            session.commit()

    def once(self, event_id: str | None, handle: Callable[[], T]) -> T | None:
        """Run `handle` unless the event was already claimed; release the claim if it fails."""
        if event_id is None:
            return handle()
        if not self.claim(event_id):
            return None
        try:
            return handle()
        except BaseException:
            self.release(event_id)
            raise
