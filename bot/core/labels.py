"""Labels: how two figures that state the same quantity compare (the annotation guide's
definitions: ``different_period``, ``different_scope``, ``agree``, ``update``, ``conflict``, in
that order of precedence).

Two figures agree when a reader would take them as the same value:

- the same figure with the same qualifier ("more than 50" and "more than 50");
- a figure and a rounder spelling of it, for measures ("$349" and "$350", "12 metres" and
  "40ft"), not for counts, ages or years ("140 women" and "138 women" disagree);
- a range or a bound that holds the other figure ("more than 50" and "50 to 60", "about 300"
  and "300"), where "about" allows 5% either way and "nearly" 10% below, the figure itself
  included ("nearly 30" and "28", "nearly an hour" and "an hour" agree), and "more than"
  leaves its figure out where "at least" keeps it ("more than 400" and "nearly 400" disagree,
  "more than 130" and "at least 135" agree).

The same qualifier with another figure is a conflict ("more than 50 bodies" and "more than 40
bodies", "less than 48 hours" and "less than 48 minutes"): the qualifier is the outlet's way of
saying the figure, not room for another one. So are two ranges with other ends ("13 to 15" and
"between 13 and 14"), a vague plural and the next scale word ("hundreds" and "a thousand"), and
a figure denied against the same figure stated ("did not make $72 million" and "worth $72
million").

A count of others and a count one more agree: "Stevens and three other Americans" are the "four
Americans" killed.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date

from bot.core.claims import Claim, overlap, same_counted, same_sentence
from bot.core.numbers.qualifiers import strict_bound
from bot.core.numbers.relative import DAYS_AGO
from bot.core.numbers.units import duration_unit
from bot.core.vocabulary import Label

# Figures of these kinds are measured, and often rounded or converted between units.
_MEASURES = frozenset({"money", "percent", "distance", "weight"})
_CONVERTED = frozenset({"distance", "weight"})  # miles and km, pounds and kg
_CONVERSION = 0.025
_APPROX = 0.05
_NEAR = 0.1

# Running counts: a later, higher figure is an update, not a conflict.
_RUNNING = frozenset(
    "kill dead death die fatal toll injur wound miss case arrest detain displac evacu".split()
)


def shape(claim: Claim) -> str:
    """How the figure is qualified, read off its interval: exact, lower, upper, approx, near,
    or range (a range, a vague plural, a decade)."""
    low, high, value = claim.low, claim.high, claim.value
    if low == high:
        return "exact"
    if math.isinf(high):
        return "lower"
    if low == 0 and high == value and value > 0:
        return "upper"
    if value > 0 and math.isclose(low, 0.9 * value) and math.isclose(high, 1.1 * value):
        return "approx"
    if value > 0 and math.isclose(low, 0.9 * value) and high == value:
        return "near"
    return "range"


def _significant(x: float) -> int:
    """Significant digits of a figure as written (trailing zeros of an integer not counted)."""
    if x == 0 or math.isinf(x) or math.isnan(x):
        return 0
    digits = f"{abs(x):.6g}".replace(".", "").lstrip("0")
    if "e" in digits:
        digits = digits.split("e")[0]
    return max(1, len(digits.rstrip("0")))


def _same_value(a: Claim, b: Claim) -> bool:
    """Two figures taken as one value: equal, a rounder spelling of a measure, or a unit
    conversion."""
    va, vb = a.value, b.value
    if va == vb:
        return True
    if a.kind == b.kind == "duration":
        return _same_duration(a, b)
    if a.kind not in _MEASURES or b.kind not in _MEASURES:
        return False
    if a.kind in _CONVERTED and _converted(va, vb):
        return True
    return _rounder(va, vb)


def _converted(va: float, vb: float) -> bool:
    """Whether two values differ only as much as a unit conversion rounds them."""
    return abs(va - vb) <= _CONVERSION * max(abs(va), abs(vb))


def _same_duration(a: Claim, b: Claim) -> bool:
    """Two durations written in two units, compared in the coarser: "12 months" is "a year",
    "29 years" rounds to "three decades" (not "28 years"). Written in one unit they are
    counts of it, not rounded ("24 years" / "25 years")."""
    ua, ub = duration_unit(a.surface), duration_unit(b.surface)
    if ua is None or ub is None or ua[1] == ub[1]:
        return False
    days = max(ua[1], ub[1])
    va, vb = a.value / days, b.value / days
    return _converted(va, vb) or _rounder(va, vb)


def _rounder(va: float, vb: float) -> bool:
    """Whether one value is a rounder spelling of the other ("$350" of "$349")."""
    coarse, fine = (va, vb) if _significant(va) <= _significant(vb) else (vb, va)
    digits = _significant(coarse)
    if fine == 0 or digits == 0:
        return False
    scale = 10 ** (math.floor(math.log10(abs(fine))) - digits + 1)
    # A rounder spelling stays near the figure: "$349" for "$350", not "$2 million" for
    # "$2.5 million" (a quarter off, whatever the digits).
    near = abs(fine - coarse) <= _APPROX * abs(fine)
    return near and math.isclose(round(fine / scale) * scale, coarse, rel_tol=1e-9)


def _interval(claim: Claim, kind: str) -> tuple[float, float]:
    if kind == "approx":
        return (1 - _APPROX) * claim.value, (1 + _APPROX) * claim.value
    if kind == "near":  # "nearly 400": up to 400
        return (1 - _NEAR) * claim.value, claim.value
    return claim.low, claim.high


def _meet(a: Claim, sa: str, b: Claim, sb: str) -> bool:
    """Whether the intervals of two figures share a value, a strict bound's own figure left
    out of it ("more than 400" against "nearly 400": no)."""
    (la, ha), (lb, hb) = _interval(a, sa), _interval(b, sb)
    low, high = max(la, lb), min(ha, hb)
    if low != high:
        return low < high
    for c, s_, lo, hi in ((a, sa, la, ha), (b, sb, lb, hb)):
        at_bound = (s_ == "lower" and lo == low) or (s_ == "upper" and hi == high)
        if at_bound and strict_bound(c.surface):
            return False
    return True


def _as_comparable(a: Claim, b: Claim) -> tuple[Claim, Claim]:
    """Two dates, or a date and a year, on one scale: a date without its year against a dated
    one compares month and day; a date against a year compares years."""
    if a.kind == "date" and b.kind == "date" and {a.unit, b.unit} == {"yyyymmdd", "mmdd"}:
        return _month_day(a), _month_day(b)
    if {a.kind, b.kind} == {"date", "year"}:
        return _year_of(a), _year_of(b)
    return a, b


def _month_day(c: Claim) -> Claim:
    if c.unit != "yyyymmdd":
        return c
    return replace(c, low=c.low % 10000, high=c.high % 10000, value=c.value % 10000, unit="mmdd")


def _year_of(c: Claim) -> Claim:
    if c.kind != "date" or c.unit != "yyyymmdd":
        return c
    return replace(c, low=c.low // 10000, high=c.high // 10000, value=c.value // 10000, kind="year")


_WHEN = frozenset({"date", "year", "weekday"})


def _one_more(others: Claim, total: Claim) -> bool:
    """Whether a count of others is the other count less the one its sentence names: "Stevens
    and three other Americans" are four Americans, "he and two other marines" three."""
    return (
        others.kind == total.kind == "count"
        and others.counted_text.startswith("other ")
        and not total.counted_text.startswith("other ")
        and others.value + 1 == total.value
    )


# A weekday and a date: on one scale only when the date names one day of a known year.
WEEKDAY_DATE = frozenset(("weekday", "date"))


def _weekday_of(claim: Claim) -> int | None:
    """The weekday (Monday = 0) of a date that names one day of a known year, else None."""
    if claim.unit != "yyyymmdd" or claim.low != claim.high:
        return None
    n = int(claim.low)
    try:
        return date(n // 10000, n // 100 % 100, n % 100).weekday()
    except ValueError:
        return None


def _scale(claim: Claim) -> str:
    """What a time is counted in: days (a duration, a time not resolved to the calendar: "10
    days ago"), the calendar (dates and years), or the days of the week."""
    if claim.kind == "duration" or claim.unit == DAYS_AGO:
        return "days"
    if claim.kind in ("date", "year"):
        return "calendar"
    return claim.kind


def compatible(a: Claim, b: Claim) -> bool:
    """Whether a reader would take the two figures as the same value (see the module)."""
    isnan = math.isnan
    if isnan(a.low) or isnan(a.high) or isnan(b.low) or isnan(b.high):
        return True
    if _one_more(a, b) or _one_more(b, a):
        return True
    if {a.kind, b.kind} == WEEKDAY_DATE:
        weekday, day = (a, b) if a.kind == "weekday" else (b, a)
        named = _weekday_of(day)
        if named is not None:  # "Saturday" against "September 7, 2014", a Sunday
            return named == weekday.value
    if _scale(a) != _scale(b) and {a.kind, b.kind} & _WHEN:
        return True  # a weekday and a date, a relative time and a date: not on one scale
    if a.kind == "date" and b.kind == "date" and "mmdd" in (a.unit, b.unit) and a.unit != b.unit:
        a, b = _as_comparable(a, b)
    elif a.kind != b.kind and {a.kind, b.kind} == {"date", "year"}:
        a, b = _as_comparable(a, b)
        if a.kind != b.kind:  # a date without its year says nothing of the year
            return True
    sa, sb = shape(a), shape(b)
    # "more than 50" and "more than 40" disagree; "more than 130" and "at least 135", bounds
    # of two sorts, are compared as intervals
    one_sort = sa not in ("lower", "upper") or strict_bound(a.surface) == strict_bound(b.surface)
    if sa == sb and sa != "range" and one_sort:
        return _same_value(a, b)
    if _explicit_range(a, sa) and _explicit_range(b, sb):  # "13 to 15" is not "13 to 14"
        return _same_bounds(a, b)
    if sa == "exact" and sb == "exact":
        return _same_value(a, b)
    # A rounder spelling of the other figure agrees, not a "nearly" (it is the outlet's
    # reading of the figure, not a rounding of it).
    return _meet(a, sa, b, sb) or ("near" not in (sa, sb) and _same_value(a, b))


def _explicit_range(claim: Claim, shape_: str) -> bool:
    """Whether a figure is written as a range of two numbers ("13 to 15", "between 13 and
    14"), not a vague plural or a bound: its value is the middle of its bounds."""
    return shape_ == "range" and math.isclose(claim.value, (claim.low + claim.high) / 2)


def _same_bounds(a: Claim, b: Claim) -> bool:
    """Two ranges with the same ends, each end read as a value (a measure may be rounded)."""
    return _same_value(replace(a, value=a.low), replace(b, value=b.low)) and _same_value(
        replace(a, value=a.high), replace(b, value=b.high)
    )


# A figure said not to hold ("did not make $72 million", "there was no $72 million", "no
# 'eight figures'"): a denial contradicts the same figure stated as a fact. A negation further
# back denies the verb, not the figure ("has not been seen for 10 days"), and one before a
# qualifier or a time word is part of it ("no more than 50", "not until 2012", "not in 10 years").
_DENIED_RE = re.compile(
    r"(?:\b(?:no|not|never)|n['’]t)\s+"
    r"(?:(?!(?:more|less|fewer|than|only|just|over|under|above|below|least|later|earlier|until"
    r"|before|after|since|for|in|within|by)\b)[a-z]+\s+)?[\"“‘']?$",
    re.IGNORECASE,
)
_DENIAL_REACH = 24  # characters before the figure a denial is looked for in


def _before(claim: Claim, reach: int) -> str | None:
    """The `reach` characters of the sentence before the figure, None when it is not found."""
    at = claim.sentence.find(claim.surface)
    return None if at < 0 else claim.sentence[max(0, at - reach) : at]


def denied(claim: Claim) -> bool:
    """Whether the sentence says the figure does not hold (see ``_DENIED_RE``)."""
    before = _before(claim, _DENIAL_REACH)
    return before is not None and _DENIED_RE.search(before) is not None


# A figure stated as a tally so far: in the present (or past) perfect right before it ("has
# since received 200,000 views", "has been viewed more than 610,000 times", "had racked up
# 27 million"), or with a word that dates it to the writing ("so far", "to date", "as of").
# Two tallies that differ were counted at different times: an update, not a conflict.
_PERFECT_RE = re.compile(
    r"\b(?:has|have|had)\s+(?:(?:\w+ly|since|now|already)\s+)?(?:been\s+)?"
    r"(?:\w+ed|\w+en|made|won|got|seen|told|held|put|paid|sold|brought|caught|found|hit)\b"
    r"(?:\s+\S+){0,5}\s*$",
    re.IGNORECASE,
)
_SO_FAR_RE = re.compile(r"\b(?:so far|to date|thus far|as of|has since|have since)\b", re.I)
_TALLY_REACH = 60  # characters before the figure its verb is looked for in


def tally(claim: Claim) -> bool:
    """Whether the sentence states the figure as a tally so far (see ``_PERFECT_RE``)."""
    before = _before(claim, _TALLY_REACH)
    if before is None:
        return False
    return bool(_PERFECT_RE.search(before) or _SO_FAR_RE.search(claim.sentence))


def _running(a: Claim, b: Claim) -> bool:
    words = f"{a.counted} {b.counted} {a.predicate} {b.predicate}".split()
    return any(w.startswith(prefix) for w in words for prefix in _RUNNING)


def other_periods(a: Claim, b: Claim) -> bool:
    """Whether both figures are dated, to different years ("$3.6bn in 2023" / "in 2022")."""
    return a.period is not None and b.period is not None and a.period != b.period


def label_pair(a: Claim, b: Claim, *, b_is_later: bool = False) -> Label:
    """The label of two figures that state the same quantity (`b` from the later article when
    `b_is_later`)."""
    if other_periods(a, b):
        # A copy of the sentence with the same figure for another year changed a fact; another
        # figure for another year is a figure for another period.
        copy = a.value == b.value and same_sentence(a, b)
        return Label.CONFLICT if copy else Label.DIFFERENT_PERIOD
    if same_sentence(a, b) and (a.low, a.high) != (b.low, b.high):
        # A copy of the sentence (of the same period) whose figure changed changed a fact,
        # whatever the kind or qualifier ("two or three" / "two or six", "up to 30 per cent" /
        # "up to 60 per cent"); a later copy that raised a running count updated it.
        if b_is_later and _running(a, b) and b.value > a.value:
            return Label.UPDATE
        return Label.CONFLICT
    if a.kind in ("money", "percent") and a.scope and b.scope and overlap(a.scope, b.scope) < 0.6:
        return Label.DIFFERENT_SCOPE
    if a.kind == "percent" and a.counted and b.counted and not same_counted(a, b):
        return Label.DIFFERENT_SCOPE
    if compatible(a, b):
        # "he did not make $72 million" against "worth $72 million": one denies the other
        return Label.CONFLICT if denied(a) != denied(b) else Label.AGREE
    if b_is_later and _running(a, b) and b.value > a.value:
        return Label.UPDATE
    if tally(a) and tally(b) and not (b_is_later and b.value < a.value):
        return Label.UPDATE  # counted at different times (a later, lower tally conflicts)
    return Label.CONFLICT
