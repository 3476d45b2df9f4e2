"""Ages in every form news writes them: kind "age", unit "years"."""

from __future__ import annotations

import pytest

from bot.core.numbers import find_quantities


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Igor Vorozhbitsyn, 41, was freed.", "41", 41),
        ("Forty-two year old Igor Vorozhbitsyn was freed.", "Forty-two year old", 42),
        ("A 23-year-old was arrested.", "23-year-old", 23),
        ("A man aged 41 was arrested.", "aged 41", 41),
        ("The 46-year old man was arrested.", "46-year old", 46),
        ("The 46 year-old man was arrested.", "46 year-old", 46),
        ("Seven year old Mia was found.", "Seven year old", 7),
        ("The victim, a twenty-three-year-old nurse, died.", "twenty-three-year-old", 23),
        ("He was 34 years old.", "34 years old", 34),
        ("Two 5-year-olds were hurt.", "5-year-olds", 5),
        ("Emwazi is understood to be about 27 years of age.", "about 27 years of age", 27),
    ],
)
def test_ages(text: str, surface: str, value: float) -> None:
    found = [q for q in find_quantities(text) if q.kind == "age"]
    assert [(q.surface, q.value, q.unit) for q in found] == [(surface, value, "years")]


def test_a_six_month_old_is_half_a_year() -> None:
    [q] = find_quantities("A 6-month old baby was rescued.")
    assert (q.kind, q.value) == ("age", 0.5)


def test_a_number_of_years_is_still_a_duration() -> None:
    [q] = find_quantities("He served 46 years in jail.")
    assert (q.kind, q.unit) == ("duration", "days")
    [q] = find_quantities("He served 11 years of his sentence.")
    assert (q.kind, q.unit) == ("duration", "days")


@pytest.mark.parametrize(
    ("text", "surface", "low", "high"),
    [
        ("Seven girls, ages 13 to 15, are pregnant.", "ages 13 to 15", 13, 15),
        ("28 girls, aged 13 and 14, went on the trip.", "aged 13 and 14", 13, 14),
        ("The teens are 13 and 14 years old, he said.", "13 and 14 years old", 13, 14),
    ],
)
def test_two_ages_make_a_range(text: str, surface: str, low: float, high: float) -> None:
    found = [q for q in find_quantities(text) if q.kind == "age"]
    assert [(q.surface, q.low, q.high) for q in found] == [(surface, low, high)]


def test_two_counts_joined_by_and_stay_two() -> None:
    found = find_quantities("He has two sons and three daughters, aged 41 and 3 friends.")
    assert [(q.surface, q.kind) for q in found] == [
        ("two", "count"),
        ("three", "count"),
        ("aged 41", "age"),
        ("3", "count"),
    ]
