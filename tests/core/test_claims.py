"""Claims: extraction of what articles assert, and the labels of paired claims."""

from __future__ import annotations

import math

import pytest

from bot.core.claims import AlignConfig, Claim, align, extract_claims, label_pair
from bot.core.extract import from_text


@pytest.fixture(scope="module")
def claims(seed_texts) -> dict[str, list[Claim]]:
    drafts = {name: from_text(text) for name, text in seed_texts.items()}
    return {name: extract_claims(d.text, title=d.title) for name, d in drafts.items()}


def _matches(value: str, surface: str) -> bool:
    """A gold value ("$3.6 billion in 2023", "$171 billion (2023)") names the claim's surface."""
    core = surface.removeprefix("just ")
    return core in value or value in surface


def test_every_gold_claim_pair_holds(claims, gold):
    for expected in gold["claim_pairs"]:
        a, b = expected["a"], expected["b"]
        pairs = align(claims[a["article"]], claims[b["article"]])
        found = [
            p
            for p in pairs
            if _matches(a["value"], p.a.surface) and _matches(b["value"], p.b.surface)
        ]
        assert found, f"no pair for {expected}"
        assert {p.label for p in found} == {expected["label"]}, expected
        if "sentence" in a:
            assert a["sentence"] in found[0].a.sentence
            assert b["sentence"] in found[0].b.sentence


def test_the_only_conflicts_of_the_story_are_the_agreement_counts(claims):
    names = sorted(claims)
    conflicts = set()
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            for pair in align(claims[first], claims[second]):
                if pair.label == "conflict":
                    conflicts.add(pair.a.counted)
                    assert {pair.a.value, pair.b.value} <= {11.0, 12.0}
    assert len(conflicts) == 1


def test_counted_noun_period_and_scope(claims):
    by_surface = {c.surface: c for c in claims["000_95b775bc5eae5327.txt"]}
    assert by_surface["12"].counted_text == "publicly announced agreements"
    assert by_surface["at least a dozen"].counted_text == "deals"
    assert by_surface["at least a dozen"].counted == by_surface["12"].counted  # near-synonyms
    assert by_surface["$3.6 billion"].period == 2023
    assert by_surface["$3.6 billion"].counted == "trade"
    assert by_surface["around 80%"].scope_text == "Vietnam's arms imports"
    arsenal = next(c for c in claims["004_ff89fc41d8bf9a9e.txt"] if c.kind == "percent")
    assert arsenal.attribution == "Nguyen The Phuong"
    assert (arsenal.low, arsenal.high) == (60.0, 70.0)


def test_references_are_not_claims():
    found = extract_claims("The two countries also agreed to work on a roadmap, for two reasons.")
    assert [c.counted_text for c in found] == ["reasons"]  # "the two countries" refers back


def test_quotes_keep_their_speaker():
    text = 'Putin said the talks were "constructive and useful for both of our countries".'
    quotes = [c for c in extract_claims(text) if c.kind == "quote"]
    assert quotes and quotes[0].attribution == "Putin"


def _claim(surface: str, sentence: str) -> Claim:
    found = [c for c in extract_claims(sentence) if c.surface.lower() == surface.lower()]
    assert found, (surface, [c.surface for c in extract_claims(sentence)])
    return found[0]


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        (
            ("about 300", "About 300 people were killed in the flooding, officials said."),
            ("297", "The flooding killed 297 people, officials said."),
            "agree",
        ),
        (
            ("more than 50", "More than 50 people were arrested at the protest on Sunday."),
            ("50 to 60", "Police arrested 50 to 60 people at the protest on Sunday."),
            "agree",
        ),
        (
            ("90 km", "The convoy travelled 90 km from the border before it stopped."),
            ("90 miles", "The convoy travelled 90 miles from the border before it stopped."),
            "conflict",
        ),
        (
            ("$3.6bn", "Exports rose to $3.6bn in 2023, the ministry said."),
            ("$3.5bn", "Exports rose to $3.5bn in 2022, the ministry said."),
            "different_period",
        ),
    ],
)
def test_labels(a, b, label):
    first, second = _claim(*a), _claim(*b)
    pairs = align([first], [second])
    assert [p.label for p in pairs] == [label]


def test_a_rising_death_toll_in_a_later_article_is_an_update():
    early = _claim("twelve", "Twelve people were killed when the building collapsed.")
    later = _claim("27", "The collapse killed 27 people, rescuers said on Friday.")
    assert label_pair(early, later, AlignConfig(), b_is_later=True) == "update"
    assert label_pair(early, later, AlignConfig(), b_is_later=False) == "conflict"


def test_different_quantities_are_not_paired():
    ships = _claim("12", "The navy sent 12 ships to the strait.")
    deals = _claim("11", "The leaders signed 11 agreements in Hanoi.")
    assert align([ships], [deals]) == []


def test_open_intervals():
    dozen = _claim("at least a dozen", "Putin signed at least a dozen deals on Thursday.")
    assert dozen.low == 12.0 and math.isinf(dozen.high)
