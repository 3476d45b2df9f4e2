"""Flag reactions: a flag emoji on a message about an article or claim flags it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext
from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.settings import Settings
from bot.views.blocks import SlackMessage
from bot.views.replies import flag_confirmation

Poster = Callable[[str, SlackMessage, str | None], str]


def _flag_target(
    event: dict[str, Any], context: BoltContext, settings: Settings
) -> tuple[str, str, str, str] | None:
    item = event.get("item") or {}
    user, reaction = event.get("user"), event.get("reaction")
    if item.get("type") != "message" or reaction not in settings.flag_reactions:
        return None
    if not user or user == context.bot_user_id or not item.get("channel") or not item.get("ts"):
        return None
    return item["channel"], item["ts"], user, reaction


def handle_reaction_added(
    event: dict[str, Any],
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

    outcome = services.flags.flag(
        channel=channel, ts=ts, user=user, reaction=reaction, now=datetime.now(UTC)
    )
    if outcome.confirm:
        try:
            poster(channel, flag_confirmation(outcome.what, user), outcome.thread_ts)
        except SlackApiError as exc:
            logger.warning("could not confirm a flag in %s: %s", channel, exc.response.get("error"))


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
