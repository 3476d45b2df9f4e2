"""Qualifiers ("at least", "about", "50+", "or more") and the intervals they make."""

from __future__ import annotations

import math
import re

# Qualifier words, by what they do to the interval.
_LOWER = "lower"
_UPPER = "upper"
_APPROX = "approx"
_NEAR = "near"
_OVER = "just_over"
_EXACT = "exact"
_QUALIFIERS = {
    **dict.fromkeys(
        "at least|no fewer than|no less than|not less than|more than|over|above|in excess of"
        "|upwards of|upward of|a minimum of|+|or more|plus|>|>=|≥".split("|"),
        _LOWER,
    ),
    **dict.fromkeys(
        "at most|no more than|not more than|up to|as many as|as much as|less than|fewer than"
        "|under|below|a maximum of|or less|or fewer|<|<=|≤".split("|"),
        _UPPER,
    ),
    **dict.fromkeys(
        "about|around|roughly|approximately|approx.|some|an estimated|estimated|circa|c."
        "|~|≈|or so|an approximate|more or less".split("|"),
        _APPROX,
    ),
    **dict.fromkeys(
        "nearly|almost|close to|just under|just below|just shy of|not quite".split("|"), _NEAR
    ),
    **dict.fromkeys("just over|just above|a little over|slightly more than".split("|"), _OVER),
    **dict.fromkeys("only|just|exactly|precisely|a mere|fully".split("|"), _EXACT),
}
_TOLERANCE = 0.1
_INF = math.inf

# Trailing qualifiers: "50+", "50 or more", "50 or so", "50-plus".
_TRAIL_RE = re.compile(r"(?P<t>\+|\s+or\s+(?:more|less|fewer|so)\b|-plus\b)")
# Before an amount (matched against the text just before it, to its end).
_PREFIX_RE = re.compile(
    r"(?:(?P<btw>\b(?i:between|from))\s+)?"
    r"(?:(?P<q>\b(?i:at\s+least|at\s+most|no\s+(?:fewer|less|more)\s+than|not\s+(?:less|more)"
    r"\s+than|more\s+than|less\s+than|fewer\s+than|in\s+excess\s+of|upwards?\s+of"
    r"|a\s+(?:minimum|maximum)\s+of|up\s+to|as\s+(?:many|much)\s+as|just\s+(?:over|under"
    r"|below|above|shy\s+of)|a\s+little\s+over|slightly\s+more\s+than|close\s+to|not\s+quite"
    r"|an\s+(?:estimated|approximate)|more\s+or\s+less|a\s+mere|over|above|under|below|about"
    r"|around|roughly|approximately|approx\.|some|estimated|circa|c\.|nearly|almost|only"
    r"|just|exactly|precisely|fully))\s+|(?P<sym>[~≈≥≤]|[<>]=?)\s?)?"
    r"(?:(?P<era>\b(?i:early|mid|late))(?:\s+|-)|(?P<aged>\b(?i:aged?|ages))\s+"
    r"|(?P<poss>\b(?i:their|his|her|its|my|our|your))\s+(?:(?P<pera>(?i:early|mid|late))[\s-]+)?)?"
    r"$"
)
_PREFIX_WINDOW = 48
# The same, for a qualifier that is there: every part opens with a letter (any that a letter
# matches ignoring case) or a sign, so the search skips, by sre's fast scan, the positions
# where none opens (an empty match, which says "no prefix", can only be at the window's end).
_PREFIX_FOUND_RE = re.compile(r"(?=(?i:[a-z])|[~≈≥≤<>])" + _PREFIX_RE.pattern)


# Bounds that leave the figure itself out: "more than 130" is not 130, "at least 135" may be 135.
_STRICT_RE = re.compile(
    r"^(?:(?:more\s+than|over|above|in\s+excess\s+of|upwards?\s+of|less\s+than|fewer\s+than"
    r"|under|below)\b|[<>](?!=))|(?:\+|-plus)$",
    re.IGNORECASE,
)


def strict_bound(surface: str) -> bool:
    """Whether a bounded figure, as written, leaves its number out ("more than 130")."""
    return _STRICT_RE.search(surface.strip()) is not None


def _apply_qualifier(
    qualifier: str, low: float, high: float, kind: str, value_is_low: bool
) -> tuple[float, float, float]:
    """The interval and point value after `qualifier`."""
    is_range = low != high
    value = low if value_is_low else (low + high) / 2
    role = _QUALIFIERS.get(qualifier, "")
    if kind in ("date", "ordinal") or not role or (kind == "year" and role in (_LOWER, _UPPER)):
        return low, high, value
    if role == _LOWER:
        return low, _INF, low
    if role == _UPPER:
        return 0.0, high, high
    if is_range or role == _EXACT:
        return low, high, value
    x = low
    tol = 1.0 if kind == "year" else abs(x) * _TOLERANCE
    if role == _APPROX:
        return x - tol, x + tol, x
    if role == _NEAR:
        return x - tol, x, x
    return x, x + tol, x  # just over
