"""Use case: work that must be done even if the process doing it dies, retried until it is.

A `JobQueue` keeps jobs in the `job` table. The process that queues a job holds its lease and
runs it at once; when that process dies, or the attempt fails, the lease runs out or is
released and any process's sweep (bot/scheduler.py) takes the job and runs it again. A failed
attempt waits the next step of the retry schedule (the last step repeats) before it runs
again; after `max_attempts` the job is kept as `failed`.

The queue is generic (kind, key, JSON payload): Slack events (bot/services/events.py) and
posts that failed (bot/services/outbox.py) use it, and so can later kinds of work.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import job_queries
from storage.db import writer
from storage.models import Job

DEFAULT_RETRY_SECONDS: tuple[float, ...] = (1, 2, 5, 10, 30, 60, 120, 300)


def process_owner() -> str:
    """A name for this process in `claimed_by`: host, pid and a random part (pids recur)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class QueuedJob:
    """A job as plain data, for whoever runs it."""

    id: int
    kind: str
    key: str
    payload: dict[str, Any]
    attempts: int


def _queued(job: Job) -> QueuedJob:
    assert job.id is not None
    return QueuedJob(
        id=job.id,
        kind=job.kind,
        key=job.key,
        payload=json.loads(job.payload),
        attempts=job.attempts,
    )


class JobQueue:
    def __init__(
        self,
        engine: Engine,
        *,
        owner: str | None = None,
        lease: timedelta = timedelta(seconds=120),
        retry_seconds: Sequence[float] = DEFAULT_RETRY_SECONDS,
        max_attempts: int = 20,
    ) -> None:
        self.engine = engine
        self.owner = owner or process_owner()
        self.lease = lease
        self.retry_seconds = tuple(retry_seconds) or DEFAULT_RETRY_SECONDS
        self.max_attempts = max_attempts

    def add(
        self, *, kind: str, key: str, payload: dict[str, Any], now: datetime, done: bool = False
    ) -> int | None:
        """Queue a job leased to this process, to run now (or record it as `done`, a claim
        only); its id, or None when (kind, key) was queued before. Raises SQLAlchemyError
        when the database cannot be reached."""
        job = Job(
            kind=kind,
            key=key,
            payload=json.dumps(payload),
            state=job_queries.DONE if done else job_queries.PENDING,
            claimed_by=self.owner,
            lease_until=None if done else now + self.lease,
            next_run=now,
            created=now,
        )
        with writer(self.engine), Session(self.engine) as session:
            try:
                job_queries.add_job(session=session, job=job)
                session.commit()
            except IntegrityError:
                return None
            return job.id

    def start(self, job_id: int, *, now: datetime) -> int | None:
        """Begin an attempt at a job this process holds: the attempt's number (1 for the first
        run), or None when another process has taken the job over (do not run it)."""
        with writer(self.engine), Session(self.engine) as session:
            attempt = job_queries.start_job(
                session=session, job_id=job_id, owner=self.owner, lease_until=now + self.lease
            )
            session.commit()
        return attempt

    def done(self, job_id: int) -> None:
        with writer(self.engine), Session(self.engine) as session:
            job_queries.finish_job(session=session, job_id=job_id, owner=self.owner)
            session.commit()

    def retry_later(self, job_id: int, *, attempt: int, error: str, now: datetime) -> bool:
        """Release a job after failed attempt number `attempt`; False when it was given up."""
        give_up = attempt >= self.max_attempts
        step = self.retry_seconds[min(attempt, len(self.retry_seconds)) - 1]
        with writer(self.engine), Session(self.engine) as session:
            job_queries.postpone_job(
                session=session,
                job_id=job_id,
                owner=self.owner,
                next_run=now + timedelta(seconds=step),
                error=error,
                give_up=give_up,
            )
            session.commit()
        return not give_up

    def schedule(self, *, kind: str, key: str, payload: dict[str, Any], at: datetime) -> bool:
        """Queue a recurring job held by nobody, first due at `at` (a feed's polls); False
        when (kind, key) is queued already."""
        job = Job(kind=kind, key=key, payload=json.dumps(payload), next_run=at, created=at)
        with writer(self.engine), Session(self.engine) as session:
            try:
                job_queries.add_job(session=session, job=job)
                session.commit()
            except IntegrityError:
                return False
        return True

    def release(self, job_id: int, *, next_run: datetime, error: str | None = None) -> bool:
        """Give back a recurring job this process holds, to run again at `next_run` (by any
        process); False when it was not this process's any more."""
        with writer(self.engine), Session(self.engine) as session:
            released = job_queries.reschedule_job(
                session=session, job_id=job_id, owner=self.owner, next_run=next_run, error=error
            )
            session.commit()
        return released

    def remove(self, *, kind: str, key: str) -> bool:
        """Forget the job (kind, key)."""
        with writer(self.engine), Session(self.engine) as session:
            removed = job_queries.remove_job(session=session, kind=kind, key=key)
            session.commit()
        return removed

    def keys(self, kind: str) -> set[str]:
        """The keys of the queued jobs of `kind`."""
        with Session(self.engine) as session:
            return job_queries.job_keys(session=session, kind=kind)

    def take_due(self, *, kinds: Sequence[str], now: datetime, limit: int = 50) -> list[QueuedJob]:
        """Lease to this process the due jobs of `kinds` that nobody holds."""
        with writer(self.engine), Session(self.engine) as session:
            jobs = job_queries.take_due(
                session=session,
                kinds=kinds,
                owner=self.owner,
                now=now,
                lease_until=now + self.lease,
                limit=limit,
            )
            session.commit()
            return [_queued(job) for job in jobs]

    def prune(self, *, before: datetime) -> int:
        """Forget finished jobs created before `before`."""
        with writer(self.engine), Session(self.engine) as session:
            removed = job_queries.remove_finished(session=session, before=before)
            session.commit()
        return removed

    def counts(self, kind: str | None = None) -> dict[str, int]:
        with Session(self.engine) as session:
            return job_queries.count_jobs(session=session, kind=kind)


def utcnow() -> datetime:
    return datetime.now(UTC)
