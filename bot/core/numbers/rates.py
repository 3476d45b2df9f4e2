"""Rates: a figure per period or per item ("$2 million a day", "$2million-a-year", "50 km per
hour", "$100 a barrel"), kept in the unit ("USD/day") so that a daily and a yearly figure
never compare as one quantity."""

from __future__ import annotations

import re

_PER = {
    "day": "day", "d": "day", "night": "night", "week": "week", "wk": "week", "month": "month",
    "mo": "month", "quarter": "quarter", "year": "year", "yr": "year", "y": "year",
    "annum": "year", "hour": "hour", "hr": "hour", "h": "hour", "minute": "minute",
    "min": "minute", "second": "second", "barrel": "barrel", "bbl": "barrel",
    "share": "share", "person": "person", "capita": "person", "head": "person",
    "tonne": "tonne", "t": "tonne", "gallon": "gallon", "litre": "litre", "liter": "litre",
    "l": "litre",
}  # fmt: skip
_RATE_RE = re.compile(
    r"(?:\s+|-)(?:a|an|per|each|every)(?:\s+|-)(?P<per>day|night|week|month|quarter|year|annum"
    r"|hour|minute|second|barrel|share|person|capita|head|tonne|gallon|litre|liter)\b"
    r"(?![-\w]|\s+(?:ago|earlier|later|before|after|old)\b)"
    r"|\s?/\s?(?P<abbr>day|d|night|week|wk|month|mo|year|yr|y|annum|hour|hr|h|min|barrel|bbl"
    r"|share|person|capita|tonne|t|gallon|litre|liter|l)\b(?![/\w])"
)
# Kinds a rate can follow (a year, date, age or rank is never "per" something).
_RATE_KINDS = frozenset({"count", "money", "percent", "distance", "weight", "duration"})


def _rate(text: str, end: int, kind: str, unit: str) -> tuple[str, int] | None:
    """The unit with its "per" part and the new end, if a rate follows at `end`."""
    if kind not in _RATE_KINDS or "/" in unit:
        return None
    m = _RATE_RE.match(text, end)
    if m is None:
        return None
    per = _PER[(m.group("per") or m.group("abbr")).lower()]
    return f"{unit}/{per}", m.end()
