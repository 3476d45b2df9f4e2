"""Flag reactions: a flag emoji on a message about an article or claim flags it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext

from bot.services import Services
from bot.services.outbox import PendingPost
from bot.settings import Settings
from bot.slack import Poster, marker_of
from bot.views.replies import flag_confirmation
from handlers.posting import post_once


def _flag_target(
    event: dict[str, Any], context: BoltContext, settings: Settings
) -> tuple[str, str, str, str] | None:
    item = event.get("item")
    if not isinstance(item, dict):
        return None
    user, reaction = event.get("user"), event.get("reaction")
    if item.get("type") != "message" or reaction not in settings.flag_reactions:
        return None
    if not user or user == context.bot_user_id or not item.get("channel") or not item.get("ts"):
        return None
    return item["channel"], item["ts"], user, reaction


def handle_reaction_added(
    event: dict[str, Any],
    body: dict[str, Any],
    context: BoltContext,
    services: Services,
    settings: Settings,
    poster: Poster,
    logger: logging.Logger,
) -> None:
    target = _flag_target(event, context, settings)
    if target is None:
        return
    channel, ts, user, reaction = target

    rerun = int(context.get("job_attempt") or 1) > 1
    outcome = services.flags.flag(
        channel=channel, ts=ts, user=user, reaction=reaction, now=datetime.now(UTC), rerun=rerun
    )
    if outcome.confirm:
        message = flag_confirmation(outcome.what, user)
        post = PendingPost(
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=outcome.thread_ts,
            marker=marker_of(str(body.get("event_id") or f"flag/{channel}/{ts}/{user}")),
        )
        post_once(post, poster=poster, services=services, rerun=rerun, logger=logger)


def handle_reaction_removed(
    event: dict[str, Any],
    context: BoltContext,
    services: Services,
    settings: Settings,
) -> None:
    target = _flag_target(event, context, settings)
    if target is None:
        return
    channel, ts, user, reaction = target
    services.flags.unflag(channel=channel, ts=ts, user=user, reaction=reaction)
