"""One unit of time written with an article ("more than an hour", "a day after")."""

from __future__ import annotations

import math

import pytest

from bot.core.numbers import find_quantities


@pytest.mark.parametrize(
    ("text", "surface", "low", "high"),
    [
        ("They talked for an hour.", "an hour", 1 / 24, 1 / 24),
        ("It lasted more than an hour, he said.", "more than an hour", 1 / 24, math.inf),
        ("It lasted nearly an hour.", "nearly an hour", 0.9 / 24, 1 / 24),
        ("It came a day after the ceasefire.", "a day", 1.0, 1.0),
        ("A week later he died.", "A week", 7.0, 7.0),
        ("He returned within a month.", "a month", 30.44, 30.44),
    ],
)
def test_article_durations(text: str, surface: str, low: float, high: float) -> None:
    [q] = find_quantities(text)
    assert (q.surface, q.kind, q.unit) == (surface, "duration", "days")
    assert math.isclose(q.low, low) and (q.high == high or math.isclose(q.high, high))
    assert text[q.start : q.end] == surface


@pytest.mark.parametrize(
    "text", ["She runs twice a day.", "They meet once a week.", "A day to remember, he said."]
)
def test_an_article_alone_or_a_rate_is_no_duration(text: str) -> None:
    assert [q for q in find_quantities(text) if q.kind == "duration"] == []


def test_one_day_after_reads_as_two_days_after() -> None:
    [a] = find_quantities("It came a day after the ceasefire.")
    [b] = find_quantities("It came two days after the ceasefire.")
    assert (a.kind, a.unit) == (b.kind, b.unit)
    assert (a.value, b.value) == (1.0, 2.0)
