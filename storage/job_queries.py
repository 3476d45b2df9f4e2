"""Query functions for the job table: a queue whose rows are taken under a lease.

Keyword-only arguments; none of them commits (the service does, once). A row is taken by a
conditional UPDATE (its lease must have run out), so two processes never both take it; on
PostgreSQL the candidates are first locked with `FOR UPDATE SKIP LOCKED`, so concurrent
sweeps pass over each other's rows instead of queueing on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from storage.models import Job

PENDING, DONE, FAILED = "pending", "done", "failed"


def add_job(*, session: Session, job: Job) -> None:
    """Queue a job; flushing raises IntegrityError when its (kind, key) is already queued."""
    session.add(job)
    session.flush()


def _free(now: datetime) -> Any:
    return or_(col(Job.lease_until).is_(None), col(Job.lease_until) < now)


def take_due(
    *,
    session: Session,
    kinds: Sequence[str],
    owner: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[Job]:
    """Lease up to `limit` pending jobs of `kinds` that are due and held by nobody."""
    candidates = (
        select(col(Job.id))
        .where(
            col(Job.state) == PENDING,
            col(Job.kind).in_(list(kinds)),
            col(Job.next_run) <= now,
            _free(now),
        )
        .order_by(col(Job.next_run))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    taken = []
    for job_id in session.exec(candidates).all():
        statement = (
            update(Job)
            .where(col(Job.id) == job_id, col(Job.state) == PENDING, _free(now))
            .values(claimed_by=owner, lease_until=lease_until)
        )
        if session.execute(statement).rowcount:  # type: ignore[attr-defined]
            taken.append(job_id)
    if not taken:
        return []
    rows = session.exec(select(Job).where(col(Job.id).in_(taken)).order_by(col(Job.next_run)))
    return list(rows.all())


def start_job(*, session: Session, job_id: int, owner: str, lease_until: datetime) -> int | None:
    """Renew `owner`'s lease as it starts the job and count the attempt; the attempt's number,
    or None when the job is no longer `owner`'s (another process took it over) or pending."""
    statement = (
        update(Job)
        .where(col(Job.id) == job_id, col(Job.claimed_by) == owner, col(Job.state) == PENDING)
        .values(lease_until=lease_until, attempts=col(Job.attempts) + 1)
    )
    if not session.execute(statement).rowcount:  # type: ignore[attr-defined]
        return None
    return int(session.exec(select(col(Job.attempts)).where(col(Job.id) == job_id)).one())


def finish_job(*, session: Session, job_id: int, owner: str) -> bool:
    """Mark `owner`'s job done."""
    statement = (
        update(Job)
        .where(col(Job.id) == job_id, col(Job.claimed_by) == owner)
        .values(state=DONE, lease_until=None, error=None)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def postpone_job(
    *,
    session: Session,
    job_id: int,
    owner: str,
    next_run: datetime,
    error: str,
    give_up: bool,
) -> bool:
    """Release `owner`'s lease after a failed attempt: run again at `next_run`, or never."""
    statement = (
        update(Job)
        .where(col(Job.id) == job_id, col(Job.claimed_by) == owner)
        .values(
            state=FAILED if give_up else PENDING,
            next_run=next_run,
            claimed_by=None,
            lease_until=None,
            error=error[:500],
        )
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def remove_finished(*, session: Session, before: datetime) -> int:
    """Forget done and failed jobs created before `before`."""
    statement = delete(Job).where(col(Job.state).in_([DONE, FAILED]), col(Job.created) < before)
    return session.execute(statement).rowcount or 0  # type: ignore[attr-defined]


def count_jobs(*, session: Session, kind: str | None = None) -> dict[str, int]:
    """How many jobs are in each state (of one kind, or all)."""
    statement = select(col(Job.state), func.count()).group_by(col(Job.state))
    if kind is not None:
        statement = statement.where(col(Job.kind) == kind)
    return {state: int(n) for state, n in session.exec(statement).all()}


def reschedule_job(
    *, session: Session, job_id: int, owner: str, next_run: datetime, error: str | None = None
) -> bool:
    """Release `owner`'s lease on a recurring job: pending again, to run at `next_run`
    (a feed's next poll); its attempts start again from zero."""
    statement = (
        update(Job)
        .where(col(Job.id) == job_id, col(Job.claimed_by) == owner)
        .values(
            state=PENDING,
            next_run=next_run,
            claimed_by=None,
            lease_until=None,
            attempts=0,
            error=None if error is None else error[:500],
        )
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def remove_job(*, session: Session, kind: str, key: str) -> bool:
    """Forget the job (kind, key), in whatever state."""
    statement = delete(Job).where(col(Job.kind) == kind, col(Job.key) == key)
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def job_keys(*, session: Session, kind: str) -> set[str]:
    """The keys of every job of `kind`."""
    return set(session.exec(select(col(Job.key)).where(col(Job.kind) == kind)).all())
