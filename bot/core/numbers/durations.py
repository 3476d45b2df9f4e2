"""One unit of time written with an article: "more than an hour", "nearly an hour", "for a
week", "a day after the ceasefire", "a year later", "half an hour later", "for a year and a
half", "for a quarter of a century". Kind ``duration`` in unit "days", as a number of units
reads ("two days after"), qualifiers included ("more than an hour" is ``[1/24, inf]``).

The article makes a duration only where it cannot be a rate ("$2 million a year", "twice a
day") or part of a relative time ("a week ago", ``relative``): after a qualifier or "for",
"within", "in", "after", "over", "lasting", or before "after", "before", "later", "earlier",
"long".
"""

from __future__ import annotations

import re

from bot.core.numbers.qualifiers import _apply_qualifier
from bot.core.numbers.quantity import Quantity
from bot.core.numbers.units import _DAYS

_UNITS = (
    "second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century",
)  # fmt: skip
_ARTICLE_UNITS = tuple(f"{article} {unit}" for article in ("a", "an") for unit in _UNITS)
_ARTICLE_DURATION_RE = re.compile(
    r"(?=[a-zA-Z])\b(?i:"
    r"(?:(?:(?P<q>more\s+than|less\s+than|nearly|almost|about|around|roughly|over|under"
    r"|just\s+over|just\s+under|close\s+to|at\s+least|up\s+to|only|just)"
    r"|(?P<prep>for|within|in|after|lasting|lasted|took|spent))\s+)?"
    r"(?:(?P<halfof>half\s+)|(?P<quarterof>a\s+quarter\s+of\s+))?(?P<art>an?)\s+(?P<unit>"
    + "|".join(_UNITS)
    + ")"
    r"(?P<andhalf>\s+and\s+a\s+half\b)?"
    r"(?P<after>\s+(?:after|before|later|earlier|long)\b|-long\b)?)"
)


def article_durations(text: str, *, lowered: str | None = None) -> list[Quantity]:
    """The durations of one unit written with an article in `text` (module docstring);
    `lowered` is the text lower-cased, when the caller has it (``find_quantities`` does)."""
    if lowered is None:
        lowered = text.lower()
    if "\n" in text or "\t" in text or "  " in text:
        lowered = " ".join(lowered.split())
    if not any(map(lowered.__contains__, _ARTICLE_UNITS)):
        return []  # most sentences name no unit of time with an article: nothing to search
    out = []
    for m in _ARTICLE_DURATION_RE.finditer(text):
        qualifier = " ".join((m.group("q") or "").lower().split())
        if not (qualifier or m.group("prep") or m.group("after")):
            continue
        days = _DAYS[m.group("unit").lower()]
        part = "halfof" if m.group("halfof") else "quarterof" if m.group("quarterof") else ""
        if part:  # "half an hour", "a quarter of a century"
            days *= 0.5 if part == "halfof" else 0.25
        elif m.group("andhalf"):  # "a year and a half"
            days *= 1.5
        start = m.start("q") if qualifier else m.start(part or "art")
        end = m.end("andhalf") if m.group("andhalf") else m.end("unit")
        low, high, value = _apply_qualifier(qualifier, days, days, "duration", False)
        out.append(
            Quantity(text[start:end], start, end, low, high, value, "duration", "days", qualifier)
        )
    return out
