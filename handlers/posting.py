"""Posting a reply once: a re-run finds its earlier reply, a failed post goes to the outbox."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.services.outbox import PendingPost
from bot.slack import Poster, is_transient
from bot.views.blocks import SlackMessage


def post_once(
    post: PendingPost,
    *,
    poster: Poster,
    services: Services,
    rerun: bool,
    logger: logging.Logger,
) -> str | None:
    """Post `post` and return its ts; None when it was not posted now.

    On a re-run of the same event (`rerun`), the thread is read back first and a reply
    carrying the same marker is taken as posted. A post that fails for a while (a lost
    connection, 429s or 5xx beyond the client's retries) is queued in the outbox; one Slack
    refuses (channel_not_found, ...) is logged and dropped.
    """
    if rerun and post.marker and post.thread_ts:
        found = poster.find(post.channel, post.thread_ts, post.marker)
        if found is not None:
            logger.info("reply in %s already posted by an earlier attempt", post.channel)
            return found
    message = SlackMessage(text=post.text, blocks=post.blocks)
    try:
        return poster(post.channel, message, post.thread_ts, marker=post.marker)
    except (SlackApiError, OSError) as exc:
        if not is_transient(exc):
            error = exc.response.get("error") if isinstance(exc, SlackApiError) else str(exc)
            logger.warning("could not post in channel %s: %s", post.channel, error)
            return None
        services.outbox.defer(post, now=datetime.now(UTC))
        logger.warning(
            "could not post in channel %s (%s); queued to post later",
            post.channel,
            type(exc).__name__,
        )
        return None


def deliver_post(
    post: PendingPost, *, poster: Poster, services: Services, logger: logging.Logger
) -> None:
    """Post a message from the outbox (a retry: its thread is read back first), and record
    what a reply is about once posted. Raises when it fails again, for the outbox to retry."""
    ts = None
    if post.marker and post.thread_ts:
        ts = poster.find(post.channel, post.thread_ts, post.marker)
    if ts is None:
        message = SlackMessage(text=post.text, blocks=post.blocks)
        try:
            ts = poster(post.channel, message, post.thread_ts, marker=post.marker)
        except SlackApiError as exc:
            if is_transient(exc):
                raise
            logger.warning("outbox: Slack refused a post in %s: %s", post.channel, exc)
            return
        logger.info("posted in channel %s from the outbox", post.channel)
    if post.about is not None:
        services.links.record_reply(
            channel=post.channel, ts=ts, thread_ts=post.thread_ts, about=post.about
        )
