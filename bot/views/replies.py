"""Block Kit for the bot's thread replies and /newsroom answers (pure: plain data in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.vocabulary import Label, Relation
from bot.services.claims import ClaimGroup, StoredPair
from bot.services.compare import Comparison
from bot.views.blocks import (
    MAX_BLOCKS,
    Block,
    SlackMessage,
    context,
    escape,
    header,
    link,
    pack,
    section,
)
from bot.views.words import plural

MAX_PAIRS_SHOWN = 5


def _message(text: str, blocks: list[Block]) -> SlackMessage:
    """A message whose fallback text (notifications, screen readers) is escaped like its
    blocks: page titles are third-party text, and "<!channel>" in one must not ping anyone."""
    return SlackMessage(text=escape(text), blocks=blocks[:MAX_BLOCKS])


def _lines_message(text: str, title: str, lines: list[str]) -> SlackMessage:
    blocks = [section(f"*{escape(title)}*")] + [section(t) for t in pack(lines)]
    return _message(text, blocks)


# Link verdicts ----------------------------------------------------------------------------


def verdict_message(
    *,
    relation: Relation,
    title: str,
    url: str | None,
    matched_title: str | None,
    matched_url: str | None,
    score: float | None,
    signal: str,
    story_id: int,
    story_articles: int,
    story_sources: int,
    claim_pairs: Sequence[StoredPair],
    first_post_link: str | None = None,
) -> SlackMessage:
    """The thread reply to a posted link: the verdict, its evidence, and conflicts found."""
    earlier = link(matched_url, matched_title or "an earlier article")
    sources = plural(story_sources, "independent source")
    if relation == Relation.DUPLICATE:
        where = first_post_link or matched_url
        headline = f":repeat: Already posted: {link(where, matched_title or title)}"
        text = f"Already posted: {matched_title or title}"
    elif relation == Relation.NEAR_DUPLICATE:
        headline = f":scissors: A copy of {earlier}, not an independent source."
        text = f"A copy of {matched_title or 'an earlier article'}, not an independent source"
    elif relation == Relation.REVISION:
        headline = f":pencil2: Updated version of {earlier}, not a new source ({sources})."
        text = f"Updated version of {matched_title or 'an earlier article'}, not a new source"
    elif relation == Relation.SAME_STORY:
        headline = f":link: Same story as {earlier} ({sources})."
        text = f"Same story as {matched_title or 'an earlier article'} ({sources})"
    else:
        headline = f":new: New story: {link(url, title)}"
        text = f"New story: {title}"
    evidence = [f"story {story_id} · {plural(story_articles, 'article')} · {sources}"]
    if score is not None and relation != Relation.NEW_STORY:
        evidence.append(f"score {score:.2f}")
    if signal:
        evidence.append(escape(signal))
    blocks = [section(headline), context(" · ".join(evidence))]
    disputed = [p for p in claim_pairs if p.label != Label.AGREE]
    if disputed:
        lines = [_pair_line(p) for p in disputed[:MAX_PAIRS_SHOWN]]
        if len(disputed) > MAX_PAIRS_SHOWN:
            lines.append(
                f"…and {len(disputed) - MAX_PAIRS_SHOWN} more (`/newsroom claims {story_id}`)"
            )
        blocks += [section(t) for t in pack(["*Compared with earlier coverage:*", *lines])]
        conflicts = sum(1 for p in disputed if p.label == Label.CONFLICT)
        if conflicts:
            text += f"; {plural(conflicts, 'conflict')} with earlier coverage"
        updates = sum(1 for p in disputed if p.label == Label.UPDATE)
        if updates and relation == Relation.REVISION:
            text += f"; {plural(updates, 'figure')} updated"
        blocks.append(context("React with :triangular_flag_on_post: to flag these claims."))
    return _message(text, blocks)


_LABELS = {
    Label.CONFLICT: ":warning: conflict",
    Label.UPDATE: ":arrows_counterclockwise: update",
    Label.DIFFERENT_PERIOD: ":calendar: different periods",
    Label.DIFFERENT_SCOPE: ":straight_ruler: different measures",
    Label.AGREE: ":white_check_mark: agree",
}


def _pair_line(stored: StoredPair) -> str:
    earlier = link(stored.a_url, stored.a_outlet or "earlier")
    return (
        f"{_LABELS[stored.label]} · {escape(stored.quantity)}: "
        f"*{escape(stored.pair.b.surface)}* here vs *{escape(stored.pair.a.surface)}* ({earlier})"
    )


def _outlet(article: Any) -> str:
    return link(article.url or article.canonical_url, article.outlet or article.title)


def failure_message(url: str, reason: str) -> SlackMessage:
    text = f"Could not read {url}: {reason}"
    return _message(
        text, [section(f":no_entry_sign: Could not read {link(url, url)}: {escape(reason)}")]
    )


def flag_confirmation(what: str, user: str) -> SlackMessage:
    text = f"Flagged {what} for review"
    return _message(
        text,
        [
            section(
                f":triangular_flag_on_post: <@{escape(user)}> flagged {escape(what)} for review."
            )
        ],
    )


# /newsroom answers ------------------------------------------------------------------------


def help_message(
    subcommands: Sequence[tuple[str, str]], problem: str | None = None
) -> SlackMessage:
    lines = [f"`/newsroom {escape(usage)}`: {escape(what)}" for usage, what in subcommands]
    blocks = []
    if problem:
        blocks.append(section(f":x: {escape(problem)}"))
    blocks += [section("*What I can do*"), *[section(t) for t in pack(lines)]]
    text = f"{problem}. Try /newsroom help" if problem else "/newsroom commands"
    return _message(text, blocks)


def subscribed_message(channel: str, at: str, timezone: str) -> SlackMessage:
    """The answer to /newsroom subscribe: the channel as a mention people can click."""
    when = f"{escape(at)} {escape(timezone)}"
    mrkdwn = f":newspaper: Daily digest in <#{escape(channel)}> at {when}."
    return _message(f"Daily digest in #{channel} at {at} {timezone}.", [section(mrkdwn)])


def text_message(text: str) -> SlackMessage:
    return _message(text, [section(escape(text))])


def articles_message(title: str, articles: Sequence[Any]) -> SlackMessage:
    """A list of articles (title, outlet, story, relation)."""
    if not articles:
        return text_message(f"{title}: nothing found.")
    lines = [
        f"• {link(a.url or a.canonical_url, a.title)}"
        f" · {escape(a.outlet or 'unknown outlet')} · story {a.story_id}"
        f" · {a.relation.replace('_', ' ')}"
        for a in articles
    ]
    return _lines_message(f"{title}: {plural(len(articles), 'article')}", title, lines)


def story_message(story: Any, articles: Sequence[Any]) -> SlackMessage:
    blocks = [
        header(f"Story {story.id}: {story.title}"),
        context(
            f"{plural(story.article_count, 'article')} · "
            f"{plural(story.source_count, 'independent source')} · "
            f"first seen {story.first_seen:%Y-%m-%d %H:%M} UTC"
        ),
    ]
    lines = []
    for a in articles:
        if a.relation == Relation.REVISION:
            note = f" — updated version {a.version}"
        else:
            note = {
                Relation.NEAR_DUPLICATE: " — copy, not an independent source",
                Relation.DUPLICATE: " — duplicate",
            }.get(a.relation, "")
        lines.append(
            f"• {link(a.url or a.canonical_url, a.title)} · {escape(a.outlet or '')}{note}"
        )
    blocks += [section(t) for t in pack(lines)]
    return _message(f"Story {story.id}: {story.title}", blocks)


def claims_message(story_id: int, groups: Sequence[ClaimGroup]) -> SlackMessage:
    """A story's claims by quantity, with how the sources compare (agreements summarised)."""
    lines = []
    for g in groups:
        labels = sorted({p.label for p in g.labels if p.label != Label.AGREE})
        tag = f" [{', '.join(labels)}]" if labels else ""
        values = "; ".join(
            f"{escape(row.surface)} ({escape(article.outlet or f'article {article.id}')})"
            for row, article in g.claims[:6]
        )
        lines.append(f"• *{escape(g.quantity)}*{escape(tag)}: {values}")
    if not lines:
        return text_message(f"Story {story_id} has no claims yet.")
    return _lines_message(f"Claims of story {story_id}", f"Claims of story {story_id}", lines)


def compare_message(out: Comparison) -> SlackMessage:
    relation = out.relation.replace("_", " ")
    lines = [
        f"*A:* {escape(out.a_title)}",
        f"*B:* {escape(out.b_title)}",
        f"*{escape(relation)}* (score {out.score:.2f}): {escape(out.signal)}",
    ]
    for p in out.claim_pairs:
        lines.append(
            f"{_LABELS[p.label]} · {escape(p.quantity)}: "
            f"{escape(p.a.surface)} | {escape(p.b.surface)}"
        )
    return _message(f"Compare: {relation}", [section(t) for t in pack(lines)])


def pairs_message(title: str, pairs: Sequence[Any]) -> SlackMessage:
    if not pairs:
        return text_message(f"{title}: none.")
    lines = [
        f"• story {p.story_id} ({escape(p.story_title)}) · {escape(p.a.counted_text or p.a.kind)}: "
        f"*{escape(p.a.surface)}* ({_outlet(p.a_article)}) vs "
        f"*{escape(p.b.surface)}* ({_outlet(p.b_article)})"
        for p in pairs
    ]
    return _lines_message(f"{title}: {len(pairs)}", title, lines)


def flagged_message(items: Sequence[Any]) -> SlackMessage:
    if not items:
        return text_message("Nothing is flagged.")
    lines = []
    for item in items:
        what = escape(item.claim) if item.claim else link(item.url, item.article_title)
        users = ", ".join(f"<@{escape(u)}>" for u in item.users)
        lines.append(
            f":triangular_flag_on_post: {what} · story {item.story_id}"
            f" · {escape(item.outlet or '')} · by {users}"
        )
    return _lines_message(f"Flagged: {len(items)}", f"Flagged ({len(items)})", lines)


def status_message(
    counts: Mapping[str, int], subscriptions: Sequence[Any], backend: str
) -> SlackMessage:
    lines = [
        " · ".join(f"{escape(k)}: {v}" for k, v in counts.items()),
        f"database: {escape(backend)}",
    ]
    if subscriptions:
        for s in subscriptions:
            lines.append(f"digest in <#{escape(s.channel)}> at {escape(s.at)} {escape(s.timezone)}")
    else:
        lines.append("no channel is subscribed to the digest")
    return _lines_message("Newsroom bot status", "Status", lines)


# App Home ---------------------------------------------------------------------------------


def home_view(
    *, stories: Sequence[Any], conflicts: Sequence[Any], flagged: Sequence[Any], now: datetime
) -> dict[str, Any]:
    """The App Home tab: today's stories, open conflicts and flagged claims (≤ 100 blocks)."""
    blocks: list[Block] = [header("Newsroom monitor"), context(f"Updated {now:%Y-%m-%d %H:%M} UTC")]
    blocks.append(section("*Today's stories*"))
    story_lines = [
        f"• {escape(s.title)} · story {s.id} · {plural(s.article_count, 'article')}, "
        f"{plural(s.source_count, 'source')}"
        for s in stories
    ] or ["No stories today yet."]
    blocks += [section(t) for t in pack(story_lines)][:30]
    blocks.append(section("*Open conflicts*"))
    blocks += (
        pairs_message("Conflicts", conflicts).blocks[1:][:30]
        if conflicts
        else [section("No conflicts.")]
    )
    blocks.append(section("*Flagged*"))
    blocks += (
        flagged_message(flagged).blocks[1:][:30] if flagged else [section("Nothing is flagged.")]
    )
    return {"type": "home", "blocks": blocks[:100]}
