"""Years, decades and calendar dates: "1950", "the early 2000s", "June 20, 2024", "June 2024"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.core.numbers.quantity import Quantity, _Amount

_MONTH_NUM = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}  # fmt: skip
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_PEOPLE_NOUNS = frozenset(
    """people persons men women children soldiers troops residents workers employees students
    deaths cases votes voters refugees migrants civilians police officers users""".split()
)
_YEAR_PREPS = frozenset(
    """in since by from until till to of before after during year years early late mid
    between and or through around circa spring summer autumn fall winter fiscal fy budget
    census election elections class""".split()
)
_ERA = {"early": (0.0, 3.0), "mid": (3.0, 6.0), "late": (6.0, 9.0)}

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_DATE = (
    rf"(?P<mon1>{_MONTH})\s+(?P<day1>{_DAY})\b(?:,?\s+(?P<yr1>{_YEAR})\b)?"
    rf"|(?<![\w.,/])(?P<day2>{_DAY})\s+(?:of\s+)?(?P<mon2>{_MONTH})(?:\b|(?<=\.))"
    rf"(?:,?\s+(?P<yr2>{_YEAR})\b)?"
    rf"|(?P<mon3>{_MONTH})(?<!May),?\s+(?P<yr3>{_YEAR})\b"
)
_NEXT_WORD_RE = re.compile(r"[ \t]*([A-Za-z]+)")


def _is_year(text: str, a: _Amount, qualifier: str) -> bool:
    n = int(a.plain)
    nxt = _NEXT_WORD_RE.match(text, a.end)
    next_word = nxt.group(1) if nxt is not None else ""
    if next_word in _PEOPLE_NOUNS:
        return False  # "2000 people"
    if qualifier and next_word[:1].islower() and next_word.endswith("s"):
        return False  # "about 2000 soldiers"
    if 1900 <= n <= 2100:
        return True
    if 1000 <= n < 1900:
        before = text[max(0, a.start - 12) : a.start].split()
        return bool(before) and before[-1].lower().strip("(,") in _YEAR_PREPS
    return False


def _decade_base(plain: str) -> float:
    n = int(plain)
    if len(plain) == 2:
        n += 2000 if n <= 20 else 1900
    return float(n)


def _date_quantity(text: str, m: re.Match[str], published: date | None) -> Quantity | None:
    mon = m.group("mon1") or m.group("mon2") or m.group("mon3")
    month = _MONTH_NUM.get(mon.rstrip(".").lower())
    if month is None:
        return None
    day_text = m.group("day1") or m.group("day2")
    year_text = m.group("yr1") or m.group("yr2") or m.group("yr3")
    surface = m.group("date")
    start, end = m.start("date"), m.end("date")
    if day_text is None:  # "June 2024": the whole month
        year = int(year_text)
        last = _MONTH_DAYS[month - 1] if month != 2 else (29 if _leap(year) else 28)
        low = float(year * 10000 + month * 100 + 1)
        high = float(year * 10000 + month * 100 + last)
        return Quantity(surface, start, end, low, high, low, "date", "yyyymmdd", "")
    day = int(day_text.rstrip("stndrh"))
    if day > _MONTH_DAYS[month - 1]:
        return None
    if year_text is not None:
        year = int(year_text)
    elif published is not None:
        year = published.year
        try:
            if date(year, month, day) > published + timedelta(days=183):
                year -= 1
        except (ValueError, OverflowError):  # 29 February, or a date at the end of time
            year -= 1
    else:
        value = float(month * 100 + day)
        return Quantity(surface, start, end, value, value, value, "date", "mmdd", "")
    if month == 2 and day == 29 and not _leap(year):
        return None
    value = float(year * 10000 + month * 100 + day)
    return Quantity(surface, start, end, value, value, value, "date", "yyyymmdd", "")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
