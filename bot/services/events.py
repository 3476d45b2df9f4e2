"""Use case: handle each Slack event once, however many times Slack delivers it.

The event id is claimed in the database before the event is acknowledged (see
handlers/middleware.py), so two bot processes receiving the same retried delivery do not both
act. Claims older than Slack's retry horizon are pruned.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import slack_queries


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

    def prune(self, *, before: datetime) -> int:
        """Forget events received before `before` (Slack stops retrying within hours)."""
        with Session(self.engine) as session:
            removed = slack_queries.remove_events(session=session, before=before)
            session.commit()
        return removed
