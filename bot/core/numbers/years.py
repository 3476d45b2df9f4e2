"""The calendar years a text refers to, explicit or relative to the day it was published."""

from __future__ import annotations

import re
from datetime import date

from bot.core.numbers.dates import _MONTH_NUM
from bot.core.numbers.scan import find_quantities
from bot.core.numbers.words import _count_word


def years_mentioned(text: str, published: date | None = None) -> list[int]:
    """Calendar years `text` refers to, in order of first mention, without repeats.

    Explicit years and dates count (a fiscal "2012–13" gives both years, a longer span or a
    decade its first year); with `published`, so do "last year", "this year", "next year",
    "N years ago", "last September" and dates without a year.

    >>> years_mentioned("Trade was $3.6 billion last year, up from 2021.", date(2024, 6, 20))
    [2023, 2021]
    """
    found: list[tuple[int, int]] = []
    for q in find_quantities(text, published=published):
        if q.kind == "year":
            first = int(q.low)
            found.append((q.start, first))
            if q.unit == "fiscal" or (not q.unit and 0 < q.high - q.low <= 1):
                found.append((q.start, int(q.high)))
        elif q.kind == "date" and q.unit == "yyyymmdd":
            found.append((q.start, int(q.low) // 10000))
    if published is not None:
        for m in _RELATIVE_YEAR_RE.finditer(text):
            if m.group("rel"):
                offset = {"last": -1, "past": -1, "this": 0, "next": 1}[m.group("rel").lower()]
                found.append((m.start(), published.year + offset))
            elif m.group("ago"):
                count = _count_word(m.group("ago"))
                if count is not None:
                    found.append((m.start(), published.year - count))
            elif m.group("lastmon"):
                month = _MONTH_NUM[m.group("lastmon").lower()]
                year = published.year if month < published.month else published.year - 1
                found.append((m.start(), year))
    found.sort()
    seen: set[int] = set()
    years: list[int] = []
    for _, year in found:
        if year not in seen:
            seen.add(year)
            years.append(year)
    return years


_RELATIVE_YEAR_RE = re.compile(
    r"\b(?P<rel>(?i:last|past|this|next))\s+year\b(?!s)"
    r"|\b(?P<ago>\d{1,2}|(?i:a|one|two|three|four|five|six|seven|eight|nine|ten))\s+years?\s+ago\b"
    r"|\b(?i:last)\s+(?P<lastmon>January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\b"
)
