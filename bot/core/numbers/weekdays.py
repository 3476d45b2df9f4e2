"""Weekdays: "Monday", "late Monday night", "Tuesday morning", "Friday's operation", "last
Friday", resolved to a calendar day against the day the article was published."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.core.numbers.dates import _DAY, _MONTH
from bot.core.numbers.quantity import Quantity
from bot.core.numbers.words import _mid_sentence_capital

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_NUM = {name: i for i, name in enumerate(WEEKDAYS)}
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + r")\b"
# Before a weekday: "last" / "next" move the day it resolves to, "early" / "late" qualify it.
_WEEKDAY_PREFIX_RE = re.compile(r"\b(?P<w>(?i:last|next|early|late))\s+$")
# After it: the part of the day ("Tuesday morning", "late Monday night").
_PART_OF_DAY_RE = re.compile(r"\s+(?P<w>morning|afternoon|evening|night|overnight)\b")
# A date right after it is the quantity ("Thursday 20th June", "Monday, Sept. 8, 2014").
_DATE_AFTER_RE = re.compile(rf",?\s+(?:the\s+)?(?:{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_DAY}\b)")
# Names that hold a weekday: "Black Friday", "Super Tuesday", "the Sunday Times".
_NAME_BEFORE = frozenset(
    """Black Good Super Cyber Bloody Easter Holy Maundy Ash Palm Giving Shrove Fat Whit Low Man
    Girl Joe Mothering Orthodox""".split()
)
_NAME_AFTER = frozenset(
    """Times Telegraph Express Mirror Herald Post People Mail Sport Star Independent Tribune
    Review Magazine Night Club Group Show Service Sessions Morning Afternoon Evening""".split()
)
# A capitalised word before a weekday that does not make it a name: "On Monday", "Last Friday".
_FREE_BEFORE = frozenset(
    """On Last Next Late Early By Since Until Till Before After From And Or But Every Each This
    That The Since Until Through Over Between""".split()
)
_WORD_BEFORE_RE = re.compile(r"\b([A-Z][a-z]+)\s+$")
_MAIL_ON_RE = re.compile(r"\bMail\s+on\s+$")  # the Mail on Sunday
_WEEK = 7


def _weekday_quantity(
    text: str, m: re.Match[str], published: date | None, floor: int = 0
) -> Quantity | None:
    """The weekday at match `m` (group ``wday``), or None when it is part of a name or a date."""
    name = m.group("wday")
    start, end = m.start("wday"), m.end("wday")
    if _DATE_AFTER_RE.match(text, end) is not None:
        return None
    after = _NEXT_CAPITAL_RE.match(text, end)
    if after is not None and after.group(1) in _NAME_AFTER:
        return None
    before = _WORD_BEFORE_RE.search(text, max(0, start - 24), start)
    if before is not None:
        word = before.group(1)
        if word in _NAME_BEFORE:
            return None
        if word not in _FREE_BEFORE and _mid_sentence_capital(text, before.start(), word):
            return None  # a capitalised word inside a sentence: "Easter Monday", "Joe Friday"
    if _MAIL_ON_RE.search(text, max(0, start - 12), start) is not None:
        return None
    words: list[str] = []
    prefix = _WEEKDAY_PREFIX_RE.search(text, max(floor, start - 8), start)
    rel = ""
    if prefix is not None:
        word = prefix.group("w").lower()
        rel = word if word in ("last", "next") else ""
        words.append(word)
        start = prefix.start()
    part = _PART_OF_DAY_RE.match(text, end)
    if part is not None:
        words.append(part.group("w"))
        end = part.end()
    value = float(_WEEKDAY_NUM[name])
    day = _resolve(int(value), published, rel) if published is not None else None
    return Quantity(
        text[start:end], start, end, value, value, value, "weekday", "", " ".join(words), day
    )


_NEXT_CAPITAL_RE = re.compile(r"\s+([A-Z][a-z]+)")


def _resolve(weekday: int, published: date, rel: str) -> date | None:
    """The day a weekday names: the latest on or before `published`; "last" the latest
    before it, "next" the first after it."""
    back = (published.weekday() - weekday) % 7
    try:
        if rel == "next":
            return published + timedelta(days=(_WEEK - back) if back else _WEEK)
        if rel == "last" and back == 0:
            back = _WEEK  # "last Friday" on a Friday is a week ago
        return published - timedelta(days=back)
    except OverflowError:  # a published day at the ends of the calendar
        return None
