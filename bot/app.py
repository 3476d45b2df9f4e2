"""The Bolt app factory: an App wired to the services, making no call to Slack while built."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

import handlers
from bot.services import Services
from bot.settings import Settings
from bot.slack import ChannelThrottle, SlackPoster, make_client

Listener = Callable[..., Any]


class ConfigError(Exception):
    """Settings missing for the requested mode; str() says which."""


class Offload:
    """Runs listeners on the bot's own thread pools, after acknowledging in the request thread.

    Bolt's default runs whole listeners on one 5-thread pool and the request thread polls for
    the ack every 10 ms, so acks queue behind slow work (a 20 s page fetch, a search). Here
    the app processes requests in the request thread (`process_before_response`), each
    listener is wrapped to ack at once and hand its work to a pool: fetches and ingests
    (I/O-bound) on one, slash commands on another, so neither waits for the other.
    """

    def __init__(self, *, event_threads: int = 8, command_threads: int = 2):
        self.events = ThreadPoolExecutor(event_threads, thread_name_prefix="newsroom-event")
        self.commands = ThreadPoolExecutor(command_threads, thread_name_prefix="newsroom-command")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def _in(self, pool: ThreadPoolExecutor) -> Callable[[Listener], Listener]:
        def wrap(listener: Listener) -> Listener:
            @functools.wraps(listener)  # Bolt reads the listener's own arguments through this
            def run(**kwargs: Any) -> None:
                ack = kwargs.get("ack")
                if ack is not None:
                    ack()
                self._track(pool.submit(_logged, listener, kwargs))

            return run

        return wrap

    def _track(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def event(self, listener: Listener) -> Listener:
        return self._in(self.events)(listener)

    def command(self, listener: Listener) -> Listener:
        return self._in(self.commands)(listener)

    def drain(self, timeout: float) -> int:
        """Finish the work already acknowledged, waiting at most `timeout` seconds; returns
        how many listeners were still unfinished. Slack does not redeliver an acknowledged
        event, so a stopping process finishes what it acknowledged rather than dropping it."""
        with self._lock:
            pending = set(self._pending)
        _, unfinished = wait(pending, timeout=timeout)
        self.events.shutdown(wait=False, cancel_futures=True)
        self.commands.shutdown(wait=False, cancel_futures=True)
        return len(unfinished)


def _logged(listener: Listener, kwargs: dict[str, Any]) -> None:
    try:
        listener(**kwargs)
    except Exception:
        logging.getLogger("newsroom.slack").exception("listener %s failed", listener.__name__)


def create_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    offload: Offload | None = None,
) -> App:
    """A Bolt App whose listeners get `services`, `poster` and `settings` from the context."""
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise ConfigError(
            "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README: Connect to Slack)"
        )
    client = client or make_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        token_verification_enabled=False,  # no auth.test at construction
        process_before_response=True,  # ack in the request thread; work goes to `offload`
        logger=logging.getLogger("newsroom.slack"),
    )
    poster = SlackPoster(client, ChannelThrottle(settings.post_interval))

    def inject(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["services"] = services
        context["poster"] = poster
        context["settings"] = settings
        return next()

    app.use(inject)
    offload = offload or Offload()
    handlers.register(app, event=offload.event, command=offload.command)
    return app


def app_poster(app: App, settings: Settings) -> SlackPoster:
    """A poster on the app's client, for the scheduler."""
    return SlackPoster(app.client, ChannelThrottle(settings.post_interval))
