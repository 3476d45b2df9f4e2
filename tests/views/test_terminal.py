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
from bot.views.story_claims import story_claims
from bot.views.terminal import (
    claims_json,
    claims_lines,
    comparison_lines,
    describe,
    figure_lines,
    print_stories,
)
from storage.models import Article, ClaimRow

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


def test_describe_says_the_verdict_in_words_and_the_score_only_with_verbose():
    assert describe(_result(Relation.NEW_STORY)) == "new story 1: Vietnam and Russia sign 11 deals"
    assert describe(_result(Relation.NEAR_DUPLICATE)) == (
        "copy of article 1 “Putin in Hanoi”, not an independent source "
        "(copy: 91% of word sequences shared); story 1: 2 articles, 1 independent source"
    )
    assert describe(_result(Relation.DUPLICATE)).startswith(
        "already stored: the same article as https://a.example/1 ("
    )
    scored = _result(Relation.SAME_STORY, signal="term similarity 0.30 (threshold 0.20)")
    assert describe(scored) == (
        "same story as article 1 “Putin in Hanoi”; story 1: 2 articles, 1 independent source"
    )
    assert describe(scored, verbose=True).startswith(
        "same story as article 1 “Putin in Hanoi” (term similarity 0.30 (threshold 0.20))"
    )


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


def _row(id_: int, surface: str, article_id: int, **kw: object) -> ClaimRow:
    values: dict[str, object] = dict(
        id=id_, article_id=article_id, story_id=7, kind="count", surface=surface,
        sentence=f"They signed {surface} deals.", counted="deal", counted_text="deals",
        value=float(surface) if surface.isdigit() else None, first_seen=T0,
    )  # fmt: skip
    values.update(kw)
    return ClaimRow(**values)


PARTIES = "Russia and Vietnam"


def _groups() -> list[ClaimGroup]:
    a = _row(1, "12", 1)
    b = _row(2, "11", 2, attribution="Lavrov")
    year = _row(3, "2023", 2, kind="year", sentence="In 2023, the court issued a warrant.")
    unnamed = _row(6, "21", 2, counted="", counted_text="", sentence="A 21-gun salute.")
    trade_a = _row(4, "$3.6 billion", 1, kind="money", counted="trade", counted_text="trade",
                   period=2023, sentence=f"Trade between {PARTIES} was $3.6 billion.")  # fmt: skip
    trade_b = _row(5, "$3.5bn", 2, kind="money", counted="trade", counted_text="trade",
                   period=2022, sentence="Trade was $3.5bn.")  # fmt: skip
    ap = Article(id=1, story_id=7, title="Putin in Hanoi", outlet="AP", external_id="001.txt")
    unnamed_site = Article(id=2, story_id=7, title="", outlet=None, external_id="002.txt")
    return [
        ClaimGroup("deals", [(a, ap), (b, unnamed_site)], [GroupPair(Label.CONFLICT, a, b)]),
        ClaimGroup(
            "trade",
            [(trade_a, ap), (trade_b, unnamed_site)],
            [GroupPair(Label.DIFFERENT_PERIOD, trade_a, trade_b)],
        ),
        ClaimGroup("year", [(year, unnamed_site)], []),
        ClaimGroup("count", [(unnamed, unnamed_site)], []),
    ]


def test_claims_json_keeps_its_fields():
    records = claims_json(_groups())
    assert records[0]["labels"] == [
        {"label": "conflict", "a": "12", "b": "11", "a_article_id": 1, "b_article_id": 2}
    ]
    assert records[0]["claims"][1]["source"] == "002.txt"
    assert records[0]["claims"][1]["attribution"] == "Lavrov"
    assert records[1]["claims"][0]["period"] == 2023


def test_claims_lines_read_like_the_digest():
    lines = claims_lines(_groups(), 7)
    assert lines[:2] == ["Conflicts:", "  ! deals: 12 (AP) vs 11 (002.txt)"]  # a file name last
    assert "      AP: “They signed 12 deals.”" in lines
    trade = "  trade between Russia and Vietnam: $3.6 billion in 2023 (AP) vs $3.5bn in 2022"
    assert f"{trade} (002.txt) — different years" in lines
    # What only says when, and what counts nothing named, comes with its sentence.
    assert "  2023 (002.txt): “In 2023, the court issued a warrant.”" in lines
    assert "  21 (002.txt): “A 21-gun salute.”" in lines
    assert not any("_" in line or "[" in line for line in lines)
    assert claims_lines([], 7) == ["Story 7 has no claims."]


def test_figure_lines_rank_as_the_digest_and_leave_out_the_first_article():
    found = story_claims(_groups())
    # 11 and $3.5bn are shown in their lines; the year and the unnamed 21 are not news alone.
    assert figure_lines(found, 7, skip=1) == ["  and 4 other figures: newsroom claims 7"]
    named = story_claims([ClaimGroup("submarines", [(_row(9, "six", 2, counted="submarine",
        counted_text="Kilo-class submarines", sentence="It bought six Kilo-class submarines.",
        value=6.0), Article(id=2, story_id=7, title="", outlet="NYT"))], [])])  # fmt: skip
    assert figure_lines(named, 7) == ["  six Kilo-class submarines (NYT)"]


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
    assert "Story 3: Russia-Vietnam" in printed and "copy of 4" in printed
    assert "near_duplicate" not in printed
    empty = io.StringIO()
    print_stories([], Console(file=empty))
    assert empty.getvalue() == "No stories yet.\n"
