"""Months without a day: intervals of days, in the units of dates ("yyyymmdd" or "mmdd")."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.numbers import find_quantities

PUBLISHED = date(2014, 9, 10)


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "qualifier"),
    [
        ("In January it rained.", "January", 20140101, 20140131, ""),
        ("Talks began in September.", "September", 20140901, 20140930, ""),
        ("By mid-August it rained.", "mid-August", 20140811, 20140820, "mid"),
        ("In early September it rained.", "early September", 20140901, 20140910, "early"),
        ("In late October it rained.", "late October", 20141021, 20141031, "late"),
        ("It has been closed since May.", "May", 20140501, 20140531, ""),
        ("In May it rained.", "May", 20140501, 20140531, ""),
        ("Last September it dipped.", "Last September", 20130901, 20130930, "last"),
        ("It opens next January.", "next January", 20150101, 20150131, "next"),
        # more than ~6 months after publication: the year before
        ("It was signed in June.", "June", 20140601, 20140630, ""),
        ("It was signed in December.", "December", 20141201, 20141231, ""),
        ("He went missing in late February.", "late February", 20140221, 20140228, "late"),
        # a past month, and abbreviated months with a part of the month
        ("It fell this past August, he said.", "this past August", 20140801, 20140831, "last"),
        ("It peaked in mid-Feb, he said.", "mid-Feb", 20140211, 20140220, "mid"),
        ("It rained in early Sept, he said.", "early Sept", 20140901, 20140910, "early"),
        ("It rained in late Dec, he said.", "late Dec", 20141221, 20141231, "late"),
    ],
)
def test_bare_months_with_published(
    text: str, surface: str, low: int, high: int, qualifier: str
) -> None:
    [q] = find_quantities(text, published=PUBLISHED)
    assert (q.surface, q.kind, q.unit, q.qualifier) == (surface, "date", "yyyymmdd", qualifier)
    assert (q.low, q.high, q.value) == (low, high, low)


def test_a_month_far_ahead_belongs_to_the_year_before() -> None:
    [q] = find_quantities("It was signed in December.", published=date(2014, 3, 1))
    assert (q.low, q.high) == (20131201, 20131231)


def test_bare_months_without_a_year_are_month_day_intervals() -> None:
    [q] = find_quantities("In January it rained.")
    assert (q.low, q.high, q.value, q.unit) == (101, 131, 101, "mmdd")
    [q] = find_quantities("Since mid-August it has rained.")
    assert (q.surface, q.low, q.high, q.unit) == ("mid-August", 811, 820, "mmdd")


def test_months_with_a_year_keep_one_convention() -> None:
    [q] = find_quantities("In June 2024 it rained.")
    assert (q.low, q.high, q.unit, q.qualifier) == (20240601, 20240630, "yyyymmdd", "")
    [q] = find_quantities("In May 2014 it rained.")
    assert (q.surface, q.low, q.high) == ("May 2014", 20140501, 20140531)
    [q] = find_quantities("In early September 2014 it rained.")
    assert (q.surface, q.low, q.high) == ("early September 2014", 20140901, 20140910)
    [q] = find_quantities("It was late February 2016.")
    assert (q.low, q.high) == (20160221, 20160229)


@pytest.mark.parametrize(
    "text",
    [
        "May I ask a question?",
        "Theresa May spoke.",
        "The vote by May was close.",
        "March on, they said.",
        "August Strindberg wrote plays.",
        "He may go in may.",
        "The Marchers came.",
    ],
)
def test_words_that_are_not_months(text: str) -> None:
    assert [q for q in find_quantities(text, published=PUBLISHED) if q.kind == "date"] == []


def test_an_abbreviated_month_alone_is_not_a_month() -> None:
    assert find_quantities("Jan said so, and Dec agreed with Jan.") == []


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Apple is aiming for a launch on Valentine's Day.", "Valentine's Day", 214, "mmdd"),
        (
            "It ships close to Valentine’s Day of 2015.",
            "Valentine’s Day of 2015",
            20150214,
            "yyyymmdd",
        ),
        ("He was freed on Christmas Day 2013.", "Christmas Day 2013", 20131225, "yyyymmdd"),
        ("The attack came on Christmas Eve.", "Christmas Eve", 1224, "mmdd"),
        ("She vanished on New Year's Eve.", "New Year's Eve", 1231, "mmdd"),
        ("The St. Patrick's Day parade was cancelled.", "St. Patrick's Day", 317, "mmdd"),
    ],
)
def test_days_named_for_their_date(text, surface, value, unit):
    [q] = [q for q in find_quantities(text) if q.kind == "date"]
    assert (q.surface, q.value, q.unit) == (surface, value, unit)


def test_a_named_day_takes_its_year_from_the_day_of_publication():
    [q] = find_quantities("The attack came on Christmas Eve.", published=date(2014, 1, 3))
    assert q.value == 20131224  # the last one, not the one 11 months ahead


def test_a_season_or_a_thing_named_for_a_day_is_no_date():
    assert not [
        q for q in find_quantities("Christmas sales rose in the run-up.") if q.kind == "date"
    ]
    assert not find_quantities("The New York Times said so on its Boxing page.")
