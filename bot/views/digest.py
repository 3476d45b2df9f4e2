"""The digest as Slack messages (Block Kit) and as plain text for the terminal.

``digest_messages`` gives the parent message (the window, a one-line summary and the top
stories) and then the thread replies holding the other stories, each message within Slack's
limits. A story is never split across two messages.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from bot.core.digest import (
    ArticleRef,
    Digest,
    DigestStory,
    FlagEntry,
)
from bot.views.blocks import (
    MAX_BLOCKS,
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
from bot.views.words import (
    LINE_CHARS,
    VALUE_CHARS,
    all_figures,
    copy_of,
    counts,
    cut,
    difference,
    dispute,
    figure,
    fit,
    flag_hint,
    indented_cut,
    plural,
    sentences,
    shown_text,
    since_words,
    summary,
    update,
    watched_line,
)

# How much of each kind of item a story shows in Slack; the terminal view (`digest_text`) lists
# every entry. No line a reader sees is longer than words.LINE_CHARS.
TITLE_CHARS = 150
TEXT_CHARS = 1000  # the fallback text of a message
MAX_SOURCES = 8
MAX_COPIES = 5
MAX_ENTRIES = 10  # conflicts, updates, differences, flags
MAX_SENTENCES = 4  # sentences under a conflict (a context block's elements)
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


# --- Slack --------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _source(article: ArticleRef) -> str:
    """A source as a link to its article (an article is named many times in a digest)."""
    return link(article.url, article.name)


def _user(user: str) -> str:
    return f"<@{user}>" if _USER_ID_RE.match(user) else escape(user)


def _flag(flag: FlagEntry) -> str:
    if flag.claim is not None:
        target = f"{escape(cut(flag.claim.surface, VALUE_CHARS))} ({_source(flag.article)})"
    else:
        target = f"the article {link(flag.article.url, cut(flag.article.title, 80))}"
    users = ", ".join(_user(u) for u in flag.users[:MAX_USERS])
    if len(flag.users) > MAX_USERS:
        users += f" +{len(flag.users) - MAX_USERS} more"
    return f"🚩 {target} — flagged by {users}"


def _more(count: int, limit: int, many: str) -> list[str]:
    """A line saying how many items past ``limit`` are not shown (none when all are)."""
    extra = count - limit
    return [f"_…and {extra:,} more {many}_"] if extra > 0 else []


def _new_sources(story: DigestStory) -> str:
    """``New sources: NPR, Vietnam News +3 more``, as many named as fit in a line."""
    line = ""
    for shown in range(min(MAX_SOURCES, len(story.new_sources)), 0, -1):
        names = ", ".join(_source(a) for a in story.new_sources[:shown])
        extra = len(story.new_sources) - shown
        line = f"New sources: {names}" + (f" +{extra} more" if extra > 0 else "")
        if len(shown_text(line)) <= LINE_CHARS:
            break
    return line


def story_blocks(story: DigestStory, rank: int) -> list[Block]:
    """The blocks of one story as an editor reads it: the title and its thread, conflicts
    (with the sentences they rest on), new sources and copies, figures that differ for a
    reason, flags, then the few new figures that earn their place. The first block carries
    ``block_id`` ``story-<id>``."""
    head = [f"*{rank}. {link(story.url, cut(story.title, TITLE_CHARS))}*"]
    about = counts(story.article_count, story.source_count)
    if story.thread:
        about += f" · {link(story.thread, 'first posted here')}"
    head.append(about)
    blocks = [section("\n".join(head), block_id=f"story-{story.id}")]

    for entry in story.conflicts[:MAX_ENTRIES]:
        line = fit(dispute, entry, "⚠ ", name=_source, esc=escape, bold=True)
        blocks.append(section(line))
        said = sentences(entry, name=_source, esc=escape)[:MAX_SENTENCES]
        if said:
            blocks.append(context(*said))
    lines = _more(len(story.conflicts), MAX_ENTRIES, "conflicts")
    lines += [fit(update, e, "↻ ", name=_source, esc=escape) for e in story.updates[:MAX_ENTRIES]]
    lines += _more(len(story.updates), MAX_ENTRIES, "updates")

    if story.new_sources:
        lines.append(_new_sources(story))
    lines += ["↳ " + copy_of(c, name=_source) for c in story.copies[:MAX_COPIES]]
    lines += _more(len(story.copies), MAX_COPIES, "copies")
    lines += [
        fit(difference, e, "• ", name=_source, esc=escape) for e in story.other_pairs[:MAX_ENTRIES]
    ]
    lines += _more(len(story.other_pairs), MAX_ENTRIES, "other differences")
    lines += [_flag(f) for f in story.flags[:MAX_ENTRIES]]
    lines += _more(len(story.flags), MAX_ENTRIES, "flagged items")
    blocks += [section(t) for t in pack(lines)]

    if story.new_claims:
        figures = [f"• {figure(c, esc=escape)} ({_source(c.article)})" for c in story.new_claims]
        if story.more_claims:
            figures.append(all_figures(story.id))
        blocks.append(section("\n".join(["*New figures*", *figures])))

    if len(blocks) > MAX_STORY_BLOCKS:
        blocks = [*blocks[: MAX_STORY_BLOCKS - 1], context("_…shortened; see `newsroom digest`_")]
    return blocks


def feeds_line(digest: Digest) -> str | None:
    """What the channel's watched feeds brought in the window, or None when nothing."""
    return watched_line(digest.watched, since=since_words(digest.since, digest.until))


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
    said = summary(digest)
    window = _window(digest)

    parent: list[Block] = [header(f"{heading} · {window}"), section(escape(said))]
    said_all = [said]
    if fed := feeds_line(digest):
        parent.append(context(f":satellite_antenna: {escape(fed)}"))
        said_all.append(fed)
    budget = MAX_BLOCKS - 2  # room for the "more in the thread" line and how to flag
    rest = ranked
    for i, (_, _, blocks) in enumerate(ranked[:top]):
        if len(parent) + 1 + len(blocks) > budget:
            rest = ranked[i:]
            break
        parent += [divider(), *blocks]
    else:
        rest = ranked[min(top, total) :]
    footer = [flag_hint(digest.flag_emoji)]
    if rest:
        footer.insert(0, f"{plural(len(rest), 'more story', 'more stories')} in the thread")
    parent.append(context(*footer))
    messages = [
        SlackMessage(
            text=escape(shorten(f"{heading}, {window}: {'; '.join(said_all)}", TEXT_CHARS)),
            blocks=parent,
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


def story_lines(s: DigestStory, rank: int) -> list[str]:
    """One story of ``digest_text``, in the order and words of ``story_blocks``."""
    out = [
        f"{rank}. {cut(s.title, LINE_CHARS - 4)}",
        f"   {counts(s.article_count, s.source_count)}",
    ]
    if s.url:
        out.append(f"   {s.url}")
    if s.thread:
        out.append(f"   First posted in Slack: {s.thread}")
    if s.conflicts:
        out.append("   Conflicts:")
        for e in s.conflicts:
            out.append(fit(dispute, e, "     ! "))
            out += [f"       {line}" for line in sentences(e)]
    if s.updates:
        out.append("   Updates:")
        out += [fit(update, e, "     ") for e in s.updates]
    if s.new_sources:
        out.append(f"   New sources: {cut(', '.join(a.name for a in s.new_sources), 180)}")
    if s.copies:
        out.append("   Copies:")
        out += [f"     {copy_of(c)}" for c in s.copies]
    if s.other_pairs:
        out.append("   Not conflicts:")
        out += [fit(difference, e, "     ") for e in s.other_pairs]
    if s.flags:
        out.append("   Flagged:")
        for f in s.flags:
            target = cut(f.target, VALUE_CHARS if f.claim is not None else 80)
            kind = "figure" if f.claim is not None else "article"
            out.append(f"     {kind} {target} ({f.article.name}) — flagged by {', '.join(f.users)}")
    if s.new_claims:
        out.append("   New figures:")
        out += [f"     - {figure(c)} ({c.article.name})" for c in s.new_claims]
        if s.more_claims:
            out.append(f"     {all_figures(s.id, slack=False)}")
    return [indented_cut(line) for line in out]


def digest_text(digest: Digest) -> str:
    """The digest as plain text for a terminal: no Slack markup, the same words."""
    if digest.empty:
        return f"Nothing new since {_when(digest.since)}."
    out = [f"Newsroom digest, {_window(digest)}", summary(digest)]
    if fed := feeds_line(digest):
        out.append(fed)
    for rank, s in enumerate(digest.stories, 1):
        out += ["", *story_lines(s, rank)]
    out += ["", flag_hint(digest.flag_emoji)]
    return "\n".join(out)
