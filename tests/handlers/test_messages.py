"""Links posted in channels: each is ingested and answered once in the thread."""

from __future__ import annotations

from unittest.mock import Mock, call

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.ingest import IngestResult
from bot.services.links import LinkOutcome
from bot.views.replies import failure_message
from handlers.messages import handle_message

BOT = "UBOT"
URL = "https://news.example/flood"


def _event(**fields: object) -> dict:
    return (
        {"type": "message", "channel": "C1", "user": "U1", "ts": "100.1"}
        | {"text": f"look <{URL}>"}
        | fields
    )


def _result(relation: str = "new_story", **fields: object) -> IngestResult:
    values: dict = {
        "relation": relation,
        "article_id": 5,
        "story_id": 2,
        "title": "Flood in Hanoi",
        "url": URL,
        "matched_id": None,
        "matched_title": None,
        "matched_url": None,
        "matched_external_id": None,
        "score": None,
        "signal": "no earlier coverage",
        "story_articles": 1,
        "story_sources": 1,
        "stored": True,
    }
    return IngestResult(**(values | fields))


@pytest.fixture
def client() -> Mock:
    return Mock(spec=WebClient)


def _handle(event, client, services, poster, logger) -> None:
    handle_message(
        event=event,
        context=BoltContext({"bot_user_id": BOT}),
        client=client,
        services=services,
        poster=poster,
        logger=logger,
    )


def _slack_error(error: str) -> SlackApiError:
    return SlackApiError(error, {"ok": False, "error": error})


def test_a_link_is_ingested_answered_in_its_thread_and_the_reply_recorded(
    client, services, poster, logger
):
    result = _result()
    services.links.post_link.return_value = LinkOutcome(url=URL, result=result)

    _handle(_event(), client, services, poster, logger)

    assert services.links.post_link.call_args == call(
        channel="C1", ts="100.1", thread_ts=None, url=URL
    )
    channel, reply, thread = poster.call_args.args
    assert (channel, thread) == ("C1", "100.1")
    assert "Flood in Hanoi" in reply.text
    assert services.links.record_reply.call_args == call(
        channel="C1", ts=poster.return_value, thread_ts="100.1", result=result
    )
    client.chat_getPermalink.assert_not_called()


def test_a_link_in_a_thread_is_answered_in_that_thread(client, services, poster, logger):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())

    _handle(_event(ts="100.5", thread_ts="100.1"), client, services, poster, logger)

    assert services.links.post_link.call_args.kwargs["thread_ts"] == "100.1"
    assert poster.call_args.args[2] == "100.1"
    assert services.links.record_reply.call_args.kwargs["thread_ts"] == "100.1"


def test_each_distinct_link_is_handled_in_order(client, services, poster, logger):
    other = "https://other.example/b"
    services.links.post_link.side_effect = lambda **k: LinkOutcome(url=k["url"], result=_result())
    text = f"<{URL}> and <{other}|other> and again <{URL}>"

    _handle(_event(text=text), client, services, poster, logger)

    urls = [c.kwargs["url"] for c in services.links.post_link.call_args_list]
    assert urls == [URL, other]
    assert poster.call_count == 2 and services.links.record_reply.call_count == 2


def test_a_link_that_cannot_be_read_gets_the_reason_and_no_record(client, services, poster, logger):
    services.links.post_link.return_value = LinkOutcome(url=URL, error="HTTP 404")

    _handle(_event(), client, services, poster, logger)

    assert poster.call_args == call("C1", failure_message(URL, "HTTP 404"), "100.1")
    services.links.record_reply.assert_not_called()


def test_a_duplicate_links_to_where_it_was_first_posted(client, services, poster, logger):
    result = _result("duplicate", matched_id=4, matched_title="Flood", matched_url=URL)
    services.links.post_link.return_value = LinkOutcome(
        url=URL, result=result, first_post=("C7", "90.0")
    )
    client.chat_getPermalink.return_value = {"permalink": "https://t.slack.com/archives/C7/p900"}

    _handle(_event(), client, services, poster, logger)

    assert client.chat_getPermalink.call_args == call(channel="C7", message_ts="90.0")
    assert "https://t.slack.com/archives/C7/p900" in str(poster.call_args.args[1].blocks)


def test_a_duplicate_without_a_permalink_is_still_answered(client, services, poster, logger):
    result = _result("duplicate", matched_id=4, matched_title="Flood", matched_url=URL)
    services.links.post_link.return_value = LinkOutcome(
        url=URL, result=result, first_post=("C7", "90.0")
    )
    client.chat_getPermalink.side_effect = _slack_error("message_not_found")

    _handle(_event(), client, services, poster, logger)

    assert "slack.com/archives" not in str(poster.call_args.args[1].blocks)
    assert services.links.record_reply.call_count == 1
    logger.info.assert_called_once()


def test_a_reply_slack_refuses_is_logged_and_the_rest_left(client, services, poster, logger):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())
    poster.side_effect = _slack_error("not_in_channel")
    text = f"<{URL}> <https://other.example/b>"

    _handle(_event(text=text), client, services, poster, logger)

    assert services.links.post_link.call_count == 1
    services.links.record_reply.assert_not_called()
    assert logger.warning.call_args.args[-1] == "not_in_channel"


def test_a_thread_reply_without_links_is_recorded_as_about_the_thread(
    client, services, poster, logger
):
    _handle(_event(text="agreed", ts="100.5", thread_ts="100.1"), client, services, poster, logger)

    assert services.links.record_thread_message.call_args == call(
        channel="C1", ts="100.5", thread_ts="100.1"
    )
    services.links.post_link.assert_not_called()
    poster.assert_not_called()


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "no links here"},
        {"text": "a thread root", "thread_ts": "100.1"},  # thread_ts == ts
        {"text": "<https://acme.slack.com/archives/C1/p1>"},  # a link into Slack
        {"text": None, "blocks": "not a list"},
    ],
)
def test_a_message_without_article_links_is_ignored(client, services, poster, logger, fields):
    _handle(_event(**fields), client, services, poster, logger)

    assert services.links.method_calls == []
    poster.assert_not_called()


@pytest.mark.parametrize(
    "fields",
    [
        {"bot_id": "B1"},
        {"user": BOT},
        {"subtype": "message_changed"},
        {"subtype": "message_deleted"},
        {"subtype": "bot_message"},
        {"subtype": ["not", "a", "string"]},
        {"user": None},
        {"channel": None},
    ],
)
def test_edits_bots_our_own_and_incomplete_messages_are_ignored(
    client, services, poster, logger, fields
):
    _handle(_event(**fields), client, services, poster, logger)

    assert services.links.method_calls == []
    poster.assert_not_called()


def test_a_message_without_a_ts_is_ignored(client, services, poster, logger):
    event = _event()
    del event["ts"]

    _handle(event, client, services, poster, logger)

    assert services.links.method_calls == []
    poster.assert_not_called()
