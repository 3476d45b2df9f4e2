"""Claims: what articles assert (figures with what they count, quotes with their speaker)."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest

from bot.core import claims as claims_module
from bot.core.claims import REFERENCE, Claim, age_subject, extract_claims
from bot.core.extract import from_text


@pytest.fixture(scope="module")
def claims(seed_texts) -> dict[str, list[Claim]]:
    drafts = {name: from_text(text) for name, text in seed_texts.items()}
    return {name: extract_claims(d.text, title=d.title) for name, d in drafts.items()}


def _matches(value: str, surface: str) -> bool:
    """A gold value ("$3.6 billion in 2023", "$171 billion (2023)") names the claim's surface."""
    core = surface.removeprefix("just ")
    return core in value or value in surface


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


def test_a_sentence_read_again_keeps_what_is_each_articles_own():
    # A sentence's claims are read once (cached); its position, the mentions of what it
    # counts and whether the title names it are each article's.
    sentence = "Police said 12 people were killed in the attack on Monday."
    first = extract_claims(sentence)
    second = extract_claims(
        f"Officials met to discuss the attack and its victims. {sentence} "
        "The people of the town mourned.",
        title="People killed in attack",
    )
    assert len(first) == 2 and [c.surface for c in second] == ["12", "Monday"]
    for a, b in zip(first, second, strict=True):
        assert replace(b, position=0, mentions=a.mentions, headline=a.headline) == a
        assert b.position == 1
    count, again = first[0], second[0]
    assert (count.mentions, count.headline) == (1, False)
    assert (again.mentions, again.headline) == (2, True)
    assert extract_claims(sentence) == first


def test_references_are_claims_of_their_own_unit():
    found = extract_claims("The two countries also agreed to work on a roadmap, for two reasons.")
    # "the two countries" refers back: kept (a copy may change it), marked as a reference
    assert [(c.surface, c.unit) for c in found] == [("two", REFERENCE), ("two", "")]


def test_a_qualified_figure_after_a_determiner_is_not_a_reference():
    for sentence, surface in (
        (
            "Shekau denied that the more than 400 girls the group kidnapped were sold.",
            "more than 400",
        ),
        ("Currently, 42 of the nearly 140 KFC franchises in the state serve it.", "nearly 140"),
    ):
        assert claim(surface, sentence).unit == ""


def test_quotes_keep_their_speaker():
    text = 'Putin said the talks were "constructive and useful for both of our countries".'
    quotes = [c for c in extract_claims(text) if c.kind == "quote"]
    assert quotes and quotes[0].attribution == "Putin"


def claim(surface: str, sentence: str) -> Claim:
    """The claim of `sentence` whose value is written `surface`."""
    found = [c for c in extract_claims(sentence) if c.surface.lower() == surface.lower()]
    assert found, (surface, [c.surface for c in extract_claims(sentence)])
    return found[0]


def test_dates_weekdays_and_years_are_claims():
    found = extract_claims(
        "Sotloff went missing in Syria in August 2013 and was last seen on Thursday."
    )
    assert {c.kind for c in found} >= {"date", "weekday"}
    founded = extract_claims("The museum opened its doors in 1998, officials said.")
    assert [c.surface for c in founded] == ["1998"]
    # A year that dates a figure makes its period, not a claim of its own.
    dated = extract_claims("Bilateral trade totaled $3.6 billion in 2023, the ministry said.")
    assert [(c.surface, c.period) for c in dated] == [("$3.6 billion", 2023)]


def test_open_intervals():
    dozen = claim("at least a dozen", "Putin signed at least a dozen deals on Thursday.")
    assert dozen.low == 12.0 and math.isinf(dozen.high)


def test_what_a_figure_measures_is_named_as_written_not_by_its_stem():
    found = extract_claims(
        "The company said revenues rose to $3.5bn last year, while exports fell to $1bn."
    )
    assert [(c.surface, c.quantity) for c in found] == [
        ("$3.5bn", "revenues"),
        ("last year", "date"),  # without a published day, not a year to date the figure by
        ("$1bn", "exports"),
    ]
    for c in found[::2]:
        assert c.quantity in c.sentence.lower()


@pytest.mark.parametrize(
    "sentence",
    [
        "Exports rose 12% to $3bn, while imports fell; but trade, compared with 2022, grew.",
        "Sand and band and AND and, whereas Candid but-end compared to 5 – 6 — 7",
        "",
    ],
)
def test_clause_searches_find_what_their_plain_patterns_find(sentence):
    # The clause patterns look ahead on their first characters only to be scanned faster.
    plain_clause = re.compile(r"[;,–—]|\b(?:compared (?:to|with)|while|whereas|but)\b")
    plain_and = re.compile(r"\band\b")
    spans = [m.span() for m in claims_module._CLAUSE_RE.finditer(sentence)]
    assert spans == [m.span() for m in plain_clause.finditer(sentence)]
    for start in range(len(sentence)):
        for end in (start, len(sentence)):
            got = [m.span() for m in claims_module._AND_RE.finditer(sentence, start, end)]
            assert got == [m.span() for m in plain_and.finditer(sentence, start, end)]


@pytest.mark.parametrize(
    "sentence",
    [
        "According to Reuters, Jane Doe said 12 were hurt; officials told AP it might rise.",
        "IF they would, Estimates Could be projected; Hypothetical assumptions, Mr Li Noted.",
        "",
    ],
)
def test_attribution_and_speculation_searches_find_what_their_plain_patterns_find(sentence):
    for fast in (*claims_module._ATTRIBUTION_RES, claims_module._SPECULATIVE_RE):
        plain = re.compile(fast.pattern.split(")", 1)[1], fast.flags)  # without the look-ahead
        for start in range(len(sentence) + 1):
            got, want = fast.search(sentence, start), plain.search(sentence, start)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))


@pytest.mark.parametrize(
    ("sentence", "age", "subject"),
    [
        ("Suresh Kumar, 40, is recovering in hospital.", "40", "Suresh Kumar"),
        ("Alleged attacker Suresh Kumar, 40, molested a teenager.", "40", "Suresh Kumar"),
        (
            "Foley, a 40-year-old photojournalist kidnapped in 2012, was killed.",
            "40",
            "Foley photojournalist",
        ),
        ("The 39-year-old reporter was working for AFP.", "39", "reporter"),
        ("A 40-year-old American journalist was beheaded.", "40", "American journalist"),
        (
            "The gunman, 32-year-old Michael Zehaf-Bibeau, was killed.",
            "32",
            "gunman Michael Zehaf-Bibeau",
        ),
        ("A 46-year old man, Suresh Kumar was seen on the street.", "46", "man Suresh Kumar"),
        ("The army detained their eight-year-old son near the border.", "eight", "son"),
        ("His son is now approximately 11 years old, officials said.", "11", "son"),
        ("The boy, aged 4, was found in the river.", "4", "boy"),
        # It does not say whose: a pronoun, or a verb after "the 40-year-old".
        ("He was 39 years old and lived in Boston.", "39", ""),
        ("After finding the 40-year-old pinning the girl to a wall, a mob beat him.", "40", ""),
    ],
)
def test_who_an_age_is_of(sentence, age, subject):
    [found] = [c for c in extract_claims(sentence) if c.kind == "age"]
    assert age in found.surface
    at = sentence.index(found.surface)
    assert age_subject(sentence, at, at + len(found.surface)) == subject


@pytest.mark.parametrize(
    ("sentence", "quantity"),
    [
        ("Suresh Kumar, 40, is recovering in hospital.", "age of Suresh Kumar"),
        ("A 46-year old man, Suresh Kumar was seen on the street.", "age of Suresh Kumar"),
        ("The 39-year-old reporter was working for AFP.", "age of the reporter"),
        ("A 40-year-old American journalist was beheaded.", "age of the journalist"),
        ("Foley, a 40-year-old photojournalist, was beheaded.", "age of Foley"),
        ("He was 39 years old and lived in Boston.", "age"),
    ],
)
def test_an_age_is_named_by_who_it_is_of(sentence, quantity):
    [found] = [c for c in extract_claims(sentence) if c.kind == "age"]
    assert found.quantity == quantity


@pytest.mark.parametrize(
    ("sentence", "surfaces"),
    [
        ("The FBI has put a $10m (£6.4m) bounty on his head.", ["$10m"]),
        ("The US has offered a $US10 million ($11.84 million) reward.", ["$US10 million"]),
        ("It left a crater 39 feet (12 meters) across.", ["39 feet"]),
        ("The college is some 200km (about 125 miles) south of the city.", ["some 200km"]),
        # Not conversions: a figure of another kind, or one the brackets say more of.
        ("Sales rose 5% (3% in 2022), the firm said.", ["5%", "3%"]),
        ("The 12 ships (four of them new) arrived.", ["12", "four"]),
    ],
)
def test_a_figure_in_brackets_that_converts_the_one_before_is_not_a_claim(sentence, surfaces):
    assert [c.surface for c in extract_claims(sentence)] == surfaces
