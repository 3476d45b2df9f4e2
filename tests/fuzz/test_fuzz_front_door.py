"""Fuzz test: 2,000 malformed requests, signed and unsigned, through the bot's WSGI app.

The payloads are structured junk built from the real payload shapes (tests/slack_payloads.py):
a link message, a plain or edited message, a reaction, App Home, a slash command (a form) or a
block action (a form carrying JSON), with one to four fields each deleted or replaced by a
value of the wrong type, hostile unicode (lone surrogates included), a deep nesting or a long
string; or raw bytes, a 100,000-deep `[`, a lone `{`, a BOM of the wrong kind. Each is sent
signed or not (no signature, a wrong one, a timestamp `abc`, a stale one) with the content type
of its kind or another. No response is a 500, and no request body reaches the log, at DEBUG:
every string the junk inserts carries a canary, and no 32-byte stretch of a body is logged.
"""

from __future__ import annotations

import copy
import json
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from tests.fake_slack import APP_ID, TEAM_ID
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.strategies import hostile_text, json_values
from tests.slack_payloads import (
    app_home_opened,
    edited_message,
    link_message,
    plain_message,
    reaction,
    signed,
    slash_command,
)
from tests.wsgi import SECRET, call, in_process_bot

PAYLOADS = 2000
CANARY = "zqxcanary"
LINE_BOUND = 2000 + 200  # the message bound plus the time, level and logger name
DESK, USER = "C0DESK0001", "U0REPORT01"
URL = "http://127.0.0.1:9/news/1"  # a private address: refused at once, never fetched
RESPONSE_URL = "http://127.0.0.1:9/response/x"


def _block_action() -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": USER, "username": "reporter", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "team": {"id": TEAM_ID, "domain": "newsroom-test"},
        "container": {"type": "message", "message_ts": "1718870400.000100", "channel_id": DESK},
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "channel": {"id": DESK, "name": "desk"},
        "response_url": RESPONSE_URL,
        "actions": [
            {"type": "button", "action_id": "open", "block_id": "b1", "value": "1"},
        ],
    }


BUILDERS = {
    "link": lambda: link_message(channel=DESK, user=USER, ts="1718870400.000100", url=URL),
    "plain": lambda: plain_message(channel=DESK, user=USER, ts="1718870401.000100", text="hi"),
    "edited": lambda: edited_message(channel=DESK, user=USER, ts="1718870402.000100", url=URL),
    "reaction": lambda: reaction(added=True, channel=DESK, ts="1718870400.000100", user=USER),
    "home": lambda: app_home_opened(user=USER),
    "command": lambda: slash_command(
        text="search zqxcanary", channel=DESK, user=USER, response_url=RESPONSE_URL
    ),
    "action": _block_action,
}

canaries = hostile_text.map(lambda text: f"{CANARY}{text}")
hostile_values = st.one_of(
    json_values.map(lambda value: [CANARY, value]),  # wrong types, nested, with a canary
    canaries,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.integers(1, 400).map(lambda depth: _nested(depth)),
    st.integers(1, 20_000).map(lambda n: CANARY + "A" * n),
    st.sampled_from(["\ud800", "\udfff" + CANARY, "Ev\ud800" + CANARY, "", " ", "\x00"]),
)


def _nested(depth: int) -> Any:
    value: Any = CANARY
    for _ in range(depth):
        value = [value]
    return value


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _mutate(payload: Any, path: tuple[Any, ...], replacement: Any, delete: bool) -> None:
    node = payload
    try:
        for step in path[:-1]:
            node = node[step]
        if delete:
            del node[path[-1]]
        else:
            node[path[-1]] = replacement
    except (KeyError, IndexError, TypeError):
        pass  # an earlier mutation removed or replaced the way there


@st.composite
def structured_junk(draw: st.DrawFn) -> tuple[str, bytes, str]:
    kind = draw(st.sampled_from(sorted(BUILDERS)))
    payload = copy.deepcopy(BUILDERS[kind]())
    paths = _paths(payload)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths))
        _mutate(payload, path, draw(hostile_values), delete=draw(st.booleans()))
    raw_unicode = draw(st.integers(0, 9)) == 0  # lone surrogates as bytes, not as \u escapes
    if kind == "command":
        fields = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()}
        body = urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()
        return kind, body, "application/x-www-form-urlencoded"
    text = json.dumps(payload, ensure_ascii=not raw_unicode)
    encoded = text.encode("utf-8", "surrogatepass")
    if kind == "action":
        body = urlencode({"payload": encoded}).encode()
        return kind, body, "application/x-www-form-urlencoded"
    return kind, encoded, "application/json"


raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [b"[" * 100_000, b"{", b"\xff\xfe{}", b'{"a":' * 5000, b"", b"payload=", b"payload=%7B"]
    ),
    json_values.map(lambda v: json.dumps([CANARY, v]).encode()),
    hostile_text.map(lambda t: f"{CANARY}{t}".encode("utf-8", "surrogatepass")),
)
requests = st.one_of(
    structured_junk(),
    st.tuples(st.just("raw"), raw_bodies, st.sampled_from(["application/json", "text/plain"])),
)
SIGNINGS = ["signed", "signed", "signed", "none", "bad", "timestamp-abc", "stale"]


def _headers(signing: str, body: bytes) -> dict[str, str]:
    now = int(time.time())
    if signing == "signed":
        return signed(body, SECRET)
    if signing == "bad":
        return signed(body, "not-the-secret")
    if signing == "stale":
        return signed(body, SECRET, timestamp=now - 600)
    if signing == "timestamp-abc":
        return {**signed(body, SECRET), "X-Slack-Request-Timestamp": "abc"}
    return {}


def _stretches(body: bytes) -> list[str]:
    """32-character stretches of the body, as they would read in a log."""
    text = body.decode("utf-8", "backslashreplace")
    if len(text) < 32:
        return []
    return [text[i : i + 32] for i in sorted({0, len(text) // 2, len(text) - 32})]


def test_malformed_requests_get_no_500_and_leave_no_body_in_the_log(tmp_path):
    statuses: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    started = time.monotonic()
    with in_process_bot(tmp_path) as bot:

        @fuzz_settings(PAYLOADS)
        @given(requests, st.sampled_from(SIGNINGS))
        def send_one(request: tuple[str, bytes, str], signing: str) -> None:
            kind, body, content_type = request
            seen = len(bot.log.getvalue())
            headers = {"Content-Type": content_type, **_headers(signing, body)}
            reply = call(bot.application, body, headers=headers)
            statuses[reply.status] += 1
            kinds[f"{kind}/{signing}"] += 1
            assert reply.status < 500, (reply, body[:200])
            logged = bot.log.getvalue()[seen:]
            assert CANARY not in logged
            for stretch in _stretches(body):
                assert stretch not in logged, stretch

        send_one()
        bot.offload.drain(10)  # the listeners that ran after the acknowledgement log too
        log = bot.log.getvalue()
    (tmp_path / "bot.log").write_text(log)  # kept with pytest's temporary files, to read
    elapsed = time.monotonic() - started
    print(
        f"\nfront door fuzz: {sum(statuses.values())} requests in {elapsed:.1f} s, "
        f"statuses {dict(sorted(statuses.items()))}, {len(log)} characters logged"
    )
    assert sum(statuses.values()) >= PAYLOADS
    assert CANARY not in log
    assert max(len(line) for line in log.splitlines()) <= LINE_BOUND
