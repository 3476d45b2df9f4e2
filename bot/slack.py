"""The bot's side of the Slack Web API: a retrying client and a throttled poster."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryIntervalCalculator
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import default_interval_calculator

from bot.settings import Settings
from bot.views.blocks import SlackMessage


def make_client(settings: Settings, *, backoff: RetryIntervalCalculator | None = None) -> WebClient:
    """A WebClient that retries 429 (after Retry-After), 5xx and connection errors.

    With the default exponential backoff (0.5 s doubling) and 7 retries, a post outlasts about
    a minute of 5xx answers; a 429 waits what Retry-After says each time.
    """
    retries = settings.slack_retries
    interval = backoff or default_interval_calculator
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_base_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries, interval_calculator=interval),
            RateLimitErrorRetryHandler(max_retry_count=retries, interval_calculator=interval),
            ServerErrorRetryHandler(max_retry_count=retries, interval_calculator=interval),
        ],
    )


class ChannelThrottle:
    """At most one message per `interval` seconds in each channel (within this process)."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = interval
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, channel: str) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(channel, now))
            self._next[channel] = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


REPLY_EVENT_TYPE = "newsroom_reply"  # the metadata event_type on the bot's own replies


class Poster(Protocol):
    """Posts a message, optionally in a thread and marked (message metadata); returns its ts."""

    def __call__(
        self,
        channel: str,
        message: SlackMessage,
        thread_ts: str | None = None,
        *,
        marker: dict[str, str] | None = None,
    ) -> str: ...

    def find(self, channel: str, thread_ts: str, marker: dict[str, str]) -> str | None: ...


class SlackPoster:
    """Posts Block Kit messages (link unfurls off), throttled per channel; returns the ts.

    A `marker` goes into the message's metadata (`event_type` newsroom_reply), so that a
    second attempt at the same work can find the message (`find`) instead of posting again."""

    def __init__(self, client: WebClient, throttle: ChannelThrottle):
        self.client = client
        self.throttle = throttle

    def __call__(
        self,
        channel: str,
        message: SlackMessage,
        thread_ts: str | None = None,
        *,
        marker: dict[str, str] | None = None,
    ) -> str:
        self.throttle.wait(channel)
        metadata = {"event_type": REPLY_EVENT_TYPE, "event_payload": marker} if marker else None
        response = self.client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            metadata=metadata,
        )
        return str(response["ts"])

    def find(self, channel: str, thread_ts: str, marker: dict[str, str]) -> str | None:
        """The ts of the bot's message marked `marker` in the thread of `thread_ts`, if any."""
        cursor = None
        for _ in range(20):  # 20 pages of 200: a thread longer than that is not a reply thread
            response = self.client.conversations_replies(
                channel=channel,
                ts=thread_ts,
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                if (
                    metadata.get("event_type") == REPLY_EVENT_TYPE
                    and metadata.get("event_payload") == marker
                ):
                    return str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None


def is_transient(exc: Exception) -> bool:
    """A post failure worth trying again later: a lost connection, a 429 or a 5xx that
    outlasted the client's retries. Slack's own refusals (channel_not_found, ...) are not."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200)
        return status == 429 or status >= 500
    return isinstance(exc, OSError)


def marker_of(event_id: str, link: str | None = None) -> dict[str, str]:
    """The metadata payload that names the reply to one event (and one of its links)."""
    return {"event_id": event_id, **({"link": link} if link is not None else {})}
