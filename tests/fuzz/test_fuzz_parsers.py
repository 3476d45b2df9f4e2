"""Fuzz tests: the parsers of Slack payloads, command lines, links and numbers never raise
anything but their own documented error, and what they return keeps its promises.

The bugs these tests found (fixed in 3c1647f) are kept as minimal regression cases in
test_fuzz_regressions.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterator, Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.numbers import KINDS, Quantity, find_quantities
from bot.core.urls import InvalidURL, canonicalize, is_http_url
from handlers.parsing import (
    HANDLED_SUBTYPES,
    MAX_LINKS,
    SUBCOMMANDS,
    Command,
    CommandError,
    is_handled_message,
    message_links,
    parse_command,
)
from tests.fuzz.conftest import check_reason, examples, fuzz_settings
from tests.fuzz.strategies import (
    any_url,
    bot_user_ids,
    command_texts,
    events,
    hostile_text,
    number_text,
    value_form_text,
)

pytestmark = pytest.mark.slow  # about 2.5 minutes together; -m "not slow" skips them

SLACK_DOMAINS = ("slack.com", "slack-edge.com", "slack-files.com", "slack-redir.net")
COMMAND_NAMES = {usage.split()[0] for usage, _ in SUBCOMMANDS}
# Slack's link markup in message text: <url> or <url|label>.
TEXT_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")


# --- 1. message_links / is_handled_message ----------------------------------------------------


def _on_slack(host: str | None) -> bool:
    host = (host or "").lower()
    return any(host == d or host.endswith("." + d) for d in SLACK_DOMAINS)


def _rich_text_candidates(blocks: Any) -> Iterator[str]:
    """Link URLs of rich_text blocks in document order (iterative: no recursion limit)."""
    if not isinstance(blocks, list):
        return
    for block in blocks:
        if not isinstance(block, dict) or block.get("type") != "rich_text":
            continue
        stack: list[Iterator[Any]] = []
        elements = block.get("elements")
        if isinstance(elements, list):
            stack.append(iter(elements))
        while stack:
            element = next(stack[-1], stack)  # the stack itself marks "exhausted"
            if element is stack:
                stack.pop()
                continue
            if not isinstance(element, dict):
                continue
            if element.get("type") == "link" and isinstance(element.get("url"), str):
                yield element["url"]
            children = element.get("elements")
            if isinstance(children, list):
                stack.append(iter(children))


def _candidates(event: Mapping[str, Any]) -> list[str]:
    """Every link the message offers, in order: rich text first, else the text's markup."""
    found = list(_rich_text_candidates(event.get("blocks")))
    if not found and isinstance(event.get("text"), str):
        found = [m.group(1).replace("&amp;", "&") for m in TEXT_LINK.finditer(event["text"])]
    return list(dict.fromkeys(found))


def _is_subsequence(items: list[str], of: list[str]) -> bool:
    rest = iter(of)
    return all(any(item == other for other in rest) for item in items)


@fuzz_settings(examples("message_links"))
@given(payload=events, bot_user_id=bot_user_ids)
def test_message_links_and_is_handled_message(payload: dict[str, Any], bot_user_id: Any) -> None:
    # is_handled_message: a bool, and True only for a person's new message in a channel.
    handled = is_handled_message(payload, bot_user_id)
    assert isinstance(handled, bool)
    if handled:
        subtype = payload.get("subtype")
        assert isinstance(subtype, Hashable) and subtype in HANDLED_SUBTYPES, subtype
        assert not payload.get("bot_id") and not payload.get("bot_profile")
        assert payload.get("user") and payload.get("user") != bot_user_id
        assert payload.get("channel")

    links = message_links(payload)
    assert isinstance(links, list)
    assert len(links) <= MAX_LINKS
    keys = [canonicalize(link) for link in links]
    assert len(set(keys)) == len(keys), f"two spellings of one link in {links}"
    for link in links:
        assert isinstance(link, str)
        assert is_http_url(link), f"not an http(s) link: {link!r}"
        # However the host is spelled: canonicalize() folds case, a final dot, IDNA.
        assert not _on_slack(urlsplit(canonicalize(link)).hostname), f"Slack link: {link!r}"
    candidates = _candidates(payload)
    assert _is_subsequence(links, candidates), f"{links} not in order of {candidates}"
    if len(links) < MAX_LINKS:  # nothing usable left behind but other spellings of kept links
        for link in candidates:
            if link not in links and is_http_url(link):
                try:
                    key = canonicalize(link)
                except InvalidURL:
                    continue
                assert key in keys or _on_slack(urlsplit(key).hostname), link


# --- 2. parse_command -------------------------------------------------------------------------

_TIME = re.compile(r"^\d{1,2}:\d{2}$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]+$")


@fuzz_settings(examples("parse_command"))
@given(text=command_texts)
def test_parse_command_returns_a_known_command_or_a_reason(text: str) -> None:
    try:
        command = parse_command(text)
    except CommandError as exc:
        check_reason(exc)
        return
    assert isinstance(command, Command)
    assert command.name in COMMAND_NAMES, command
    assert all(isinstance(arg, str) and arg for arg in command.args), command
    if command.name == "compare":
        assert len(command.args) == 2 and all(is_http_url(u) for u in command.args)
    if command.name in ("search", "story", "claims", "conflicts", "digest"):
        assert command.args
    if command.name == "conflicts":
        assert command.args in (("today",), ("week",))
    if command.name == "digest":
        assert command.args in (("preview",), ("now",))
    if command.name in ("subscribe", "unsubscribe"):
        assert command.channel is None or _CHANNEL_ID.match(command.channel)
    if command.name == "subscribe":
        assert command.at is None or _TIME.match(command.at)
    else:
        assert command.at is None and command.timezone is None


# --- 3. canonicalize --------------------------------------------------------------------------

_UNSAFE_IN_KEY = re.compile(r"[\x00-\x20\x7f<>\"|\\^`{}]")


@fuzz_settings(examples("canonicalize"))
@given(url=st.one_of(any_url, st.text(max_size=40).map(lambda t: "http://" + t)))
def test_canonicalize_gives_a_stable_key_or_a_reason(url: str) -> None:
    try:
        key = canonicalize(url)
    except InvalidURL as exc:
        check_reason(exc)
        assert not is_http_url(url)
        return
    assert isinstance(key, str)
    assert key.startswith("https://"), key
    assert canonicalize(key) == key, f"not idempotent: {url!r} -> {key!r}"
    parts = urlsplit(key)
    assert parts.hostname and not parts.fragment and not parts.username, key
    # Keys go into Slack's <url|label> markup and the database: plain ASCII, nothing unsafe.
    assert key.isascii(), f"non-ASCII key {key!r} from {url!r}"
    assert not _UNSAFE_IN_KEY.search(key), f"unsafe character in key {key!r} from {url!r}"
    assert not any(
        name.lower().startswith(("utm_", "mtm_"))
        for name, _, _ in (pair.partition("=") for pair in parts.query.split("&"))
    ), key


# --- 4. find_quantities -----------------------------------------------------------------------


@fuzz_settings(examples("find_quantities"))
@given(
    text=st.one_of(number_text, hostile_text),
    published=st.one_of(st.none(), st.dates()),
)
def test_find_quantities_gives_ordered_finite_intervals(text: str, published: date | None) -> None:
    check_quantities(text, find_quantities(text, published=published))


@fuzz_settings(examples("find_quantities"))
@given(text=value_form_text, published=st.one_of(st.none(), st.dates()))
def test_find_quantities_reads_the_new_value_forms_safely(
    text: str, published: date | None
) -> None:
    """Weekdays, bare months, ages and rates, mixed with every other form, at any date."""
    check_quantities(text, find_quantities(text, published=published))


def check_quantities(text: str, quantities: list[Quantity]) -> None:
    assert isinstance(quantities, list)
    previous_start = -1
    for q in quantities:
        assert isinstance(q, Quantity)
        assert 0 <= q.start <= q.end <= len(text), q
        assert text[q.start : q.end] == q.surface, q
        assert q.start >= previous_start, f"out of order: {quantities}"
        previous_start = q.start
        assert q.kind in KINDS, q
        assert not any(math.isnan(v) for v in (q.low, q.high, q.value)), q
        assert math.isfinite(q.low) and math.isfinite(q.value), q
        assert math.isfinite(q.high) or q.qualifier, q  # inf only for a bound ("at least")
        assert q.low <= q.value <= q.high, q
        if q.kind == "weekday":
            assert q.value in range(7) and q.low == q.high == q.value, q
            assert q.day is None or q.day.weekday() == q.value, q
        else:
            assert q.day is None, q
