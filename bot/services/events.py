"""Use case: the durable inbox. Each Slack event is stored before it is acknowledged, handled
once however many times Slack delivers it, and handled again after a crash or a failure.

The middleware (handlers/middleware.py) stores the event's payload as a `slack_event` job
keyed by its event id, in the one transaction that claims the id: a retried delivery (Slack's
retries, or the same event at another replica) finds the row and does nothing. The process
that stored it runs it at once; a process killed before marking it done, or an attempt that
failed (a locked or unreachable database), leaves it to any replica's sweep (bot/scheduler.py).
Finished events older than Slack's retry horizon are pruned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.services.jobs import JobQueue

EVENT = "slack_event"


class EventLog:
    def __init__(self, queue: JobQueue):
        self.queue = queue

    def claim(
        self, event_id: str, body: dict[str, Any], *, now: datetime, to_run: bool = True
    ) -> tuple[bool, int | None]:
        """Store the event: (first, job id). `first` is False when `event_id` was seen before;
        the job id is None then, or when the event has nothing to run (`to_run` False: it is
        claimed as done). Raises SQLAlchemyError when the database is unreachable."""
        # The envelope's legacy verification `token` is not kept: nothing re-reads it.
        payload = {k: v for k, v in body.items() if k != "token"} if to_run else {}
        job_id = self.queue.add(kind=EVENT, key=event_id, payload=payload, now=now, done=not to_run)
        if job_id is None:
            return False, None
        return True, job_id if to_run else None

    def prune(self, *, before: datetime) -> int:
        """Forget handled events received before `before` (Slack stops retrying within hours)."""
        return self.queue.prune(before=before)
