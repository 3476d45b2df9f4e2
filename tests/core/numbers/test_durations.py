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


@pytest.mark.parametrize(
    ("text", "surface", "kind", "value"),
    [
        ("He was away for a year and a half.", "a year and a half", "duration", 1.5 * 365.25),
        ("He was away for two and a half years.", "two and a half years", "duration", 913.125),
        ("He was jailed for two years and a half.", "two years and a half", "duration", 913.125),
        ("It happened half an hour later.", "half an hour", "duration", 1 / 48),
        ("He ruled for half a century.", "half a century", "duration", 36525 / 2),
        (
            "He skipped work for a quarter of a century.",
            "a quarter of a century",
            "duration",
            9131.25,
        ),
        ("The boy is 7 and a half years old.", "7 and a half years old", "age", 7.5),
        ("Some 2 and a half million people fled.", "Some 2 and a half million", "count", 2.5e6),
    ],
)
def test_and_a_half(text: str, surface: str, kind: str, value: float) -> None:
    [q] = find_quantities(text)
    assert (q.surface, q.kind) == (surface, kind)
    assert math.isclose(q.value, value)


def test_a_half_without_a_unit_is_not_read_into_the_number() -> None:
    # "two and a half apples": fractions of things are not read (the count stays two)
    assert [q.surface for q in find_quantities("He ate two and a half apples.")] == ["two"]
