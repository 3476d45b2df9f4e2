"""Tests for bot.core.sentences: sentence splitting of news prose and page furniture."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.sentences import Sentence, is_furniture, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations that never end a sentence before a name or number
        (
            "Mr. Putin met Mrs. Smith and Dr. Jones. Gen. Lee left.",
            ["Mr. Putin met Mrs. Smith and Dr. Jones.", "Gen. Lee left."],
        ),
        (
            "President Vladimir V. Putin of Russia arrived. He left.",
            ["President Vladimir V. Putin of Russia arrived.", "He left."],
        ),
        ("The Sept. 11 attacks changed everything. Then came war.", None),
        ("It opened on Jan. 5 this year. It closed.", None),
        ("She lives at No. 10 Downing Street. He does not.", None),
        ("He visited St. Louis and Mt. Fuji. Both were busy.", None),
        ("Russia vs. Ukraine is the case. It is hard.", None),
        ("Many fruits, e.g. apples, i.e. the red ones. Fine.", None),
        ("Apple Inc. Chief Executive Tim Cook spoke. Shares rose.", None),
        ("Shares of Acme Ltd. rose. The company said so.", ["Shares of Acme Ltd. rose.", None]),
        # U.S.: an ambiguous end, split only before a typical sentence opener
        (
            "Vietnam is also very important to the U.S. The State Department agreed.",
            ["Vietnam is also very important to the U.S.", "The State Department agreed."],
        ),
        ("The U.S. Embassy in Vietnam said no. Others agreed.", None),
        ("A raft of U.S.-led sanctions. It hurt.", ["A raft of U.S.-led sanctions.", "It hurt."]),
        # decimals and numbers
        ("Trade was $3.6 billion in 2023. It grew 3.6%.", None),
        (
            "Deals were signed in 2023. 11 more followed.",
            ["Deals were signed in 2023.", "11 more followed."],
        ),
        # quotes
        (
            'He said, "We are ready." Next came the vote.',
            ['He said, "We are ready."', "Next came the vote."],
        ),
        ('"Is it?" she asked. He nodded.', ['"Is it?" she asked.', "He nodded."]),
        (
            "“It is over,” he said. “Go home.” They left.",
            ["“It is over,” he said.", "“Go home.”", "They left."],
        ),
        # ellipses, exclamations, questions
        (
            "Wait... the vote is in. Well… Nobody knew!",
            ["Wait... the vote is in.", "Well…", "Nobody knew!"],
        ),
        ("Why now? Nobody knows! Stay tuned.", ["Why now?", "Nobody knows!", "Stay tuned."]),
        # datelines stay attached to the first sentence
        (
            "HANOI, Vietnam (AP) — Russian President Vladimir Putin signed deals. He left.",
            ["HANOI, Vietnam (AP) — Russian President Vladimir Putin signed deals.", "He left."],
        ),
        ("KANSAS CITY, Mo. — Officials said a man died. More soon.", None),
    ],
)
def test_prose(text: str, expected: list[str | None] | None) -> None:
    got = texts(text)
    if expected is None:  # the case is about *not* splitting inside the first sentence
        assert len(got) == 2, got
        return
    assert len(got) == len(expected), got
    for g, e in zip(got, expected, strict=True):
        if e is not None:
            assert g == e


def test_dateline_on_its_own_line_joins_the_next() -> None:
    got = texts("WASHINGTON (Reuters) —\nThe Senate voted on Tuesday. It passed.")
    assert got[0] == "WASHINGTON (Reuters) —\nThe Senate voted on Tuesday."


def test_line_breaks_are_boundaries_and_furniture_lines_stand_alone() -> None:
    text = (
        "Play Live Radio\nNext Up:\n0:00 0:00\n\nPutin signs deals in Hanoi\n\n"
        "He arrived. It rained."
    )
    assert texts(text) == [
        "Play Live Radio",
        "Next Up:",
        "0:00 0:00",
        "Putin signs deals in Hanoi",
        "He arrived.",
        "It rained.",
    ]


def test_soft_wrapped_line_is_joined() -> None:
    assert texts("The deal was signed\nin Hanoi on Thursday. Then he left.") == [
        "The deal was signed\nin Hanoi on Thursday.",
        "Then he left.",
    ]


def test_offsets_index_the_input() -> None:
    text = "  Mr. Putin arrived.\n\n  Print Friendly, PDF & Email  \nHe said: “Yes.” Then left.  "
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []
    assert split_sentences("x") == [Sentence("x", 0, 1)]


WHOLE_SEED_SENTENCES = [
    "Of the 12 publicly announced agreements, none overtly pertained to defense but Lam said "
    "there were other deals that were not made public.",
    "Bilateral trade between Russia and Vietnam totaled $3.6 billion in 2023, compared to "
    "$171 billion with China and $111 billion with America.",
    "Since the early 2000s, Russia has accounted for around 80% of Vietnam's arms imports.",
    "Lam and Putin signed 11 memorandums for cooperation in areas including civil nuclear "
    "projects, energy and petrol cooperation, education and disease prevention.",
    "Trade between Vietnam and Russia stood at just $3.5bn in 2022 – far less than Vietnam’s "
    "$175bn trade with China and $123bn with the US.",
    "State-run media announced that both parties have agreed to sign 11 cooperation agreements.",
    "Vietnam is also very important to the U.S.",
    "It is Mr. Putin’s fifth visit to Vietnam and follows trips last year by President Biden "
    "and President Xi Jinping of China, two leaders who sought assurances from Hanoi that it "
    "was not taking the other’s side.",
    "Mr. Putin arrived in Vietnam with his new defense minister, Andrei R. Belousov, "
    "underscoring how security matters are central to the visit.",
]


def test_seed_sentences_come_out_whole(seed_texts: dict[str, str]) -> None:
    found = {s.text for text in seed_texts.values() for s in split_sentences(text)}
    for sentence in WHOLE_SEED_SENTENCES:
        assert sentence in found


def test_seed_dateline_opens_the_first_sentence(seed_texts: dict[str, str]) -> None:
    sentences = texts(seed_texts["000_95b775bc5eae5327.txt"])
    opening = [s for s in sentences if s.startswith("HANOI, Vietnam (AP) —")]
    assert len(opening) == 1
    assert "signed at least a dozen deals" in opening[0]
    assert opening[0].endswith("war in Ukraine.")


def test_seed_offsets_and_furniture(seed_texts: dict[str, str]) -> None:
    for text in seed_texts.values():
        previous_end = 0
        for s in split_sentences(text):
            assert text[s.start : s.end] == s.text
            assert s.start >= previous_end
            previous_end = s.end
    furniture = {
        s.text
        for text in seed_texts.values()
        for s in split_sentences(text)
        if is_furniture(s.text)
    }
    for line in [
        "Play Live Radio",
        "0:00 0:00",
        "Print Friendly, PDF & Email",
        "Updated June 20, 2024 at 15:28 PM ET",
        "Share post:",
        "Leave a Comment",
        "Your email address will not be published.",
        "Scroll to Top",
        "More like this",
    ]:
        assert line in furniture
    for sentence in WHOLE_SEED_SENTENCES:
        assert sentence not in furniture


@pytest.mark.parametrize(
    "line",
    [
        "0:00 0:00",
        "Play Live Radio",
        "Available On Air Stations",
        "Nhac Nguyen",
        "Print Friendly, PDF & Email",
        "Copyright 2024 NPR",
        "[Copyright 2024 NPR]",
        "Share this article",
        "Leave a Reply",
        "Sign up for our daily newsletter to get the news first.",
        "We use cookies to improve your experience on our site.",
        "En poursuivant la visite de ce site, vous acceptez l’utilisation de traceurs (cookies).",
        "Required fields are marked *",
        "",
        "   ",
        "12 | 3",
    ],
)
def test_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Putin signs numerous deals with Vietnam in a bid to shore up Russia's ties in Asia",
        "Why Is Putin in Vietnam?",
        "11 killed in blast",
        "He said no.",
        "Prices rose 5%.",
        "Lam and Putin signed 11 memorandums for cooperation.",
        "The company sells cookies and cakes in 12 countries.",
        "Share prices fell 3% on Thursday after the report was published.",
        "Comments by the minister drew criticism from 40 lawmakers.",
    ],
)
def test_not_furniture(line: str) -> None:
    assert not is_furniture(line)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            'Mr.|U.S.|He|said.|"|?|!|...|…|\n|\n\n|3.6|a|The|No.|10|Jan.|e.g.|”|(AP) —|HANOI,'
            "|Inc.| |x|Sept.|11|V.|Putin".split("|")
        )
        | st.text(max_size=6),
        max_size=40,
    ).map(" ".join)
)
def test_any_text_gives_ordered_valid_spans(text: str) -> None:
    previous_end = 0
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end
    for s in split_sentences(text):
        assert isinstance(is_furniture(s.text), bool)
