"""Slack payloads for tests, built on the field shapes of real payloads (slack_specs/).

Each builder starts from the shape, fills realistic values and drops the fields that do not
apply (a person's message carries no bot_profile); `unknown_fields` checks that nothing was
invented.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import time
from functools import cache
from typing import Any
from urllib.parse import urlencode

from tests.fake_slack import APP_ID, BOT_USER_ID, SLACK_SPECS, TEAM_ID

SHAPES = SLACK_SPECS / "payload-shapes"
_ids = itertools.count(1)


@cache
def shape(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SHAPES / f"{name}.json").read_text())
    return data


def unknown_fields(payload: Any, template: Any, path: str = "") -> list[str]:
    """Keys of `payload` (recursively, through dicts) that the shape does not have."""
    if not isinstance(payload, dict) or not isinstance(template, dict):
        return []
    found = []
    for key, value in payload.items():
        if key not in template:
            found.append(f"{path}{key}")
        else:
            found += unknown_fields(value, template[key], f"{path}{key}.")
    return found


def _envelope(name: str, event: dict[str, Any], event_id: str | None) -> dict[str, Any]:
    base = copy.deepcopy(shape(name))
    number = next(_ids)
    base.update(
        token="Jhj5dZrVaK7ZwHHjRyZWjbDl",
        team_id=TEAM_ID,
        api_app_id=APP_ID,
        type="event_callback",
        event_id=event_id or f"Ev0{number:09d}",
        event_time=int(time.time()),
        authorizations=[
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        is_ext_shared_channel=False,
        event_context=f"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDEyM0FCQ0QifQ{number}",
        event=event,
    )
    for key in (
        "enterprise_id",
        "authed_users",
        "authed_teams",
        "context_team_id",
        "context_enterprise_id",
    ):
        base.pop(key, None)
    return base


def link_message(
    *,
    channel: str,
    user: str,
    ts: str,
    url: str,
    thread_ts: str | None = None,
    subtype: str | None = None,
    event_id: str | None = None,
    rich: bool = True,
) -> dict[str, Any]:
    """A person's message carrying one link (rich_text link element plus `<url>` in text)."""
    name = {"thread_broadcast": "MessageThreadBroadcastPayload"}.get(
        subtype or "", "MessagePayload"
    )
    event: dict[str, Any] = {
        "client_msg_id": f"5d7a0c3e-1b7f-4f59-9f1c-{next(_ids):012d}",
        "type": "message",
        "channel": channel,
        "user": user,
        "text": f"worth a look <{url}>",
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
    }
    if name == "MessagePayload":
        event["team"] = TEAM_ID
    if rich:
        event["blocks"] = [
            {
                "type": "rich_text",
                "block_id": "Rk3Ay",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "text", "text": "worth a look "},
                            {"type": "link", "url": url},
                        ],
                    }
                ],
            }
        ]
    if subtype:
        event["subtype"] = subtype
    if thread_ts:
        event["thread_ts"] = thread_ts
    return _envelope(name, event, event_id)


def plain_message(
    *, channel: str, user: str, ts: str, text: str, thread_ts: str | None = None
) -> dict[str, Any]:
    event = {
        "client_msg_id": f"5d7a0c3e-1b7f-4f59-9f1c-{next(_ids):012d}",
        "type": "message",
        "team": TEAM_ID,
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return _envelope("MessagePayload", event, None)


def edited_message(*, channel: str, user: str, ts: str, url: str) -> dict[str, Any]:
    """A `message_changed` event: someone edited a message to add a link."""
    message = {
        "type": "message",
        "user": user,
        "text": f"edited <{url}>",
        "ts": ts,
        "edited": {"user": user, "ts": str(float(ts) + 5)},
    }
    event = {
        "type": "message",
        "subtype": "message_changed",
        "channel": channel,
        "hidden": True,
        "message": message,
        "previous_message": {"type": "message", "user": user, "text": "edited", "ts": ts},
        "event_ts": str(float(ts) + 5),
        "ts": str(float(ts) + 5),
        "channel_type": "channel",
    }
    return _envelope("MessageChangedPayload", event, None)


def reaction(
    *,
    added: bool,
    channel: str,
    ts: str,
    user: str,
    name: str = "triangular_flag_on_post",
    item_user: str = BOT_USER_ID,
) -> dict[str, Any]:
    shape_name = "ReactionAddedPayload" if added else "ReactionRemovedPayload"
    event = {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "reaction": name,
        "item_user": item_user,
        "event_ts": f"{time.time():.6f}",
    }
    return _envelope(shape_name, event, None)


def app_home_opened(*, user: str) -> dict[str, Any]:
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME0001",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    return _envelope("AppHomeOpenedPayload", event, None)


def slash_command(*, text: str, channel: str, user: str, response_url: str) -> dict[str, str]:
    payload = copy.deepcopy(shape("SlashCommandPayload"))
    payload.update(
        token="Jhj5dZrVaK7ZwHHjRyZWjbDl",
        api_app_id=APP_ID,
        team_id=TEAM_ID,
        team_domain="newsroom-test",
        channel_id=channel,
        channel_name="desk",
        user_id=user,
        user_name="editor",
        command="/newsroom",
        text=text,
        response_url=response_url,
        trigger_id=f"13345224609.738474920.{next(_ids)}",
        is_enterprise_install="false",
    )
    for key in ("enterprise_id", "enterprise_name"):
        payload.pop(key, None)
    return {k: str(v) for k, v in payload.items()}


def signed(body: bytes, secret: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: X-Slack-Request-Timestamp and an HMAC-SHA256 signature."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def encode(payload: dict[str, Any]) -> tuple[bytes, str]:
    """Body and content type: JSON for events, a form for slash commands."""
    if payload.get("command"):
        return urlencode(payload).encode(), "application/x-www-form-urlencoded"
    return json.dumps(payload).encode(), "application/json"
