"""App Home: the last day's conflicts and stories (its digest) and flagged claims."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.views.replies import home_view


def handle_app_home_opened(
    event: dict[str, Any], client: WebClient, services: Services, logger: logging.Logger
) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    now = datetime.now(UTC)
    view = home_view(
        digest=services.digest.build(since=now - timedelta(hours=24), until=now),
        flagged=services.flags.flagged(limit=10),
        now=now,
        feeds=services.feeds.watching(),
    )
    try:
        client.views_publish(user_id=event["user"], view=view)
    except SlackApiError as exc:
        logger.warning(
            "could not publish App Home for %s: %s", event["user"], exc.response.get("error")
        )
