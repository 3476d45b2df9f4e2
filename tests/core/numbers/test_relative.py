"""Relative times ("10 days ago", "last week", "earlier this year"): dates or years against
`published`, else kind "date" in unit "days ago"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.numbers import find_quantities
from bot.core.numbers.relative import DAYS_AGO

FRIDAY = date(2014, 9, 12)  # a Friday


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "value"),
    [
        ("He left 10 days ago, officials said.", "10 days ago", 10, 10, 10),
        ("He left ten days ago, officials said.", "ten days ago", 10, 10, 10),
        ("It was uploaded two weeks ago.", "two weeks ago", 11, 17, 14),
        ("It was a week ago.", "a week ago", 4, 10, 7),
        ("Just a few days ago he left.", "a few days ago", 2, 9, 2),
        ("He sold it three years ago.", "three years ago", 731, 1460, 1095),
        ("Yesterday he said so.", "Yesterday", 1, 1, 1),
        ("It happened in the past week.", "the past week", 0, 7, 7),
        ("He has served for the past eight years.", "the past eight years", 0, 2920, 2920),
        ("Last year a woman died.", "Last year", 1, 730, 365),
        ("He was arrested late last month.", "late last month", 1, 61, 30),
        ("It opened earlier this year.", "earlier this year", 0, 365, 0),
        ("Over the weekend it rained.", "Over the weekend", 0, 6, 5),
        ("He will go next week.", "next week", -13, -1, -7),
    ],
)
def test_relative_times_without_published(
    text: str, surface: str, low: int, high: int, value: int
) -> None:
    [q] = find_quantities(text)
    assert (q.surface, q.kind, q.unit) == (surface, "date", DAYS_AGO)
    assert (q.low, q.high, q.value) == (low, high, value)
    assert text[q.start : q.end] == surface


@pytest.mark.parametrize(
    ("text", "kind", "low", "high"),
    [
        ("He left 10 days ago.", "date", 20140902, 20140902),
        ("He left yesterday.", "date", 20140911, 20140911),
        ("It was uploaded two weeks ago.", "date", 20140826, 20140901),
        ("It happened last week.", "date", 20140901, 20140907),  # the calendar week before
        ("It happened earlier this week.", "date", 20140908, 20140912),
        ("It happened last month.", "date", 20140801, 20140831),
        ("It happened late last month.", "date", 20140821, 20140831),
        ("It happened six months ago.", "date", 20140301, 20140331),
        ("It happened earlier this month.", "date", 20140901, 20140912),
        ("It happened over the weekend.", "date", 20140906, 20140907),
        ("It happened in the past week.", "date", 20140905, 20140912),
        ("It happened last year.", "year", 2013, 2013),
        ("It happened three years ago.", "year", 2011, 2011),
        ("It opens next year.", "year", 2015, 2015),
        ("He has served for the past eight years.", "year", 2006, 2014),
        ("It opened earlier this year.", "date", 20140101, 20140912),
    ],
)
def test_relative_times_resolved_against_published(
    text: str, kind: str, low: int, high: int
) -> None:
    [q] = find_quantities(text, published=FRIDAY)
    assert (q.kind, q.low, q.high, q.value) == (kind, low, high, low)


def test_a_relative_time_replaces_the_duration_it_holds() -> None:
    [q] = find_quantities("The man broke in two weeks ago, police said.")
    assert (q.surface, q.kind) == ("two weeks ago", "date")


def test_a_weekday_or_month_with_last_stays_what_it_is() -> None:
    found = find_quantities("He left last Friday and returned last August.")
    assert [(q.surface, q.kind, q.unit) for q in found] == [
        ("last Friday", "weekday", ""),
        ("last August", "date", "mmdd"),
    ]


def test_a_rate_is_not_a_relative_time() -> None:
    [q] = find_quantities("Trade was $3.6bn a year, officials said.")
    assert (q.kind, q.unit) == ("money", "USD/year")


@pytest.mark.parametrize("published", [None, date(1, 1, 1), date(9999, 12, 31), date(2016, 2, 29)])
def test_relative_times_never_fail_at_the_ends_of_the_calendar(published: date | None) -> None:
    text = (
        "It came 10 days ago, last week, next week, last month, next month, six months ago, "
        "late last year, earlier this year, next year, the past 99 decades and yesterday."
    )
    assert len(find_quantities(text, published=published)) >= 1
