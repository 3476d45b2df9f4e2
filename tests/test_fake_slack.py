"""The fake Slack Web API, driven by a real slack_sdk WebClient."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.fake_slack import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlack

CHANNEL = "C0NEWS0001"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token="xoxb-test")


def test_a_valid_message_is_recorded_and_clean(fake: FakeSlack, client: WebClient) -> None:
    response = client.chat_postMessage(channel=CHANNEL, text="New story", blocks=[section("*A*")])

    assert response["channel"] == CHANNEL
    assert response["message"]["bot_id"] == BOT_ID
    assert response["message"]["user"] == BOT_USER_ID
    [call] = fake.calls_to("chat.postMessage")
    assert call.token == "xoxb-test"
    assert call.status == 200
    assert call.params["blocks"] == [section("*A*")]
    assert call.response["ts"] == response["ts"]
    assert fake.messages(CHANNEL) == [call.params]
    assert fake.messages("C0OTHER001") == []
    fake.assert_clean()


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel=CHANNEL, text=str(i))["ts"] for i in range(3)]
    assert stamps[0] == "1718870400.000100"
    assert stamps == sorted(set(stamps), key=float)


def test_form_encoded_blocks_are_recorded_as_objects(fake: FakeSlack, client: WebClient) -> None:
    blocks = [section("form")]
    client.api_call(
        "chat.postMessage",
        params={"channel": CHANNEL, "text": "form", "blocks": json.dumps(blocks)},
    )
    assert fake.calls_to("chat.postMessage")[0].params["blocks"] == blocks
    fake.assert_clean()


def test_identity_permalink_and_home_view(fake: FakeSlack, client: WebClient) -> None:
    identity = client.auth_test()
    assert (identity["team_id"], identity["user_id"], identity["bot_id"]) == (
        TEAM_ID,
        BOT_USER_ID,
        BOT_ID,
    )
    link = client.chat_getPermalink(channel=CHANNEL, message_ts="1718870400.000100")
    assert (
        link["permalink"] == f"https://newsroom-test.slack.com/archives/{CHANNEL}/p1718870400000100"
    )
    home = client.views_publish(user_id="U0REPORTER", view={"type": "home", "blocks": []})
    assert home["view"]["id"]
    fake.assert_clean()


def test_unknown_method_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessages", json={"channel": CHANNEL, "text": "hi"})
    assert raised.value.response["error"] == "unknown_method"
    assert fake.violations == ["chat.postMessages: not a method of the Web API spec"]
    with pytest.raises(AssertionError, match=r"chat\.postMessages"):
        fake.assert_clean()


def test_missing_channel_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessage", json={"text": "hi"})
    assert raised.value.response["error"] == "invalid_arguments"
    assert fake.violations == ["chat.postMessage: missing required parameter(s) channel"]


def test_parameters_outside_the_spec_are_violations_unless_allowed(
    fake: FakeSlack, client: WebClient
) -> None:
    metadata = {"event_type": "story_posted", "event_payload": {"story_id": 7}}
    client.chat_postMessage(channel=CHANNEL, text="hi", metadata=metadata, markdown_text=None)
    fake.assert_clean()

    client.chat_postMessage(channel=CHANNEL, text="hi", unfurl_link=False)
    assert fake.violations == ["chat.postMessage: parameter(s) not in the spec: unfurl_link"]


@pytest.mark.parametrize(
    ("blocks", "violation"),
    [
        ([section("x")] * 51, "51 blocks (max 50)"),
        ([section("x" * 3001)], "blocks[0] section text is 3001 characters (max 3000)"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "max 150"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "(max 10)"),
        ([{"type": "sectoin"}], "blocks[0]: unknown block type 'sectoin'"),
    ],
    ids=["51-blocks", "long-section", "long-header", "wide-context", "unknown-type"],
)
def test_block_kit_limits(
    fake: FakeSlack, client: WebClient, blocks: list[dict[str, Any]], violation: str
) -> None:
    response = client.chat_postMessage(channel=CHANNEL, text="fallback", blocks=blocks)
    assert response["ok"]  # Slack would refuse; the fake answers so the violation shows
    [recorded] = fake.violations
    assert recorded.startswith("chat.postMessage: ")
    assert violation in recorded


def test_blocks_need_a_text_fallback(fake: FakeSlack, client: WebClient) -> None:
    with pytest.warns(UserWarning, match="text"):
        client.chat_postMessage(channel=CHANNEL, blocks=[section("no fallback")])
    assert fake.violations == ["chat.postMessage: blocks without a non-empty text fallback"]


def test_home_view_allows_100_blocks(fake: FakeSlack, client: WebClient) -> None:
    client.views_publish(
        user_id="U0REPORTER", view={"type": "home", "blocks": [section("x")] * 100}
    )
    fake.assert_clean()
    client.views_publish(
        user_id="U0REPORTER", view={"type": "home", "blocks": [section("x")] * 101}
    )
    assert fake.violations == ["views.publish: 101 blocks (max 100)"]


def test_fail_next_raises_the_error_once(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=CHANNEL, text="lost")
    assert raised.value.response["error"] == "channel_not_found"
    client.chat_postMessage(channel=CHANNEL, text="found")

    assert [c.response["ok"] for c in fake.calls_to("chat.postMessage")] == [False, True]
    assert [m["text"] for m in fake.messages()] == ["found"]
    fake.assert_clean()


def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    client = WebClient(
        base_url=fake.base_url,
        token="xoxb-test",
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.rate_limit_next("chat.postMessage", retry_after=1)

    assert client.chat_postMessage(channel=CHANNEL, text="patience")["ok"]
    calls = fake.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].response == {"ok": False, "error": "ratelimited"}
    assert len(fake.messages()) == 1


def test_server_error_is_recorded(fake: FakeSlack, client: WebClient) -> None:
    fake.server_error_next("chat.postMessage", status=503)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel=CHANNEL, text="down")
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [503]


def test_response_url_posts_are_recorded_and_checked(fake: FakeSlack) -> None:
    respond = Respond(response_url=fake.response_url("search-1"))
    reply = respond(text="Two stories match", blocks=[section("*1.* Floods")])
    assert (reply.status_code, reply.body) == (200, "ok")

    [call] = fake.calls_to("response_url")
    assert call.response_name == "search-1"
    assert call.params == {"text": "Two stories match", "blocks": [section("*1.* Floods")]}
    fake.assert_clean()

    respond(blocks=[section("no fallback")])
    assert fake.violations == ["response_url: blocks without a non-empty text fallback"]


def test_expired_response_url(fake: FakeSlack) -> None:
    fake.fail_next("response_url", "expired_url")
    reply = Respond(response_url=fake.response_url("old"))(text="too late")
    assert (reply.status_code, reply.body) == (404, "expired_url")


def test_wait_for_calls_from_another_thread(fake: FakeSlack, client: WebClient) -> None:
    poster = threading.Timer(
        0.1, client.chat_postMessage, kwargs={"channel": CHANNEL, "text": "bg"}
    )
    poster.start()
    [call] = fake.wait_for("chat.postMessage", timeout=5.0)
    poster.join()
    assert call.params["text"] == "bg"

    with pytest.raises(AssertionError, match=r"1 of 2 chat\.postMessage calls"):
        fake.wait_for("chat.postMessage", count=2, timeout=0.1)


def test_reset_forgets_calls_violations_and_faults(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("auth.test", "invalid_auth")
    with pytest.raises(SlackApiError):
        client.api_call("chat.postMessages")
    fake.reset()
    assert (fake.calls, fake.violations) == ([], [])
    assert client.auth_test()["ok"]


def test_a_thread_is_read_back_with_its_metadata_when_asked(
    fake: FakeSlack, client: WebClient
) -> None:
    root = "1718870400.000001"
    marker = {"event_type": "newsroom_reply", "event_payload": {"event_id": "Ev01"}}
    client.chat_postMessage(channel=CHANNEL, text="reply", thread_ts=root, metadata=marker)
    client.chat_postMessage(channel=CHANNEL, text="other thread", thread_ts="1718870400.000002")
    with_metadata = client.conversations_replies(
        channel=CHANNEL, ts=root, include_all_metadata=True
    )
    assert [m["metadata"] for m in with_metadata["messages"]] == [marker]
    plain = client.conversations_replies(channel=CHANNEL, ts=root)
    assert [("metadata" in m, m["text"]) for m in plain["messages"]] == [(False, "reply")]
    fake.assert_clean()


def test_threads_are_paged_by_cursor(fake: FakeSlack, client: WebClient) -> None:
    root = "1718870400.000003"
    for i in range(3):
        client.chat_postMessage(channel=CHANNEL, text=str(i), thread_ts=root)
    first = client.conversations_replies(channel=CHANNEL, ts=root, limit=2)
    assert [m["text"] for m in first["messages"]] == ["0", "1"] and first["has_more"]
    cursor = first["response_metadata"]["next_cursor"]
    rest = client.conversations_replies(channel=CHANNEL, ts=root, limit=2, cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["2"] and not rest["has_more"]
    fake.assert_clean()


def test_malformed_metadata_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel=CHANNEL, text="x", metadata={"event_payload": "nope"})
    assert any("event_type" in v for v in fake.violations)
    assert any("event_payload" in v for v in fake.violations)


def test_a_request_cut_off_by_its_client_is_neither_recorded_nor_a_violation(
    fake: FakeSlack, client: WebClient
) -> None:
    origin = urlsplit(fake.base_url)
    body = b"channel=C1&text=hello"
    with socket.create_connection((origin.hostname, origin.port)) as sock:
        sock.sendall(
            b"POST /api/chat.postMessage HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer xoxb-test\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body) + 100}\r\n\r\n".encode()
            + body[:8]
        )
        sock.shutdown(socket.SHUT_WR)  # the process died mid-request
        sock.settimeout(5)
        assert sock.recv(100) == b""  # no answer: nothing was called

    client.chat_postMessage(channel="C1", text="after")
    assert [c.params["text"] for c in fake.calls_to("chat.postMessage")] == ["after"]
    fake.assert_clean()
