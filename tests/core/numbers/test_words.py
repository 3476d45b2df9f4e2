"""Number words as counts, capitalised at the start of a sentence too."""

from __future__ import annotations

import pytest

from bot.core.numbers import find_quantities


@pytest.mark.parametrize(
    ("text", "surface", "low", "high"),
    [
        ("Three hundred people marched.", "Three hundred", 300, 300),
        ("About three hundred people marched.", "About three hundred", 270, 330),
        ("A dozen people marched.", "A dozen", 12, 12),
        ("Police arrested a dozen people.", "a dozen", 12, 12),
        ("Dozens of people marched.", "Dozens", 24, 144),
        ("Police arrested dozens of people.", "dozens", 24, 144),
        ("Forty-two people died.", "Forty-two", 42, 42),
        ("Twenty-one people died.", "Twenty-one", 21, 21),
        ("He fired twenty-one shots.", "twenty-one", 21, 21),
        ("Eleven militants were killed.", "Eleven", 11, 11),
        ("Six people were killed.", "Six", 6, 6),
    ],
)
def test_number_words_are_counts(text: str, surface: str, low: float, high: float) -> None:
    [q] = find_quantities(text)
    assert (q.surface, q.kind) == (surface, "count")
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))


def test_a_word_changed_in_a_copy_changes_the_value() -> None:
    [a] = find_quantities("Two soldiers were wounded.")
    [b] = find_quantities("Three soldiers were wounded.")
    assert (a.kind, b.kind, a.value, b.value) == ("count", "count", 2, 3)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ('Beyond the boats, "A hundred metres from the villa is the bay.', "A hundred metres"),
        ('The mayor said "Two hundred people came to the square.', "Two hundred"),
        ("“Three people died,” he said.", "Three"),
    ],
)
def test_a_capitalised_number_word_opening_a_quotation_is_a_value(text: str, surface: str) -> None:
    assert [q.surface for q in find_quantities(text)] == [surface]


@pytest.mark.parametrize(
    "text", ["The Group of Seven met in Rome.", "Members of the “Seven Sisters” met in Rome."]
)
def test_a_capitalised_number_word_inside_a_sentence_is_a_name(text: str) -> None:
    assert find_quantities(text) == []
