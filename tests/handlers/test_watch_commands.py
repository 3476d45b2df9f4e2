"""/newsroom watch, watching, unwatch: parsed, one call to the feed service, answered."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import ANY, call

import pytest

from bot.services.feeds import FeedView, WatchError, WatchResult
from handlers.parsing import Command, CommandError, parse_command
from tests.handlers.test_commands import _run, _said

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _feed(**changes: object) -> FeedView:
    values: dict = {
        "id": 4,
        "url": "https://a.example/rss",
        "site_url": None,
        "kind": "rss",
        "channel": "C1",
        "title": "A News <!channel>",
        "failures": 0,
        "last_error": None,
        "reported": False,
        "next_poll": NOW,
        "last_polled": None,
        "items": 12,
    }
    values.update(changes)
    return FeedView(**values)


def test_parse_watch_watching_unwatch():
    assert parse_command("watch <https://a.example/|a.example> <#C9|desk>") == Command(
        "watch", ("https://a.example/",), channel="C9"
    )
    assert parse_command("watch https://a.example/rss") == Command(
        "watch", ("https://a.example/rss",)
    )
    assert parse_command("watching") == Command("watching")
    assert parse_command("UNWATCH <https://a.example/rss>") == Command(
        "unwatch", ("https://a.example/rss",)
    )


@pytest.mark.parametrize(
    "text",
    [
        "watch",
        "watch a.example b.example",
        "watch ftp://a.example/feed",
        "watch https://a.example/ <#C1> <#C2>",
        "unwatch",
        "unwatch https://a.example/ <#C1>",
        "watching now",
    ],
)
def test_bad_watch_commands_say_why(text):
    with pytest.raises(CommandError) as caught:
        parse_command(text)
    assert str(caught.value)


def test_watch_for_this_channel_or_a_mentioned_one(services, poster, logger):
    services.feeds.watch.return_value = WatchResult(_feed(), created=True)
    _, respond = _run(services, poster, logger, "watch https://a.example/")
    assert services.feeds.watch.call_args == call(
        "https://a.example/", channel="C1", now=ANY, user="U1"
    )
    (said,) = _said(respond)
    assert said.startswith("Watching A News &lt;!channel&gt; (https://a.example/rss), RSS feed")
    blocks = respond.call_args.kwargs["blocks"]
    assert "<#C1>" in blocks[0]["text"]["text"] and "<!channel>" not in blocks[0]["text"]["text"]

    _run(services, poster, logger, "watch https://a.example/ <#C9|desk>")
    assert services.feeds.watch.call_args.kwargs["channel"] == "C9"


def test_watch_refused_says_why(services, poster, logger):
    services.feeds.watch.side_effect = WatchError("https://a.example/: HTTP 404 from there")
    _, respond = _run(services, poster, logger, "watch https://a.example/")
    (said,) = _said(respond)
    assert said.startswith("cannot watch that: https://a.example/: HTTP 404 from there")


def test_watching_marks_failing_feeds(services, poster, logger):
    failing = _feed(id=5, failures=6, last_error="timed out after 20 s", reported=True)
    services.feeds.watching.return_value = [_feed(), failing]
    _, respond = _run(services, poster, logger, "watching")
    assert _said(respond) == ["Watching 2 feeds, 1 failing"]
    text = respond.call_args.kwargs["blocks"][0]["text"]["text"]
    assert (
        ":warning:" in text and "failing, reported (6 times in a row: timed out after 20 s)" in text
    )


def test_unwatch_says_what_stopped_or_that_nothing_was(services, poster, logger):
    services.feeds.unwatch.return_value = _feed()
    _, respond = _run(services, poster, logger, "unwatch https://a.example/rss")
    assert services.feeds.unwatch.call_args == call("https://a.example/rss")
    assert _said(respond)[0].startswith("Stopped watching A News")
    services.feeds.unwatch.return_value = None
    _, respond = _run(services, poster, logger, "unwatch https://b.example/rss")
    assert _said(respond) == ["No watched feed is https://b.example/rss."]
