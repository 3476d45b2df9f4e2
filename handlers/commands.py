"""/newsroom: ack at once, then parse, call one service and answer through respond()."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import Ack, Respond

from bot.core.schedule import ScheduleError
from bot.services import Services
from bot.services.feeds import WatchError
from bot.services.ingest import IngestError
from bot.views.blocks import SlackMessage
from bot.views.digest import digest_messages, render_digest
from bot.views.feeds import unwatch_message, watch_message, watching_message
from bot.views.replies import (
    alerts_text,
    articles_message,
    claims_message,
    compare_message,
    flagged_message,
    help_message,
    pairs_message,
    status_message,
    story_message,
    subscribed_message,
    text_message,
)
from handlers.parsing import SUBCOMMANDS, Command, CommandError, parse_command

Poster = Callable[[str, SlackMessage, str | None], str]


def handle_newsroom(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    services: Services,
    poster: Poster,
    logger: logging.Logger,
) -> None:
    ack()
    text = command.get("text")
    text = text if isinstance(text, str) else ""  # Slack sends a string; anything else is none
    try:
        parsed = parse_command(text)
        messages = run_command(parsed, command, services, poster, now=datetime.now(UTC))
    except CommandError as exc:
        messages = [help_message(SUBCOMMANDS, problem=str(exc))]
    except Exception:
        logger.exception("/newsroom %r failed", text[:200])
        messages = [text_message("Sorry, that failed on our side; the error is logged.")]
    for message in messages:
        respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def run_command(
    cmd: Command, command: dict[str, Any], services: Services, poster: Poster, *, now: datetime
) -> list[SlackMessage]:
    """Run one parsed subcommand; user mistakes raise CommandError."""
    channel = command.get("channel_id") or ""
    name = cmd.name
    if name == "help":
        return [help_message(SUBCOMMANDS)]
    if name == "search":
        found = services.stories.search(list(cmd.args))
        return [articles_message(f"Search “{' '.join(cmd.args)}”", found)]
    if name == "story":
        view = services.stories.find(cmd.args[0])
        if view is None:
            raise CommandError(f"no story {cmd.args[0][:80]}")
        return [story_message(view.story, view.articles)]
    if name == "claims":
        view = services.stories.find(cmd.args[0])
        if view is None or view.story.id is None:
            raise CommandError(f"no story {cmd.args[0][:80]}")
        return [claims_message(view.story.id, services.claims.story_groups(view.story.id))]
    if name == "compare":
        try:
            out = services.ingest.compare_urls(cmd.args[0], cmd.args[1])
        except IngestError as exc:
            raise CommandError(f"could not read an article: {exc}") from exc
        return [compare_message(out)]
    if name == "conflicts":
        days = 7 if cmd.args[0] == "week" else 1
        pairs = services.stories.pairs(since=now - timedelta(days=days), limit=20)
        return [pairs_message(f"Conflicts, last {'7 days' if days == 7 else '24 hours'}", pairs)]
    if name == "flagged":
        return [flagged_message(services.flags.flagged())]
    if name == "digest":
        if cmd.args[0] == "preview":
            digest = services.digest.preview(channel=channel, now=now)
            messages = digest_messages(digest)[:5]
            return messages or [text_message("Nothing new for the digest.")]
        outcome = services.digest.run(
            channel=channel,
            period=f"manual {now.isoformat()}",
            until=now,
            now=now,
            post=poster,
            render=render_digest,
        )
        said = {
            "posted": f"Posted the digest ({outcome.stories} "
            f"{'story' if outcome.stories == 1 else 'stories'}).",
            "empty": "Nothing new since the last digest; nothing posted.",
            "failed": f"Could not post the digest: {outcome.error}",
        }
        return [text_message(said.get(outcome.status, "A digest is already being posted."))]
    if name == "subscribe":
        target = cmd.channel or channel
        try:
            sub = services.digest.subscribe(
                channel=target, at=cmd.at, timezone=cmd.timezone, user=command.get("user_id")
            )
        except ScheduleError as exc:
            raise CommandError(str(exc)) from exc
        return [subscribed_message(target, sub.at, sub.timezone)]
    if name == "unsubscribe":
        target = cmd.channel or channel
        removed = services.digest.unsubscribe(channel=target)
        return [text_message("Unsubscribed." if removed else "That channel was not subscribed.")]
    if name == "status":
        counts, subscriptions = services.stories.counts(), services.digest.subscriptions()
        return [status_message(counts, subscriptions, services.backend)]
    if name == "watch":
        try:
            watched = services.feeds.watch(
                cmd.args[0], channel=cmd.channel or channel, now=now, user=command.get("user_id")
            )
        except WatchError as exc:
            raise CommandError(f"cannot watch that: {exc}") from exc
        return [watch_message(watched)]
    if name == "watching":
        return [watching_message(services.feeds.watching())]
    if name == "unwatch":
        gone = services.feeds.unwatch(cmd.args[0])
        return [unwatch_message(gone, cmd.args[0])]
    if name == "alerts":
        if cmd.args[0] == "off":
            stopped = services.alerts.disable(channel=channel)
            return [text_message(alerts_text(on=False, changed=stopped))]
        started = services.alerts.enable(channel=channel, user=command.get("user_id"), now=now)
        return [text_message(alerts_text(on=True, changed=started))]
    raise CommandError(f"unknown command `{name}`")
