"""The digest as Slack messages (Block Kit) and as plain text for the terminal.

``digest_messages`` gives the parent message (the window, a one-line summary and the top
stories) and then the thread replies holding the other stories, each message within Slack's
limits. A story is never split across two messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.core.digest import (
    ArticleRef,
    ClaimEntry,
    ConflictEntry,
    Digest,
    DigestStory,
    FlagEntry,
    FoldedEntry,
)
from bot.views.blocks import (
    MAX_BLOCKS,
    MAX_CONTEXT_ELEMENTS,
    Block,
    SlackMessage,
    context,
    divider,
    escape,
    header,
    link,
    pack,
    section,
    shorten,
)
from bot.views.words import plural

# How much of each kind of item a story shows; the terminal view (`digest_text`) has no caps
# on counts, only on the length of one item.
TITLE_CHARS = 250
NAME_CHARS = 60
QUANTITY_CHARS = 80
VALUE_CHARS = 150
QUOTE_CHARS = 200
TEXT_CHARS = 1000  # the fallback text of a message
MAX_SOURCES = 8
MAX_COPIES = 5
MAX_ENTRIES = 10  # conflicts, updates, other pairs, flags
MAX_POSITIONS = 6
MAX_SOURCES_PER_POSITION = 5
MAX_USERS = 10
MAX_STORY_BLOCKS = 20
_USER_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,}$")


def _when(t: datetime, *, year: bool = True) -> str:
    zone = f" {t.tzname()}" if t.tzinfo is not None else ""
    return f"{t.day} {t:%b}{' ' + str(t.year) if year else ''} {t:%H:%M}{zone}"


def _window(digest: Digest) -> str:
    since, until = digest.since, digest.until
    same_year = since.year == until.year and since.tzinfo == until.tzinfo
    start = _when(since, year=not same_year)
    if same_year and since.tzinfo is not None:
        start = start.removesuffix(f" {since.tzname()}")
    return f"{start} – {_when(until)}"


def _summary(digest: Digest) -> str:
    parts = [
        plural(len(digest.stories), "story", "stories"),
        plural(digest.conflict_count, "conflict"),
    ]
    if digest.update_count:
        parts.append(plural(digest.update_count, "update"))
    if digest.flagged_claims:
        parts.append(plural(digest.flagged_claims, "flagged claim"))
    if digest.flagged_articles:
        parts.append(plural(digest.flagged_articles, "flagged article"))
    return ", ".join(parts)


# --- Slack --------------------------------------------------------------------------------


def _source(article: ArticleRef) -> str:
    return link(article.url, shorten(article.name, NAME_CHARS))


def _sources(articles: Sequence[ArticleRef], limit: int) -> str:
    shown = ", ".join(_source(a) for a in articles[:limit])
    return shown + (f" +{len(articles) - limit} more" if len(articles) > limit else "")


def _more(count: int, limit: int, many: str) -> list[str]:
    """A line saying how many items past ``limit`` are not shown (none when all are)."""
    extra = count - limit
    return [f"_…and {extra:,} more {many}_"] if extra > 0 else []


def _dispute(entry: ConflictEntry, mark: str, joiner: str) -> str:
    positions = entry.positions()
    shown = [
        f"{escape(shorten(p.value, VALUE_CHARS))} ({_sources(p.sources, MAX_SOURCES_PER_POSITION)})"
        for p in positions[:MAX_POSITIONS]
    ]
    if len(positions) > MAX_POSITIONS:
        shown.append("…")
    return f"{mark} *{escape(shorten(entry.quantity, QUANTITY_CHARS))}*: {joiner.join(shown)}"


def _user(user: str) -> str:
    return f"<@{user}>" if _USER_ID_RE.match(user) else escape(user)


def _flag(flag: FlagEntry) -> str:
    if flag.claim is not None:
        target = f"{escape(shorten(flag.claim.surface, VALUE_CHARS))} ({_source(flag.article)})"
    else:
        target = f"article {link(flag.article.url, shorten(flag.article.title, TITLE_CHARS))}"
    users = ", ".join(_user(u) for u in flag.users[:MAX_USERS])
    if len(flag.users) > MAX_USERS:
        users += f" +{len(flag.users) - MAX_USERS} more"
    return f"🚩 {target} — flagged by {users}"


def _claim_text(claim: ClaimEntry) -> str:
    """Plain text like ``agreements signed: 12``, or a quote in quotation marks."""
    if claim.kind == "quote":
        return f"“{shorten(claim.surface, QUOTE_CHARS)}”"
    surface = shorten(claim.surface, VALUE_CHARS)
    return f"{shorten(claim.quantity, QUANTITY_CHARS)}: {surface}" if claim.quantity else surface


def _claim_lines(story: DigestStory) -> list[str]:
    """New claims, one line per article: ``• NPR: deals: at least a dozen · trade: $3.6bn``."""
    by_article: dict[int, tuple[ArticleRef, list[str]]] = {}
    for c in story.new_claims:
        by_article.setdefault(c.article.id, (c.article, []))[1].append(escape(_claim_text(c)))
    lines = [f"• {_source(a)}: {' · '.join(texts)}" for a, texts in by_article.values()]
    return lines + _more(story.more_claims, 0, "new claims")


def _folded_text(entry: FoldedEntry) -> str:
    """Plain text like ``trade: $3.6 billion vs $3.5bn — different periods``, parts shortened."""
    values = " vs ".join(shorten(v, VALUE_CHARS) for v in entry.values[:MAX_POSITIONS])
    if len(entry.values) > MAX_POSITIONS:
        values += " vs …"
    return f"{shorten(entry.quantity, QUANTITY_CHARS)}: {values} — {entry.reason}"


def story_blocks(story: DigestStory, rank: int) -> list[Block]:
    """The blocks of one story; the first carries ``block_id`` ``story-<id>``."""
    title = f"*{rank}. {link(story.url, shorten(story.title, TITLE_CHARS))}*"
    counts = (
        f"{plural(story.article_count, 'article')}, "
        f"{plural(story.source_count, 'independent source')}"
    )
    if story.new_sources:
        counts += f" · new: {_sources(story.new_sources, MAX_SOURCES)}"
    head = [title, counts]
    for c in story.copies[:MAX_COPIES]:
        original = (
            f"copy of {_source(c.original)}" if c.original is not None else "copy of an article"
        )
        head.append(f"↳ {_source(c.article)} is a {original}, not an independent source")
    head += _more(len(story.copies), MAX_COPIES, "copies")

    texts = pack(head)
    blocks = [section(texts[0], block_id=f"story-{story.id}")]
    blocks += [section(t) for t in texts[1:]]

    disputes = [_dispute(e, "⚠", " vs ") for e in story.conflicts[:MAX_ENTRIES]]
    disputes += _more(len(story.conflicts), MAX_ENTRIES, "conflicts")
    disputes += [_dispute(e, "↻", " → ") for e in story.updates[:MAX_ENTRIES]]
    disputes += _more(len(story.updates), MAX_ENTRIES, "updates")
    blocks += [section(t) for t in pack(disputes)]

    if story.other_pairs:
        folded = [escape(_folded_text(e)) for e in story.other_pairs[:MAX_ENTRIES]]
        folded += _more(len(story.other_pairs), MAX_ENTRIES, "other differences")
        blocks.append(context(*pack(folded)[:MAX_CONTEXT_ELEMENTS]))

    if story.new_claims:
        blocks += [section(t) for t in pack(["*New claims*", *_claim_lines(story)])]

    flags = [_flag(f) for f in story.flags[:MAX_ENTRIES]]
    flags += _more(len(story.flags), MAX_ENTRIES, "flagged items")
    blocks += [section(t) for t in pack(flags)]

    if len(blocks) > MAX_STORY_BLOCKS:
        blocks = [*blocks[: MAX_STORY_BLOCKS - 1], context("_…shortened; see `newsroom digest`_")]
    return blocks


def _titles(stories: list[tuple[int, DigestStory]]) -> str:
    return "; ".join(f"{rank}. {s.title}" for rank, s in stories)


def render_digest(digest: Digest, nothing_new_line: bool) -> list[SlackMessage]:
    """The digest as a channel receives it (the services' ``Render``): the parent message,
    then its thread replies."""
    return digest_messages(digest, nothing_new_line=nothing_new_line)


def digest_messages(
    digest: Digest,
    *,
    top: int = 5,
    heading: str = "Newsroom digest",
    nothing_new_line: bool = False,
) -> list[SlackMessage]:
    """The parent message with the top stories, then thread replies with the rest.

    Each message has at most 50 blocks, sections of at most 3,000 characters, a header of at
    most 150 and a non-empty fallback text. An empty digest gives no message, or one short
    "Nothing new since …" message when ``nothing_new_line`` is set.
    """
    if digest.empty:
        if not nothing_new_line:
            return []
        line = f"Nothing new since {_when(digest.since)}."
        return [SlackMessage(text=line, blocks=[section(escape(line))])]

    ranked = [
        (rank, story, story_blocks(story, rank)) for rank, story in enumerate(digest.stories, 1)
    ]
    total = len(ranked)
    summary = _summary(digest)
    window = _window(digest)

    parent: list[Block] = [header(f"{heading} · {window}"), section(escape(summary))]
    budget = MAX_BLOCKS - 1  # room for the "more in the thread" line
    rest = ranked
    for i, (_, _, blocks) in enumerate(ranked[:top]):
        if len(parent) + 1 + len(blocks) > budget:
            rest = ranked[i:]
            break
        parent += [divider(), *blocks]
    else:
        rest = ranked[min(top, total) :]
    if rest:
        parent.append(context(f"{plural(len(rest), 'more story', 'more stories')} in the thread"))
    messages = [
        SlackMessage(
            text=escape(shorten(f"{heading}, {window}: {summary}", TEXT_CHARS)), blocks=parent
        )
    ]

    batch: list[tuple[int, DigestStory, list[Block]]] = []
    size = 1  # the lead context of a reply

    def flush() -> None:
        first, last = batch[0][0], batch[-1][0]
        span = f"{first}–{last}" if last != first else f"{first}"
        lead = f"{heading}: stories {span} of {total}"
        blocks: list[Block] = [context(escape(lead))]
        for _, _, story_b in batch:
            blocks += [divider(), *story_b]
        titles = _titles([(rank, story) for rank, story, _ in batch])
        messages.append(
            SlackMessage(text=escape(shorten(f"{lead}: {titles}", TEXT_CHARS)), blocks=blocks)
        )

    for item in rest:
        cost = 1 + len(item[2])
        if batch and size + cost > MAX_BLOCKS:
            flush()
            batch, size = [], 1
        batch.append(item)
        size += cost
    if batch:
        flush()
    return messages


# --- terminal -----------------------------------------------------------------------------


def _plain_dispute(entry: ConflictEntry, joiner: str) -> str:
    shown = [
        f"{shorten(p.value, VALUE_CHARS)} ({', '.join(s.name for s in p.sources)})"
        for p in entry.positions()
    ]
    return f"{entry.quantity}: {joiner.join(shown)}"


def digest_text(digest: Digest) -> str:
    """The digest as plain text for a terminal: no Slack markup, indented sections."""
    if digest.empty:
        return f"Nothing new since {_when(digest.since)}."
    out = [f"Newsroom digest, {_window(digest)}", _summary(digest)]
    for rank, s in enumerate(digest.stories, 1):
        out += ["", f"{rank}. {s.title}"]
        out.append(
            f"   {plural(s.article_count, 'article')}, "
            f"{plural(s.source_count, 'independent source')}"
        )
        if s.url:
            out.append(f"   {s.url}")
        if s.new_sources:
            out.append("   New sources:")
            out += [f"     {a.name}" + (f"  {a.url}" if a.url else "") for a in s.new_sources]
        if s.copies:
            out.append("   Copies:")
            for c in s.copies:
                of = f"copy of {c.original.name}" if c.original else "copy of an article"
                out.append(f"     {c.article.name}: {of}, not an independent source")
        if s.conflicts:
            out.append("   Conflicts:")
            out += [f"     ! {_plain_dispute(e, ' vs ')}" for e in s.conflicts]
        if s.updates:
            out.append("   Updates:")
            out += [f"     {_plain_dispute(e, ' -> ')}" for e in s.updates]
        if s.other_pairs:
            out.append("   Not conflicts:")
            out += [f"     {_folded_text(e)}" for e in s.other_pairs]
        if s.new_claims:
            out.append("   New claims:")
            out += [f"     - {_claim_text(c)} ({c.article.name})" for c in s.new_claims]
            if s.more_claims:
                out.append(f"     …and {s.more_claims:,} more new claims")
        if s.flags:
            out.append("   Flagged:")
            for f in s.flags:
                target = shorten(f.target, VALUE_CHARS)
                kind = "claim" if f.claim is not None else "article"
                out.append(f"     {kind} {target} — flagged by {', '.join(f.users)}")
    return "\n".join(out)
