"""What the `newsroom` command line prints: verdict lines, story tables, claims (pure text, or
rich tables written to a console)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from bot.core.digest import NOT_ALONE
from bot.core.vocabulary import Label, Relation
from bot.services.claims import ClaimGroup
from bot.services.compare import Comparison
from bot.services.ingest import IngestResult
from bot.services.stories import StoryView
from bot.views.words import SENTENCE_CHARS, cut, plural


def describe(result: IngestResult) -> str:
    """One readable line for an ingested article."""
    story = f"story {result.story_id} ({result.story_sources} independent sources)"
    matched = f'"{result.matched_title}"' if result.matched_title else ""
    if result.relation == Relation.NEW_STORY:
        return f"new story {result.story_id}: {result.title}"
    if result.relation == Relation.DUPLICATE:
        where = result.matched_url or matched
        return f"duplicate of article {result.matched_id} {where} ({result.signal}); {story}"
    if result.relation == Relation.REVISION:
        return (
            f"updated version {result.version} of article {result.matched_id} {matched}, "
            f"not a new source; {story}"
        )
    if result.relation == Relation.NEAR_DUPLICATE:
        return (
            f"copy of article {result.matched_id} {matched}, not an independent source "
            f"({result.signal}); {story}"
        )
    return f"same story as article {result.matched_id} {matched} ({result.signal}); {story}"


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


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def print_stories(views: Sequence[StoryView], console: Console | None = None) -> None:
    """Stories as tables: each article with its relation and the evidence for it."""
    console = console or Console()
    if not views:
        console.print("No stories yet.")
        return
    for view in views:
        story = view.story
        table = Table(
            title=(
                f"Story {story.id}: {story.title}\n"
                f"{story.article_count} articles, {story.source_count} independent sources, "
                f"{_when(story.first_seen)} to {_when(story.last_seen)}"
            ),
            title_justify="left",
        )
        table.add_column("id", justify="right")
        table.add_column("article")
        table.add_column("relation")
        table.add_column("evidence")
        for article in view.articles:
            relation = article.relation
            if article.matched_id is not None:
                relation += f" of {article.matched_id}"
            name = article.external_id or article.outlet or article.canonical_url or ""
            table.add_row(
                str(article.id), f"{article.title}\n[dim]{name}[/dim]", relation, article.signal
            )
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


def claims_lines(
    groups: Sequence[dict[str, Any]], story_id: int, *, only_labelled: bool = False
) -> list[str]:
    """Claims of a story grouped by quantity (records of ``claims_json``), conflicts first."""
    if not groups:
        return [f"Story {story_id} has no claims."]
    lines = []
    for group in groups:
        if only_labelled and not any(lab["label"] != Label.AGREE for lab in group["labels"]):
            continue
        labels = sorted({lab["label"] for lab in group["labels"]} - {Label.AGREE}) or (
            [Label.AGREE] if group["labels"] else ["single source"]
        )
        lines.append(f"{group['quantity']}  [{', '.join(labels)}]")
        for claim in group["claims"]:
            who = f" ({claim['attribution']})" if claim["attribution"] else ""
            lines.append(f"  {claim['value']:<32} {claim['source']}{who}")
            if claim["kind"] in NOT_ALONE and not group["labels"]:  # a bare year says nothing
                lines.append(f"    “{cut(claim['sentence'], SENTENCE_CHARS)}”")
        for lab in group["labels"]:
            if lab["label"] != Label.AGREE:
                lines.append(
                    f"    {lab['label']}: {lab['a']} (article {lab['a_article_id']}) vs "
                    f"{lab['b']} (article {lab['b_article_id']})"
                )
    return lines


def new_claims_lines(groups: Sequence[dict[str, Any]], first_article_id: int | None) -> list[str]:
    """The figures no earlier article of the story made, by article (the first one left out);
    those that only say when or how long (dates, years, ordinals, durations) are counted, not
    listed: alone they are not news (``newsroom claims N`` shows them with their sentence)."""
    lines, bare = [], 0
    for group in groups:
        for claim in group["claims"]:
            if not claim["new"] or claim["article_id"] == first_article_id:
                continue
            if claim["kind"] in NOT_ALONE:
                bare += 1
            else:
                lines.append(
                    f"  article {claim['article_id']}: {claim['value']} ({group['quantity']})"
                )
    if bare:
        lines.append(f"  and {plural(bare, 'date, year or duration', 'dates, years or durations')}")
    return lines
