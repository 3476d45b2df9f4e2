"""Weekdays: kind "weekday", value 0-6 (Monday = 0), resolved to a day against `published`."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.numbers import find_quantities

FRIDAY = date(2014, 9, 12)  # a Friday


@pytest.mark.parametrize(
    ("text", "surface", "value", "qualifier"),
    [
        ("Monday", "Monday", 0, ""),
        ("The raid happened on Thursday.", "Thursday", 3, ""),
        ("It struck late Monday night, officials said.", "late Monday night", 0, "late night"),
        ("Tuesday morning, police said.", "Tuesday morning", 1, "morning"),
        ("Friday's operation failed.", "Friday", 4, ""),
        ("Last Friday, he left.", "Last Friday", 4, "last"),
        ("Friday prayers were held.", "Friday", 4, ""),
        ("Vladimir Putin on Sunday said so.", "Sunday", 6, ""),
        ("He said Wednesday that it was over.", "Wednesday", 2, ""),
    ],
)
def test_weekdays(text: str, surface: str, value: int, qualifier: str) -> None:
    [q] = find_quantities(text)
    assert (q.surface, q.kind, q.unit, q.qualifier) == (surface, "weekday", "", qualifier)
    assert q.low == q.high == q.value == value
    assert text[q.start : q.end] == surface
    assert q.day is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("He left on Friday.", date(2014, 9, 12)),  # the published day itself
        ("He left on Thursday.", date(2014, 9, 11)),
        ("He left on Saturday.", date(2014, 9, 6)),  # the latest on or before
        ("He left last Friday.", date(2014, 9, 5)),  # a week back on a Friday
        ("He left last Monday.", date(2014, 9, 8)),
        ("He leaves next Friday.", date(2014, 9, 19)),
        ("He leaves next Monday.", date(2014, 9, 15)),
    ],
)
def test_weekday_resolved_against_published(text: str, day: date) -> None:
    [q] = find_quantities(text, published=FRIDAY)
    assert q.kind == "weekday"
    assert q.day == day
    assert q.value == day.weekday()


def test_two_reports_weekdays_compare_as_values() -> None:
    [a] = find_quantities("The strike came late Monday night.", published=FRIDAY)
    [b] = find_quantities("The strike came Tuesday morning.", published=FRIDAY)
    assert (a.kind, a.unit) == (b.kind, b.unit)
    assert (a.value, b.value) == (0, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Black Friday sales rose.",
        "Shoppers crowded stores on Black Friday.",
        "Good Friday services were held.",
        "Super Tuesday votes were counted.",
        "The Easter Monday rally grew.",
        "The Sunday Times reported it.",
        "The Mail on Sunday reported it.",
        "Saturday Night Live mocked him.",
        "He works on Mondays.",
        "You may go on monday.",
    ],
)
def test_names_and_plurals_are_not_weekdays(text: str) -> None:
    assert [q for q in find_quantities(text) if q.kind == "weekday"] == []


def test_a_weekday_before_a_date_is_the_date() -> None:
    found = find_quantities("On Thursday 20th June afternoon.", published=date(2024, 6, 21))
    assert [(q.surface, q.kind) for q in found] == [("20th June", "date")]
    found = find_quantities("Monday, Sept. 8, 2014")
    assert [q.kind for q in found] == ["date"]


def test_weekday_beside_other_figures() -> None:
    found = find_quantities("On Thursday 12 people were killed, and on Friday 3 more.")
    assert [(q.surface, q.kind) for q in found] == [
        ("Thursday", "weekday"),
        ("12", "count"),
        ("Friday", "weekday"),
        ("3", "count"),
    ]


def test_published_at_the_ends_of_the_calendar() -> None:
    [q] = find_quantities("He left last Sunday.", published=date.min)
    assert q.kind == "weekday" and q.day is None
    [q] = find_quantities("He leaves next Sunday.", published=date.max)
    assert q.kind == "weekday" and q.day is None
