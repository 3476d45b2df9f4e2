"""App Home: opening the Home tab publishes today's stories, conflicts and flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import Mock, call

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.home import handle_app_home_opened
from storage.models import Story


@pytest.fixture
def client() -> Mock:
    return Mock(spec=WebClient)


def _story() -> Story:
    now = datetime.now(UTC)
    return Story(
        id=4, title="Flood in Hanoi", first_seen=now, last_seen=now, article_count=3, source_count=2
    )


def _empty(services) -> None:
    services.stories.today.return_value = []
    services.stories.pairs.return_value = []
    services.flags.flagged.return_value = []


def test_the_home_tab_is_published_for_the_user(client, services, logger):
    _empty(services)
    services.stories.today.return_value = [_story()]
    before = datetime.now(UTC)

    handle_app_home_opened({"user": "U1", "tab": "home"}, client, services, logger)

    now = services.stories.today.call_args.kwargs["now"]
    assert before <= now <= datetime.now(UTC)
    assert services.stories.pairs.call_args == call(since=now - timedelta(days=7), limit=10)
    assert services.flags.flagged.call_args == call(limit=10)
    assert client.views_publish.call_args.kwargs["user_id"] == "U1"
    view = client.views_publish.call_args.kwargs["view"]
    assert view["type"] == "home"
    assert "Flood in Hanoi · story 4 · 3 articles, 2 sources" in str(view["blocks"])


def test_an_event_without_a_tab_is_the_home_tab(client, services, logger):
    _empty(services)

    handle_app_home_opened({"user": "U1"}, client, services, logger)

    assert client.views_publish.call_count == 1


@pytest.mark.parametrize("event", [{"user": "U1", "tab": "messages"}, {"tab": "home"}, {}])
def test_the_messages_tab_and_events_without_a_user_are_ignored(client, services, logger, event):
    handle_app_home_opened(event, client, services, logger)

    assert services.stories.method_calls == [] and services.flags.method_calls == []
    client.views_publish.assert_not_called()


def test_a_view_slack_refuses_is_logged_not_raised(client, services, logger):
    _empty(services)
    client.views_publish.side_effect = SlackApiError("no", {"ok": False, "error": "invalid_blocks"})

    handle_app_home_opened({"user": "U1"}, client, services, logger)

    assert logger.warning.call_args.args[1:] == ("U1", "invalid_blocks")
