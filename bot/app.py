"""The Bolt app factory: an App wired to the services, making no call to Slack while built."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr
from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

import handlers
from bot.pool import FairPool
from bot.services import Services
from bot.services.events import EVENT
from bot.services.jobs import JobQueue, QueuedJob
from bot.services.outbox import POST, PendingPost
from bot.settings import Settings
from bot.slack import ChannelThrottle, SlackPoster, make_client

Listener = Callable[..., Any]


class ConfigError(Exception):
    """Settings missing for the requested mode; str() says which."""


def require_slack_settings(settings: Settings) -> SecretStr:
    """The signing secret; ConfigError unless it and the bot token are set (the CLI checks
    before it opens the database, so a bot that cannot start creates nothing)."""
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise ConfigError(
            "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README: Connect to Slack)"
        )
    return settings.slack_signing_secret


class Offload:
    """Runs listeners on the bot's own thread pools, after acknowledging in the request thread.

    Bolt's default runs whole listeners on one 5-thread pool and the request thread polls for
    the ack every 10 ms, so acks queue behind slow work (a 20 s page fetch, a search). Here
    the app processes requests in the request thread (`process_before_response`), each
    listener is wrapped to ack at once and hand its work to a pool: messages on one (their
    links are fetched on `links`, a FairPool capped per message, channel and site), other
    events (reactions, App Home) on another and slash commands on a third, so none waits for
    the others.

    A listener of an event from the inbox runs as that job's attempt: it starts by renewing
    the lease (and does not run when another process took the job over), and marks the job
    done when it returns, or to be tried again later when it raises (a locked or lost
    database, a bug: the queue's retry schedule, then `failed`).
    """

    def __init__(
        self,
        *,
        message_threads: int = 16,
        event_threads: int = 4,
        command_threads: int = 2,
        links: FairPool | None = None,
    ):
        self.messages = ThreadPoolExecutor(message_threads, thread_name_prefix="newsroom-message")
        self.events = ThreadPoolExecutor(event_threads, thread_name_prefix="newsroom-event")
        self.commands = ThreadPoolExecutor(command_threads, thread_name_prefix="newsroom-command")
        self.links = links or FairPool(8, caps={"message": 2, "channel": 4, "host": 4})
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Offload:
        caps = {
            "message": settings.link_per_message,
            "channel": max(settings.link_per_message, settings.link_threads // 2),
            "host": settings.link_per_host,
        }
        return cls(links=FairPool(settings.link_threads, caps=caps))

    def _in(self, pool: ThreadPoolExecutor) -> Callable[[Listener], Listener]:
        def wrap(listener: Listener) -> Listener:
            @functools.wraps(listener)  # Bolt reads the listener's own arguments through this
            def run(**kwargs: Any) -> None:
                ack = kwargs.get("ack")
                if ack is not None:
                    ack()
                context: BoltContext | None = kwargs.get("context")
                job_id = context.get("job_id") if context is not None else None
                if context is None or job_id is None:
                    self._track(pool.submit(_logged, listener, kwargs))
                    return
                context["job_submitted"] = True
                queue: JobQueue = context["services"].jobs
                self._track(
                    pool.submit(run_job, queue, job_id, context, lambda: listener(**kwargs))
                )

            return run

        return wrap

    def _track(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def message(self, listener: Listener) -> Listener:
        return self._in(self.messages)(listener)

    def event(self, listener: Listener) -> Listener:
        return self._in(self.events)(listener)

    def command(self, listener: Listener) -> Listener:
        return self._in(self.commands)(listener)

    def submit(self, work: Callable[[], None]) -> None:
        """Run other work (an outbox post) on the events pool, tracked for the drain."""
        self._track(self.events.submit(work))

    def drain(self, timeout: float) -> int:
        """Finish the work already acknowledged, waiting at most `timeout` seconds; returns
        how many listeners were still unfinished. Slack does not redeliver an acknowledged
        event, so a stopping process finishes what it acknowledged rather than dropping it;
        what it cannot finish stays in the inbox for another process's sweep."""
        with self._lock:
            pending = set(self._pending)
        _, unfinished = wait(pending, timeout=timeout)
        self.links.shutdown()
        for pool in (self.messages, self.events, self.commands):
            pool.shutdown(wait=False, cancel_futures=True)
        return len(unfinished)


def _logged(listener: Listener, kwargs: dict[str, Any]) -> None:
    try:
        listener(**kwargs)
    except Exception:
        logging.getLogger("newsroom.slack").exception("listener %s failed", listener.__name__)


def run_job(
    queue: JobQueue, job_id: int, context: dict[str, Any] | None, work: Callable[[], None]
) -> None:
    """One attempt at a queued job: start it (unless another process holds it), run `work`,
    mark it done, or release it to be tried again later when `work` raises."""
    logger = logging.getLogger("newsroom.slack")
    try:
        attempt = queue.start(job_id, now=datetime.now(UTC))
    except SQLAlchemyError as exc:  # the lease runs out and a sweep runs it again
        logger.warning("could not start job %s (%s)", job_id, type(exc).__name__)
        return
    if attempt is None:
        logger.info("job %s taken over by another process", job_id)
        return
    if context is not None:
        context["job_attempt"] = attempt
    try:
        work()
    except Exception as exc:
        logger.warning(
            "job %s attempt %d failed (%s); tried again later",
            job_id,
            attempt,
            type(exc).__name__,
            exc_info=not isinstance(exc, SQLAlchemyError),
        )
        _settle(queue.retry_later, job_id, attempt=attempt, error=repr(exc), now=datetime.now(UTC))
        return
    _settle(queue.done, job_id)


def _settle(call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Record a job's end, retrying briefly while the database is locked or lost; if it
    still cannot be recorded, the lease runs out and a sweep runs the job again (a re-run
    finds its replies already posted)."""
    for wait_seconds in (0.1, 0.5, 2.0, None):
        try:
            call(*args, **kwargs)
            return
        except SQLAlchemyError as exc:
            if wait_seconds is None:
                logging.getLogger("newsroom.slack").warning(
                    "could not record a job's end (%s)", type(exc).__name__
                )
                return
            time.sleep(wait_seconds)


def create_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    offload: Offload | None = None,
) -> App:
    """A Bolt App whose listeners get `services`, `poster` and `settings` from the context."""
    signing_secret = require_slack_settings(settings)
    client = client or make_client(settings)
    app = App(
        client=client,
        signing_secret=signing_secret.get_secret_value(),
        token_verification_enabled=False,  # no auth.test at construction
        process_before_response=True,  # ack in the request thread; work goes to `offload`
        # Every event of a handled type must reach its listener, which marks its inbox job
        # done; the listeners themselves pass over the bot's own messages and reactions.
        ignoring_self_events_enabled=False,
        logger=logging.getLogger("newsroom.slack"),
    )
    poster = SlackPoster(client, ChannelThrottle(settings.post_interval))

    def inject(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["services"] = services
        context["poster"] = poster
        context["settings"] = settings
        context["link_pool"] = links
        return next()

    offload = offload or Offload.from_settings(settings)
    links = offload.links
    app.use(inject)
    handlers.register(app, message=offload.message, event=offload.event, command=offload.command)
    return app


def app_poster(app: App, settings: Settings) -> SlackPoster:
    """A poster on the app's client, for the scheduler."""
    return SlackPoster(app.client, ChannelThrottle(settings.post_interval))


def job_runner(
    app: App, offload: Offload, services: Services, poster: SlackPoster
) -> Callable[[QueuedJob], None]:
    """What the sweep does with a job it took: an event is dispatched to the app again (it
    was verified when it arrived: it goes in as Bolt's already-verified socket-mode request,
    with its job id, so that it is not claimed a second time); a post is posted."""
    logger = logging.getLogger("newsroom.slack")

    def run(job: QueuedJob) -> None:
        if job.kind == EVENT:
            request = BoltRequest(body=job.payload, mode="socket_mode", context={"job_id": job.id})
            try:
                app.dispatch(request)
            finally:
                if not request.context.get("job_submitted"):  # refused before any listener
                    offload.submit(
                        functools.partial(run_job, services.jobs, job.id, None, _refused)
                    )
        elif job.kind == POST:
            post = PendingPost.from_payload(job.payload)
            offload.submit(
                functools.partial(
                    run_job,
                    services.jobs,
                    job.id,
                    None,
                    functools.partial(
                        handlers.deliver_post, post, poster=poster, services=services, logger=logger
                    ),
                )
            )

    return run


def _refused() -> None:
    raise RuntimeError("the event reached no listener (authorization failed?)")
