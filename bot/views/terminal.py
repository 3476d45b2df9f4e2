"""What the `newsroom` command line prints: verdict lines, story tables, claims (pure text, or
rich tables written to a console)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.table import Table

from bot.core.claims import ClaimPair
from bot.core.digest import ArticleRef
from bot.core.vocabulary import Label, Relation
from bot.services.claims import ClaimGroup, StoredPair
from bot.services.compare import Comparison
from bot.services.ingest import IngestResult
from bot.services.stories import StoryView
from bot.views.replies import pair_entries
from bot.views.story_claims import StoryClaims, other_figures, story_claims
from bot.views.words import (
    LINE_CHARS,
    counts,
    cut,
    difference,
    dispute,
    evidence_words,
    figure,
    fit,
    indented_cut,
    plural,
    sentences,
    update,
)

TITLE_CHARS = 60  # a matched article's title in an ingest line, at most


def _matched(result: IngestResult) -> str:
    """The article a verdict matched, by id and the first words of its title."""
    title = f" “{cut(result.matched_title, TITLE_CHARS)}”" if result.matched_title else ""
    return f"article {result.matched_id}{title}"


def describe(result: IngestResult, *, verbose: bool = False) -> str:
    """One readable line for an ingested article: the verdict in words, and its evidence
    when a reader can weigh it (which text was copied); the score against its threshold
    only when ``verbose`` (`-v`)."""
    if result.relation == Relation.NEW_STORY:
        return f"new story {result.story_id}: {cut(result.title, LINE_CHARS - 40)}"
    story = f"story {result.story_id}: {counts(result.story_articles, result.story_sources)}"
    evidence = result.signal if verbose else evidence_words(result.signal)
    why = f" ({evidence})" if evidence else ""
    if result.relation == Relation.DUPLICATE:
        where = result.matched_url or _matched(result)
        return f"already stored: the same article as {where}{why}; {story}"
    if result.relation == Relation.REVISION:
        return f"updated version {result.version} of {_matched(result)}, not a new source; {story}"
    if result.relation == Relation.NEAR_DUPLICATE:
        return f"copy of {_matched(result)}, not an independent source{why}; {story}"
    return f"same story as {_matched(result)}{why}; {story}"


def comparison_lines(comparison: Comparison) -> list[str]:
    """`newsroom compare` of two articles, as text."""
    lines = [
        f"A: {comparison.a_title}",
        f"B: {comparison.b_title}",
        f"{comparison.relation} (score {comparison.score:.2f}): {comparison.signal}",
    ]
    for pair in comparison.claim_pairs:
        lines.append(f"  {pair.label:<16} {pair.quantity}: {pair.a.surface} | {pair.b.surface}")
    return lines


def reader_pair_lines(pairs: Sequence[ClaimPair]) -> list[str]:
    """Two articles' claim pairs in the digest's words (A and B for the two): conflicts,
    updates, then figures that differ for a reason with their years or measures; the
    agreements counted."""
    ids: dict[int, int] = {}

    def claim_id(claim: object) -> int:
        return ids.setdefault(id(claim), len(ids) + 1)

    stored = [
        StoredPair(p, claim_id(p.a), claim_id(p.b), 0, a_outlet="A")
        for p in pairs
        if p.label != Label.AGREE
    ]
    conflicts, updates, folded = pair_entries(stored, 0, this="B")
    lines = [fit(dispute, e, "  conflict: ") for e in conflicts]
    lines += [fit(update, e, "  updated: ") for e in updates]
    lines += [fit(difference, e, "  ") for e in folded]
    agreeing = sum(1 for p in pairs if p.label == Label.AGREE)
    if agreeing:
        lines.append(f"  {plural(agreeing, 'figure')} both state alike")
    return lines


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


_RELATION_WORDS: dict[str, str] = {
    Relation.NEW_STORY: "new story",
    Relation.SAME_STORY: "same story as",
    Relation.NEAR_DUPLICATE: "copy of",
    Relation.DUPLICATE: "duplicate of",
    Relation.REVISION: "updated version of",
}


def _source_name(article: Any) -> str:
    """An article as a reader knows its source: outlet, else host, else its file name."""
    url = _url(article)
    if article.outlet or url:
        return ArticleRef(article.id or 0, "", article.outlet, url).name
    return article.external_id or ""


def print_stories(
    views: Sequence[StoryView], console: Console | None = None, *, verbose: bool = False
) -> None:
    """Stories as tables: each article with its relation and, when a reader can weigh it,
    the evidence for it (scores and thresholds only when ``verbose``)."""
    console = console or Console()
    if not views:
        console.print("No stories yet.")
        return
    for view in views:
        story = view.story
        table = Table(
            title=(
                f"Story {story.id}: {story.title}\n"
                f"{counts(story.article_count, story.source_count)}, "
                f"{_when(story.first_seen)} to {_when(story.last_seen)}"
            ),
            title_justify="left",
        )
        table.add_column("id", justify="right")
        table.add_column("article")
        table.add_column("relation")
        table.add_column("evidence")
        for article in view.articles:
            relation = _RELATION_WORDS.get(article.relation, article.relation)
            if article.matched_id is not None:
                relation += f" {article.matched_id}"
            signal = article.signal or ""
            evidence = signal if verbose else evidence_words(signal)
            name = escape_markup(_source_name(article))
            table.add_row(
                str(article.id), f"{escape_markup(article.title)}\n[dim]{name}[/dim]", relation,
                escape_markup(evidence),
            )  # fmt: skip
        console.print(table)


def claims_json(groups: Sequence[ClaimGroup]) -> list[dict[str, Any]]:
    """A story's claim groups as plain records (`newsroom claims --json`)."""
    return [
        {
            "quantity": g.quantity,
            "claims": [
                {
                    "value": row.surface,
                    "kind": row.kind,
                    "sentence": row.sentence,
                    "article_id": article.id,
                    "source": article.outlet or article.external_id or article.url,
                    "attribution": row.attribution or None,
                    "period": row.period,
                    "new": row.is_new,
                }
                for row, article in g.claims
            ],
            "labels": [
                {
                    "label": p.label,
                    "a": p.a.surface,
                    "b": p.b.surface,
                    "a_article_id": p.a.article_id,
                    "b_article_id": p.b.article_id,
                }
                for p in g.labels
            ],
        }
        for g in groups
    ]


def dispute_lines(found: StoryClaims) -> list[str]:
    """A story's conflicts (each with the sentences it rests on), updates and differences,
    in the digest's order and words."""
    out = []
    if found.conflicts:
        out.append("Conflicts:")
        for e in found.conflicts:
            out.append(fit(dispute, e, "  ! ", name=found.name))
            out += [f"      {line}" for line in sentences(e, name=found.name)]
    if found.updates:
        out.append("Updated:")
        out += [fit(update, e, "  ", name=found.name) for e in found.updates]
    if found.differences:
        out.append("Not conflicts:")
        out += [fit(difference, e, "  ", name=found.name) for e in found.differences]
    return [indented_cut(line) for line in out]


def figure_lines(found: StoryClaims, story_id: int, *, skip: int | None = None) -> list[str]:
    """Each article's new figures that earn a place in a digest (``claim_tier``), in its own
    words, then how many others there are (the first article, ``skip``, left out)."""
    out, others = [], 0
    for article_id, (entries, rest) in found.figures.items():
        if article_id == skip:
            continue
        others += rest
        if entries:
            name = found.name(entries[0].article)
            out += [f"  {figure(c)} ({name})" for c in entries]
    if others:
        out.append(f"  and {plural(others, 'other figure')}: newsroom claims {story_id}")
    return [indented_cut(line) for line in out]


def claims_lines(groups: Sequence[ClaimGroup], story_id: int) -> list[str]:
    """`newsroom claims N`: the story's conflicts, updates and differences as the digest
    words them, then every other figure (``other_figures``)."""
    if not groups:
        return [f"Story {story_id} has no claims."]
    found = story_claims(groups)
    lines = dispute_lines(found)
    rest = [f"  {line}" for line in other_figures(groups, found)]
    if rest:
        lines += ["Other figures:" if lines else "Figures:", *rest]
    return [indented_cut(line) for line in lines]


def _url(article: Any) -> str | None:
    url: str | None = getattr(article, "url", None) or getattr(article, "canonical_url", None)
    return url
