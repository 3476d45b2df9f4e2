"""Word tokens: ``words``, ``word_tokens`` with ``word_of``, and ``word_spans`` read a text the
same way."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.core.text import _WORD_RE, as_written, word_of, word_spans, word_tokens, words

# The definition of a word, one character at a time: a letter or digit, then letters, digits
# and marks each followed by a letter or digit.
_REFERENCE_RE = re.compile(r"[^\W_](?:[^\W_]|['’.](?=[^\W_]))*")

_TRICKY = st.text(alphabet=st.sampled_from(list("aZ9é_'’. -\nİΣ٣字\u0301")), max_size=40)


def test_words_drop_dots_and_possessives() -> None:
    assert words("The U.S. and Vietnam's 3.6bn deal, don’t") == [
        "the", "us", "and", "vietnam", "3.6bn", "deal", "don't",
    ]  # fmt: skip


@given(st.one_of(_TRICKY, st.text(max_size=40)))
def test_word_pattern_is_the_reference(text: str) -> None:
    found = [m.span() for m in _WORD_RE.finditer(text)]
    assert found == [m.span() for m in _REFERENCE_RE.finditer(text)]


@given(st.one_of(_TRICKY, st.text(max_size=40)))
def test_word_spans_are_words_in_place(text: str) -> None:
    lowered = text.lower()
    spans = word_spans(lowered)
    assert [w for _, _, w in spans] == words(lowered)
    for start, end, word in spans:
        assert words(lowered[start:end]) == [word]


@given(st.one_of(_TRICKY, st.text(max_size=40)))
def test_word_tokens_cleaned_are_words(text: str) -> None:
    assert [word_of(t) for t in word_tokens(text)] == words(text)


def test_a_word_is_shown_as_the_articles_write_it():
    texts = ("Putin in Hanoi", "Analysts at the ISEAS institute; hanoi again")
    assert as_written("hanoi", texts) == "Hanoi"
    assert as_written("iseas", texts) == "ISEAS"
    assert as_written("hano", texts) == "hano"  # not part of a word
