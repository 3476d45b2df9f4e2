"""Rates keep their period in the unit: a daily and a yearly figure never share one."""

from __future__ import annotations

import pytest

from bot.core.numbers import find_quantities


@pytest.mark.parametrize(
    ("text", "surface", "kind", "unit", "value"),
    [
        ("It costs $2 million a day.", "$2 million a day", "money", "USD/day", 2e6),
        ("It costs $2million-a-year.", "$2million-a-year", "money", "USD/year", 2e6),
        ("It costs $2 million-a-day.", "$2 million-a-day", "money", "USD/day", 2e6),
        ("He drove at 50 km per hour.", "50 km per hour", "distance", "km/hour", 50),
        ("He drove at 50 km/h.", "50 km/h", "distance", "km/hour", 50),
        ("Winds reached 30 mph.", "30 mph", "distance", "km/hour", 30 * 1.609344),
        ("Oil hit $100 a barrel.", "$100 a barrel", "money", "USD/barrel", 100),
        ("Rent is 5,000 rubles per month.", "5,000 rubles per month", "money", "RUB/month", 5e3),
        ("They killed 20 a day.", "20 a day", "count", "/day", 20),
        ("Prices rose 3% a year.", "3% a year", "percent", "%/year", 3),
        ("It pays $5/day.", "$5/day", "money", "USD/day", 5),
        ("It costs $2-3 million a year.", "$2-3 million a year", "money", "USD/year", 2.5e6),
        ("He earns at least $1m a year.", "at least $1m a year", "money", "USD/year", 1e6),
    ],
)
def test_rates(text: str, surface: str, kind: str, unit: str, value: float) -> None:
    [q] = find_quantities(text)
    assert (q.surface, q.kind, q.unit) == (surface, kind, unit)
    assert q.value == pytest.approx(value)


def test_a_daily_and_a_yearly_figure_differ_in_unit() -> None:
    [a] = find_quantities("The war costs $2 million-a-day.")
    [b] = find_quantities("The war costs $2million-a-year.")
    assert a.value == b.value
    assert a.unit != b.unit


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("He paid $2 million a year ago.", "USD"),
        ("Sales were $5 million a year earlier.", "USD"),
        ("It cost $2 million.", "USD"),
        ("He paid $2 million a day-long fee.", "USD"),
    ],
)
def test_not_rates(text: str, unit: str) -> None:
    # "a year ago" and "a day-long" are times of their own (``relative``, ``durations``).
    [q] = [q for q in find_quantities(text) if q.kind == "money"]
    assert (q.kind, q.unit) == ("money", unit)


def test_attached_scale_words() -> None:
    [q] = find_quantities("It raised $2million.")
    assert (q.surface, q.value, q.unit) == ("$2million", 2e6, "USD")
    [q] = find_quantities("It has 3billion users.")
    assert (q.kind, q.value) == ("count", 3e9)
