"""Global middleware: each Slack event is handled once, and only when it can be recorded.

The event, payload and all, is stored in the inbox (bot/services/events.py) in the transaction
that claims its id, before Bolt acknowledges the request. A retried delivery (Slack's retries,
or the same event at another replica) finds the claim and is acknowledged without running any
listener. When the inbox cannot be reached, the request is answered 503 and not acknowledged,
so Slack delivers the event again later instead of it being acknowledged and lost. The job's
id goes into the context (`job_id`) for bot.app.Offload, which marks the job done when its
listener has run. An event of a type no listener takes is claimed as done. A re-run from the
inbox arrives with `job_id` already set and is not claimed again.

An event id is claimed as it is when it is a short printable ASCII string (Slack's are
`Ev` and a dozen capitals and digits); any other value (a number, a list, a lone surrogate, a
megabyte) is not an id Slack sent, and the event is acknowledged without being handled. Only
Slack-shaped ids are logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.services import Services

# The event types handlers.register gives a listener; others are claimed as already done.
HANDLED_EVENTS = frozenset({"message", "reaction_added", "reaction_removed", "app_home_opened"})
_CLAIMABLE = re.compile(r"[\x21-\x7e]{1,128}")
_SLACK_SHAPED = re.compile(r"Ev[0-9A-Z]{6,32}")


def _shown(event_id: str) -> str:
    """The id for a log line: itself when Slack-shaped, else only its length."""
    return event_id if _SLACK_SHAPED.fullmatch(event_id) else f"<id of {len(event_id)} chars>"


def claim_event(
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], Any],
    logger: logging.Logger,
) -> Any:
    if context.get("job_id") is not None:  # a re-run of an event already in the inbox
        return next()
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id is None:
        return next()
    if not isinstance(event_id, str) or not _CLAIMABLE.fullmatch(event_id):
        logger.warning("event with a malformed event_id (%s) ignored", type(event_id).__name__)
        return BoltResponse(status=200, body="")
    services: Services = context["services"]
    try:
        event = body.get("event")
        kind = event.get("type") if isinstance(event, dict) else None
        handled = isinstance(kind, str) and kind in HANDLED_EVENTS
        first, job_id = services.events.claim(event_id, body, now=datetime.now(UTC), to_run=handled)
    except SQLAlchemyError as exc:
        logger.warning(
            "database unavailable (%s); event %s left for Slack to retry",
            type(exc).__name__,
            _shown(event_id),
        )
        return BoltResponse(status=503, body="database unavailable, retry later")
    if not first:
        logger.info(
            "event %s already handled (retry %s)", _shown(event_id), context.get("retry_num")
        )
        return BoltResponse(status=200, body="")
    if job_id is not None:
        context["job_id"] = job_id
    return next()
