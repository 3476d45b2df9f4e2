"""The front door: bounded, signed, parseable requests reach Bolt; nothing else does, and no
body reaches the log."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator

import pytest

from bot.front_door import MAX_BODY
from bot.logs import BoundLength
from tests.slack_payloads import encode, link_message, signed, slash_command
from tests.wsgi import SECRET, Bot, call, in_process_bot

DESK, EDITOR = "C0DESK0001", "U0EDITOR01"


@pytest.fixture
def bot(tmp_path, monkeypatch) -> Iterator[Bot]:
    monkeypatch.chdir(tmp_path)
    with in_process_bot(tmp_path) as running:
        yield running


class Untouchable(io.RawIOBase):
    """A request body that must not be read."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


class Counting(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.given = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.given += len(chunk)
        return chunk


def test_an_oversize_body_is_refused_413_unread(bot):
    reply = call(bot.application, Untouchable(), content_length=str(20 * 1024 * 1024))
    assert reply.status == 413
    assert "over" in bot.log.getvalue()


def test_a_body_without_length_is_read_only_up_to_the_bound(bot):
    stream = Counting(b'{"a":"' + b"x" * (2 * MAX_BODY) + b'"}')
    reply = call(bot.application, stream, content_length=None)
    assert reply.status == 413
    assert stream.given == MAX_BODY + 1
    chunked = Counting(b"x" * (MAX_BODY + 10))
    reply = call(
        bot.application, chunked, content_length=None, headers={"Transfer-Encoding": "chunked"}
    )
    assert reply.status == 413 and chunked.given == MAX_BODY + 1


def test_a_20_mb_unsigned_body_leaves_the_log_short(bot):
    before = len(bot.log.getvalue())  # the start-up lines (one per migration) are not counted
    body = b'{"a":"' + b"A" * (20 * 1024 * 1024) + b'"}'
    assert call(bot.application, body).status == 413
    small = b'{"a":"' + b"B" * 5000 + b'"}'
    assert call(bot.application, small).status == 401
    assert "AAAA" not in bot.log.getvalue() and "BBBB" not in bot.log.getvalue()
    assert len(bot.log.getvalue()) - before < 2000


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": str(int(time.time()))},
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "１２３", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=é"},
    ],
    ids=["none", "no-signature", "timestamp-abc", "timestamp-fullwidth", "bad", "non-ascii"],
)
def test_missing_or_bad_signatures_get_401(bot, headers):
    body = b'{"type":"event_callback","event":{"type":"message","user":5}}'
    assert call(bot.application, body, headers=headers).status == 401


def test_stale_and_far_future_timestamps_get_401(bot):
    payload = link_message(channel=DESK, user=EDITOR, ts="1718870400.000100", url="http://x/")
    body, _ = encode(payload)
    assert bot.send(body, timestamp=int(time.time()) - 301).status == 401
    assert bot.send(body, timestamp=int(time.time()) + 301).status == 401
    assert bot.fake.calls == []


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe{}", b"{", b"[" * 100_000, b"[1, 2]", b'"text"', b"payload=%7B", b"payload=[1]"],
    ids=["not-utf8", "brace", "deep", "list", "string", "form-bad-json", "form-list"],
)
def test_signed_unparseable_bodies_get_400(bot, body):
    reply = bot.send(body, content_type="application/json")
    assert reply.status == 400
    assert len(bot.log.getvalue().splitlines()[-1]) < 300


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "event_callback", "event": {"type": "message", "user": 5}},
        {"type": "event_callback", "event_id": "Ev\ud800", "event": {"type": "message"}},
        {"type": "event_callback", "event_id": 12, "event": {"type": "message"}},
        {"type": "event_callback", "event_id": "Ev0000000001", "event": "message"},
        {"type": "event_callback", "event_id": "Ev0000000002", "event": {"type": ["message"]}},
        {"type": 5},
        {"type": "block_actions", "actions": "x", "user": 5},
    ],
)
def test_signed_malformed_payloads_get_200_or_400_never_500(bot, payload):
    """200 (acknowledged, ignored), 400 (cannot be handled), or Bolt's 404 for a payload that
    no listener matches (as for an event type the bot does not subscribe to)."""
    body = json.dumps(payload).encode()  # lone surrogates are written as \ud800 escapes
    reply = bot.send(body)
    assert reply.status in (200, 400, 404), reply
    bot.offload.drain(5)
    for line in bot.log.getvalue().splitlines():
        assert len(line) < BoundLength().limit + 200


def test_a_replayed_slash_command_runs_once(bot):
    payload = slash_command(
        text="help", channel=DESK, user=EDITOR, response_url=bot.fake.response_url("help")
    )
    body, content_type = encode(payload)
    headers = {"Content-Type": content_type, **signed(body, SECRET)}
    replies = [call(bot.application, body, headers=headers) for _ in range(3)]
    assert [r.status for r in replies] == [200, 200, 200]
    assert replies[1].body == replies[2].body == b""
    bot.fake.wait_for("response_url")
    time.sleep(0.3)
    assert len(bot.fake.calls_to("response_url")) == 1
    assert "replayed request ignored" in bot.log.getvalue()
    # The same command sent again (a new timestamp, so a new signature) runs again.
    time.sleep(1.01)
    assert bot.send(body, content_type=content_type).status == 200
    bot.fake.wait_for("response_url", count=2)


def test_an_event_retry_is_not_a_replay(bot):
    """Slack signs each retry afresh and sends the same event_id: the event-id claim, not the
    signature, makes it one event; the exact bytes again are acknowledged the same way."""
    payload = link_message(channel=DESK, user=EDITOR, ts="1718870400.000200", url="http://x/")
    body, _ = encode(payload)
    assert bot.send(body).status == 200
    assert bot.send(body).status == 200
    assert "already handled" in bot.log.getvalue()


def test_replay_claims_expire_and_are_purged(bot):
    from datetime import UTC, datetime, timedelta

    from bot.services.replays import RequestLog

    claims = RequestLog(bot.services.ingest.engine)
    now = datetime.now(UTC)
    assert claims.claim("v0=ab", expires=now + timedelta(minutes=5), now=now)
    assert not claims.claim("v0=ab", expires=now + timedelta(minutes=5), now=now)
    later = now + timedelta(minutes=6)
    assert claims.purge(now=later) == 1
    assert claims.claim("v0=ab", expires=later + timedelta(minutes=5), now=later)


def test_url_verification_still_answers_and_health_is_outside(bot):
    reply = bot.send(b'{"type":"url_verification","challenge":"c" ,"token":"t"}')
    assert reply.status == 200 and json.loads(reply.body)["challenge"] == "c"
    assert call(bot.application, method="GET", path="/health").status == 200


def test_bolt_logs_no_body_even_when_its_own_check_fails(bot, caplog):
    """Bolt's own verification logs the body of a badly signed request at INFO; the front
    door keeps such requests away, and the log filter withholds the body if one got there."""
    logging.getLogger("slack_bolt.RequestVerification").info(
        "Invalid request signature detected (signature: v0=1, timestamp: 1, body: SECRETBODY)"
    )
    assert "SECRETBODY" not in bot.log.getvalue()
    assert "Invalid request signature" in bot.log.getvalue()


def test_long_records_are_cut(bot):
    logging.getLogger("newsroom.test").warning("%s", "x" * 50_000 + "\ud800")
    line = bot.log.getvalue().splitlines()[-1]
    assert len(line) < 2200 and "characters cut" in line
