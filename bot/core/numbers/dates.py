"""Years, decades, dates and months: "1950", "the early 2000s", "June 20, 2024", "June 2024",
"in January", "mid-August", "mid-Feb", "this past August", "early September 2014", and days
named for a date: "Valentine's Day", "Christmas Eve 2013"."""

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
# Days named for what falls on them, on the same day every year ("Valentine's Day", "Christmas
# Eve"): month and day, by the name's letters alone. Only the names that say "Day", "Eve" or
# "Night": "Christmas" alone is as often a season or a tree.
HOLIDAYS = {
    "valentinesday": (2, 14), "christmaseve": (12, 24), "xmaseve": (12, 24),
    "christmasday": (12, 25), "boxingday": (12, 26), "newyearseve": (12, 31),
    "newyearsday": (1, 1), "stpatricksday": (3, 17), "bastilleday": (7, 14),
    "guyfawkesnight": (11, 5), "bonfirenight": (11, 5), "aprilfoolsday": (4, 1),
}  # fmt: skip
# The first words of ``_HOLIDAY``'s names (where ``find_quantities`` tries a match).
HOLIDAY_STARTS = (
    "Valentine", "St", "New", "April", "Christmas", "Xmas", "Boxing", "Bastille", "Guy", "Bonfire",
)  # fmt: skip
_HOLIDAY = (
    r"(?:Valentine['’]?s|St\.?\s+Patrick['’]?s|New\s+Year['’]?s|April\s+Fools['’]?"
    r"|Christmas|Xmas|Boxing|Bastille)\s+(?i:day|eve)\b|(?:Guy\s+Fawkes|Bonfire)\s+(?i:night)\b"
)
_DATE = (
    rf"(?P<hol>{_HOLIDAY})(?:,?\s+(?:of\s+)?(?P<yr4>{_YEAR})\b)?"
    rf"|(?P<mon1>{_MONTH})\s+(?P<day1>{_DAY})\b(?:,?\s+(?P<yr1>{_YEAR})\b)?"
    rf"|(?<![\w.,/])(?P<day2>{_DAY})\s+(?:of\s+)?(?P<mon2>{_MONTH})(?:\b|(?<=\.))"
    rf"(?:,?\s+(?P<yr2>{_YEAR})\b)?"
    rf"|(?P<mon3>{_MONTH}),?\s+(?P<yr3>{_YEAR})\b"
    r"|(?P<mon4>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?P<abbr>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec))\b"
)
# Before a month without a day: what makes "January" a month ("in January", "mid-August").
# "May" is also a verb and a name, so it needs one of the few words that leave no doubt.
_MONTH_PREFIX_RE = re.compile(
    r"(?:(?P<era>\b(?i:early|mid|late))(?:\s+|-)"
    r"|(?P<rel>\b(?i:last|next|(?:this\s+)?past))\s+"
    r"|(?P<prep>\b(?:in|In|since|Since|by|By|until|Until|till|from|From|during|During|through"
    r"|before|Before|after|After|of|to|and|or|between|Between|this|This))\s+)$"
)
_MAY_PREPS = frozenset({"in", "since"})
# The part of a month "early" / "mid" / "late" name: days 1-10, 11-20, 21 to the end.
_MONTH_ERA = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
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


def _date_quantity(
    text: str, m: re.Match[str], published: date | None, floor: int = 0
) -> Quantity | None:
    holiday = m.group("hol")
    if holiday is not None:
        key = "".join(ch for ch in holiday.lower() if ch.isalpha())
        if key not in HOLIDAYS:
            return None
        month, day = HOLIDAYS[key]
        year_text = m.group("yr4")
    else:
        mon = m.group("mon1") or m.group("mon2") or m.group("mon3") or m.group("mon4")
        found = _MONTH_NUM.get(mon.rstrip(".").lower())
        if found is None:
            return None
        month = found
        day_text = m.group("day1") or m.group("day2")
        if day_text is None:
            return _month_quantity(text, m, month, published, floor)
        year_text = m.group("yr1") or m.group("yr2")
        day = int(day_text.rstrip("stndrh"))
    surface = m.group("date")
    start, end = m.start("date"), m.end("date")
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


def _month_quantity(
    text: str, m: re.Match[str], month: int, published: date | None, floor: int
) -> Quantity | None:
    """A month without a day ("June 2024", "in January", "mid-August"): an interval of days."""
    start, end = m.start("date"), m.end("date")
    prefix = _MONTH_PREFIX_RE.search(text, max(floor, start - 12), start)
    era = rel = ""
    if prefix is not None:
        era = (prefix.group("era") or "").lower()
        rel = (prefix.group("rel") or "").lower()
        if rel.endswith("past"):  # "this past August" is the last one
            rel = "last"
        if era or rel:
            start = prefix.start()
    year_text = m.group("yr3")
    if year_text is not None:
        year: int | None = int(year_text)
    else:  # a bare month needs a word that makes it one
        if prefix is None or (m.group("abbr") is not None and not (era or rel)):
            return None  # "mid-Feb" is a month, "Jan" alone may be a name
        if month == 5 and not (era or rel or prefix.group("prep").lower() in _MAY_PREPS):
            return None
        year = _month_year(month, published, rel)
    first, last = _MONTH_ERA.get(era, (1, 31))
    last = min(last, _MONTH_DAYS[month - 1])
    if year is None:
        low, high, unit = float(month * 100 + first), float(month * 100 + last), "mmdd"
    else:
        if month == 2 and last == 29 and not _leap(year):
            last = 28
        base = year * 10000 + month * 100
        low, high, unit = float(base + first), float(base + last), "yyyymmdd"
    return Quantity(text[start:end], start, end, low, high, low, "date", unit, era or rel)


def _month_year(month: int, published: date | None, rel: str) -> int | None:
    """The year of a bare month: "last" / "next" one, else not more than ~6 months ahead."""
    if published is None:
        return None
    year = published.year
    if rel == "last":
        return year if month < published.month else year - 1
    if rel == "next":
        return year if month > published.month else year + 1
    return year if month - published.month <= 6 else year - 1


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
