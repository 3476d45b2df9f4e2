"""Use case: a signed Slack request has one effect, however many times it is sent.

A slash command or an interaction carries no id of its own; what makes it one request is its
signature, which covers the timestamp and the body. The front door (bot/front_door.py) claims
the SHA-256 of the signature in the database before Bolt sees the request; a second delivery of
the same bytes, while the signature still verifies, finds the claim and does nothing. Claims are
kept until the signature expires, and expired ones are purged as requests arrive.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import slack_queries
from storage.db import writer

PURGE_EVERY = timedelta(minutes=1)


class RequestLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._next_purge: datetime | None = None

    def claim(self, signature: str, *, expires: datetime, now: datetime) -> bool:
        """True when this is the first delivery of the request signed `signature`.

        `expires` is when the signature stops verifying. Raises SQLAlchemyError when the
        database cannot be reached (the caller answers 503)."""
        self._purge_if_due(now)
        digest = hashlib.sha256(signature.encode("utf-8", "backslashreplace")).hexdigest()
        with writer(self.engine), Session(self.engine) as session:
            try:
                slack_queries.add_request(session=session, signature_hash=digest, expires=expires)
                session.commit()
            except IntegrityError:
                return False
        return True

    def purge(self, *, now: datetime) -> int:
        """Forget the requests whose signatures have expired."""
        with writer(self.engine), Session(self.engine) as session:
            removed = slack_queries.remove_requests(session=session, expired_by=now)
            session.commit()
        return removed

    def _purge_if_due(self, now: datetime) -> None:
        with self._lock:
            if self._next_purge is not None and now < self._next_purge:
                return
            self._next_purge = now + PURGE_EVERY
        self.purge(now=now)


def utc_from_timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
