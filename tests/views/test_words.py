"""Wording shared by the views."""

from __future__ import annotations

from bot.views.words import plural


def test_plural_counts_with_the_right_noun():
    assert plural(1, "story", "stories") == "1 story"
    assert plural(0, "story", "stories") == "0 stories"
    assert plural(2, "article") == "2 articles"
    assert plural(1204, "source") == "1,204 sources"
