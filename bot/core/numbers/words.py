"""Number words: "twenty-one", "a dozen", "half a million", ordinals ("fifth") and vague
plurals ("dozens", "tens of thousands")."""

from __future__ import annotations

import math
import re

from bot.core.numbers.quantity import _Amount
from bot.core.numbers.units import _SUFFIX_RE

_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
        " fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_MULT = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ORD_SMALL = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
        " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
    )
}
_ORD_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
    )
}
_ORD_BIG = {"hundredth": 100, "thousandth": 1000}

# Vague plurals: (low, high) multipliers of the scale word.
_VAGUE_BASE = {"dozens": 12.0, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6}
_VAGUE_BASE |= {"billions": 1e9, "trillions": 1e12}

_UNIT_W = "|".join(sorted(_SMALL, key=len, reverse=True))
_TEN_W = "|".join(_TENS)
_DIGIT_W = "one|two|three|four|five|six|seven|eight|nine"
_SCALE_W = "hundred|thousand|million|billion|trillion"
_ATOM = rf"(?:(?:{_TEN_W})(?:-(?:{_DIGIT_W}))?|{_UNIT_W}|dozen)"
_ORD_W = "|".join(sorted([*_ORD_SMALL, *_ORD_TENS, *_ORD_BIG], key=len, reverse=True))
_WORD_TOKEN_RE = re.compile(r"[a-z]+")
_OPENERS = " \t\r\n\"'“‘«([—–-*•"


def _word_amount(text: str, m: re.Match[str]) -> _Amount | None:
    surface = m.group("words")
    lowered = surface.lower()
    value = _words_value(lowered)
    amount = _Amount(m.start(), m.end(), value, unscaled=value, is_word=True)
    tokens = _WORD_TOKEN_RE.findall(lowered)
    if tokens and tokens[-1] in _MULT and tokens[-1] != "hundred":
        amount.scale = _MULT[tokens[-1]]
        amount.unscaled = value / amount.scale
    if _mid_sentence_capital(text, m.start(), surface):
        amount.skip = True
    elif tokens == ["one"] and _SUFFIX_RE.match(text, m.end()) is None:
        amount.skip = True  # "one" counts only with a unit after it: "one year"
    return amount


def _words_value(lowered: str) -> float:
    total = 0.0
    current = 0.0
    half = False
    for word in _WORD_TOKEN_RE.findall(lowered):
        if word == "half":
            half = True
        elif word in ("a", "an"):
            current += 1.0
        elif word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "dozen":
            current = (current or 1.0) * 12.0
        elif word == "hundred":
            current = (current or 1.0) * 100.0
        elif word in _MULT:
            total += (current or 1.0) * _MULT[word]
            current = 0.0
    value = total + current
    return value / 2 if half else value


def _ordinal_word(word: str) -> int:
    if "-" in word:
        tens, unit = word.split("-", 1)
        return _TENS.get(tens, 0) + _ORD_SMALL.get(unit, 0)
    return _ORD_SMALL.get(word) or _ORD_TENS.get(word) or _ORD_BIG.get(word, 0)


def _vague_amount(m: re.Match[str]) -> _Amount:
    words = m.group("vague").lower().split()
    if words[0] in ("tens", "hundreds") and len(words) == 3:
        base = 10.0 if words[0] == "tens" else 100.0
        unit = _VAGUE_BASE[words[2]] * base
        low, high = 2 * unit, 10 * unit
    elif words[0] in ("several", "a"):
        unit = 12.0 if words[-1] == "dozen" else _MULT[words[-1]]
        low, high = 2 * unit, 10 * unit
    elif words[0] == "dozens":
        low, high = 24.0, 144.0
    else:
        unit = _VAGUE_BASE[words[0]]
        low, high = 2 * unit, 10 * unit
    # "hundreds" are fewer than a thousand: the next scale word would have been said
    high = math.nextafter(high, 0.0)
    return _Amount(m.start(), m.end(), low, low=low, high=high, is_word=True)


def _mid_sentence_capital(text: str, start: int, surface: str) -> bool:
    """A capitalised number word inside a sentence is a name ("Group of Seven", the "Seven
    Sisters"), unless it opens a quotation (he said, "Two hundred people came")."""
    if not surface[:1].isupper():
        return False
    i = start - 1
    quoted = False
    while i >= 0 and text[i] in _OPENERS:
        quoted = quoted or text[i] in _QUOTE_OPENERS
        i -= 1
    if i < 0:
        return False
    if quoted and (text[i] in ",:" or _QUOTING_RE.search(text, 0, i + 1)):
        return False
    return text[i] not in ".!?:;"


_QUOTE_OPENERS = '"“«'
# The words before a quotation that opens with a capital: "boats, "A hundred", "said "Two".
_QUOTING_RE = re.compile(r"\b(?:said|says|say|told|added|wrote|writes|asked|reads?|stated)$", re.I)


def _count_word(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    lowered = word.lower()
    if lowered in ("a", "one"):
        return 1
    return _SMALL.get(lowered)
