"""What people read about watched feeds, in the same words on Slack and in the terminal.

Each builder takes `slack`: True for mrkdwn (channels as <#C…> mentions, text escaped), False
for plain terminal text. Nothing here shows poll internals beyond what an editor can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.services.feeds import FeedAlert, FeedView, PollResult, WatchResult
from bot.views.blocks import MAX_BLOCKS, SlackMessage, escape, link, pack, section
from bot.views.words import watched_line as watched_line  # the digest's words

KINDS = {"rss": "RSS feed", "atom": "Atom feed", "sitemap": "news sitemap"}


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _channel(channel: str | None, slack: bool) -> str:
    if not channel:
        return "no channel"
    return f"<#{escape(channel)}>" if slack else f"#{channel}"


def _name(title: str | None, url: str, slack: bool) -> str:
    if slack:
        return link(url, title or url)
    return f"{title} ({url})" if title else url


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


def watch_text(result: WatchResult, *, slack: bool = False) -> str:
    """The answer to watch: what is watched now, for which channel."""
    feed = result.feed
    what = f"{_name(feed.title, feed.url, slack)}, {KINDS.get(feed.kind, 'a feed')}"
    if not result.created:
        return f"Already watching {what}, for {_channel(feed.channel, slack)}."
    return (
        f"Watching {what}, for {_channel(feed.channel, slack)}. New items go into the "
        "stories and the digest; none is posted on its own."
    )


def unwatch_text(feed: FeedView | None, url: str, *, slack: bool = False) -> str:
    if feed is None:
        return f"No watched feed is {escape(url) if slack else url}."
    return f"Stopped watching {_name(feed.title, feed.url, slack)}; its articles stay."


def _message(plain: str, mrkdwn: str) -> SlackMessage:
    """Blocks in mrkdwn; the fallback text plain and escaped (feed titles are third-party
    text: "<!channel>" in one must not ping anyone)."""
    return SlackMessage(text=escape(plain), blocks=[section(mrkdwn)])


def watch_message(result: WatchResult) -> SlackMessage:
    return _message(watch_text(result), ":eyes: " + watch_text(result, slack=True))


def unwatch_message(feed: FeedView | None, url: str) -> SlackMessage:
    return _message(unwatch_text(feed, url), unwatch_text(feed, url, slack=True))


def feed_line(feed: FeedView, *, slack: bool = False) -> str:
    """One watched feed: what it is, for whom, how it is doing."""
    line = (
        f"{_name(feed.title, feed.url, slack)} ({KINDS.get(feed.kind, feed.kind)}, for "
        f"{_channel(feed.channel, slack)}): {_plural(feed.items, 'item')}, last polled "
        f"{_when(feed.last_polled)}"
    )
    if feed.failures:
        error = feed.last_error or "unknown error"
        mark = ":warning: " if slack else "! "
        state = "failing, reported" if feed.reported else "failing"
        line = (
            f"{mark}{line}; {state} ({_plural(feed.failures, 'time')} in a row: "
            f"{escape(error) if slack else error}), next try {_when(feed.next_poll)}"
        )
    return line


def watching_lines(feeds: Sequence[FeedView], *, slack: bool = False) -> list[str]:
    if not feeds:
        return ["No feeds are watched. Add one with watch <feed or site URL>."]
    failing = sum(1 for f in feeds if f.failures)
    head = f"Watching {_plural(len(feeds), 'feed')}"
    head += f", {failing} failing:" if failing else ":"
    bullet = "• " if slack else "  "
    return [head, *(bullet + feed_line(f, slack=slack) for f in feeds)]


def watching_message(feeds: Sequence[FeedView]) -> SlackMessage:
    lines = watching_lines(feeds, slack=True)
    text = watching_lines(feeds)[0].rstrip(":")
    return SlackMessage(text=escape(text), blocks=[section(t) for t in pack(lines)][:MAX_BLOCKS])


def alert_text(alert: FeedAlert, *, slack: bool = False) -> str:
    """The one report of a feed that keeps failing."""
    name = _name(alert.title, alert.url, slack)
    error = escape(alert.error) if slack else alert.error
    return (
        f"The feed {name} has failed {_plural(alert.failures, 'time')} in a row ({error}). "
        "It is tried less often until it answers; unwatch it to stop."
    )


def alert_message(alert: FeedAlert) -> SlackMessage:
    return _message(alert_text(alert), ":warning: " + alert_text(alert, slack=True))


def poll_line(poll: PollResult) -> str:
    """`newsroom poll`: one line per feed polled."""
    if poll.status == "failed":
        return f"{poll.url}: failed: {poll.error}"
    if poll.status == "not_modified":
        return f"{poll.url}: not modified"
    parts = [f"{_plural(poll.new_items, 'new item')}", f"{poll.stored} stored"]
    if poll.copies:
        parts.append(f"{_plural(poll.copies, 'copy', 'copies')}")
    if poll.failed_items:
        parts.append(f"{poll.failed_items} unreadable ({poll.error})")
    return f"{poll.url}: {', '.join(parts)}"
