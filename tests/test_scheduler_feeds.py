"""The scheduler's feed sweep: polls through the service, reports a failing feed once in its
channel, and queues the report in the outbox when Slack will not take it."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import Mock

from bot.scheduler import DigestScheduler
from bot.services.alerts import AlertService, ConflictAlert, ConflictArrival
from bot.services.digest import DigestService
from bot.services.feeds import FeedAlert, FeedService, PollResult, SweepResult
from bot.services.outbox import Outbox, PendingPost

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ALERT = FeedAlert(7, "https://a.example/rss", "A News", "C1", 5, "HTTP 500 from there")


def _scheduler(feeds: Mock, post: Mock, outbox: Mock | None = None) -> DigestScheduler:
    return DigestScheduler(Mock(spec=DigestService), post, feeds=feeds, outbox=outbox)


def _swept(*alerts: FeedAlert | None) -> SweepResult:
    return SweepResult(
        tuple(PollResult(7, "https://a.example/rss", "failed", NOW, alert=a) for a in alerts)
    )


def test_a_failing_feed_is_reported_in_its_channel():
    feeds, post = Mock(spec=FeedService), Mock(return_value="1.2")
    feeds.sweep.return_value = _swept(ALERT, None)
    assert _scheduler(feeds, post).sweep_feeds() == 2
    ((channel, message, thread), _) = post.call_args
    assert (channel, thread) == ("C1", None)
    assert message.text.startswith("The feed A News (https://a.example/rss) has failed 5 times")
    assert "<https://a.example/rss|A News>" in message.blocks[0]["text"]["text"]


def test_a_report_slack_refuses_goes_to_the_outbox():
    feeds, post, outbox = Mock(spec=FeedService), Mock(side_effect=OSError), Mock(spec=Outbox)
    feeds.sweep.return_value = _swept(ALERT)
    _scheduler(feeds, post, outbox).sweep_feeds()
    (pending,) = outbox.defer.call_args.args
    assert isinstance(pending, PendingPost) and pending.channel == "C1"
    assert pending.text.startswith("The feed A News")


def test_a_feed_without_a_channel_is_only_logged_and_a_failed_sweep_is_survived():
    feeds, post = Mock(spec=FeedService), Mock()
    feeds.sweep.return_value = _swept(FeedAlert(7, "https://a.example/rss", None, None, 5, "x"))
    _scheduler(feeds, post).sweep_feeds()
    post.assert_not_called()
    feeds.sweep.side_effect = RuntimeError("database is locked")
    assert _scheduler(feeds, post).sweep_feeds() == 0


def _conflict() -> ConflictAlert:
    """A claimed alert (its pairs are the views' concern: none here)."""
    arrival = ConflictArrival(3, 9, "Eleven deals", "https://b.example/9", (), "B News")
    return ConflictAlert(5, "C1", "1.1", "3:1", arrival, ())


def test_a_conflict_alert_slack_refuses_now_goes_to_the_outbox_in_its_thread():
    feeds, post, outbox = (
        Mock(spec=FeedService),
        Mock(side_effect=OSError("down")),
        Mock(spec=Outbox),
    )
    alerts = Mock(spec=AlertService)
    alerts.claim.return_value = [_conflict()]
    feeds.sweep.return_value = SweepResult(
        (PollResult(7, "https://a.example/rss", "fetched", NOW, conflicts=(_conflict().arrival,)),)
    )
    scheduler = DigestScheduler(
        Mock(spec=DigestService), post, feeds=feeds, outbox=outbox, alerts=alerts
    )

    scheduler.sweep_feeds()

    assert post.call_args.args[0] == "C1" and post.call_args.args[2] == "1.1"
    (deferred,) = outbox.defer.call_args_list
    queued: PendingPost = deferred.args[0]
    assert (queued.channel, queued.thread_ts, queued.marker) == ("C1", "1.1", {"alert": "3:1"})
    assert queued.text and queued.blocks
    alerts.posted.assert_not_called()
