"""Wording shared by the views."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.digest import ArticleRef, ClaimEntry
from bot.views.words import cut, evidence_words, figure, plural

T0 = datetime(2024, 6, 20, tzinfo=UTC)


def test_plural_counts_with_the_right_noun():
    assert plural(1, "story", "stories") == "1 story"
    assert plural(0, "story", "stories") == "0 stories"
    assert plural(2, "article") == "2 articles"
    assert plural(1204, "source") == "1,204 sources"


def _claim(surface: str, quantity: str, sentence: str, kind: str = "count", period=None):
    article = ArticleRef(1, "A title", "AP", None)
    return ClaimEntry(1, kind, surface, quantity, article, T0, sentence, period)


def test_a_figure_reads_in_its_article_s_words_when_they_stand_together():
    sentence = "Russia has supplied Vietnam with six Kilo-class submarines, fighter jets."
    assert figure(_claim("six", "Kilo-class submarines", sentence)) == "six Kilo-class submarines"
    assert figure(_claim("80%", "imports", "80% of imports came from Russia.")) == "80% of imports"
    apart = _claim("$3.6 billion", "trade", "Trade totaled $3.6 billion in 2023.", "money", 2023)
    assert figure(apart) == "trade: $3.6 billion in 2023"
    assert figure(_claim("21", "count", "A 21-gun salute.")) == "21"  # nothing names it


def test_evidence_a_thread_shows_names_the_copy_never_a_score():
    assert evidence_words("copy of NPR: the same text") == "copy of NPR: the same text"
    assert evidence_words("rewrite: 100% of the figures and quotes shared").startswith("rewrite")
    assert evidence_words("term similarity 0.30 (threshold 0.20; shared: russia)") == ""
    assert evidence_words("headline against the story: mean similarity 1.2x") == ""


def test_cut_keeps_words_whole_and_lines_single():
    assert cut("Putin signs numerous deals with Vietnam", 20) == "Putin signs…"
    assert cut("two\nlines", 50) == "two lines"
    assert len(cut("x" * 500, 40)) == 40
