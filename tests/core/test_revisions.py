"""A page fetched again at its URL: revised, or only its furniture changed."""

from __future__ import annotations

import pytest

from bot.core.revisions import is_furniture, is_revised

ARTICLE = """Putin signs numerous deals with Vietnam

Updated June 20, 2024 at 15:28 PM ET

Of the 12 publicly announced agreements, none overtly pertained to defense.
Putin and President To Lam agreed to further cooperate in education and energy."""


@pytest.mark.parametrize(
    "line",
    [
        "Updated 10:32 GMT, 2 December 2026",
        "Last updated on Dec. 2, 2026 at 10:32 a.m. ET",
        "Published 2 hours ago",
        "3 hours ago",
        "Monday 2 December",
        "Share this article",
        "Photo: Reuters",
        "5 min read",
        "   ",
    ],
)
def test_timestamps_prompts_and_credits_are_furniture(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Updated figures show 12 people died.",
        "The army said 12 people died on Monday.",
        "Published reports put the toll at 40.",
    ],
)
def test_sentences_of_the_article_are_not(line):
    assert not is_furniture(line)


def test_a_changed_timestamp_or_an_added_prompt_is_no_revision():
    stamped = ARTICLE.replace("Updated June 20, 2024 at 15:28 PM ET", "Updated 3 minutes ago")
    assert not is_revised(ARTICLE, stamped + "\nShare this article\n")
    assert not is_revised(ARTICLE, ARTICLE.replace("\n\n", "\n").upper())  # case and spacing


def test_a_changed_figure_or_sentence_is_a_revision():
    assert is_revised(ARTICLE, ARTICLE.replace("12 publicly", "11 publicly"))
    assert is_revised(ARTICLE, ARTICLE + "\nThe Kremlin later said two more deals were signed.")
    assert is_revised(ARTICLE, ARTICLE.replace("Putin and President To Lam agreed", "Lam agreed"))
