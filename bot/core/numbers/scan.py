"""The scanner: finds where quantities start in a sentence, reads each one and settles its kind."""

from __future__ import annotations

import math
import re
from datetime import date

from bot.core.numbers.amounts import _CORE, _amount
from bot.core.numbers.dates import (
    _DATE,
    _ERA,
    _MONTH_NUM,
    HOLIDAY_STARTS,
    _date_quantity,
    _decade_base,
    _is_year,
)
from bot.core.numbers.durations import article_durations
from bot.core.numbers.money import _CODES
from bot.core.numbers.qualifiers import _PREFIX_FOUND_RE, _PREFIX_WINDOW, _apply_qualifier
from bot.core.numbers.quantity import Quantity, _Amount, _plausible
from bot.core.numbers.ranges import _RANGE_RE, _join_range
from bot.core.numbers.rates import _rate
from bot.core.numbers.relative import relative_quantities
from bot.core.numbers.weekdays import _WEEKDAY, WEEKDAYS, _weekday_quantity
from bot.core.numbers.words import _ORD_BIG, _ORD_SMALL, _ORD_TENS, _SMALL, _TEN_W, _TENS, _UNIT_W

_SKIP = (
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}"  # +44 20 7946 0958
    r"|\(\d{3}\)\s?\d{3}-\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}\b"  # (202) 555-0100
    r"|\b\d{1,2}[:.]\d{2}(?::\d{2})?\s?(?i:[ap]\.m\.|[ap]m\b)"  # 10.30am, 3:15 p.m.
    r"|\b\d{1,2}:\d{2}(?::\d{2})?(?!\d)"  # 15:28, 0:00
    r"|\b\d{1,2}\s?(?i:[ap]\.m\.|[ap]m\b)"  # 3 p.m.
    r"|\b\d+(?:\.\d+){2,}\b"  # 3.6.1, 192.168.0.1
    r"|\b\d{1,4}/\d{1,2}(?:/\d{2,4})?(?![\d/])(?<!\b\d{4}/\d\d)"  # 9/11, 24/7, 20/06/2024
    rf"|\b(?i:(?:{_UNIT_W}|{_TEN_W}|a|an|one)[\s-](?:halves|half|thirds?|quarters?|fifths?"
    r"|sixths?|eighths?|tenths?))\b"
)
_SCAN_RE = re.compile(rf"(?P<skip>{_SKIP})|(?P<date>{_DATE})|(?P<wday>{_WEEKDAY})|{_CORE}")


# Where a match of ``_SCAN_RE`` may start. Searching the full pattern at every position is
# slow, so two cheap searches find the candidates and ``_SCAN_RE`` is only *matched* there:
# a digit (not inside a number) or a currency / phone sign, found through sre's fast
# character-set scan; and a word that can open a quantity, at a word boundary.
_DIGIT_START_RE = re.compile(r"[0-9$€£¥₹₽₫₩₺₴+(](?<![0-9.,][0-9])")


def _word_start_pattern() -> str:
    """Words (and currency prefixes) that can open a match, as a trie on the first letter."""
    words = [*_SMALL, *_TENS, *_ORD_SMALL, *_ORD_TENS, *_ORD_BIG]
    words += ["dozens", "hundreds", "thousands", "millions", "billions", "trillions"]
    words += ["tens", "several", "half", "dozen", "http", "www"]
    by_first: dict[str, set[str]] = {}
    for word in words:
        by_first.setdefault(word[0], set()).add(word[1:])
        by_first.setdefault(word[0].upper(), set()).update((word[1:], word[1:].upper()))
    for month in _MONTH_NUM:
        by_first.setdefault(month[0].upper(), set()).add(month[1:])
    for weekday in WEEKDAYS:
        by_first.setdefault(weekday[0], set()).add(weekday[1:])
    for holiday in HOLIDAY_STARTS:  # "Valentine's Day", "Christmas Eve"
        by_first.setdefault(holiday[0], set()).add(holiday[1:])
    scale = "n?\\s+(?:dozen|hundred|thousand|million|billion|trillion|couple|few|half|third"
    scale += "|quarter|fifth|tenth)"
    for first in "aA":  # "a dozen", "an estimated", "a couple of", "a third of"
        by_first.setdefault(first, set()).add(scale)
    # Currency prefixes: "US$", "U.S.$", "A$", "HK$", "Rs 5", "USD 5".
    for prefix in ("US$", "A$", "C$", "S$", "R$", "HK$", "NZ$", "NT$"):
        by_first.setdefault(prefix[0], set()).add(re.escape(prefix[1:-1]) + "(?=\\$)")
    by_first["U"].add("(?=\\.S\\.\\$)")
    by_first["R"].add("s(?=\\.?\\s?\\d)")
    for code in _CODES:
        by_first.setdefault(code[0], set()).add(code[1:] + "(?=\\s?\\d)")
    branches = [
        first + "(?:" + "|".join(sorted(rests, key=len, reverse=True)) + ")"
        for first, rests in sorted(by_first.items())
    ]
    # The look-ahead on the first letters lets sre skip, by its fast character-set scan, the
    # positions no branch can start at (the match is the same).
    firsts = re.escape("".join(sorted(by_first)))
    return f"(?=[{firsts}])\\b(?:" + "|".join(branches) + ")\\b"


_WORD_START_RE = re.compile(_word_start_pattern())
# A label before a number makes it a name: "No. 10", "Flight 17", "Article 5". (This and the
# next look ahead on the letters they open with, as above.)
_LABEL_RE = re.compile(
    r"(?=[A-Zi])\b(?:No|Nos|Number|Flight|Route|Highway|Interstate|Article|Chapter|Section|Room"
    r"|Channel|Apollo|Windows|iPhone|Boeing|Airbus|Model|Version|Level|Phase|Stage|Category"
    r"|Type|Act|Resolution|Amendment|Proposition|Prop|Gate|Terminal|Platform|Line|Unit"
    r"|Block|Lot|Ward|District|Precinct|Pier|Exit|Apt|Suite|Box|Vol|Volume|Episode|Season"
    r"|Part|Game|Week|Day|Page|Pg|Bus|Train|Pixel|Galaxy|Xbox|PlayStation|Su|Tu|Mig|MiG)"
    r"\.?\s+$"
)
# "No." before a number is a rank ("ranked No. 248"), unless a name follows ("No. 10 Downing
# Street", "No. 5 Squadron") or a label precedes ("Flight No. 17"): those are names.
_RANK_RE = re.compile(r"\bNo\.\s?$")
_NAME_NEXT_RE = re.compile(r"\s+[A-Z]")
# A capitalised name and a comma before a number: "DeJesus, 32, never mentioned".
_APPOSITIVE_AGE_RE = re.compile(r"(?=[A-Z])\b[A-Z][\w’'-]+, $")


def find_quantities(sentence: str, *, published: date | None = None) -> list[Quantity]:
    """The numeric expressions of `sentence`, in order, each normalised (module docstring).

    >>> [(q.surface, q.low, q.high, q.kind, q.unit) for q in find_quantities(
    ...     "Trade stood at just $3.5bn in 2022, down from at least a dozen deals.")]
    [('just $3.5bn', 3500000000.0, 3500000000.0, 'money', 'USD'), ('2022', 2022.0, 2022.0, \
'year', ''), ('at least a dozen', 12.0, inf, 'count', '')]
    """
    out: list[Quantity] = []
    text = sentence
    pos = 0
    starts = [c.start() for c in _DIGIT_START_RE.finditer(text)]
    words = [c.start() for c in _WORD_START_RE.finditer(text)]
    if words:
        starts = sorted(starts + words)
    for start in starts:
        if start < pos:
            continue
        m = _SCAN_RE.match(text, start)
        if m is None:
            continue
        if m.group("skip") is not None:
            pos = m.end()
            continue
        if m.group("date") is not None:
            q = _date_quantity(text, m, published, pos)
            if q is not None:
                out.append(q)
            pos = m.end()
            continue
        if m.group("wday") is not None:
            q = _weekday_quantity(text, m, published, pos)
            if q is not None:
                out.append(q)
            pos = m.end() if q is None else q.end
            continue
        amount = _amount(text, m)
        if amount is None:
            continue
        if amount.skip:
            pos = amount.end
            continue
        q, pos = _finish(text, amount)
        if q is not None and _plausible(q):
            out.append(q)
    lowered = text.lower()
    if not any(map(lowered.__contains__, _TIME_UNITS)):
        return out
    # Both read the lower-cased text too: lower-cased once, here.
    out = _with_phrases(out, relative_quantities(text, published=published, lowered=lowered))
    return _with_phrases(out, article_durations(text, lowered=lowered))


# Every relative time and every duration with an article names one of these ("yesterday",
# "weekend" too); most sentences name none.
_TIME_UNITS = (
    "day", "week", "month", "year", "fortnight", "decade", "centur", "hour", "minute", "second",
)  # fmt: skip


def _overlaps(q: Quantity, others: list[Quantity]) -> bool:
    return any(q.start < o.end and o.start < q.end for o in others)


def _with_phrases(found: list[Quantity], phrases: list[Quantity]) -> list[Quantity]:
    """The quantities found with phrases read apart (relative times, "an hour") among them: a
    phrase replaces what it overlaps ("two weeks" of "two weeks ago"), unless that is a date,
    a weekday ("last Friday") or a relative time."""
    if not phrases:
        return found
    kept_kinds = [q for q in found if q.kind in ("date", "weekday")]
    phrases = [p for p in phrases if not _overlaps(p, kept_kinds)]
    return sorted([q for q in found if not _overlaps(q, phrases)] + phrases, key=lambda q: q.start)


def _finish(text: str, a: _Amount) -> tuple[Quantity | None, int]:
    """The quantity that amount `a` starts, and where scanning resumes."""
    prefix = _PREFIX_FOUND_RE.search(text, max(0, a.start - _PREFIX_WINDOW), a.start)
    if prefix is not None and prefix.start() == a.start:
        prefix = None
    qualifier = between = era = ""
    aged = poss = False
    if prefix is not None:
        if prefix.group("q") is not None:
            qualifier = " ".join(prefix.group("q").lower().split())
        elif prefix.group("sym") is not None:
            qualifier = prefix.group("sym")
        between = (prefix.group("btw") or "").lower()
        era = (prefix.group("era") or prefix.group("pera") or "").lower()
        aged = prefix.group("aged") is not None
        poss = prefix.group("poss") is not None
    if a.plain and not a.currency and not qualifier and not between:
        rank = _RANK_RE.search(text, max(0, a.start - 4), a.start)
        if (
            rank is not None
            and not _NAME_NEXT_RE.match(text, a.end)
            and _LABEL_RE.search(text, max(0, rank.start() - 16), rank.start()) is None
        ):
            a.kind = "ordinal"  # "ranked No. 248 on its list", not "Flight No. 17"
        elif _LABEL_RE.search(text, max(0, a.start - 16), a.start) is not None:
            return None, a.end
        if len(a.plain) <= 2 and _list_marker(text, a):
            return None, a.end
        if (
            len(a.plain) <= 3
            and not a.kind
            and text.startswith(",", a.end)
            and 0 < int(a.plain) <= 120
            and _APPOSITIVE_AGE_RE.search(text, max(0, a.start - 40), a.start)
        ):
            aged = True  # "Jess Smith, 19, said": an age in apposition

    low, high = (a.x, a.x) if math.isnan(a.low) else (a.low, a.high)
    kind, unit, end = a.kind, a.unit, a.end
    value_is_low = not math.isnan(a.low)
    ranged = False
    # A range: "50 to 60", "50-60", "between 50 and 60", "2012–13".
    rng = _RANGE_RE.match(text, a.end) if not a.trail and not a.decade else None
    if rng is not None:
        joined = _join_range(text, a, rng, between, prefix.start() if prefix else a.start, aged)
        if joined is not None:
            low, high, kind, unit, end, value_is_low = joined
            ranged = True

    # The kind, when no unit settled it.
    if a.currency and kind in ("", "count"):
        kind, unit = "money", a.currency
    elif a.decade:
        base = float(a.plain) if poss else _decade_base(a.plain)
        lo_off, hi_off = _ERA.get(era, (0.0, 9.0))
        low, high = base + lo_off, base + hi_off
        value_is_low = True
        kind, unit = ("age", "years") if poss else ("year", "decade")
    elif aged and kind in ("", "count"):
        kind, unit = "age", "years"
    elif not kind:
        year = a.plain and len(a.plain) == 4 and _is_year(text, a, qualifier)
        kind = "year" if year else "count"
    if kind == "year":
        value_is_low = True
    if kind == "ordinal":
        qualifier = ""

    # Where the surface starts: the earliest prefix part that belongs to this quantity.
    start = a.start
    if prefix is not None:
        if between and ranged:
            start = prefix.start("btw")
        elif qualifier:
            start = prefix.start("q") if prefix.group("q") is not None else prefix.start("sym")
        dated, age = kind in ("year", "age"), kind == "age"
        for group, used in (("era", dated), ("pera", dated), ("aged", age), ("poss", age)):
            if used and prefix.group(group) is not None:
                start = min(start, prefix.start(group))
    if era and not qualifier and kind in ("year", "age"):
        qualifier = era

    rate = _rate(text, end, kind, unit)
    if rate is not None:
        unit, end = rate
    qualifier = qualifier or a.trail
    low, high, value = _apply_qualifier(qualifier, low, high, kind, value_is_low)
    return Quantity(text[start:end], start, end, low, high, value, kind, unit, qualifier), end


def _list_marker(text: str, a: _Amount) -> bool:
    """'1.' or '2)' opening a sentence or line, followed by a space or the end."""
    if a.end >= len(text) or text[a.end] not in ".)":
        return False
    if a.end + 1 < len(text) and not text[a.end + 1].isspace():
        return False
    i = a.start - 1
    while i >= 0 and text[i] in " \t(•*-":
        i -= 1
    return i < 0 or text[i] in "\n\r"
