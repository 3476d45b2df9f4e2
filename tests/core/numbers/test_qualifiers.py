"""Qualifiers as written: which bounds leave their own figure out."""

from __future__ import annotations

import math

import pytest

from bot.core.numbers import find_quantities
from bot.core.numbers.qualifiers import strict_bound


@pytest.mark.parametrize(
    ("surface", "strict"),
    [
        ("more than 130", True),
        ("More than 400", True),
        ("over 100", True),
        ("fewer than 20", True),
        ("under 5%", True),
        ("50+", True),
        ("30-plus", True),
        ("> 12", True),
        ("at least 135", False),
        ("no fewer than 12", False),
        ("up to 30 per cent", False),
        ("nearly 400", False),
        (">= 12", False),
        ("12", False),
        ("overseas 12", False),  # a word that only starts like a qualifier
    ],
)
def test_strict_bounds_leave_their_figure_out(surface, strict):
    assert strict_bound(surface) is strict


@pytest.mark.parametrize("text", ["upward of $15,000", "upwards of $15,000"])
def test_upward_of_is_a_lower_bound(text):
    (q,) = find_quantities(f"The wine sells for {text} a bottle.")
    assert (q.surface, q.low, q.high) == (text, 15000.0, math.inf)
    assert strict_bound(q.surface)
