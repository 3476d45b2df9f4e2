"""Feet and inches read as one figure: "8ft 9in", "6 feet 2 inches", "5-foot-9"."""

from __future__ import annotations

import pytest

from bot.core.numbers import find_quantities

FOOT_KM = 3.048e-4


@pytest.mark.parametrize(
    ("text", "surface", "feet"),
    [
        ("The catfish was 8ft 9in long.", "8ft 9in", 8.75),
        ("He is 6ft 2in tall.", "6ft 2in", 6 + 2 / 12),
        ("He stands 6 feet 2 inches tall.", "6 feet 2 inches", 6 + 2 / 12),
        ("The fish was 8.8 feet long.", "8.8 feet", 8.8),
        ("A 12-foot-long boat sank.", "12-foot", 12.0),
    ],
)
def test_feet_and_inches_are_one_height(text, surface, feet):
    (q,) = [q for q in find_quantities(text) if q.kind == "distance"]
    assert q.surface == surface
    assert q.value == pytest.approx(feet * FOOT_KM)


def test_a_range_of_heights_in_feet_and_inches():
    (q,) = find_quantities("Kim is believed to be between 5-foot-2 and 5-foot-9.")
    assert (q.low / FOOT_KM, q.high / FOOT_KM) == pytest.approx((5 + 2 / 12, 5.75))


@pytest.mark.parametrize(
    ("text", "feet"),
    [
        ("The wall is 10 feet 14 inches.", 10.0),  # not inches of a foot: two figures
        ("It fell 6 feet 2 in the morning.", 6.0),  # "in the", not inches
    ],
)
def test_numbers_after_feet_that_are_not_its_inches(text, feet):
    first = next(q for q in find_quantities(text) if q.kind == "distance")
    assert first.value == pytest.approx(feet * FOOT_KM)
