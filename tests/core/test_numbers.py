"""Tests for bot.core.numbers: numeric expressions normalised to intervals, kinds and units."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.numbers import KINDS, Quantity, find_quantities, years_mentioned
from bot.core.sentences import split_sentences

INF = math.inf


def one(text: str, surface: str | None = None, **kwargs: object) -> Quantity:
    """The single quantity of `text` (or the one with `surface`)."""
    found = find_quantities(text, **kwargs)  # type: ignore[arg-type]
    if surface is not None:
        found = [q for q in found if q.surface == surface]
    assert len(found) == 1, found
    return found[0]


def check(q: Quantity, low: float, high: float, kind: str, unit: str = "") -> None:
    assert q.low == pytest.approx(low)
    assert q.high == pytest.approx(high)
    assert q.kind == kind
    assert q.unit == unit


# --- one test per kind ----------------------------------------------------------------------


def test_count() -> None:
    q = one("Lam and Putin signed 11 memorandums for cooperation.")
    check(q, 11, 11, "count")
    assert (q.surface, q.value, q.qualifier) == ("11", 11, "")
    check(one("Police counted 1,234 protesters."), 1234, 1234, "count")
    check(one("Exports reached 816 000 units."), 816_000, 816_000, "count")
    check(one("Exports reached 816\u202f000 units."), 816_000, 816_000, "count")
    check(one("Russia supplied six Kilo-class submarines."), 6, 6, "count")
    check(one("He fired twenty-one shots."), 21, 21, "count")
    check(one("About 1.5m people watched."), 1.35e6, 1.65e6, "count")
    check(one("Some 10k runners took part."), 9e3, 11e3, "count")
    check(one("The debt is 2 trillion."), 2e12, 2e12, "count")
    check(one("It reached 3.6 billion."), 3.6e9, 3.6e9, "count")


def test_money() -> None:
    check(one("Trade totaled $3.6 billion."), 3.6e9, 3.6e9, "money", "USD")
    check(one("Trade stood at $3.5bn."), 3.5e9, 3.5e9, "money", "USD")
    check(one("It cost £1.5 million."), 1.5e6, 1.5e6, "money", "GBP")
    check(one("It cost US$171 billion."), 1.71e11, 1.71e11, "money", "USD")
    check(one("It cost €5bn."), 5e9, 5e9, "money", "EUR")
    check(one("It cost ¥300."), 300, 300, "money", "JPY")
    check(one("It cost 20 trillion dong."), 2e13, 2e13, "money", "VND")
    check(one("It cost VND 20 trillion."), 2e13, 2e13, "money", "VND")
    check(one("It cost 5 billion rubles."), 5e9, 5e9, "money", "RUB")
    # The country after the sign, as Australian outlets write it.
    check(one("He has a $US10 million price on his head."), 1e7, 1e7, "money", "USD")
    check(one("The deal is worth $A5m."), 5e6, 5e6, "money", "AUD")
    check(one("The deal is worth $NZ2.5bn."), 2.5e9, 2.5e9, "money", "NZD")
    check(one("It cost 40 million euros."), 4e7, 4e7, "money", "EUR")
    check(one("It cost 10 dollars."), 10, 10, "money", "USD")
    check(one("It cost 5 million pounds."), 5e6, 5e6, "money", "GBP")
    check(one("They made millions of dollars."), 2e6, 1e7, "money", "USD")
    check(one("Between $3bn and $4bn was spent."), 3e9, 4e9, "money", "USD")


def test_percent() -> None:
    check(one("Turnout was 80%."), 80, 80, "percent", "%")
    check(one("Turnout was 60 percent."), 60, 60, "percent", "%")
    check(one("Turnout was 60 per cent."), 60, 60, "percent", "%")
    check(one("Turnout was 60-70%."), 60, 70, "percent", "%")
    # percentage points stay kind percent, with unit "pp" to tell them apart
    check(one("Rates rose 2.5 percentage points."), 2.5, 2.5, "percent", "pp")


def test_year() -> None:
    q = one("Hanoi and Moscow have had diplomatic relations since 1950.")
    check(q, 1950, 1950, "year")
    check(one("In 2019, Russia sent tourists."), 2019, 2019, "year")


def test_decade() -> None:
    q = one("Since the early 2000s, Russia has supplied arms.")
    check(q, 2000, 2003, "year", "decade")
    assert (q.surface, q.value, q.qualifier) == ("early 2000s", 2000, "early")
    check(one("Beginning in the 1950s, officials trained."), 1950, 1959, "year", "decade")
    check(one("all through the 90s, barely"), 1990, 1999, "year", "decade")
    check(one("in the mid-1990s"), 1993, 1996, "year", "decade")


def test_fiscal_year_is_one_period() -> None:
    q = one("Revenue in 2012–13 rose.")
    check(q, 2012, 2013, "year", "fiscal")
    assert q.surface == "2012–13"
    check(one("Revenue in 2012/13 rose."), 2012, 2013, "year", "fiscal")
    check(one("Revenue from 2010 to 2014 rose."), 2010, 2014, "year")
    check(one("Revenue in 2010-2014 rose."), 2010, 2014, "year")


def test_date() -> None:
    q = one("Updated June 20, 2024 at 15:28 PM ET")
    check(q, 20240620, 20240620, "date", "yyyymmdd")
    assert q.surface == "June 20, 2024"
    check(one("On 20 June 2024 he left."), 20240620, 20240620, "date", "yyyymmdd")
    check(one("On Thursday 20th June afternoon."), 620, 620, "date", "mmdd")
    q = one("On Thursday 20th June afternoon.", published=date(2024, 6, 21))
    check(q, 20240620, 20240620, "date", "yyyymmdd")
    # a day well after publication belongs to the previous year
    q = one("The Dec. 24 attack.", published=date(2024, 6, 21))
    check(q, 20231224, 20231224, "date", "yyyymmdd")
    check(one("The Sept. 11 attacks."), 911, 911, "date", "mmdd")
    check(one("In June 2024 it rained."), 20240601, 20240630, "date", "yyyymmdd")
    # a weekday is its own kind, not a date (tests/core/numbers/test_weekdays.py)
    assert [q.kind for q in find_quantities("He arrived on Thursday.")] == ["weekday"]


def test_duration() -> None:
    check(one("It lasted five years."), 5 * 365.25, 5 * 365.25, "duration", "days")
    check(one("It lasted 30 days."), 30, 30, "duration", "days")
    check(one("A two-day state visit."), 2, 2, "duration", "days")
    check(one("It lasted 48 hours."), 2, 2, "duration", "days")
    check(one("It lasted 3 weeks."), 21, 21, "duration", "days")


def test_distance() -> None:
    check(one("It flew 90 km."), 90, 90, "distance", "km")
    check(one("It flew 90 miles."), 90 * 1.609344, 90 * 1.609344, "distance", "km")
    check(one("It flew 6.5 kilometres."), 6.5, 6.5, "distance", "km")
    check(one("A 16-foot deep crater."), 16 * 0.0003048, 16 * 0.0003048, "distance", "km")


@pytest.mark.parametrize(
    "text",
    [
        "It left a crater 12m wide.",
        "The fish bolted 12m downstream.",
        "Wels catfish can grow as long as 12m.",
        "A tower measuring 12m stands there.",
        "He survived a 12m fall from the roof.",
    ],
)
def test_metres_written_m(text: str) -> None:
    """ "12m" is metres by what stands around it, not a word list of objects."""
    check(one(text), 0.012, 0.012, "distance", "km")


@pytest.mark.parametrize(
    "text",
    [
        "The final drew 12m people.",
        "The 12m viewers tuned in.",
        "Sales reached 12m last year.",
        "The club agreed a 12m deal worth $3m a year.",  # a sentence about money
    ],
)
def test_million_written_m(text: str) -> None:
    assert one(text, "12m").kind == "count"


def test_weight() -> None:
    check(one("It shipped 816 000 t of rice."), 8.16e8, 8.16e8, "weight", "kg")
    check(one("It shipped 5 tonnes."), 5000, 5000, "weight", "kg")
    check(one("It weighed 20 kg."), 20, 20, "weight", "kg")
    check(one("It weighed 10 lb."), 4.5359237, 4.5359237, "weight", "kg")


def test_age() -> None:
    q = one("A 34-year-old man was arrested.")
    check(q, 34, 34, "age", "years")
    assert q.surface == "34-year-old"
    check(one("He was 34 years old."), 34, 34, "age", "years")
    check(one("Children aged 13 to 15 left."), 13, 15, "age", "years")
    check(one("Women in their 20s."), 20, 29, "age", "years")


def test_ordinal() -> None:
    q = one("It is Mr. Putin’s fifth visit to Vietnam.")
    check(q, 5, 5, "ordinal")
    assert q.surface == "fifth"
    this_year, thirtieth = find_quantities("This year marks the 30th anniversary.")
    assert (this_year.surface, this_year.kind) == ("This year", "date")
    check(thirtieth, 30, 30, "ordinal")
    check(one("Russia sent the sixth-highest number of tourists."), 6, 6, "ordinal")
    check(one("The twenty-first century."), 21, 21, "ordinal")


def test_an_ordinal_suffix_must_fit_its_number() -> None:
    # "22st" is not the 22nd: it is 22 stone, as "15st" is; "21st" and "11th" are ordinals.
    weight = one("He weighed 22st before the diet.")
    assert (weight.surface, weight.kind, weight.unit) == ("22st", "weight", "kg")
    assert math.isclose(weight.value, 22 * 6.35029318)
    found = find_quantities("He lost 15st and came 21st, then 11th and 22nd.")
    assert [(q.surface, q.kind) for q in found] == [
        ("15st", "weight"),
        ("21st", "ordinal"),
        ("11th", "ordinal"),
        ("22nd", "ordinal"),
    ]
    assert math.isclose(one("The catfish weighed 19 stone.").value, 19 * 6.35029318)


def test_every_kind_is_covered() -> None:
    assert {"count", "money", "percent", "year", "date", "duration"} <= KINDS
    assert {"distance", "weight", "age", "ordinal"} <= KINDS


# --- qualifiers and ranges ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "value", "qualifier"),
    [
        ("He signed at least 12 deals.", "at least 12", 12, INF, 12, "at least"),
        ("He signed more than 50 deals.", "more than 50", 50, INF, 50, "more than"),
        ("He signed over 50 deals.", "over 50", 50, INF, 50, "over"),
        ("He signed 50+ deals.", "50+", 50, INF, 50, "+"),
        ("He signed 50 or more deals.", "50 or more", 50, INF, 50, "or more"),
        ("He signed up to 50 deals.", "up to 50", 0, 50, 50, "up to"),
        ("He signed fewer than 50 deals.", "fewer than 50", 0, 50, 50, "fewer than"),
        ("He signed about 300 deals.", "about 300", 270, 330, 300, "about"),
        ("He signed around 300 deals.", "around 300", 270, 330, 300, "around"),
        ("He signed roughly 300 deals.", "roughly 300", 270, 330, 300, "roughly"),
        ("He signed some 300 deals.", "some 300", 270, 330, 300, "some"),
        ("He signed nearly 20 deals.", "nearly 20", 18, 20, 20, "nearly"),
        ("He signed almost 20 deals.", "almost 20", 18, 20, 20, "almost"),
        ("He signed just over 20 deals.", "just over 20", 20, 22, 20, "just over"),
        ("He signed only 20 deals.", "only 20", 20, 20, 20, "only"),
        ("He signed 50 to 60 deals.", "50 to 60", 50, 60, 55, ""),
        ("He signed 50-60 deals.", "50-60", 50, 60, 55, ""),
        ("He signed between 50 and 60 deals.", "between 50 and 60", 50, 60, 55, ""),
        ("He signed 3 to 4 million deals.", "3 to 4 million", 3e6, 4e6, 3.5e6, ""),
        ("He signed two or three deals.", "two or three", 2, 3, 2.5, ""),
        ("He signed dozens of deals.", "dozens", 24, 144, 24, ""),
        ("He signed a couple of deals.", "a couple", 2, 3, 2, ""),
        ("He signed hundreds of thousands.", "hundreds of thousands", 2e5, 1e6, 2e5, ""),
        ("He signed a dozen deals.", "a dozen", 12, 12, 12, ""),
        ("He signed half a million deals.", "half a million", 5e5, 5e5, 5e5, ""),
    ],
)
def test_qualifiers_and_ranges(
    text: str, surface: str, low: float, high: float, value: float, qualifier: str
) -> None:
    q = one(text)
    assert q.surface == surface
    assert (q.low, q.high, q.value) == (pytest.approx(low), pytest.approx(high), value)
    assert q.qualifier == qualifier


def test_changes_are_two_values_not_a_range() -> None:
    assert [q.value for q in find_quantities("Sales rose from 50 to 60.")] == [50, 60]
    assert [q.value for q in find_quantities("Sales increased 5% to 60%.")] == [5, 60]


def test_a_few_and_one_are_not_numbers() -> None:
    assert find_quantities("A few people and several others came.") == []
    assert find_quantities("One of the first countries, one by one.") == [
        q for q in find_quantities("One of the first countries, one by one.") if q.kind == "ordinal"
    ]
    check(one("It took one year."), 365.25, 365.25, "duration", "days")


# --- the gold claims of the seed articles ---------------------------------------------------


GOLD_VALUES = {
    "12": (12, 12, "count", ""),
    "11": (11, 11, "count", ""),
    "at least a dozen": (12, INF, "count", ""),
    "$3.6 billion in 2023": (3.6e9, 3.6e9, "money", "USD"),
    "$3.5bn in 2022": (3.5e9, 3.5e9, "money", "USD"),
    "around 80%": (72, 88, "percent", "%"),
    "about 60 percent to 70 percent": (60, 70, "percent", "%"),
    "1950": (1950, 1950, "year", ""),
    "$171 billion (2023)": (1.71e11, 1.71e11, "money", "USD"),
    "$175bn (2022)": (1.75e11, 1.75e11, "money", "USD"),
    "$111 billion (2023)": (1.11e11, 1.11e11, "money", "USD"),
    "$123bn (2022)": (1.23e11, 1.23e11, "money", "USD"),
}


def _has(quantities: list[Quantity], low: float, high: float, kind: str, unit: str) -> bool:
    return any(
        q.kind == kind
        and q.unit == unit
        and q.low == pytest.approx(low)
        and q.high == pytest.approx(high)
        for q in quantities
    )


def test_gold_claim_values(gold: dict, seed_texts: dict[str, str]) -> None:
    checked = 0
    for pair in gold["claim_pairs"]:
        for side in (pair["a"], pair["b"]):
            low, high, kind, unit = GOLD_VALUES[side["value"]]
            if "sentence" in side:
                found = find_quantities(side["sentence"])
            else:
                text = seed_texts[side["article"]]
                found = [q for s in split_sentences(text) for q in find_quantities(s.text)]
            assert _has(found, low, high, kind, unit), (side, found)
            checked += 1
    assert checked == 2 * len(gold["claim_pairs"])


def test_gold_trade_periods() -> None:
    a = find_quantities(
        "Bilateral trade between Russia and Vietnam totaled $3.6 billion in 2023, compared to "
        "$171 billion with China and $111 billion with America."
    )
    assert [(q.surface, q.kind, q.value) for q in a] == [
        ("$3.6 billion", "money", 3.6e9),
        ("2023", "year", 2023),
        ("$171 billion", "money", 1.71e11),
        ("$111 billion", "money", 1.11e11),
    ]
    b = find_quantities(
        "Trade between Vietnam and Russia stood at just $3.5bn in 2022 – far less than "
        "Vietnam’s $175bn trade with China and $123bn with the US."
    )
    assert [(q.surface, q.kind) for q in b] == [
        ("just $3.5bn", "money"),
        ("2022", "year"),
        ("$175bn", "money"),
        ("$123bn", "money"),
    ]
    q = one(
        "Russian President Vladimir Putin signed at least a dozen deals on Thursday",
        "at least a dozen",
    )
    assert (q.surface, q.qualifier, q.value) == ("at least a dozen", "at least", 12)
    q = one("Russian equipment represents about 60 percent to 70 percent of the arsenal")
    assert (q.surface, q.qualifier, q.value) == ("about 60 percent to 70 percent", "about", 65)


# --- things that are not quantities ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Updated at 15:28 PM ET",
        "0:00 0:00",
        "The meeting ends at 3 p.m. sharp.",
        "Call +44 20 7946 0958 today.",
        "Call (202) 555-0100 today.",
        "Call 202-555-0100 today.",
        "1. Putin arrived.",
        "She lives at No. 10 Downing Street.",
        "The COVID-19 pandemic hit.",
        "The G7 and the G-7 met.",
        "F-16 jets and Su-30 fighters flew.",
        "Russia's T-90 tanks rolled.",
        "The Group of Seven met.",
        "Its 5G network is fast.",
        "See https://example.com/news/2024/story-123 for more.",
        "Version 3.6.1 shipped.",
        "Two-thirds of voters agreed.",
        "A few people came.",
    ],
)
def test_false_numbers(text: str) -> None:
    # "today" is a time of its own (``relative``), not part of the phone number before it.
    assert [q.surface for q in find_quantities(text)] in ([], ["today"])


def test_years_and_counts_side_by_side() -> None:
    found = find_quantities("in 2023 11 deals were signed")
    assert [(q.surface, q.kind, q.value) for q in found] == [
        ("2023", "year", 2023),
        ("11", "count", 11),
    ]
    assert one("About 2000 people marched.").kind == "count"


def test_years_mentioned() -> None:
    published = date(2024, 6, 20)
    text = (
        "Trade fell last year and will rise next year; this year is flat. "
        "In 2019 and in 2012–13 it rose. Last September it dipped, two years ago it peaked."
    )
    assert years_mentioned(text, published) == [2023, 2025, 2024, 2019, 2012, 2013, 2022]
    assert years_mentioned(text) == [2019, 2012, 2013]
    assert years_mentioned("Updated June 20, 2024", None) == [2024]


# --- properties -----------------------------------------------------------------------------


def _parsed_value(text: str) -> float:
    found = find_quantities(f"Officials counted {text} cases.")
    assert len(found) == 1, (text, found)
    return found[0].value


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**13), st.sampled_from([",", " ", "\u202f"]))
def test_thousands_separators_parse_back(n: int, sep: str) -> None:
    text = f"{n:,}".replace(",", sep)
    assert _parsed_value(text) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10**6, max_value=10**11))
def test_millions_parse_back(n: int) -> None:
    text = f"{n / 1e6:g} million"
    assert _parsed_value(text) == pytest.approx(float(f"{n / 1e6:g}") * 1e6, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10**9, max_value=10**14))
def test_dollar_billions_parse_back(n: int) -> None:
    text = f"${n / 1e9:g}bn"
    q = [q for q in find_quantities(f"Trade reached {text} last year.") if q.kind != "date"]
    assert len(q) == 1
    assert (q[0].kind, q[0].unit) == ("money", "USD")
    assert q[0].value == pytest.approx(float(f"{n / 1e9:g}") * 1e9, rel=1e-12)


_TOKENS = (
    "at least|about|nearly|up to|more than|between|and|to|from|or|a|dozen|dozens|one|two|"
    "twenty-one|fifth|30th|$|US$|€|£|3.6|1,234|816 000|2012–13|1950s|early|mid-|%|percent|"
    "per cent|bn|billion|million|km|miles|t|kg|tonnes|years|-year-old|days|June|20|Sept.|"
    "2024|,|.|-|–|15:28|COVID-19|G7|No.|+|or more|aged|their|20s|thousands of|dollars|"
    "percentage points|half a|a couple of|\u202f|9/11|Monday|late|night|last|Friday's|in|"
    "January|May|mid-|a day|per hour|/h|year old|$2million-a-year"
).split("|")


@settings(max_examples=250, deadline=None)
@given(
    st.lists(st.sampled_from(_TOKENS) | st.text(max_size=4), max_size=24).map(" ".join),
    st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))),
)
def test_any_text_gives_valid_quantities(text: str, published: date | None) -> None:
    found = find_quantities(text, published=published)
    assert isinstance(found, list)
    previous_end = 0
    for q in found:
        assert text[q.start : q.end] == q.surface
        assert q.start >= previous_end
        previous_end = q.end
        assert q.low <= q.value <= q.high
        assert q.kind in KINDS
    assert all(isinstance(y, int) for y in years_mentioned(text, published))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.surface
        assert q.low <= q.value <= q.high


def test_a_rank_after_no_is_an_ordinal_and_a_name_after_it_makes_a_label() -> None:
    check(one("Rolling Stone ranked it No. 248 on its list."), 248, 248, "ordinal")
    check(one("He is the No. 2 official in the ministry."), 2, 2, "ordinal")
    assert find_quantities("He lives at No. 10 Downing Street.") == []
    assert find_quantities("Flight No. 17 landed safely.") == []
