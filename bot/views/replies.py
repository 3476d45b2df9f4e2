"""Block Kit for the bot's thread replies and /newsroom answers (pure: plain data in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.core.digest import (
    ArticleRecord,
    ArticleRef,
    ClaimRecord,
    ConflictEntry,
    Digest,
    FoldedEntry,
    PairRecord,
    dispute_entries,
)
from bot.core.vocabulary import DEFAULT_FLAG_EMOJI, Label, Relation
from bot.services.alerts import ConflictAlert
from bot.services.claims import ClaimGroup, StoredPair
from bot.services.compare import Comparison
from bot.services.feeds import FeedView
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
from bot.views.feeds import feed_line
from bot.views.story_claims import other_figures, row_quantity, story_claims
from bot.views.words import (
    conflicts_with_earlier,
    counts,
    cut,
    difference,
    dispute,
    evidence_words,
    fit,
    flag_hint,
    plural,
    sentences,
    since_words,
    summary,
    update,
    watched_line,
)

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
    flag_emoji: str = DEFAULT_FLAG_EMOJI,
) -> SlackMessage:
    """The thread reply to a posted link: the verdict, its evidence in words, and how the
    article's figures compare with earlier coverage, in the digest's words and counts.
    ``score`` is taken for the callers' sake and never shown (see ``newsroom compare -v``)."""
    del score
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
    evidence = [f"story {story_id} · {counts(story_articles, story_sources)}"]
    if said := evidence_words(signal):
        evidence.append(escape(said))
    blocks = [section(headline), context(" · ".join(evidence))]
    conflicts, updates, folded = pair_entries(claim_pairs, story_id)
    lines = [_warn(e) for e in conflicts]
    lines += [fit(update, e, "↻ ", name=_name, esc=escape) for e in updates]
    lines += [fit(difference, e, "• ", name=_name, esc=escape) for e in folded]
    if lines:
        shown = lines[:MAX_PAIRS_SHOWN]
        if len(lines) > MAX_PAIRS_SHOWN:
            shown.append(
                f"…and {len(lines) - MAX_PAIRS_SHOWN} more (`/newsroom claims {story_id}`)"
            )
        blocks += [section(t) for t in pack(["*Compared with earlier coverage:*", *shown])]
        said_lines = [line for e in conflicts[:2] for line in sentences(e, name=_name, esc=escape)]
        if said_lines:
            blocks.append(context(*said_lines))
        if conflicts:
            text += f"; {conflicts_with_earlier(len(conflicts))}"
        if updates and relation == Relation.REVISION:
            text += f"; {plural(len(updates), 'figure')} updated"
        blocks.append(context(flag_hint(flag_emoji, where="this reply")))
    return _message(text, blocks)


def conflict_alert_message(alert: ConflictAlert) -> SlackMessage:
    """The one real-time alert of a conflict a watched feed brought to a story the channel
    discussed, posted in the story's thread: the thread reply's conflict lines, the new
    article named by its link instead of "here"."""
    arrival = alert.arrival
    conflicts, _, _ = pair_entries(alert.pairs, arrival.story_id)
    title = cut(arrival.title, 150)

    def name(article: ArticleRef) -> str:
        if article.id == _THIS:
            return link(arrival.url, arrival.outlet or cut(arrival.title, 60))
        return link(article.url, article.name)

    brought = link(arrival.url, title)
    headline = f":warning: A watched feed brought a conflict to this story: {brought}"
    lines = [fit(dispute, e, "⚠ ", name=name, esc=escape, bold=True) for e in conflicts]
    blocks = [section(headline), *(section(t) for t in pack(lines[:MAX_PAIRS_SHOWN]))]
    said = [line for e in conflicts[:2] for line in sentences(e, name=name, esc=escape)]
    if said:
        blocks.append(context(*said))
    blocks.append(context(f"story {arrival.story_id} · `/newsroom alerts off` to stop these"))
    text = f"A watched feed brought {conflicts_with_earlier(len(conflicts))}: {title}"
    return _message(text, blocks)


def alerts_text(*, on: bool, changed: bool, channel: str | None = None) -> str:
    """The answer to `alerts conflicts|off` (`channel`: named in the terminal)."""
    where = f"#{channel}" if channel else "this channel"
    if on:
        if not changed:
            return f"Conflict alerts are already on for {where}."
        return (
            f"Conflict alerts are on for {where}: when a watched feed brings a conflict to a "
            "story posted here, one message goes into that story's thread."
        )
    if changed:
        return f"Conflict alerts are off for {where}."
    return f"{where[0].upper()}{where[1:]} had no alerts."


HERE = "here"  # how a thread reply names the article it answers


def _name(article: ArticleRef) -> str:
    return HERE if article.id == _THIS else link(article.url, article.name)


def _warn(entry: ConflictEntry) -> str:
    return fit(dispute, entry, "⚠ ", name=_name, esc=escape, bold=True)


_THIS = -1  # the id the article being answered takes in ``pair_entries``
_AT = datetime(2000, 1, 1)  # records need a time; a reply's pairs are all its own


def pair_entries(
    pairs: Sequence[StoredPair], story_id: int, *, this: str = HERE
) -> tuple[tuple[ConflictEntry, ...], tuple[ConflictEntry, ...], tuple[FoldedEntry, ...]]:
    """An article's pairs grouped as the digest groups them (``dispute_entries``): "12" and
    "at least a dozen" against this article's "11" is one conflict, as in the digest. The
    article the pairs' `b` side is from is named `this`."""
    claims: dict[int, ClaimRecord] = {}
    articles: dict[int, ArticleRecord] = {}
    records = []
    for n, stored in enumerate(pairs):
        for claim_id, claim, article_id in (
            (stored.a_claim_id, stored.pair.a, stored.a_article_id),
            (stored.b_claim_id, stored.pair.b, _THIS),
        ):
            claims[claim_id] = ClaimRecord(
                claim_id, story_id, article_id, claim.kind, claim.surface, claim.quantity,
                True, _AT + timedelta(seconds=0 if article_id != _THIS else 1),
                claim.sentence, claim.period, claim.position,
            )  # fmt: skip
        outlet = stored.a_outlet
        if outlet or stored.a_article_id not in articles:  # an outlet wins over none
            articles[stored.a_article_id] = ArticleRecord(
                stored.a_article_id, story_id, outlet or "", outlet, stored.a_url,
                Relation.SAME_STORY, None, _AT,
            )  # fmt: skip
        records.append(
            PairRecord(n, story_id, stored.a_claim_id, stored.b_claim_id, stored.label, _AT)
        )
    articles[_THIS] = ArticleRecord(
        _THIS, story_id, this, this, None, Relation.SAME_STORY, None, _AT
    )
    return dispute_entries(pairs=records, claims=claims.values(), articles=articles.values())


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
    """All of a story's figures as the digest words them: its conflicts (with the sentences
    they rest on), updates and differences, then every other figure (``other_figures``), as
    many as a message holds (the rest: `newsroom claims N`)."""
    found = story_claims(groups)
    if not groups or not (found.entries or found.conflicts):
        return text_message(f"Story {story_id} has no claims yet.")

    def name(article: ArticleRef) -> str:
        return link(article.url, found.name(article))

    lines = []
    for e in found.conflicts:
        lines.append(fit(dispute, e, "⚠ ", name=name, esc=escape, bold=True))
        lines += [f"      {t}" for t in sentences(e, name=name, esc=escape)[:2]]
    lines += [fit(update, e, "↻ ", name=name, esc=escape) for e in found.updates]
    lines += [fit(difference, e, "• ", name=name, esc=escape) for e in found.differences]
    rest = other_figures(groups, found, name=name, esc=escape)
    if rest:
        lines += ["*Other figures*", *(f"• {line}" for line in rest)]
    room = MAX_BLOCKS - 2  # the title, and the line saying where the rest is
    shown, over = len(lines), len(lines) + 1  # the most lines that fit: between the two
    if len(pack(lines)) > room:
        shown = 0
        while over - shown > 1:
            mid = (shown + over) // 2
            shown, over = (mid, over) if len(pack(lines[:mid])) <= room else (shown, mid)
    if shown < len(lines):
        lines = [
            *lines[:shown],
            f"…and {len(lines) - shown} more: `newsroom claims {story_id}` on the command line",
        ]
    title = f"Figures of story {story_id}"
    return _lines_message(title, title, lines)


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
        f"• story {p.story_id} ({escape(p.story_title)}) · {escape(row_quantity(p.a))}: "
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


HOME_STORIES = 15
HOME_CONFLICTS = 10


def home_view(
    *, digest: Digest, flagged: Sequence[Any], now: datetime, feeds: Sequence[FeedView] = ()
) -> dict[str, Any]:
    """The App Home tab in the digest's words: the last day's conflicts and stories (its
    digest, built as a channel's is), what the watched `feeds` brought and which of them are
    failing, and what readers flagged; at most 100 blocks."""
    blocks: list[Block] = [
        header("Newsroom monitor"),
        context(f"Updated {now:%Y-%m-%d %H:%M} UTC · last 24 hours: {escape(summary(digest))}"),
        section("*Open conflicts*"),
    ]
    conflicts = [
        f"{_warn_home(e)} · story {s.id}" for s in digest.stories for e in s.conflicts
    ] or ["No conflicts."]
    if len(conflicts) > HOME_CONFLICTS:
        extra = len(conflicts) - HOME_CONFLICTS
        conflicts = [*conflicts[:HOME_CONFLICTS], f"…and {extra} more in the digest"]
    blocks += [section(t) for t in pack(conflicts)][:30]
    blocks.append(section("*Today's stories*"))
    stories = [
        f"• *{link(s.url, cut(s.title, 150))}* · story {s.id} · "
        f"{counts(s.article_count, s.source_count)}"
        + (f" · {link(s.thread, 'first posted here')}" if s.thread else "")
        for s in digest.stories[:HOME_STORIES]
    ] or ["No stories today yet."]
    if len(digest.stories) > HOME_STORIES:
        stories.append(f"…and {len(digest.stories) - HOME_STORIES} more in the digest")
    blocks += [section(t) for t in pack(stories)][:30]
    if feeds:
        blocks += _home_feeds(digest, feeds)
    blocks.append(section("*Flagged*"))
    blocks += (
        flagged_message(flagged).blocks[1:][:30] if flagged else [section("Nothing is flagged.")]
    )
    blocks.append(context(flag_hint(digest.flag_emoji)))
    return {"type": "home", "blocks": blocks[:100]}


HOME_FAILING_FEEDS = 5


def _home_feeds(digest: Digest, feeds: Sequence[FeedView]) -> list[Block]:
    """The watched feeds' contribution, briefly: the digest's feeds line, then a line per
    failing feed (as `/newsroom watching` shows it)."""
    brought = watched_line(digest.watched, since=since_words(digest.since, digest.until))
    lines = [escape(brought) if brought else "Nothing new from watched feeds in the last 24 hours."]
    failing = [f for f in feeds if f.failures]
    lines += [f"• {feed_line(f, slack=True)}" for f in failing[:HOME_FAILING_FEEDS]]
    if len(failing) > HOME_FAILING_FEEDS:
        extra = len(failing) - HOME_FAILING_FEEDS
        lines.append(f"…and {extra} more failing (`/newsroom watching`)")
    head = f"*Watched feeds* ({plural(len(feeds), 'feed')}"
    head += f", {len(failing)} failing)" if failing else ")"
    return [section(head), *(section(t) for t in pack(lines))][:10]


def _warn_home(entry: ConflictEntry) -> str:
    return fit(dispute, entry, "⚠ ", name=lambda a: link(a.url, a.name), esc=escape, bold=True)
