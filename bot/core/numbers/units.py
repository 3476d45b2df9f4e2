"""Units after a number: percent, percentage points, currency words, ages, durations,
distances and weights, converted to one unit per kind."""

from __future__ import annotations

import re

from bot.core.numbers.money import _CODES, _CURRENCY_WORDS, _DOLLAR_REGIONS
from bot.core.numbers.quantity import _Amount

_KM = {
    "km": 1.0, "kms": 1.0, "kilometre": 1.0, "kilometer": 1.0, "mile": 1.609344, "mi": 1.609344,
    "metre": 1e-3, "meter": 1e-3, "foot": 3.048e-4, "feet": 3.048e-4, "ft": 3.048e-4,
    "yard": 9.144e-4, "yd": 9.144e-4, "nautical mile": 1.852, "inch": 2.54e-5, "cm": 1e-5,
    "centimetre": 1e-5, "centimeter": 1e-5, "mm": 1e-6, "millimetre": 1e-6, "millimeter": 1e-6,
}  # fmt: skip
_KG = {
    "kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilogram": 1.0, "kilogramme": 1.0, "tonne": 1e3,
    "ton": 1e3, "t": 1e3, "lb": 0.45359237, "lbs": 0.45359237, "pound": 0.45359237,
    "gram": 1e-3, "g": 1e-3, "mg": 1e-6, "ounce": 0.028349523125, "oz": 0.028349523125,
    "stone": 6.35029318, "st": 6.35029318,
}  # fmt: skip
_DAYS = {
    "second": 1 / 86400, "sec": 1 / 86400, "minute": 1 / 1440, "min": 1 / 1440,
    "hour": 1 / 24, "hr": 1 / 24, "day": 1.0, "week": 7.0, "fortnight": 14.0,
    "month": 30.44, "year": 365.25, "yr": 365.25, "decade": 3652.5, "century": 36525.0,
    "centurie": 36525.0,
}  # fmt: skip
# The unit word of a duration as written: "29 years", "three decades", "a 28-year career".
_DURATION_UNIT_RE = re.compile(
    r"\b(?P<unit>second|sec|minute|min|hour|hr|day|week|fortnight|month"
    r"|year|yr|decade|centur(?:y|ie))s?\b",
    re.I,
)


def duration_unit(surface: str) -> tuple[str, float] | None:
    """The unit a duration is written in and its length in days ("three decades": decade,
    3652.5), or None when its surface names none."""
    m = _DURATION_UNIT_RE.search(surface)
    if m is None:
        return None
    unit = m.group("unit").lower()
    return unit, _DAYS[unit]


# Right after a number (and scale): the unit or measure.
_SUFFIX_RE = re.compile(
    r"(?P<age>(?:\s+|-)(?:years?|months?)(?:(?:\s+|-)olds?|\s+of\s+age)\b)"
    r"|(?P<pp>\s?(?i:percentage[\s-]points?|pct\.?\s?pts?|pp)\b)"
    r"|(?P<pct>\s?%|(?:\s+|-)(?i:percent|per\s?cent|pct)\b)"
    r"|(?:\s+|-)(?:of\s+)?(?:(?P<region>US|U\.S\.|American|Australian|Canadian|Hong\s+Kong|Singapore"
    r"|New\s+Zealand|Taiwan)\s+)?(?P<curw>(?i:dollar|euro|sterling|pound|yen|yuan|renminbi"
    r"|rupee|ruble|rouble|dong|won|franc|reais|real|rand|lira|hryvnia))(?P<curpl>s)?"
    r"(?P<sterling>\s+sterling)?\b"
    r"|\s?(?P<code>" + "|".join(_CODES) + r")\b"
    r"|(?:\s+|-)(?P<dur>(?i:second|sec|minute|min|hour|hr|day|week|fortnight|month|year|yr"
    r"|decade|centurie|century))s?\b"
    r"|(?:\s?|-)(?P<speed>mph|kph|kmh|km/h)\b"
    r"|(?:\s?|-)(?P<sq>(?:square|sq\.?)[\s-])?(?P<dist>(?:km|kms|kilomet(?:re|er)|mile"
    r"|mi|metre|meter|feet|foot|ft|yard|yd|nautical\s+mile|inches|inch|cm|mm"
    r"|(?:centi|milli)met(?:re|er)))s?(?P<sq2>2|²)?\b"
    r"|(?:\s?|-)(?:metric\s+)?(?P<wt>kg|kgs|kilo|kilogram|kilogramme|tonne|ton|lbs|lb"
    r"|pound|gram|mg|ounce|oz|stone|st|g(?!['’])|t(?!['’]))(?:e?s)?\b(?!-\w)"
)
# After "12m": a dimension word or a direction means metres, not million.
_DIMENSION_RE = re.compile(
    r"[\s-]?(?:wide|deep|tall|high|long|away|across|thick|below|above|underground|up|down"
    r"|downstream|upstream|downhill|uphill|inland|offshore|overhead|underwater"
    r"|in\s+(?:diameter|length|height|depth|width))\b"
)
# Before "4m": a length compared or measured ("as long as 4m", "measuring about 3m").
_LENGTH_BEFORE_RE = re.compile(
    r"\b(?:as\s+(?:long|tall|high|deep|wide|far)\s+as|measur(?:ing|es|ed)|stretch(?:ing|es|ed))"
    r"\s+(?:(?:about|around|some|nearly|almost|roughly|up\s+to|over)\s+)?$",
    re.I,
)
# "the 100m final", "a 10m drop": an article, the figure, and a noun that is not plural (the
# 1.5m viewers are a count).
_ARTICLE_BEFORE_RE = re.compile(r"\b(?:a|an|the)\s+$", re.I)
_SINGULAR_AFTER_RE = re.compile(r"\s+(?!of\b)[a-z]+(?<!s)\b|\s+[a-z]+ss\b")
_MONEY_IN_SENTENCE_RE = re.compile(r"[$£€¥₹]|\b(?i:dollars?|euros?|sterling|yuan|rupees?)\b")


def is_metres(text: str, start: int, end: int) -> bool:
    """Whether "12m" at `start`..`end` of `text` (no currency sign) is metres, not million:
    a dimension word or a direction after it ("12m wide", "100m downstream"), a length
    compared before it ("as long as 4m"), or an article before it and a noun that is not
    plural after it ("a 10m drop") in a sentence that names no money."""
    if _DIMENSION_RE.match(text, end):
        return True
    before = text[max(0, start - 40) : start]
    if _LENGTH_BEFORE_RE.search(before):
        return True
    return bool(
        _ARTICLE_BEFORE_RE.search(before)
        and _SINGULAR_AFTER_RE.match(text, end)
        and not _MONEY_IN_SENTENCE_RE.search(text)
    )


# Inches after feet: "8ft 9in", "6 feet 2 inches", "5-foot-9" (a height read as one figure).
_FEET = frozenset({"foot", "feet", "ft"})
_INCHES_RE = re.compile(
    r"(?:\s?|-)(?P<n>\d{1,2})\s?(?:inches|inch|in)\b(?!\s+(?:the|a|an)\b)"
    r"|-(?P<bare>\d{1,2})\b(?![.,]\d)"
)


def _apply_suffix(amount: _Amount, s: re.Match[str]) -> None:
    end = s.end()  # where the figure ends: after its unit (and a height's inches)
    if s.group("age") is not None:
        amount.kind, amount.unit = "age", "years"
        if "month" in s.group("age"):
            amount.x /= 12
    elif s.group("pp") is not None:
        amount.kind, amount.unit = "percent", "pp"
    elif s.group("pct") is not None:
        amount.kind, amount.unit = "percent", "%"
    elif s.group("curw") is not None:
        word = s.group("curw").lower()
        scaled_or_sterling = amount.scale > 1 or s.group("sterling") is not None
        if word == "pound" and not scaled_or_sterling:
            amount.kind, amount.unit = "weight", "kg"
            amount.x *= _KG["pound"]
        elif word == "won" and amount.scale == 1:
            return  # "3 won" is more often the verb
        else:
            code = _CURRENCY_WORDS[word]
            region = s.group("region")
            if word == "dollar" and region:
                code = _DOLLAR_REGIONS.get(" ".join(region.lower().split()), "USD")
            amount.currency = amount.currency or code
    elif s.group("code") is not None:
        code = s.group("code")
        amount.currency = "CNY" if code == "RMB" else code
    elif s.group("dur") is not None:
        amount.kind, amount.unit = "duration", "days"
        amount.x *= _DAYS[s.group("dur").lower()]
    elif s.group("speed") is not None:
        amount.kind, amount.unit = "distance", "km/hour"  # a speed: distance per hour
        amount.x *= _KM["mile"] if s.group("speed") == "mph" else 1.0
    elif s.group("dist") is not None:
        unit = " ".join(s.group("dist").lower().split())
        unit = unit if unit == "kms" else unit.removesuffix("es" if unit == "inches" else "s")
        if s.group("sq") or s.group("sq2"):
            amount.kind, amount.unit = "count", "km2"
            amount.x *= _KM.get(unit, 1.0) ** 2
        else:
            amount.kind, amount.unit = "distance", "km"
            amount.x *= _KM.get(unit, 1.0)
            inches = _INCHES_RE.match(s.string, end) if unit in _FEET else None
            if inches and (n := int(inches.group("n") or inches.group("bare"))) < 12:
                amount.x += n * _KM["inch"]  # "8ft 9in", "5-foot-9"
                end = inches.end()
    elif s.group("wt") is not None:
        amount.kind, amount.unit = "weight", "kg"
        amount.x *= _KG.get(s.group("wt").lower(), 1.0)
    else:  # pragma: no cover - every alternative of the pattern has a group above
        return
    amount.end = end
    amount.plain = ""
