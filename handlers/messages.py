"""Links posted in channels: ingest each one and answer once in the thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.services.links import LinkOutcome
from bot.views.blocks import SlackMessage
from bot.views.replies import failure_message, verdict_message
from handlers.parsing import is_handled_message, message_links

Poster = Callable[[str, SlackMessage, str | None], str]


def handle_message(
    event: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
    poster: Poster,
    logger: logging.Logger,
) -> None:
    if not is_handled_message(event, context.bot_user_id) or not event.get("ts"):
        return  # not a person's new message, or one without its ts (nothing to answer)
    channel, ts = event["channel"], event["ts"]
    thread_ts = event.get("thread_ts")
    links = message_links(event)
    if not links:
        if thread_ts and thread_ts != ts:
            services.links.record_thread_message(channel=channel, ts=ts, thread_ts=thread_ts)
        return
    reply_to = thread_ts or ts
    for url in links:
        outcome = services.links.post_link(channel=channel, ts=ts, thread_ts=thread_ts, url=url)
        reply = _reply(outcome, client, logger)
        try:
            reply_ts = poster(channel, reply, reply_to)
        except SlackApiError as exc:
            error = exc.response.get("error")
            logger.warning("could not reply in channel %s about %s: %s", channel, url, error)
            return
        if outcome.result is not None:
            services.links.record_reply(
                channel=channel, ts=reply_ts, thread_ts=reply_to, result=outcome.result
            )


def _reply(outcome: LinkOutcome, client: WebClient, logger: logging.Logger) -> SlackMessage:
    result = outcome.result
    if result is None:
        return failure_message(outcome.url, outcome.error or "unknown error")
    permalink = None
    if outcome.first_post is not None:
        channel, ts = outcome.first_post
        try:
            permalink = client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
        except SlackApiError as exc:
            logger.info("no permalink for %s/%s: %s", channel, ts, exc.response.get("error"))
    return verdict_message(
        relation=result.relation,
        title=result.title,
        url=result.url,
        matched_title=result.matched_title,
        matched_url=result.matched_url,
        score=result.score,
        signal=result.signal,
        story_id=result.story_id,
        story_articles=result.story_articles,
        story_sources=result.story_sources,
        claim_pairs=result.claim_pairs,
        first_post_link=permalink,
    )
