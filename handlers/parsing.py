"""Pure parsers for Slack payloads: links in a message, and the /newsroom command line.

No Slack SDK here: plain dicts and strings in, plain values (or a one-line reason) out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.core.urls import InvalidURL, canonicalize, is_http_url

MAX_LINKS = 5  # links handled per message
HANDLED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
_SLACK_HOSTS = ("slack.com", "slack-edge.com", "slack-files.com", "slack-redir.net")
_TEXT_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
_ANGLED = re.compile(r"^<([^|>]+)(?:\|([^>]*))?>$")


def is_handled_message(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """A person's new message (or thread broadcast, or file share); not edits, bots or us."""
    subtype = event.get("subtype")
    if subtype is not None and (not isinstance(subtype, str) or subtype not in HANDLED_SUBTYPES):
        return False
    if event.get("bot_id") or event.get("bot_profile"):
        return False
    user = event.get("user")
    return bool(user) and user != bot_user_id and bool(event.get("channel"))


def _rich_text_links(elements: Any) -> Iterator[str]:
    if not isinstance(elements, list):
        return
    for element in elements:
        if not isinstance(element, dict):
            continue
        if element.get("type") == "link" and isinstance(element.get("url"), str):
            yield element["url"]
        yield from _rich_text_links(element.get("elements"))


def _is_slack_internal(url: str) -> bool:
    """A link into Slack itself, however its host is spelled (case, trailing dot, IDNA)."""
    try:
        host = urlsplit(canonicalize(url)).hostname or ""
    except InvalidURL:
        return True  # not a link the bot could fetch either
    return any(host == h or host.endswith("." + h) for h in _SLACK_HOSTS)


def message_links(event: Mapping[str, Any]) -> list[str]:
    """Article links in a message: rich_text link elements, else `<url|label>` in the text."""
    found: list[str] = []
    blocks = event.get("blocks")
    if isinstance(blocks, list):
        for block in blocks:
            if isinstance(block, dict) and block.get("type") == "rich_text":
                found.extend(_rich_text_links(block.get("elements")))
    if not found and isinstance(event.get("text"), str):
        found = [m.group(1).replace("&amp;", "&") for m in _TEXT_LINK.finditer(event["text"])]
    links: dict[str, str] = {}  # canonical key -> the link as posted (first spelling wins)
    for url in found:
        if not is_http_url(url) or _is_slack_internal(url):
            continue
        try:
            links.setdefault(canonicalize(url), url)
        except InvalidURL:
            continue
    return list(links.values())[:MAX_LINKS]


# The /newsroom command -------------------------------------------------------------------------


class CommandError(ValueError):
    """A command that cannot be run; str() is the reason shown to the user (with help)."""


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed /newsroom command: its name and arguments."""

    name: str
    args: tuple[str, ...] = ()
    channel: str | None = None  # subscribe/unsubscribe: the channel mentioned, if any
    at: str | None = None  # subscribe: HH:MM
    timezone: str | None = None  # subscribe: IANA name


SUBCOMMANDS = (
    ("help", "this list"),
    ("search <words>", "articles whose title has these words"),
    ("story <id|url>", "a story and its articles"),
    ("claims <story id|url>", "a story's claims and how its sources compare"),
    ("compare <url> <url>", "how two articles relate, and their claims"),
    ("conflicts [today|week]", "conflicting figures between sources"),
    ("flagged", "claims and articles people flagged"),
    ("digest preview|now", "see the digest (only you), or post it here now"),
    ("subscribe [#channel] [HH:MM] [timezone]", "a daily digest, e.g. 08:30 Europe/London"),
    ("unsubscribe [#channel]", "stop the daily digest"),
    ("status", "what the bot holds and its schedule"),
    ("watch <feed or site url> [#channel]", "watch an outlet's feed for this channel's digest"),
    ("watching", "the watched feeds, and those failing"),
    ("unwatch <url>", "stop watching a feed"),
    (
        "alerts conflicts|off",
        "post here at once when a watched feed contradicts a story posted here",
    ),
)

_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_TIME = re.compile(r"^\d{1,2}:\d{2}$")


def _unwrap(token: str) -> str:
    """`<https://x|label>` -> `https://x` (Slack escapes links in command text)."""
    match = _ANGLED.match(token)
    return match.group(1) if match else token


def parse_command(text: str) -> Command:
    """Parse the text after `/newsroom`; raises CommandError with a reason."""
    tokens = text.split()
    if not tokens:
        return Command("help")
    name, rest = tokens[0].lower(), tokens[1:]
    if name in ("help", "flagged", "status", "watching"):
        if rest:
            raise CommandError(f"`{name}` takes no arguments")
        return Command(name)
    if name == "search":
        if not rest:
            raise CommandError("`search` needs words to look for, e.g. `search Putin Hanoi`")
        return Command(name, tuple(rest))
    if name in ("story", "claims"):
        if len(rest) != 1:
            raise CommandError(f"`{name}` needs one story id or article URL")
        return Command(name, (_unwrap(rest[0]),))
    if name == "compare":
        urls = tuple(_unwrap(t) for t in rest)
        if len(urls) != 2 or not all(is_http_url(u) for u in urls):
            raise CommandError("`compare` needs two article URLs")
        return Command(name, urls)
    if name == "conflicts":
        when = rest[0].lower() if rest else "today"
        if len(rest) > 1 or when not in ("today", "week"):
            raise CommandError("`conflicts` takes `today` (the default) or `week`")
        return Command(name, (when,))
    if name == "digest":
        if len(rest) != 1 or rest[0].lower() not in ("preview", "now"):
            raise CommandError("`digest` takes `preview` or `now`")
        return Command(name, (rest[0].lower(),))
    if name == "alerts":
        if len(rest) != 1 or rest[0].lower() not in ("conflicts", "off"):
            raise CommandError("`alerts` takes `conflicts` (alert this channel) or `off`")
        return Command(name, (rest[0].lower(),))
    if name in ("subscribe", "unsubscribe"):
        return _parse_subscription(name, rest)
    if name in ("watch", "unwatch"):
        return _parse_watch(name, rest)
    raise CommandError(f"unknown command `{name[:40]}`")


def _parse_watch(name: str, rest: list[str]) -> Command:
    urls = [_unwrap(t) for t in rest if not _CHANNEL.match(t)]
    channels = [m.group(1) for t in rest if (m := _CHANNEL.match(t))]
    usage = "`watch` needs a feed or site URL and at most one #channel"
    if name == "unwatch":
        usage = "`unwatch` needs the URL of a watched feed"
        if channels:
            raise CommandError(usage)
    if len(urls) != 1 or len(channels) > 1:
        raise CommandError(usage)
    if not is_http_url(urls[0]):
        raise CommandError(f"`{urls[0][:80]}` is not an http(s) URL")
    return Command(name, (urls[0],), channel=channels[0] if channels else None)


def _parse_subscription(name: str, rest: list[str]) -> Command:
    channel = at = timezone = None
    for token in rest:
        match = _CHANNEL.match(token)
        if match and channel is None:
            channel = match.group(1)
        elif token.startswith("#") or token.startswith("<#"):
            raise CommandError(f"`{token[:40]}` is not a channel mention; pick it with #")
        elif name == "subscribe" and _TIME.match(token) and at is None:
            at = token
        elif name == "subscribe" and timezone is None and ("/" in token or token.upper() == "UTC"):
            timezone = token
        else:
            raise CommandError(f"`{name}` does not understand `{token[:40]}`")
    return Command(name, channel=channel, at=at, timezone=timezone)
