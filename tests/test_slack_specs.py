"""The vendored Slack specs (tests/slack_specs) hold together and cover what the fake serves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fake_slack import (
    MESSAGE_METHODS,
    NEWER_METHOD_PARAMS,
    RESPONSE_URL,
    SLACK_SPECS,
    web_api_methods,
)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: Any, ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref} points outside its file"
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@pytest.mark.parametrize("name", ["web_api_openapi_v2.json", "events_api_async_v1.json"])
def test_every_ref_of_a_trimmed_spec_resolves(name: str) -> None:
    document = json.loads((SLACK_SPECS / name).read_text())
    refs = set(_refs(document))
    assert refs
    for ref in sorted(refs):
        _resolve(document, ref)


def test_the_methods_the_fake_answers_are_vendored() -> None:
    served = (MESSAGE_METHODS - {RESPONSE_URL}) | set(NEWER_METHOD_PARAMS)
    served |= {"auth.test", "chat.getPermalink", "views.publish"}
    assert served <= set(web_api_methods())
