"""Links posted in channels: ingest each one and answer once in the thread.

The links of a message are fetched on the link pool (bot/pool.py), at most a few of one
message, one channel and one site at a time, so a message full of stalling links does not
hold up anyone else's; the replies are posted in the message's order as each is ready.
"""

from __future__ import annotations

import functools
import logging
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.pool import FairPool
from bot.services import Services
from bot.services.links import LinkOutcome, reply_about
from bot.services.outbox import PendingPost
from bot.slack import Poster, marker_of
from bot.views.blocks import SlackMessage
from bot.views.replies import failure_message, verdict_message
from handlers.parsing import is_handled_message, message_links
from handlers.posting import post_once


def handle_message(
    event: dict[str, Any],
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
    poster: Poster,
    link_pool: FairPool,
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
    event_id = str(body.get("event_id") or f"{channel}/{ts}")
    rerun = int(context.get("job_attempt") or 1) > 1
    fetches = [
        link_pool.submit(
            functools.partial(
                services.links.post_link,
                channel=channel,
                ts=ts,
                thread_ts=thread_ts,
                url=url,
                rerun=rerun,
            ),
            keys={"message": f"{channel}/{ts}", "channel": channel, "host": _host(url)},
        )
        for url in links
    ]
    for url, fetch in zip(links, fetches, strict=True):
        outcome: LinkOutcome = fetch.result()
        reply = _reply(outcome, client, logger, flag_emoji=services.flags.emoji)
        about = reply_about(outcome.result) if outcome.result is not None else None
        post = PendingPost(
            channel=channel,
            text=reply.text,
            blocks=reply.blocks,
            thread_ts=reply_to,
            marker=marker_of(event_id, url),
            about=about,
        )
        reply_ts = post_once(post, poster=poster, services=services, rerun=rerun, logger=logger)
        if reply_ts is not None and about is not None:
            services.links.record_reply(
                channel=channel, ts=reply_ts, thread_ts=reply_to, about=about
            )


def _host(url: str) -> str:
    """The site a link is on, for the per-site cap: host and port."""
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or ''}"
    except ValueError:
        return ""


def _reply(
    outcome: LinkOutcome, client: WebClient, logger: logging.Logger, *, flag_emoji: str
) -> SlackMessage:
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
        flag_emoji=flag_emoji,
    )
