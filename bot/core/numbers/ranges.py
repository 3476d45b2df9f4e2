"""Ranges: "50 to 60", "50-60", "between 50 and 60", "$3bn-$4bn", "2012–13"."""

from __future__ import annotations

import re

from bot.core.numbers.amounts import _CORE_RE, _RANGE_END_RE, _SCALE_RE, _amount
from bot.core.numbers.quantity import _Amount
from bot.core.numbers.units import _SUFFIX_RE, _apply_suffix

# Between an amount and a second one that makes it a range.
_RANGE_RE = re.compile(r"(?P<sep>-|‐|\s?–\s?|/|\s+to\s+|\s+and\s+|\s+or\s+)")
# A change before "X to Y" makes it two values, not a range: "rose 5% to 60%".
_CHANGE_RE = re.compile(
    r"\b(?i:rose|risen|rising|rises|rise|fell|fallen|falling|falls|fall|up|down|increased"
    r"|increasing|increase|increases|decreased|decreasing|decrease|grew|grown|growing|dropped"
    r"|drop|drops|jumped|jumps|climbed|climbs|declined|declines|slipped|gained|lost|cut"
    r"|raised|lowered|reduced|boosted|slid|surged|soared|plunged|tumbled|edged|revised|by"
    r"|from|changed|went|moved)\s+$"
)

# After "aged 13 and 14": the ages end there ("aged 41 and 3 friends" is an age and a count).
_AGES_END_RE = re.compile(r"\s*(?:[,.;:)]|$)")


def _join_range(
    text: str, a: _Amount, rng: re.Match[str], between: str, start: int, aged: bool = False
) -> tuple[float, float, str, str, int, bool] | None:
    """Bounds, kind, unit and end of the range `a` opens with separator `rng`, if any. Two
    numbers joined by "and" are a range after "between", and as ages: "aged 13 and 14", "13
    and 14 years old" (the girls' ages run from 13 to 14), not as counts ("two sons and three
    daughters")."""
    sep = rng.group("sep").strip()
    if sep == "and" and between != "between" and not aged and a.kind:
        return None
    b_match = _RANGE_END_RE.match(text, rng.end())
    if b_match is None or b_match.group("ordw") or b_match.group("vague"):
        return None
    if b_match.group("couple"):
        return None
    b = _amount(text, b_match)
    if b is None or b.skip or b.trail:
        return None
    if sep == "and" and between != "between":
        ages = (aged and _AGES_END_RE.match(text, b.end)) or (b.kind == "age" and not a.kind)
        if not ages:
            return None
    if a.decade or b.decade:
        return None
    # Years: "2012–13", "2012/13" (one fiscal period), "2010-2014", "from 2010 to 2014".
    if a.plain and len(a.plain) == 4 and not a.kind and not a.currency:
        y1 = int(a.plain)
        if 1000 <= y1 <= 2100 and b.plain and not b.kind and not b.currency:
            if len(b.plain) == 2 and sep in ("-", "‐", "–", "/"):
                y2 = int(b.plain)
                if y2 == (y1 + 1) % 100:
                    return float(y1), float(y1 + 1), "year", "fiscal", b.end, True
                if y2 > y1 % 100:
                    return float(y1), float(y1 // 100 * 100 + y2), "year", "", b.end, True
                return None
            if len(b.plain) == 4 and y1 < int(b.plain) <= 2100 and sep != "/":
                return float(y1), float(b.plain), "year", "", b.end, True
    if sep == "/":
        return None
    if sep == "to" and between != "from":
        before = text[max(0, start - 24) : start]
        if _CHANGE_RE.search(before) is not None:
            return None
    elif sep == "to" and between == "from":
        return None  # "from 50 to 60": a change, two values
    if a.is_word != b.is_word and sep in ("-", "‐", "–"):
        return None
    # Units and scales carry across: "3 to 4 million", "60-70%", "$3bn-$4bn".
    a_x, b_x = a.x, b.x
    if a.scale == 1.0 and b.scale > 1.0 and a.unscaled <= b.unscaled:
        a_x = a.x * b.scale
    kind_a, kind_b = (
        a.kind or ("money" if a.currency else ""),
        b.kind or ("money" if b.currency else ""),
    )
    unit_a = a.unit or a.currency
    unit_b = b.unit or b.currency
    if kind_a and kind_b and (kind_a != kind_b or unit_a != unit_b):
        return None
    kind = kind_a or kind_b
    unit = unit_a or unit_b
    if kind and not kind_a:
        a_x = _convert_like(a_x, text, b)
    elif kind and not kind_b:
        b_x = _convert_like(b_x, text, a)
    if b_x < a_x or (b_x == a_x and sep in ("-", "‐", "–", "or")):
        return None
    if sep == "or" and not kind and not (a.plain and b.plain) and not (a.is_word and b.is_word):
        return None  # "or" joins two plain counts only: "5 or 6", "two or three"
    if kind == "money":
        unit = a.currency or b.currency
    return a_x, b_x, kind or "count", unit, b.end, False


def _convert_like(x: float, text: str, other: _Amount) -> float:
    """`x` in the unit of `other` (a bare range end takes the other end's unit)."""
    if other.kind in ("", "percent", "money"):
        return x
    suffix = _SUFFIX_RE.match(text, _unit_start(text, other))
    if suffix is None:
        return x
    probe = _Amount(0, 0, x)
    _apply_suffix(probe, suffix)
    return probe.x


def _unit_start(text: str, amount: _Amount) -> int:
    """Where the unit of `amount` begins (just after its number and scale)."""
    core = _CORE_RE.match(text, amount.start)
    if core is None:
        return amount.end
    end = core.end()
    scale = _SCALE_RE.match(text, end) if core.group("digits") else None
    return scale.end() if scale is not None else end
