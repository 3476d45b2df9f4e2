"""Links posted in channels: each is ingested on the link pool and answered once in the thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any
from unittest.mock import Mock, call

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.vocabulary import Label
from bot.pool import FairPool
from bot.services.ingest import IngestResult
from bot.services.links import LinkOutcome
from bot.services.outbox import PendingPost, ReplyAbout
from bot.slack import marker_of
from bot.views.replies import failure_message
from handlers.messages import handle_message
from tests.views.test_replies import _stored

BOT = "UBOT"
URL = "https://news.example/flood"
OTHER = "https://other.example/b"
EVENT_ID = "Ev0123ABCD"


class FakePool:
    """A FairPool that runs each function at once; it keeps the keys of every submit."""

    def __init__(self) -> None:
        self.keys: list[dict[str, str]] = []

    def submit(self, fn: Callable[[], Any], *, keys: dict[str, str]) -> Future[Any]:
        self.keys.append(dict(keys))
        future: Future[Any] = Future()
        try:
            future.set_result(fn())
        except Exception as exc:
            future.set_exception(exc)
        return future


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


@pytest.fixture
def pool() -> FakePool:
    return FakePool()


def _handle(
    event,
    client,
    services,
    poster,
    logger,
    pool,
    *,
    body: dict | None = None,
    attempt: int | None = None,
) -> None:
    context = BoltContext({"bot_user_id": BOT})
    if attempt is not None:
        context["job_attempt"] = attempt
    handle_message(
        event=event,
        body={"type": "event_callback", "event_id": EVENT_ID} if body is None else body,
        context=context,
        client=client,
        services=services,
        poster=poster,
        link_pool=pool,
        logger=logger,
    )


def _slack_error(error: str) -> SlackApiError:
    return SlackApiError(error, {"ok": False, "error": error})


def test_a_link_is_ingested_answered_in_its_thread_and_the_reply_recorded(
    client, services, poster, logger, pool
):
    result = _result()
    services.links.post_link.return_value = LinkOutcome(url=URL, result=result)

    _handle(_event(), client, services, poster, logger, pool)

    assert services.links.post_link.call_args == call(
        channel="C1", ts="100.1", thread_ts=None, url=URL, rerun=False
    )
    channel, reply, thread = poster.call_args.args
    assert (channel, thread) == ("C1", "100.1")
    assert poster.call_args.kwargs == {"marker": {"event_id": EVENT_ID, "link": URL}}
    assert "Flood in Hanoi" in reply.text
    assert services.links.record_reply.call_args == call(
        channel="C1",
        ts=poster.return_value,
        thread_ts="100.1",
        about=ReplyAbout(story_id=2, article_id=5),
    )
    poster.find.assert_not_called()  # a first attempt does not read the thread back
    client.chat_getPermalink.assert_not_called()
    services.outbox.defer.assert_not_called()


def test_the_reply_names_the_configured_flag_reaction(client, services, poster, logger, pool):
    services.flags.emoji = "eyes"
    pairs = (_stored(Label.CONFLICT, "12", "11", a_outlet="AP", a_url="https://ap.example/x"),)
    result = _result("same_story", claim_pairs=pairs)
    services.links.post_link.return_value = LinkOutcome(url=URL, result=result)

    _handle(_event(), client, services, poster, logger, pool)

    blocks = str(poster.call_args.args[1].blocks)
    assert "react with :eyes: to this reply" in blocks and "triangular_flag" not in blocks


def test_a_link_in_a_thread_is_answered_in_that_thread(client, services, poster, logger, pool):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())

    _handle(_event(ts="100.5", thread_ts="100.1"), client, services, poster, logger, pool)

    assert services.links.post_link.call_args.kwargs["thread_ts"] == "100.1"
    assert poster.call_args.args[2] == "100.1"
    assert services.links.record_reply.call_args.kwargs["thread_ts"] == "100.1"


def test_each_distinct_link_is_handled_in_order_each_reply_marked_with_its_link(
    client, services, poster, logger, pool
):
    services.links.post_link.side_effect = lambda **k: LinkOutcome(url=k["url"], result=_result())
    text = f"<{URL}> and <{OTHER}|other> and again <{URL}>"

    _handle(_event(text=text), client, services, poster, logger, pool)

    urls = [c.kwargs["url"] for c in services.links.post_link.call_args_list]
    assert urls == [URL, OTHER]
    assert [c.kwargs["marker"] for c in poster.call_args_list] == [
        marker_of(EVENT_ID, URL),
        marker_of(EVENT_ID, OTHER),
    ]
    assert services.links.record_reply.call_count == 2


def test_links_are_fetched_on_the_link_pool_per_message_channel_and_site(
    client, services, poster, logger, pool
):
    other = "https://Other.Example:8443/b"
    services.links.post_link.side_effect = lambda **k: LinkOutcome(url=k["url"], result=_result())

    _handle(_event(text=f"<{URL}> <{other}>"), client, services, poster, logger, pool)

    assert pool.keys == [
        {"message": "C1/100.1", "channel": "C1", "host": "news.example:"},
        {"message": "C1/100.1", "channel": "C1", "host": "other.example:8443"},
    ]


def test_every_link_is_submitted_before_the_first_reply_is_posted(
    client, services, poster, logger, pool
):
    order: list[str] = []
    services.links.post_link.side_effect = lambda **k: (
        order.append(f"fetch {k['url']}") or LinkOutcome(url=k["url"], result=_result())
    )
    poster.side_effect = lambda *a, **k: order.append(f"post {k['marker']['link']}") or "1.2"

    _handle(_event(text=f"<{URL}> <{OTHER}>"), client, services, poster, logger, pool)

    assert order == [f"fetch {URL}", f"fetch {OTHER}", f"post {URL}", f"post {OTHER}"]


def test_on_the_real_pool_replies_keep_the_messages_order(client, services, poster, logger):
    second_done = threading.Event()

    def post_link(**k):
        if k["url"] == URL:
            assert second_done.wait(5)  # the first link is the slow one
        else:
            second_done.set()
        return LinkOutcome(url=k["url"], result=_result(title=k["url"]))

    services.links.post_link.side_effect = post_link
    pool = FairPool(2, caps={"message": 2, "channel": 2, "host": 2})
    try:
        _handle(_event(text=f"<{URL}> <{OTHER}>"), client, services, poster, logger, pool)
    finally:
        pool.shutdown()

    assert [c.kwargs["marker"]["link"] for c in poster.call_args_list] == [URL, OTHER]


def test_a_link_that_cannot_be_read_gets_the_reason_and_no_record(
    client, services, poster, logger, pool
):
    services.links.post_link.return_value = LinkOutcome(url=URL, error="HTTP 404")

    _handle(_event(), client, services, poster, logger, pool)

    assert poster.call_args == call(
        "C1", failure_message(URL, "HTTP 404"), "100.1", marker=marker_of(EVENT_ID, URL)
    )
    services.links.record_reply.assert_not_called()


def test_a_duplicate_links_to_where_it_was_first_posted(client, services, poster, logger, pool):
    result = _result("duplicate", matched_id=4, matched_title="Flood", matched_url=URL)
    services.links.post_link.return_value = LinkOutcome(
        url=URL, result=result, first_post=("C7", "90.0")
    )
    client.chat_getPermalink.return_value = {"permalink": "https://t.slack.com/archives/C7/p900"}

    _handle(_event(), client, services, poster, logger, pool)

    assert client.chat_getPermalink.call_args == call(channel="C7", message_ts="90.0")
    assert "https://t.slack.com/archives/C7/p900" in str(poster.call_args.args[1].blocks)


def test_a_duplicate_without_a_permalink_is_still_answered(client, services, poster, logger, pool):
    result = _result("duplicate", matched_id=4, matched_title="Flood", matched_url=URL)
    services.links.post_link.return_value = LinkOutcome(
        url=URL, result=result, first_post=("C7", "90.0")
    )
    client.chat_getPermalink.side_effect = _slack_error("message_not_found")

    _handle(_event(), client, services, poster, logger, pool)

    assert "slack.com/archives" not in str(poster.call_args.args[1].blocks)
    assert services.links.record_reply.call_count == 1
    logger.info.assert_called_once()


def test_a_reply_slack_refuses_is_logged_and_dropped(client, services, poster, logger, pool):
    # Every link is fetched on the pool up front, so each one is ingested and answered
    # even when Slack refuses a reply; a refused reply is not retried and not recorded.
    services.links.post_link.side_effect = lambda **k: LinkOutcome(url=k["url"], result=_result())
    poster.side_effect = _slack_error("not_in_channel")

    _handle(_event(text=f"<{URL}> <{OTHER}>"), client, services, poster, logger, pool)

    assert services.links.post_link.call_count == 2 and poster.call_count == 2
    services.links.record_reply.assert_not_called()
    services.outbox.defer.assert_not_called()
    assert logger.warning.call_args.args[-1] == "not_in_channel"


def test_a_reply_that_fails_for_a_while_goes_to_the_outbox_with_what_it_is_about(
    client, services, poster, logger, pool
):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())
    poster.side_effect = ConnectionResetError("reset")
    before = datetime.now(UTC)

    _handle(_event(), client, services, poster, logger, pool)

    (post,), kwargs = services.outbox.defer.call_args
    reply = poster.call_args.args[1]
    assert post == PendingPost(
        channel="C1",
        text=reply.text,
        blocks=reply.blocks,
        thread_ts="100.1",
        marker=marker_of(EVENT_ID, URL),
        about=ReplyAbout(story_id=2, article_id=5),
    )
    assert before <= kwargs["now"] <= datetime.now(UTC)
    services.links.record_reply.assert_not_called()  # the outbox records it once posted


def test_a_rerun_that_finds_its_earlier_reply_does_not_post_again(
    client, services, poster, logger, pool
):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())
    poster.find.return_value = "100.9"

    _handle(_event(), client, services, poster, logger, pool, attempt=2)

    assert poster.find.call_args == call("C1", "100.1", marker_of(EVENT_ID, URL))
    poster.assert_not_called()
    assert services.links.record_reply.call_args == call(
        channel="C1", ts="100.9", thread_ts="100.1", about=ReplyAbout(story_id=2, article_id=5)
    )


def test_a_rerun_that_finds_no_earlier_reply_posts_it(client, services, poster, logger, pool):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())
    poster.find.return_value = None

    _handle(_event(), client, services, poster, logger, pool, attempt=3)
    assert services.links.post_link.call_args.kwargs["rerun"] is True  # its own article

    assert poster.find.call_count == 1
    assert poster.call_args.kwargs == {"marker": marker_of(EVENT_ID, URL)}
    assert services.links.record_reply.call_args.kwargs["ts"] == poster.return_value


@pytest.mark.parametrize("attempt", [None, 1])
def test_a_first_attempt_posts_without_reading_the_thread(
    client, services, poster, logger, pool, attempt
):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())

    _handle(_event(), client, services, poster, logger, pool, attempt=attempt)

    poster.find.assert_not_called()
    assert poster.call_count == 1


def test_without_an_event_id_the_marker_names_the_message(client, services, poster, logger, pool):
    services.links.post_link.return_value = LinkOutcome(url=URL, result=_result())

    _handle(_event(), client, services, poster, logger, pool, body={})

    assert poster.call_args.kwargs["marker"] == marker_of("C1/100.1", URL)


def test_a_thread_reply_without_links_is_recorded_as_about_the_thread(
    client, services, poster, logger, pool
):
    event = _event(text="agreed", ts="100.5", thread_ts="100.1")

    _handle(event, client, services, poster, logger, pool)

    assert services.links.record_thread_message.call_args == call(
        channel="C1", ts="100.5", thread_ts="100.1"
    )
    services.links.post_link.assert_not_called()
    assert pool.keys == []
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
def test_a_message_without_article_links_is_ignored(client, services, poster, logger, pool, fields):
    _handle(_event(**fields), client, services, poster, logger, pool)

    assert services.links.method_calls == []
    assert pool.keys == []
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
    client, services, poster, logger, pool, fields
):
    _handle(_event(**fields), client, services, poster, logger, pool)

    assert services.links.method_calls == []
    assert pool.keys == []
    poster.assert_not_called()
    poster.find.assert_not_called()


def test_a_message_without_a_ts_is_ignored(client, services, poster, logger, pool):
    event = _event()
    del event["ts"]

    _handle(event, client, services, poster, logger, pool)

    assert services.links.method_calls == []
    assert pool.keys == []
    poster.assert_not_called()
