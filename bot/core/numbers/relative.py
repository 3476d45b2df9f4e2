"""Times relative to the day an article was published: "10 days ago", "a year ago", "last
week", "earlier this month", "late last month", "this year", "in the past week", "the past
eight years", "yesterday", "today", "over the weekend".

With ``published`` each is a date interval (kind ``date``, unit "yyyymmdd": "last week" is
the calendar week before the published one, "last month" the month before) or, when it names
years ("last year", "three years ago", "the past eight years"), kind ``year``. Without it, it
is kind ``date`` in unit "days ago": the interval of days before publication it can name
whatever the published day ("last month" is 1-61 days ago, "a year ago" 1-730, "this week"
0-6; a future time, "next week", is negative), with ``value`` the offset as written (10 for
"10 days ago", 30 for "last month"). Such a date is compared with another in days ago only.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bot.core.numbers.quantity import Quantity
from bot.core.numbers.words import _SMALL, _TENS

DAYS_AGO = "days ago"  # the unit of a relative time not resolved against a published day

_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "decade": 3652}
_COUNT = r"\d{1,3}|an?|a\s+few|a\s+couple\s+of|few|several|" + "|".join(
    sorted([*_SMALL, *_TENS], key=len, reverse=True)
)
_UNIT = r"(?P<unit>day|week|fortnight|month|year|decade)s?"
# "N units ago"; "the past N units" (up to now); "last / this / next week" with its part
# ("earlier this year", "late last month"); "yesterday", "today"; the weekend.
_RELATIVE_RE = re.compile(
    r"(?=[0-9a-zA-Z])\b(?i:"
    rf"(?P<ago>(?:(?P<n>{_COUNT})[\s-]+)?{_UNIT}\s+ago)"
    rf"|(?P<past>(?:the\s+|this\s+)(?:past|last)\s+(?:(?P<pn>{_COUNT})\s+)?"
    r"(?P<punit>day|week|fortnight|month|year|decade)s?)"
    r"|(?P<cal>(?:(?P<era>early|earlier|late|later|mid)(?:\s+|-))?(?:in\s+)?"
    r"(?P<rel>last|this|next)\s+(?P<cunit>week|month|year))"
    r"|(?P<wkend>(?:over|at|during|on)\s+the\s+weekend|(?P<wrel>this|last)\s+weekend)"
    r"|(?P<day>yesterday|today)"
    r")\b(?!-)"
)
_FEW = (2, 9)  # "a few", "several", a bare plural ("days ago"): between 2 and 9 units


def _count(text: str | None, plural: bool) -> tuple[int, int] | None:
    """The number of units a count names, as an interval; None when it names none."""
    if text is None:
        return _FEW if plural else (1, 1)
    low = " ".join(text.lower().split())
    if low in ("a", "an"):
        return (1, 1)
    if low in ("a few", "few", "several", "a couple of"):
        return (2, 3) if low == "a couple of" else _FEW
    if low.isdigit():
        return (int(low), int(low))
    n = _SMALL.get(low, _TENS.get(low))
    return None if n is None else (n, n)


# Every relative time holds one of the first words, or one of the second with a unit.
_OWN_WORDS = ("ago", "yesterday", "today", "weekend")
_RELATION_WORDS = ("last", "this", "next", "past")


def _may_hold_one(lowered: str) -> bool:
    """Whether a lower-cased text may hold a relative time (most sentences do not: nothing to
    search). (Each ``any(map(lowered.__contains__, ...))`` is the test ``any(w in lowered for w
    in ...)`` without a Python frame per word, here and in the other numbers modules.)"""
    has = lowered.__contains__
    if any(map(has, _OWN_WORDS)):
        return True
    return any(map(has, _RELATION_WORDS)) and any(map(has, _UNIT_DAYS))


def relative_quantities(
    text: str, *, published: date | None = None, lowered: str | None = None
) -> list[Quantity]:
    """The relative times of `text` (module docstring), in order; `lowered` is the text
    lower-cased, when the caller has it (``find_quantities`` does)."""
    if not _may_hold_one(text.lower() if lowered is None else lowered):
        return []
    out = []
    for m in _RELATIVE_RE.finditer(text):
        q = _relative(m, published)
        if q is not None:
            out.append(q)
    return out


def _relative(m: re.Match[str], published: date | None) -> Quantity | None:
    surface, start, end = m.group(), m.start(), m.end()
    if m.group("ago") is not None:
        unit = m.group("unit").lower()
        count = _count(m.group("n"), plural=m.group("unit") != m.group("ago").split()[-2])
        if count is None or (count == (0, 0)):
            return None
        return _ago(surface, start, end, unit, count, published)
    if m.group("past") is not None:
        unit = m.group("punit").lower()
        count = _count(m.group("pn"), plural=False)
        if count is None:
            return None
        return _past(surface, start, end, unit, count[1], published)
    if m.group("cal") is not None:
        rel, unit = m.group("rel").lower(), m.group("cunit").lower()
        era = (m.group("era") or "").lower()
        return _calendar(surface, start, end, rel, unit, era, published)
    if m.group("wkend") is not None:
        return _weekend(surface, start, end, (m.group("wrel") or "").lower(), published)
    word = m.group("day").lower()
    back = 1 if word == "yesterday" else 0
    return _days(surface, start, end, (back, back), back, published, word)


def _days(
    surface: str,
    start: int,
    end: int,
    back: tuple[int, int],
    value: int,
    published: date | None,
    qualifier: str,
) -> Quantity | None:
    """A time `back` (fewest, most) days before publication."""
    if published is None:
        low, high = float(back[0]), float(back[1])
        return Quantity(surface, start, end, low, high, float(value), "date", DAYS_AGO, qualifier)
    try:
        first, last = published - timedelta(days=back[1]), published - timedelta(days=back[0])
    except OverflowError:
        return None
    return _dated(surface, start, end, first, last, qualifier)


def _weekend(
    surface: str, start: int, end: int, rel: str, published: date | None
) -> Quantity | None:
    """The weekend: the latest Saturday and Sunday up to publication ("last weekend" the one
    before when published on a weekend)."""
    if published is None:
        back = (1, 8) if rel == "last" else (0, 6)
        return _days(surface, start, end, back, back[1] - 1, published, "weekend")
    saturday = (published.weekday() - 5) % 7  # days back to the latest Saturday
    if rel == "last" and saturday < 2:
        saturday += 7
    back = (max(saturday - 1, 0), saturday)
    return _days(surface, start, end, back, back[1], published, "weekend")


def _dated(surface: str, start: int, end: int, first: date, last: date, qualifier: str) -> Quantity:
    low, high = float(_yyyymmdd(first)), float(_yyyymmdd(last))
    return Quantity(surface, start, end, low, high, low, "date", "yyyymmdd", qualifier)


def _yyyymmdd(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _years(surface: str, start: int, end: int, first: int, last: int, qualifier: str) -> Quantity:
    low, high = float(first), float(last)
    return Quantity(surface, start, end, low, high, low, "year", "", qualifier)


def _ago(
    surface: str, start: int, end: int, unit: str, count: tuple[int, int], published: date | None
) -> Quantity | None:
    """What "N units ago" names: N units back from publication (calendar months and years
    when published is known; else days, give or take a unit for months and years)."""
    size = _UNIT_DAYS[unit]
    if unit in ("year", "decade") and published is not None:
        years = 10 if unit == "decade" else 1
        first, last = published.year - count[1] * years, published.year - count[0] * years
        return _years(surface, start, end, first, last, "ago")
    if unit == "month" and published is not None:
        return _months_back(surface, start, end, count, published, "ago")
    if size <= 14:  # days, weeks: as counted, a week is give or take three days
        slack = 3 if size == 7 else 0
        back = (count[0] * size - slack, count[1] * size + slack)
    else:  # the month or year N back, whatever day of it
        back = ((count[0] - 1) * size + 1, (count[1] + 1) * size)
    return _days(surface, start, end, back, count[0] * size, published, "ago")


def _months_back(
    surface: str, start: int, end: int, count: tuple[int, int], published: date, qualifier: str
) -> Quantity | None:
    """The calendar months `count` (fewest, most) back from the published one."""
    index = published.year * 12 + published.month - 1
    early, late = index - count[1], index - count[0]
    if early < 12 or late >= 12 * 10000:
        return None
    first = date(early // 12, early % 12 + 1, 1)
    last_year, last_month = late // 12, late % 12 + 1
    last = date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])
    return _dated(surface, start, end, first, last, qualifier)


def _past(
    surface: str, start: int, end: int, unit: str, count: int, published: date | None
) -> Quantity | None:
    """What "the past N units" names: from N units before publication up to it."""
    if unit in ("year", "decade") and published is not None:
        years = count * (10 if unit == "decade" else 1)
        return _years(surface, start, end, published.year - years, published.year, "past")
    size = _UNIT_DAYS[unit]
    return _days(surface, start, end, (0, count * size), count * size, published, "past")


# The part of a month "early" / "mid" / "late" name, as in ``dates``.
_MONTH_ERA = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_STEP = {"last": -1, "this": 0, "next": 1}
# Days before publication each can name, unresolved: (fewest, most).
_UNRESOLVED = {
    ("last", "week"): (1, 13),
    ("this", "week"): (-6, 6),
    ("next", "week"): (-13, -1),
    ("last", "month"): (1, 61),
    ("this", "month"): (-30, 30),
    ("next", "month"): (-61, -1),
    ("last", "year"): (1, 730),
    ("this", "year"): (-365, 365),
    ("next", "year"): (-730, -1),
}


def _calendar(
    surface: str, start: int, end: int, rel: str, unit: str, era: str, published: date | None
) -> Quantity | None:
    """What "last / this / next week, month or year" names, or a part of it ("earlier this
    year"): the calendar period, up to or from the published day for "earlier" / "later"."""
    qualifier = f"{era} {rel}".strip()
    if published is None:
        back = _UNRESOLVED[(rel, unit)]
        if rel == "this" and era == "earlier":
            back = (0, back[1])
        elif rel == "this" and era == "later":
            back = (back[0], 0)
        size = _UNIT_DAYS[unit]
        return _days(surface, start, end, back, -_STEP[rel] * size, published, qualifier)
    step = _STEP[rel]
    try:
        if unit == "year":
            year = published.year + step
            if era in ("early", "earlier", "late", "later", "mid"):
                first, last = date(year, 1, 1), date(year, 12, 31)
                first, last = _part(first, last, era, published)
                return _dated(surface, start, end, first, last, qualifier)
            return _years(surface, start, end, year, year, qualifier)
        if unit == "month":
            index = published.year * 12 + published.month - 1 + step
            year, month = index // 12, index % 12 + 1
            days = calendar.monthrange(year, month)[1]
            first, last = date(year, month, 1), date(year, month, days)
            if era in _MONTH_ERA:
                low, high = _MONTH_ERA[era]
                first, last = date(year, month, low), date(year, month, min(high, days))
            else:
                first, last = _part(first, last, era, published)
            return _dated(surface, start, end, first, last, qualifier)
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
        first, last = _part(monday, monday + timedelta(days=6), era, published)
        return _dated(surface, start, end, first, last, qualifier)
    except (ValueError, OverflowError):  # a published day at the ends of the calendar
        return None


def _part(first: date, last: date, era: str, published: date) -> tuple[date, date]:
    """The part of a period "earlier" / "later" name (before or after the published day, when
    it falls inside), or "early" / "mid" / "late" (its first, middle or last third)."""
    if era == "earlier" and first <= published <= last:
        return first, published
    if era == "later" and first <= published <= last:
        return published, last
    third = (last - first) // 3
    if era == "early":
        return first, first + third
    if era == "mid":
        return first + third, last - third
    if era == "late":
        return last - third, last
    return first, last
