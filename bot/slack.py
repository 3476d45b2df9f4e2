"""The bot's side of the Slack Web API: a retrying client and a throttled poster."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
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


class SlackPoster:
    """Posts Block Kit messages (link unfurls off), throttled per channel; returns the ts."""

    def __init__(self, client: WebClient, throttle: ChannelThrottle):
        self.client = client
        self.throttle = throttle

    def __call__(self, channel: str, message: SlackMessage, thread_ts: str | None = None) -> str:
        self.throttle.wait(channel)
        response = self.client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])
