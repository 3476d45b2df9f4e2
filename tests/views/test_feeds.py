"""bot/views/feeds.py: the same words on Slack and in the terminal; third-party text escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.feeds import FeedView, PollResult, WatchedSummary
from bot.views.feeds import feed_line, poll_line, watched_line, watching_lines, watching_message

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _feed(**changes: object) -> FeedView:
    values: dict = dict(
        id=1, url="https://a.example/rss", site_url=None, kind="atom", channel="C1",
        title="A <b>", failures=0, last_error=None, reported=False, next_poll=NOW,
        last_polled=NOW, items=1,
    )  # fmt: skip
    values.update(changes)
    return FeedView(**values)


def test_a_feed_line_in_the_terminal_and_in_slack():
    assert feed_line(_feed()) == (
        "A <b> (https://a.example/rss) (Atom feed, for #C1): 1 item, last polled "
        "2026-03-02 09:30 UTC"
    )
    assert feed_line(_feed(), slack=True).startswith(
        "<https://a.example/rss|A &lt;b&gt;> (Atom feed, for <#C1>)"
    )
    failing = feed_line(_feed(failures=2, last_error="HTTP 503", channel=None))
    assert failing.startswith("! ") and "for no channel" in failing
    assert failing.endswith("failing (2 times in a row: HTTP 503), next try 2026-03-02 09:30 UTC")


def test_watching_with_no_feeds_and_its_slack_message():
    assert watching_lines([]) == ["No feeds are watched. Add one with watch <feed or site URL>."]
    message = watching_message([])
    assert message.text == "No feeds are watched. Add one with watch &lt;feed or site URL&gt;."


def test_poll_lines():
    base = {"feed_id": 1, "url": "https://a.example/rss", "next_poll": NOW}
    assert poll_line(PollResult(status="not_modified", **base)) == (
        "https://a.example/rss: not modified"
    )
    fetched = PollResult(status="fetched", new_items=3, stored=3, copies=2, **base)
    assert poll_line(fetched) == "https://a.example/rss: 3 new items, 3 stored, 2 copies"


def test_the_digest_line_for_watched_items():
    assert watched_line(WatchedSummary(articles=0, copies=0)) is None
    assert watched_line(WatchedSummary(articles=3, copies=2)) == (
        "3 new sources since yesterday from watched feeds, 2 of them wire copies"
    )
    assert watched_line(WatchedSummary(articles=1, copies=1)) == (
        "1 new source since yesterday from watched feeds, 1 of them a wire copy"
    )
