"""Distinctive facts of a text: the numbers and quotations it carries, in order.

A rewrite of a wire story changes the wording but keeps the figures and the quotes, so the
share of one article's facts found in another tells a copy from independent coverage even
when no run of words is shared (see ``bot.core.dedup``).
"""

from __future__ import annotations

import re

from bot.core.hashing import h32

# 1,234,567 | 3.6 | 80 — with an optional scale or percent after it.
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(%|percent\b|per cent\b|trillion\b|billion\b|bn\b|million\b|mn\b|m\b|thousand\b|k\b))?",
    re.IGNORECASE,
)
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_PERCENT = {"%", "percent", "per cent"}
# A quotation: straight or curly double quotes around at least a few words.
_QUOTE_RE = re.compile(r"[\"“]([^\"“”]{12,600})[\"”]")
_QUOTE_WORD_RE = re.compile(r"[^\W_]+")
# Clock times and bare single digits are page furniture more often than facts.
_CLOCK_RE = re.compile(r"\b\d{1,2}:\d{2}\b")

# How many words of a quote make its key: rewrites often trim the end of a quote.
_QUOTE_KEY_WORDS = 5
MAX_FACTS = 64


def _number_key(digits: str, unit: str | None) -> str | None:
    value = float(digits.replace(",", ""))
    if unit:
        unit = unit.lower()
        if unit in _PERCENT:
            return f"{value:g}%"
        value *= _SCALES[unit]
    if value < 10 and "." not in digits:
        return None  # "two", "3": too common to tell anything
    return f"{value:.4g}"


def is_year(key: str) -> bool:
    """Whether a number key looks like a calendar year (shared by all coverage of an event)."""
    return key.isdigit() and len(key) == 4 and 1900 <= int(key) <= 2100


def fact_keys(text: str) -> list[str]:
    """Readable keys of the facts of `text`, in order of appearance, without repeats.

    >>> fact_keys('Trade was $3.6 billion in 2023, "a record for the two countries," he said.')
    ['3.6e+09', '2023', 'q:a record for the two']
    """
    text = _CLOCK_RE.sub(" ", text)
    found: list[tuple[int, str]] = []
    for match in _NUMBER_RE.finditer(text):
        key = _number_key(match.group(1), match.group(2))
        if key is not None:
            found.append((match.start(), key))
    for match in _QUOTE_RE.finditer(text):
        quote_words = _QUOTE_WORD_RE.findall(match.group(1).lower())
        if len(quote_words) >= 3:
            found.append((match.start(), "q:" + " ".join(quote_words[:_QUOTE_KEY_WORDS])))
    found.sort()
    seen: set[str] = set()
    keys = []
    for _, key in found:
        if key not in seen:
            seen.add(key)
            keys.append(key)
    return keys[:MAX_FACTS]


def fact_hashes(keys: list[str]) -> list[int]:
    """32-bit hashes of fact keys, years marked by their lowest bit cleared (see `weight`)."""
    return [(h32(k) & ~1) if is_year(k) else (h32(k) | 1) for k in keys]


def fact_weight(fact_hash: int) -> float:
    """A year is shared by all coverage of an event, so it counts for less than a figure."""
    return 1.0 if fact_hash & 1 else 0.25
