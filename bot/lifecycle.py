"""The bot's process: build the Slack app and its scheduler, run until SIGTERM or Ctrl-C, stop.

Slack does not send an acknowledged event again, so a stopping process finishes the events it
has acknowledged (for at most NEWSROOM_SHUTDOWN_GRACE_SECONDS) before it exits.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType

from slack_bolt import App

from bot.app import Offload, app_poster, create_app, job_runner
from bot.logs import configure_logging
from bot.scheduler import DigestScheduler
from bot.services import Services
from bot.settings import Settings

logger = logging.getLogger("newsroom")

# run(app, services) serves until it returns or raises SystemExit / KeyboardInterrupt.
Run = Callable[[App, Services], None]


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # waitress and Socket Mode's wait stop cleanly on SystemExit


def start_scheduler(
    settings: Settings, services: Services, app: App, offload: Offload
) -> DigestScheduler:
    """The scheduler of this process, started: digests, posting through the app's client,
    the sweep that runs again the inbox's and outbox's jobs left unfinished, and the feeds'."""
    poster = app_poster(app, settings)
    scheduler = DigestScheduler(
        services.digest,
        poster,
        events=services.events,
        sweep_seconds=settings.digest_sweep_seconds,
        jobs=services.jobs,
        run_job=job_runner(app, offload, services, poster),
        job_sweep_seconds=settings.job_sweep_seconds,
        feeds=services.feeds,
        feed_sweep_seconds=settings.feed_sweep_seconds,
        outbox=services.outbox,
        alerts=services.alerts,
    )
    scheduler.start()
    return scheduler


def run_bot(settings: Settings, services: Services, *, no_scheduler: bool, run: Run) -> None:
    """Run the app with `run` until SIGTERM or Ctrl-C, then stop the scheduler and finish the
    events already acknowledged, for at most NEWSROOM_SHUTDOWN_GRACE_SECONDS. Raises
    bot.app.ConfigError before starting when Slack settings are missing."""
    configure_logging()
    offload = Offload.from_settings(settings)
    app = create_app(settings, services, offload=offload)
    scheduler = None if no_scheduler else start_scheduler(settings, services, app, offload)
    signal.signal(signal.SIGTERM, _stop)
    try:
        run(app, services)
    except KeyboardInterrupt:
        pass
    finally:
        logger.info("stopping: finishing the events already acknowledged")
        if scheduler is not None:
            scheduler.shutdown()
        unfinished = offload.drain(settings.shutdown_grace_seconds)
        if unfinished:
            logger.warning("stopped with %d acknowledged events unfinished", unfinished)
        else:
            logger.info("stopped")
