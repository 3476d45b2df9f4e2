"""Minimal inputs the fuzz tests found that broke a parser (fixed in 3c1647f), kept as
regressions: each failed, or raised something other than the parser's own error, before.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from bot.core.extract import from_html, parse_time
from bot.core.numbers import find_quantities
from bot.core.urls import InvalidURL, canonicalize
from handlers.parsing import is_handled_message, message_links

ARTICLE = " ".join(f"Officials in Hanoi said talks number {i} went well." for i in range(8))


def _page(head: str) -> str:
    body = f"<body><article><p>{ARTICLE}</p></article></body>"
    return f"<html><head><title>T</title>{head}</head>{body}</html>"


@pytest.mark.parametrize("subtype", [[], {}])
def test_is_handled_message_with_unhashable_subtype(subtype: object) -> None:
    # Was TypeError: `event.get("subtype") not in HANDLED_SUBTYPES` hashed the value.
    assert is_handled_message({"subtype": subtype, "user": "U1", "channel": "C1"}, None) is False


@pytest.mark.parametrize(
    "text",
    [
        "<https://slack.com./archives/C1/p1>",  # trailing dot: the same host to canonicalize()
        "<https://ｓｌａｃｋ.com/archives/C1/p1>",  # full-width letters: IDNA maps them
        "<https://slack\u3002com/archives/C1/p1>",  # ideographic full stop
    ],
)
def test_message_links_drops_every_slack_spelling(text: str) -> None:
    # Was returned: _is_slack_internal compared the raw host name.
    assert message_links({"text": text}) == []


@pytest.mark.parametrize("url", ["http://[::1% ]/", "http://[::1%|>]/", "http://[fe80::1%é]/"])
def test_canonical_key_with_ipv6_zone_id(url: str) -> None:
    # Was a key with the zone id verbatim ("https://[::1%|>]/"), breaking <url|label> markup.
    try:
        key = canonicalize(url)
    except InvalidURL:
        return
    assert key.isascii() and not any(c in key for c in " |<>"), key


def test_find_quantities_long_run_of_dozens() -> None:
    # Was OverflowError: 12**286 as an int, added to a float in _words_value.
    for q in find_quantities(" ".join(["dozen"] * 286)):
        assert math.isfinite(q.low) and math.isfinite(q.value), q


@pytest.mark.parametrize("text", ["a" + " hundred" * 154, "about a" + " hundred" * 155])
def test_find_quantities_long_runs_of_scale_words(text: str) -> None:
    # Were value inf (154: the midpoint (low + high) / 2 overflowed) and [nan, inf] (155 with
    # "about": 100.0**155 == inf, and inf - inf * 0.1 is nan).
    for q in find_quantities(text):
        assert math.isfinite(q.low) and math.isfinite(q.value) and q.value <= q.high, q


def test_find_quantities_published_near_date_max() -> None:
    # Was OverflowError from `published + timedelta(days=183)`. Reachable: parse_time
    # ("9999-12-31") from a page's meta tag becomes the article's `published`.
    find_quantities("June 5", published=date(9999, 7, 2))


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_parse_time_at_the_edge_of_time(value: str) -> None:
    # Was OverflowError from astimezone(UTC).
    assert parse_time(value) is None


def test_from_html_with_a_date_at_the_edge_of_time() -> None:
    # Was OverflowError out of from_html (ingest catches only ExtractionError).
    head = '<meta property="article:published_time" content="0001-01-01T00:00:00+01:00">'
    assert from_html(_page(head)).published is None


def test_from_html_with_deeply_nested_json_ld() -> None:
    # Was RecursionError: json.loads on JSON-LD nested 1,000 deep, only ValueError caught.
    head = '<script type="application/ld+json">' + "[" * 1000 + "]" * 1000 + "</script>"
    assert from_html(_page(head)).published is None
