"""The digest scheduler: one APScheduler cron job per subscribed channel, in its timezone.

Subscriptions live in the database; a sweep every minute picks up channels subscribed or
unsubscribed by any replica and posts digests that are due but missing (catch-up after
downtime: one digest, for the latest occurrence). Every replica may run this scheduler: the
digest run is claimed in the database, so each (channel, day) is posted once.

A second, faster sweep takes the inbox's and the outbox's due jobs (events whose process died
or whose attempt failed, posts that failed) under a lease and hands them to `run_job`; every
replica runs it, and a job is leased to one of them at a time.

A third sweep polls the watched feeds that are due (bot/services/feeds.py: each feed is a job
on the same queue, leased to one replica per poll) and posts, once, the report of a feed that
keeps failing in its channel; a report Slack does not take goes to the outbox. A watched item
that brought a conflict to a story an opted-in channel discussed is posted there at once, in
the story's thread (bot/services/alerts.py: claimed first, so once per channel and group).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.core.schedule import parse_time_of_day, parse_timezone
from bot.services.alerts import AlertService, ConflictAlert
from bot.services.digest import DigestService, Poster
from bot.services.events import EVENT, EventLog
from bot.services.feeds import FeedAlert, FeedService
from bot.services.jobs import JobQueue, QueuedJob
from bot.services.outbox import POST, Outbox, PendingPost
from bot.views.digest import render_digest
from bot.views.feeds import alert_message
from bot.views.replies import conflict_alert_message

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60
MISFIRE_GRACE = 3600  # a job late by up to an hour still runs (once: coalesced)
KEEP_EVENTS = timedelta(days=2)  # Slack stops retrying an event after a few hours
PRUNE_EVERY = timedelta(hours=1)


def digest_trigger(at: str, timezone: str) -> CronTrigger:
    when = parse_time_of_day(at)
    return CronTrigger(hour=when.hour, minute=when.minute, timezone=parse_timezone(timezone))


class DigestScheduler:
    def __init__(
        self,
        digest: DigestService,
        post: Poster,
        *,
        events: EventLog | None = None,
        sweep_seconds: int = SWEEP_SECONDS,
        jobs: JobQueue | None = None,
        run_job: Callable[[QueuedJob], None] | None = None,
        job_sweep_seconds: float = 2.0,
        feeds: FeedService | None = None,
        feed_sweep_seconds: float = 10.0,
        outbox: Outbox | None = None,
        alerts: AlertService | None = None,
    ):
        self.digest = digest
        self.post = post
        self.events = events
        self.sweep_seconds = sweep_seconds
        self.jobs = jobs
        self.run_job = run_job
        self.job_sweep_seconds = job_sweep_seconds
        self.feeds = feeds
        self.feed_sweep_seconds = feed_sweep_seconds
        self.outbox = outbox
        self.alerts = alerts
        self._pruned: datetime | None = None
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "misfire_grace_time": MISFIRE_GRACE,
                "max_instances": 1,
            },
        )

    def start(self) -> None:
        self.scheduler.start()
        self.scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self.sweep_seconds,
            id="sweep",
            next_run_time=datetime.now(UTC),  # catch up at start
            replace_existing=True,
        )
        if self.jobs is not None and self.run_job is not None:
            self.scheduler.add_job(
                self.sweep_jobs,
                "interval",
                seconds=self.job_sweep_seconds,
                id="jobs",
                next_run_time=datetime.now(UTC),  # take over what a dead process left
                replace_existing=True,
            )
        if self.feeds is not None:
            self.scheduler.add_job(
                self.sweep_feeds,
                "interval",
                seconds=self.feed_sweep_seconds,
                id="feeds",
                next_run_time=datetime.now(UTC),
                replace_existing=True,
            )

    def sweep_feeds(self) -> int:
        """Poll the watched feeds that are due; how many were polled. Reports a feed that
        keeps failing in its channel (once: the service marks it)."""
        if self.feeds is None:
            return 0
        try:
            swept = self.feeds.sweep(now=datetime.now(UTC))
        except Exception as exc:  # a locked or lost database: the next sweep tries again
            logger.warning("feed sweep failed (%s)", type(exc).__name__)
            return 0
        for alert in swept.alerts:
            self.report_feed(alert)
        if self.alerts is not None and swept.conflicts:
            try:
                claimed = self.alerts.claim(swept.conflicts, now=datetime.now(UTC))
            except Exception as exc:  # a lost database: these conflicts go unalerted
                logger.warning("conflict alerts failed (%s)", type(exc).__name__)
                claimed = []
            for conflict in claimed:
                self.post_conflict(conflict)
        stored = sum(p.stored for p in swept.polls)
        if swept.polls:
            logger.info("feed sweep: %d feed(s) polled, %d article(s)", len(swept.polls), stored)
        return len(swept.polls)

    def report_feed(self, alert: FeedAlert) -> None:
        """Post a failing feed's report in its channel; to the outbox when Slack fails."""
        if not alert.channel:
            logger.warning("feed %s keeps failing: %s", alert.url, alert.error)
            return
        message = alert_message(alert)
        try:
            self.post(alert.channel, message, None)
        except Exception as exc:
            logger.warning("feed report in %s failed (%s)", alert.channel, type(exc).__name__)
            if self.outbox is not None:
                post = PendingPost(channel=alert.channel, text=message.text, blocks=message.blocks)
                self.outbox.defer(post, now=datetime.now(UTC))

    def post_conflict(self, alert: ConflictAlert) -> None:
        """Post a conflict alert in its story's thread; to the outbox when Slack fails."""
        message = conflict_alert_message(alert)
        try:
            ts = self.post(alert.channel, message, alert.thread_ts)
        except Exception as exc:
            logger.warning("conflict alert in %s failed (%s)", alert.channel, type(exc).__name__)
            if self.outbox is not None:
                post = PendingPost(
                    channel=alert.channel,
                    text=message.text,
                    blocks=message.blocks,
                    thread_ts=alert.thread_ts,
                    marker={"alert": alert.key},
                )
                self.outbox.defer(post, now=datetime.now(UTC))
            return
        if self.alerts is not None:
            try:
                self.alerts.posted(alert.id, ts)
            except Exception as exc:  # posted all the same; only its ts is not recorded
                logger.warning("conflict alert ts not recorded (%s)", type(exc).__name__)

    def sweep_jobs(self) -> int:
        """Run the inbox's and the outbox's due jobs that nobody holds; how many were taken."""
        if self.jobs is None or self.run_job is None:
            return 0
        try:
            taken = self.jobs.take_due(kinds=(EVENT, POST), now=datetime.now(UTC))
        except Exception as exc:  # a locked or lost database: the next sweep tries again
            logger.warning("job sweep failed (%s)", type(exc).__name__)
            return 0
        for job in taken:
            try:
                self.run_job(job)
            except Exception:
                logger.exception("job %s could not be run", job.id)
        if taken:
            logger.info("job sweep: %d job(s) run again", len(taken))
        return len(taken)

    def shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)

    def sync(self) -> None:
        """Make the cron jobs match the subscriptions in the database."""
        wanted = {}
        for sub in self.digest.subscriptions():
            wanted[f"digest:{sub.channel}"] = (sub.channel, sub.at, sub.timezone)
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:") and job.id not in wanted:
                job.remove()
        for job_id, (channel, at, timezone) in wanted.items():
            trigger = digest_trigger(at, timezone)
            job = self.scheduler.get_job(job_id)
            if job is not None and repr(job.trigger) == repr(trigger):  # repr has the zone
                continue
            self.scheduler.add_job(
                self.fire, trigger, args=[channel], id=job_id, replace_existing=True
            )

    def fire(self, channel: str) -> None:
        outcome = self.digest.run_due(
            channel=channel, now=datetime.now(UTC), post=self.post, render=render_digest
        )
        if outcome is not None:
            logger.info("digest for %s (%s): %s", channel, outcome.period, outcome.status)

    def sweep(self) -> None:
        now = datetime.now(UTC)
        try:
            self.sync()
            for outcome in self.digest.run_all_due(now=now, post=self.post, render=render_digest):
                logger.info("digest catch-up (%s): %s", outcome.period, outcome.status)
            if self.events is not None and (
                self._pruned is None or now - self._pruned > PRUNE_EVERY
            ):
                self.events.prune(before=now - KEEP_EVENTS)
                self._pruned = now
        except Exception:
            logger.exception("digest sweep failed")
