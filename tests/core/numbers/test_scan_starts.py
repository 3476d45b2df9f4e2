"""The scanner's fast searches find what the plain patterns find."""

from __future__ import annotations

import re

import pytest

from bot.core.numbers.qualifiers import _PREFIX_FOUND_RE, _PREFIX_RE, _PREFIX_WINDOW
from bot.core.numbers.scan import (
    _APPOSITIVE_AGE_RE,
    _LABEL_RE,
    _WORD_START_RE,
    find_quantities,
)

_SENTENCES = [
    "Police said more than 40 bodies were found, up from at least 12 on Monday.",
    "Between 50 and 60 people, aged 20 to 30, were in their early 20s.",
    "Some ~25 officers and ≥ 3 dogs; nearly three hundred came, about a dozen left.",
    "MORE THAN 12 DEALS, JUST UNDER 40 PER CENT.",
    "Roughly 5 km away, ſome 7 trucks (a long s) and KELVIN-sign 9: Kome 4.",
    "In 2013, 16-foot waves hit; US$ 5 million and Rs 40 crore; the first 6 shots.",
    "The two men, Forty-two year old Igor and twenty-one others, left in mid-July.",
    "",
    "12",
]


def _prefix(text: str, start: int) -> tuple[object, ...] | None:
    """What the scanner reads of the prefix before `start` with the plain pattern."""
    m = _PREFIX_RE.search(text, max(0, start - _PREFIX_WINDOW), start)
    if m is None or m.start() == start:
        return None
    return m.span(), m.groupdict()


@pytest.mark.parametrize("sentence", _SENTENCES)
def test_prefix_search_finds_the_plain_patterns_prefix(sentence: str) -> None:
    for start in range(len(sentence) + 1):
        m = _PREFIX_FOUND_RE.search(sentence, max(0, start - _PREFIX_WINDOW), start)
        found = None if m is None or m.start() == start else (m.span(), m.groupdict())
        assert found == _prefix(sentence, start)


@pytest.mark.parametrize("sentence", _SENTENCES)
def test_word_starts_are_those_of_the_plain_pattern(sentence: str) -> None:
    plain = _WORD_START_RE.pattern.split(")", 1)[1]  # the pattern without its look-ahead
    assert [m.start() for m in _WORD_START_RE.finditer(sentence)] == [
        m.start() for m in re.finditer(plain, sentence)
    ]


def test_qualified_figures_keep_their_qualifier() -> None:
    found = find_quantities("Police found more than 40 bodies and about a dozen cars.")
    assert [q.surface for q in found] == ["more than 40", "about a dozen"]
    assert (found[0].low, found[0].high) == (40.0, float("inf"))
    assert (found[1].low, found[1].high) == (pytest.approx(10.8), pytest.approx(13.2))


@pytest.mark.parametrize(
    "sentence", [*_SENTENCES, "Flight 17, iPhone 6 and MiG 29; DeJesus, 32, No. 10"]
)
def test_label_and_age_searches_find_what_their_plain_patterns_find(sentence: str) -> None:
    for fast, window in ((_LABEL_RE, 16), (_APPOSITIVE_AGE_RE, 40)):
        plain = re.compile(fast.pattern.split(")", 1)[1])  # the pattern without its look-ahead
        for start in range(len(sentence) + 1):
            got = fast.search(sentence, max(0, start - window), start)
            want = plain.search(sentence, max(0, start - window), start)
            assert (got and got.span()) == (want and want.span())
