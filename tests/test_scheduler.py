"""The scheduler's cron jobs follow the subscriptions in the database, in each channel's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.scheduler import DigestScheduler, digest_trigger
from bot.services.digest import DigestService
from bot.services.flags import FlagService


def _next_fire(at: str, zone: str, after: datetime) -> datetime:
    fire = digest_trigger(at, zone).get_next_fire_time(None, after)
    assert fire is not None
    return fire.astimezone(UTC)


def test_cron_triggers_keep_local_time_across_dst():
    # London 09:00: 09:00 UTC in winter, 08:00 UTC in summer (BST from 31 March 2024).
    assert _next_fire("09:00", "Europe/London", datetime(2024, 3, 30, 10, tzinfo=UTC)) == (
        datetime(2024, 3, 31, 8, tzinfo=UTC)
    )
    assert _next_fire("09:00", "Europe/London", datetime(2024, 10, 26, 9, tzinfo=UTC)) == (
        datetime(2024, 10, 27, 9, tzinfo=UTC)
    )
    # New York 07:15: EDT (UTC-4) until 3 November 2024, then EST (UTC-5).
    assert _next_fire("07:15", "America/New_York", datetime(2024, 11, 2, 12, tzinfo=UTC)) == (
        datetime(2024, 11, 3, 12, 15, tzinfo=UTC)
    )
    assert _next_fire("07:15", "America/New_York", datetime(2024, 11, 1, 12, tzinfo=UTC)) == (
        datetime(2024, 11, 2, 11, 15, tzinfo=UTC)
    )


def test_jobs_follow_subscriptions_without_a_restart(engine):
    digest = DigestService(engine, FlagService(engine), default_time="09:00", default_tz="UTC")
    scheduler = DigestScheduler(digest, post=lambda channel, message, thread: "1.0")
    scheduler.scheduler.start(paused=True)  # jobs get the defaults; nothing runs
    digest.subscribe(channel="C1", at="08:30", timezone="Europe/London", user="U1")
    digest.subscribe(channel="C2", at=None, timezone=None, user="U1")
    scheduler.sync()
    jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
    assert set(jobs) == {"digest:C1", "digest:C2"}
    assert repr(jobs["digest:C1"].trigger) == repr(digest_trigger("08:30", "Europe/London"))
    assert jobs["digest:C1"].coalesce is True
    assert jobs["digest:C1"].misfire_grace_time == 3600
    # Another replica changes and removes subscriptions: the next sync follows.
    digest.subscribe(channel="C1", at="07:00", timezone="Asia/Ho_Chi_Minh", user="U2")
    digest.unsubscribe(channel="C2")
    scheduler.sync()
    jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
    assert set(jobs) == {"digest:C1"}
    assert "Asia/Ho_Chi_Minh" in repr(jobs["digest:C1"].trigger)
    scheduler.shutdown()
