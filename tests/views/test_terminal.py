"""What the command line prints: verdict lines, claims, story tables."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from types import SimpleNamespace

from rich.console import Console

from bot.core.claims import Claim, ClaimPair
from bot.core.vocabulary import Label, Relation
from bot.services.claims import ClaimGroup, GroupPair
from bot.services.compare import Comparison
from bot.services.ingest import IngestResult
from bot.views.terminal import (
    claims_json,
    claims_lines,
    comparison_lines,
    describe,
    new_claims_lines,
    print_stories,
)

T0 = datetime(2024, 6, 20, 9, 0, tzinfo=UTC)


def _result(relation: Relation, **kw: object) -> IngestResult:
    values: dict[str, object] = dict(
        relation=relation,
        article_id=2,
        story_id=1,
        title="Vietnam and Russia sign 11 deals",
        url="https://b.example/2",
        matched_id=1,
        matched_title="Putin in Hanoi",
        matched_url="https://a.example/1",
        matched_external_id=None,
        score=0.8,
        signal="copy: 91% of word sequences shared",
        story_articles=2,
        story_sources=1,
        stored=True,
    )
    values.update(kw)
    return IngestResult(**values)  # type: ignore[arg-type]


def test_describe_says_what_each_relation_means():
    assert describe(_result(Relation.NEW_STORY)) == "new story 1: Vietnam and Russia sign 11 deals"
    assert describe(_result(Relation.NEAR_DUPLICATE)) == (
        'copy of article 1 "Putin in Hanoi", not an independent source '
        "(copy: 91% of word sequences shared); story 1 (1 independent sources)"
    )
    assert describe(_result(Relation.DUPLICATE)).startswith(
        "duplicate of article 1 https://a.example/1 ("
    )
    assert describe(_result(Relation.SAME_STORY)).startswith('same story as article 1 "Putin')


def _claim(surface: str, value: float) -> Claim:
    return Claim("count", surface, f"{surface} deals.", value, value, value, counted="deal")


def test_comparison_lines_show_the_relation_and_each_pair():
    pair = ClaimPair(Label.CONFLICT, _claim("12", 12), _claim("11", 11), 0.9)
    comparison = Comparison("A", "B", Relation.SAME_STORY, 0.61, "term similarity", (pair,))
    assert comparison_lines(comparison) == [
        "A: A",
        "B: B",
        "same_story (score 0.61): term similarity",
        "  conflict         deal: 12 | 11",
    ]


def _groups() -> list[ClaimGroup]:
    a = SimpleNamespace(
        id=1,
        surface="12",
        kind="count",
        sentence="12 deals.",
        attribution="",
        period=None,
        is_new=True,
        article_id=1,
    )
    b = SimpleNamespace(
        id=2,
        surface="11",
        kind="count",
        sentence="11 deals.",
        attribution="Lavrov",
        period=2024,
        is_new=True,
        article_id=2,
    )
    year = SimpleNamespace(
        id=3,
        surface="2023",
        kind="year",
        sentence="In 2023, the court issued a warrant.",
        attribution="",
        period=None,
        is_new=True,
        article_id=2,
    )
    ap = SimpleNamespace(id=1, outlet="AP", external_id=None, url=None)
    npr = SimpleNamespace(id=2, outlet=None, external_id="002.txt", url=None)
    return [
        ClaimGroup("deals", [(a, ap), (b, npr)], [GroupPair(Label.CONFLICT, a, b)]),  # type: ignore[list-item,arg-type]
        ClaimGroup("year", [(year, npr)], []),  # type: ignore[list-item]
    ]


def test_claims_json_and_lines_name_sources_labels_and_who_said_it():
    records = claims_json(_groups())
    assert records[0]["labels"] == [
        {"label": "conflict", "a": "12", "b": "11", "a_article_id": 1, "b_article_id": 2}
    ]
    assert records[0]["claims"][1]["source"] == "002.txt"
    assert records[0]["claims"][1]["attribution"] == "Lavrov"
    lines = claims_lines(records, 7)
    assert lines[0] == "deals  [conflict]"
    assert "    conflict: 12 (article 1) vs 11 (article 2)" in lines
    assert any(line.rstrip().endswith("002.txt (Lavrov)") for line in lines)
    assert "year  [single source]" in lines
    year = lines.index("year  [single source]")
    assert (
        lines[year + 2] == "    “In 2023, the court issued a warrant.”"
    )  # a year, in its sentence
    assert "    “12 deals.”" not in lines  # a figure compared says enough
    assert "year  [single source]" not in claims_lines(records, 7, only_labelled=True)
    assert claims_lines([], 7) == ["Story 7 has no claims."]


def test_new_claims_leave_out_the_story_s_first_article():
    assert new_claims_lines(claims_json(_groups()), 1) == [
        "  article 2: 11 (deals)",
        "  and 1 date, year or duration",  # alone, a year is not news
    ]


def test_print_stories_prints_a_table_per_story():
    article = SimpleNamespace(
        id=1,
        title="Putin in Hanoi",
        relation="near_duplicate",
        matched_id=4,
        external_id=None,
        outlet="AP",
        canonical_url=None,
        signal="copy",
    )
    story = SimpleNamespace(
        id=3, title="Russia-Vietnam", article_count=1, source_count=0, first_seen=T0, last_seen=T0
    )
    out = io.StringIO()
    print_stories([SimpleNamespace(story=story, articles=[article])], Console(file=out, width=120))  # type: ignore[list-item]
    printed = out.getvalue()
    assert "Story 3: Russia-Vietnam" in printed and "near_duplicate of 4" in printed
    empty = io.StringIO()
    print_stories([], Console(file=empty))
    assert empty.getvalue() == "No stories yet.\n"
