"""The app manifest follows Slack's schema and asks for exactly the scopes the bot uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import ROOT
from tests.fake_slack import SLACK_SPECS

# The Web API methods the bot calls.
WEB_API_METHODS = ("auth.test", "chat.postMessage", "chat.getPermalink", "views.publish")
# Scopes the bot needs for what it offers rather than for an event or a method.
FEATURE_SCOPES = {"commands"}  # the /newsroom slash command
# Events the 2021 events spec predates; Slack documents that they need no scope.
EVENTS_WITHOUT_SCOPE = {"app_home_opened"}


def _load(path: Path) -> Any:
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return _load(ROOT / "manifest.json")


@pytest.fixture(scope="module")
def bot_scopes(manifest: dict[str, Any]) -> list[str]:
    return manifest["oauth_config"]["scopes"]["bot"]


def event_scopes() -> dict[str, set[str]]:
    """Scopes each event needs, by event name (``reaction_added``), from the events spec."""
    topics = _load(SLACK_SPECS / "events_api_async_v1.json")["topics"]
    scopes = {}
    for topic in topics.values():
        operation = topic["subscribe"]
        event = operation["externalDocs"]["url"].rsplit("/", 1)[-1]
        scopes[event] = set(operation["x-scopes-required"])
    return scopes


def method_scopes(method: str) -> set[str]:
    """The granular bot scope a Web API method needs, from the OpenAPI spec's ``security``.

    The spec lists classic scopes (``chat:write:bot``, ``chat:write:user``) as alternatives;
    both became the one granular scope (``chat:write``). ``none`` means no scope.
    """
    operations = _load(SLACK_SPECS / "web_api_openapi_v2.json")["paths"][f"/{method}"]
    listed = {
        scope
        for operation in operations.values()
        for requirement in operation["security"]
        for scope in requirement["slackAuth"]
    }
    return {s.removesuffix(":bot").removesuffix(":user") for s in listed if s != "none"}


def test_manifest_is_valid_against_slack_schema(manifest: dict[str, Any]) -> None:
    schema = _load(SLACK_SPECS / "manifest.schema.1.0.0.json")
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator_class(schema).iter_errors(manifest)
    ]
    assert errors == []
    assert manifest["_metadata"]["major_version"] == 1


def test_every_bot_event_has_its_scopes(manifest: dict[str, Any], bot_scopes: list[str]) -> None:
    known = event_scopes()
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        if event in EVENTS_WITHOUT_SCOPE:
            assert event not in known, f"{event} is in the spec now: use its scopes"
            continue
        assert event in known, (
            f"{event} is not an event of the vendored events spec: add its topic to "
            "EVENT_TOPICS in benchmarks/vendor_slack_specs.py and run it"
        )
        assert known[event] <= set(bot_scopes), f"{event} needs {known[event]}"


def test_the_spec_names_the_scopes_we_rely_on() -> None:
    assert event_scopes()["message.channels"] == {"channels:history"}
    assert event_scopes()["reaction_added"] == {"reactions:read"}
    assert method_scopes("chat.postMessage") == {"chat:write"}
    assert method_scopes("chat.getPermalink") == set()
    assert method_scopes("views.publish") == set()


def test_manifest_asks_for_exactly_the_scopes_used(
    manifest: dict[str, Any], bot_scopes: list[str]
) -> None:
    known = event_scopes()
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    used = set(FEATURE_SCOPES)
    used.update(*(known.get(event, set()) for event in events))
    used.update(*(method_scopes(method) for method in WEB_API_METHODS))
    assert len(bot_scopes) == len(set(bot_scopes)), "a scope is listed twice"
    assert set(bot_scopes) == used


def test_one_slash_command_served_with_events_and_interactivity(manifest: dict[str, Any]) -> None:
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/newsroom"
    settings = manifest["settings"]
    assert command["url"] == settings["event_subscriptions"]["request_url"]
    assert settings["interactivity"] == {"is_enabled": True, "request_url": command["url"]}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
