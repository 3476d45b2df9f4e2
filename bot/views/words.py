"""Wording shared by every view: the digest (Slack and terminal), thread replies and App Home.

Each phrase is built once here, from the digest's entries, and a view says only how a source is
named (a Slack link or plain text) and how text is escaped, so a conflict reads the same in a
thread reply, in the digest and on App Home. Nothing here shows a score or a threshold, and
what a figure measures is named by the article's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.core.digest import (
    ArticleRef,
    ClaimEntry,
    ConflictEntry,
    CopyEntry,
    Digest,
    FoldedEntry,
    Side,
    WatchedSummary,
    shorten_words,
)
from bot.core.vocabulary import DEFAULT_FLAG_EMOJI, Label

# How a view names a source (plain text, or a Slack link) and escapes third-party text.
Namer = Callable[[ArticleRef], str]
Escape = Callable[[str], str]

LINE_CHARS = 200  # no line a reader sees is longer
QUANTITY_CHARS = 60
VALUE_CHARS = 40
SENTENCE_CHARS = 160


def plural(n: int, one: str, many: str | None = None) -> str:
    """`n` with its noun: "1 story", "1,204 stories" (`many` when the plural is not `one` + s)."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


cut = shorten_words  # plain text on one line, cut at a word to a limit ("…" when cut)


_LINK_RE = re.compile(r"<[^|<>]*\|([^<>]*)>")


def shown_text(mrkdwn: str) -> str:
    """What a reader sees of mrkdwn: links as their labels, entities unescaped."""
    text = _LINK_RE.sub(r"\1", mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def indented_cut(line: str) -> str:
    """A terminal line within ``LINE_CHARS``, its indentation kept."""
    if len(line) <= LINE_CHARS:
        return line
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    return " " * indent + cut(body, LINE_CHARS - indent)


def fit(build: Callable[..., str], entry: object, prefix: str = "", **kw: Any) -> str:
    """The fullest wording of a line that a reader sees in ``LINE_CHARS``: ``prefix`` and
    ``build(entry)`` with fewer entries and sources shown until it fits."""
    line = ""
    for entries, sources in ((3, 3), (3, 1), (2, 1), (1, 1)):
        line = prefix + build(entry, **kw, max_entries=entries, max_sources=sources)
        if len(shown_text(line)) <= LINE_CHARS:
            return line
    return line  # a single entry's parts are each cut already


def same(text: str) -> str:
    """No escaping (the terminal)."""
    return text


def plain_name(article: ArticleRef) -> str:
    """A source named in plain text: its outlet, else its host, else its title's first words."""
    return article.name


def counts(articles: int, sources: int) -> str:
    """``5 articles, 4 independent sources``: copies and re-posts add no source."""
    return f"{plural(articles, 'article')}, {plural(sources, 'independent source')}"


def summary(digest: Digest) -> str:
    """``1 story, 1 conflict, 1 flagged claim``: the digest's counts, conflicts grouped by
    quantity (``bot.core.digest.pair_groups``) as every view counts them."""
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


def _names(sources: Sequence[ArticleRef], name: Namer, limit: int) -> str:
    shown = ", ".join(name(a) for a in sources[:limit])
    return shown + (f" +{len(sources) - limit} more" if len(sources) > limit else "")


def dispute(
    entry: ConflictEntry,
    *,
    name: Namer = plain_name,
    esc: Escape = same,
    bold: bool = False,
    max_entries: int = 3,
    max_sources: int = 3,
) -> str:
    """``agreements: 12 / at least a dozen (NPR) vs 11 (Vietnam News, The Northlines)``; an
    update reads ``→`` between the values, older first."""
    positions = entry.positions()
    shown = [
        f"{esc(cut(p.value, VALUE_CHARS))} ({_names(p.sources, name, max_sources)})"
        for p in positions[:max_entries]
    ]
    if len(positions) > max_entries:
        shown.append(f"{len(positions) - max_entries} more")
    quantity = esc(cut(entry.quantity, QUANTITY_CHARS))
    return f"{f'*{quantity}*' if bold else quantity}: {' vs '.join(shown)}"


def update(
    entry: ConflictEntry,
    *,
    name: Namer = plain_name,
    esc: Escape = same,
    max_entries: int = 3,
    max_sources: int = 2,
) -> str:
    """``death toll: 12 (AP) → 15 (Reuters)``: a figure revised, older first (the latest
    always shown)."""
    positions = entry.positions()
    if len(positions) > max_entries:
        positions = [*positions[: max_entries - 1], positions[-1]]
    shown = [
        f"{esc(cut(p.value, VALUE_CHARS))} ({_names(p.sources, name, max_sources)})"
        for p in positions
    ]
    return f"{esc(cut(entry.quantity, QUANTITY_CHARS))}: {' → '.join(shown)}"


def sentences(entry: ConflictEntry, *, name: Namer = plain_name, esc: Escape = same) -> list[str]:
    """Each position's first sentence, as its source wrote it: what a conflict rests on."""
    lines = []
    for position in entry.positions():
        source = position.sources[0]
        side = next((s for s in entry.sides if s.article.id == source.id and s.sentence), None)
        if side is not None:
            lines.append(f"{name(source)}: “{esc(cut(side.sentence, SENTENCE_CHARS))}”")
    return lines


def _side_value(side: Side, label: Label, esc: Escape) -> str:
    value = esc(cut(side.surface, VALUE_CHARS))
    if label == Label.DIFFERENT_PERIOD and side.period is not None:
        return f"{value} in {side.period}"
    if label == Label.DIFFERENT_SCOPE and side.quantity:
        measure = side.quantity.removeprefix("share of ")
        if measure != side.quantity:
            return f"{value} of {esc(cut(measure, QUANTITY_CHARS))}"
        return f"{value} ({esc(cut(measure, QUANTITY_CHARS))})"
    return value


def difference(
    entry: FoldedEntry,
    *,
    name: Namer = plain_name,
    esc: Escape = same,
    max_entries: int = 3,
    max_sources: int = 1,
) -> str:
    """One line per figure that differs for a reason, each value with its year or measure
    and its source: ``trade between Russia and Vietnam: $3.6 billion in 2023 (NPR) vs $3.5bn
    in 2022 (Vietnam News) — different years``; ``around 80% of Vietnam's arms imports (NPR)
    vs about 60 percent to 70 percent of Vietnam’s defense arsenal (The New York Times) —
    different measures``. Each side names one source (``max_sources`` is for ``dispute``'s
    signature)."""
    sides = list(entry.sides)
    shown = [f"{_side_value(s, entry.label, esc)} ({name(s.article)})" for s in sides[:max_entries]]
    if len(sides) > max_entries:
        shown.append(f"{len(sides) - max_entries} more")
    values = " vs ".join(shown)
    if entry.label == Label.DIFFERENT_PERIOD:
        years = all(s.period is not None for s in sides)
        reason = "different years" if years else "different periods"
        return f"{esc(cut(entry.quantity, QUANTITY_CHARS))}: {values} — {reason}"
    if entry.label == Label.DIFFERENT_SCOPE:
        return f"{values} — different measures"
    return f"{esc(cut(entry.quantity, QUANTITY_CHARS))}: {values} — {entry.reason}"


def copy_of(copy: CopyEntry, *, name: Namer = plain_name) -> str:
    """``unnamed.example is a copy of NPR, not an independent source``."""
    original = name(copy.original) if copy.original is not None else "an earlier article"
    return f"{name(copy.article)} is a copy of {original}, not an independent source"


def figure(claim: ClaimEntry, *, esc: Escape = same) -> str:
    """A new figure in its article's words when they stand together ("six Kilo-class
    submarines"), else what it counts and the value ("trade: $3.6 billion in 2023")."""
    surface, quantity = claim.surface, claim.quantity.strip()
    if claim.kind == "quote":
        return f"“{esc(cut(surface, SENTENCE_CHARS))}”"
    together = _together(claim.sentence, surface, quantity) if quantity else ""
    if together:
        text = esc(cut(together, QUANTITY_CHARS + VALUE_CHARS))
    elif quantity and quantity != claim.kind:
        text = f"{esc(cut(quantity, QUANTITY_CHARS))}: {esc(cut(surface, VALUE_CHARS))}"
    else:
        text = esc(cut(surface, VALUE_CHARS))
    if claim.period is not None and str(claim.period) not in text:
        text += f" in {claim.period}"
    return text


def _together(sentence: str, surface: str, quantity: str) -> str:
    """``surface quantity`` (or ``surface of quantity``) as the sentence writes it, or ""."""
    lowered = sentence.lower()
    for joined in (f"{surface} {quantity}", f"{surface} of {quantity}"):
        at = lowered.find(joined.lower())
        if at >= 0:
            return sentence[at : at + len(joined)]
    return ""


def all_figures(story_id: int, *, slack: bool = True) -> str:
    """Where the rest of a story's figures are."""
    command = f"/newsroom claims {story_id}" if slack else f"newsroom claims {story_id}"
    return f"All its figures: `{command}`" if slack else f"All its figures: {command}"


def flag_hint(
    emoji: str = DEFAULT_FLAG_EMOJI, where: str = "the bot's reply in the story's thread"
) -> str:
    """How a reader flags a doubtful figure (Slack reactions, where the bot listens)."""
    return f"To flag a doubtful figure or article, react with :{emoji}: to {where}."


# The evidence of a verdict a reader can weigh: which text was copied. A similarity and its
# threshold are for `newsroom compare -v`, not for a thread.
_READER_SIGNALS = ("copy", "partial copy", "rewrite", "same canonical URL")


def evidence_words(signal: str) -> str:
    """A verdict's evidence as a thread shows it ("copy of NPR: the same text"), or "" when
    it is a score against a threshold."""
    return signal if signal.startswith(_READER_SIGNALS) else ""


def conflicts_with_earlier(n: int) -> str:
    """``1 conflict with earlier coverage`` (counted as the digest counts: ``count_groups``)."""
    return f"{plural(n, 'conflict')} with earlier coverage"


def since_words(since: datetime, until: datetime) -> str:
    """A window's start as a day's digest says it: "yesterday", "09:00" (the same day), or
    "28 Nov"."""
    days = (until.date() - since.date()).days
    if days == 1:
        return "yesterday"
    if days == 0:
        return f"{since:%H:%M}"
    return f"{since.day} {since:%b}"


def watched_line(summary: WatchedSummary | None, *, since: str = "yesterday") -> str | None:
    """What watched feeds brought, in one line ("3 new sources since yesterday from watched
    feeds, 2 of them wire copies"); None when they brought nothing (a quiet line is left out)."""
    if summary is None or not summary.articles:
        return None
    line = f"{plural(summary.articles, 'new source')} since {since} from watched feeds"
    if summary.copies:
        copies = "a wire copy" if summary.copies == 1 else "wire copies"
        line += f", {summary.copies:,} of them {copies}"
    return line
