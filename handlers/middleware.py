"""Global middleware: each Slack event is handled once, and only when it can be recorded.

The event id is claimed in the database before Bolt acknowledges the request. A retried
delivery (Slack's retries, or the same event at another replica) finds the claim and is
acknowledged without running any listener. When the database cannot be reached, the request is
answered 503 and not acknowledged, so Slack delivers the event again later instead of it being
acknowledged and lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.services import Services


def claim_event(
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], Any],
    logger: logging.Logger,
) -> Any:
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if not isinstance(event_id, str) or not event_id:
        return next()
    services: Services = context["services"]
    try:
        first = services.events.claim(event_id)
    except SQLAlchemyError as exc:
        logger.warning(
            "database unavailable (%s); event %s left for Slack to retry",
            type(exc).__name__,
            event_id,
        )
        return BoltResponse(status=503, body="database unavailable, retry later")
    if not first:
        logger.info("event %s already handled (retry %s)", event_id, context.get("retry_num"))
        return BoltResponse(status=200, body="")
    return next()
