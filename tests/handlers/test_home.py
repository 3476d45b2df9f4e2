"""App Home: opening the Home tab publishes the last day's digest (its conflicts and stories)
and the flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import Mock, call

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.digest import Digest, DigestStory, WatchedSummary
from bot.services.feeds import FeedView
from handlers.home import handle_app_home_opened
from tests.fake_slack import view_problems


@pytest.fixture
def client() -> Mock:
    return Mock(spec=WebClient)


def _day(*stories: DigestStory) -> Digest:
    now = datetime.now(UTC)
    return Digest(now - timedelta(hours=24), now, list(stories))


def _story() -> DigestStory:
    now = datetime.now(UTC)
    return DigestStory(
        id=4,
        title="Flood in Hanoi",
        first_seen=now,
        last_seen=now,
        article_count=3,
        source_count=2,
        url=None,
        last_activity=now,
    )


def _empty(services) -> None:
    services.digest.build.return_value = _day()
    services.flags.flagged.return_value = []
    services.feeds.watching.return_value = []


def test_the_home_tab_is_published_for_the_user(client, services, logger):
    _empty(services)
    services.digest.build.return_value = _day(_story())
    before = datetime.now(UTC)

    handle_app_home_opened({"user": "U1", "tab": "home"}, client, services, logger)

    now = services.digest.build.call_args.kwargs["until"]
    assert before <= now <= datetime.now(UTC)
    assert services.digest.build.call_args == call(since=now - timedelta(hours=24), until=now)
    assert services.flags.flagged.call_args == call(limit=10)
    assert client.views_publish.call_args.kwargs["user_id"] == "U1"
    view = client.views_publish.call_args.kwargs["view"]
    assert view["type"] == "home"
    assert "*Flood in Hanoi* · story 4 · 3 articles, 2 independent sources" in str(view["blocks"])


def test_an_event_without_a_tab_is_the_home_tab(client, services, logger):
    _empty(services)

    handle_app_home_opened({"user": "U1"}, client, services, logger)

    assert client.views_publish.call_count == 1


@pytest.mark.parametrize("event", [{"user": "U1", "tab": "messages"}, {"tab": "home"}, {}])
def test_the_messages_tab_and_events_without_a_user_are_ignored(client, services, logger, event):
    handle_app_home_opened(event, client, services, logger)

    assert services.digest.method_calls == [] and services.flags.method_calls == []
    client.views_publish.assert_not_called()


def test_a_view_slack_refuses_is_logged_not_raised(client, services, logger):
    _empty(services)
    client.views_publish.side_effect = SlackApiError("no", {"ok": False, "error": "invalid_blocks"})

    handle_app_home_opened({"user": "U1"}, client, services, logger)

    assert logger.warning.call_args.args[1:] == ("U1", "invalid_blocks")


def _feed(id_: int, failures: int = 0) -> FeedView:
    now = datetime.now(UTC)
    return FeedView(
        id=id_, url=f"https://outlet{id_}.example/rss", site_url=None, kind="rss",
        channel="C1", title=f"Outlet {id_}", failures=failures,
        last_error="HTTP 503" if failures else None, reported=failures >= 3,
        next_poll=now, last_polled=now, items=4,
    )  # fmt: skip


def test_the_home_tab_shows_what_watched_feeds_brought_and_which_fail(client, services, logger):
    _empty(services)
    day = _day(_story())
    services.digest.build.return_value = Digest(
        day.since, day.until, day.stories, watched=WatchedSummary(articles=3, copies=2)
    )
    services.feeds.watching.return_value = [_feed(1), _feed(2, failures=3)]

    handle_app_home_opened({"user": "U1", "tab": "home"}, client, services, logger)

    view = client.views_publish.call_args.kwargs["view"]
    assert view_problems(view) == []
    blocks = str(view["blocks"])
    assert "*Watched feeds* (2 feeds, 1 failing)" in blocks
    assert "3 new sources since yesterday from watched feeds, 2 of them wire copies" in blocks
    assert "Outlet 2" in blocks and "failing, reported (3 times in a row: HTTP 503)" in blocks
    assert "Outlet 1" not in blocks  # a feed that is doing fine is not listed on Home


def test_the_home_tab_says_nothing_of_feeds_when_none_is_watched(client, services, logger):
    _empty(services)
    handle_app_home_opened({"user": "U1", "tab": "home"}, client, services, logger)
    assert "Watched feeds" not in str(client.views_publish.call_args.kwargs["view"]["blocks"])
