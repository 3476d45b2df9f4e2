"""Reading one amount: digits or number words, with their scale ("3.5bn") and unit."""

from __future__ import annotations

import math
import re

from bot.core.numbers.money import _CUR_PREFIX, _CURRENCY_SYMBOLS
from bot.core.numbers.qualifiers import _TRAIL_RE
from bot.core.numbers.quantity import _Amount
from bot.core.numbers.units import _SUFFIX_RE, _apply_suffix, is_metres
from bot.core.numbers.words import (
    _ATOM,
    _ORD_W,
    _SCALE_W,
    _TEN_W,
    _mid_sentence_capital,
    _ordinal_word,
    _vague_amount,
    _word_amount,
)

_SCALES = {
    "k": 1e3, "thousand": 1e3, "lakh": 1e5, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "crore": 1e7, "b": 1e9, "bn": 1e9, "billion": 1e9, "tn": 1e12, "tr": 1e12, "trillion": 1e12,
}  # fmt: skip

_DIGITS = (
    r"\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?"  # 1,234,567.8
    r"|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3}(?![\d]|[.,]\d))+(?:\.\d+)?"  # 816 000
    r"|\d+(?:\.\d+)?"
)
_CORE = (
    rf"(?<![\w.,/])(?:(?P<cur>{_CUR_PREFIX})\s?)?(?P<digits>{_DIGITS})"
    rf"|\b(?P<ordw>(?i:(?:(?:{_TEN_W})-)?(?:{_ORD_W})))\b"
    rf"|\b(?P<vague>(?i:(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)"
    rf"|(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million|billion)"
    rf"|dozens|hundreds|thousands|millions|billions|trillions))\b"
    rf"|\b(?P<couple>(?i:a\s+couple))(?=\s+of\b)"
    rf"|\b(?P<words>(?i:(?:(?:half\s+)?an?\s+(?=(?:dozen|{_SCALE_W})\b))?"
    rf"(?:{_ATOM}|(?<=\ba\s)(?:{_SCALE_W})|(?<=\ban\s)(?:{_SCALE_W}))"
    rf"(?:(?:[ \-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+|(?<=million)\s+and\s+)"
    rf"(?:{_ATOM}|{_SCALE_W}))*))\b"
)
_CORE_RE = re.compile(_CORE)
# The second end of a range may follow a slash ("2012/13").
_RANGE_END_RE = re.compile(_CORE.replace(r"(?<![\w.,/])", r"(?<![\w.,])", 1))

# Right after a digit core: an attached or spaced scale.
_SCALE_RE = re.compile(
    r"(?P<att>million|billion|trillion|bn|mn|mln|m|k|K|b|tn|tr)\b"
    r"|[ \-](?P<word>(?i:thousand|million|billion|trillion|mn|bn|tn|mln|lakh|crore))s?\b"
)
_HYPHEN_WORD_RE = re.compile(r"([A-Za-z]+)-$")
_HYPHEN_OK = frozenset({"mid", "early", "late", "pre", "post", "over", "under", "the"})


def _amount(text: str, m: re.Match[str]) -> _Amount | None:
    """The number at core match `m` with its scale and unit, or None if it is not one."""
    digits = m.group("digits")
    if digits is not None:
        amount = _digit_amount(text, m, digits)
    elif m.group("words") is not None:
        amount = _word_amount(text, m)
    elif m.group("ordw") is not None:
        word = m.group("ordw").lower()
        value = _ordinal_word(word)
        amount = _Amount(m.start(), m.end(), float(value), kind="ordinal", is_word=True)
        if _mid_sentence_capital(text, m.start(), m.group("ordw")) or text.startswith(",", m.end()):
            amount.skip = True  # "the Second World War" is a name, "First," an adverb
        return amount
    elif m.group("vague") is not None:
        amount = _vague_amount(m)
    elif m.group("couple") is not None:
        amount = _Amount(m.start(), m.end(), 2.0, low=2.0, high=3.0, is_word=True)
    else:  # pragma: no cover - the pattern has no other alternative
        return None
    if amount is None or amount.skip or amount.decade or amount.kind == "ordinal":
        return amount
    _read_suffix(text, amount)
    return amount


def _digit_amount(text: str, m: re.Match[str], digits: str) -> _Amount | None:
    start = m.start()
    end = m.end()
    cleaned = digits.replace(",", "").replace(" ", "").replace("\u00a0", "")
    cleaned = cleaned.replace("\u2009", "").replace("\u202f", "")
    try:
        x = float(cleaned)
    except ValueError:  # pragma: no cover - the pattern only admits digits
        return None
    if not math.isfinite(x) or len(cleaned) > 24:
        return _Amount(start, end, 0.0, skip=True)
    cur = m.group("cur")
    amount = _Amount(start, end, x, unscaled=x)
    if cur is not None:
        amount.currency = _CURRENCY_SYMBOLS.get(cur.strip(), cur.strip().upper())
        if amount.currency == "RMB":
            amount.currency = "CNY"
    if cleaned.isdigit() and digits == cleaned:
        amount.plain = cleaned
    dstart = m.start("digits")
    # A number joined by a hyphen to a word is part of a name: "COVID-19", "Su-30", "G-7".
    if cur is None and dstart >= 2 and text[dstart - 1] in "-‐" and text[dstart - 2].isalpha():
        word = _HYPHEN_WORD_RE.search(text, max(0, dstart - 12), dstart)
        if word is None or word.group(1).lower() not in _HYPHEN_OK:
            return _skip_token(text, start)
    scale = _SCALE_RE.match(text, end)
    if scale is not None:
        key = (scale.group("att") or scale.group("word")).lower()
        if key in ("b", "tr") and not amount.currency and scale.group("att"):
            return _skip_token(text, start)
        amount.end = scale.end()
        amount.plain = ""
        if key == "m" and not amount.currency and is_metres(text, start, amount.end):
            amount.kind, amount.unit = "distance", "km"  # "a crater 12m wide": metres
            amount.x = x * 1e-3
            return amount
        amount.scale = _SCALES[key]
        amount.x = x * amount.scale
    elif end < len(text) and text[end].isalpha():
        # Attached letters: an ordinal, a decade, a unit, or a model name ("5G", "3D").
        tail = _ATTACHED_RE.match(text, end)
        if tail is None:
            return _skip_token(text, start)
        suffix = tail.group(1).lower()
        if suffix in ("st", "nd", "rd", "th") and suffix == _ordinal_suffix(amount.plain):
            if cur is not None or not amount.plain:
                return _skip_token(text, start)
            amount.kind = "ordinal"
            amount.end = tail.end()
            amount.plain = ""
        elif suffix == "s":
            if not (amount.plain and amount.plain.endswith("0") and len(amount.plain) in (2, 4)):
                return _skip_token(text, start)
            amount.decade = True
            amount.end = tail.end()
        elif _SUFFIX_RE.match(text, end) is None:
            return _skip_token(text, start)
    return amount


def _ordinal_suffix(digits: str) -> str:
    """The suffix of the ordinal of a number written in digits ("21" -> "st", "12" -> "th"):
    "22st" is not the 22nd but 22 stone."""
    if not digits.isdigit():
        return ""
    n = int(digits)
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


_ATTACHED_RE = re.compile(r"([A-Za-z]+)\b")
_TOKEN_END_RE = re.compile(r"[\w.,\-‐/]*")


def _skip_token(text: str, start: int) -> _Amount:
    """A skipped amount covering the rest of the token at `start`."""
    end = _TOKEN_END_RE.match(text, start).end()  # type: ignore[union-attr]
    return _Amount(start, max(end, start + 1), 0.0, skip=True)


# "and a half" after a number and before its unit or scale: "two and a half years", "3 and a
# half million"; after a duration's unit: "two years and a half".
_AND_A_HALF_RE = re.compile(r"\s+and\s+a\s+half\b")


def _read_suffix(text: str, amount: _Amount) -> None:
    """The unit after the number: percent, currency word, age, duration, distance, weight."""
    half = _AND_A_HALF_RE.match(text, amount.end) if amount.scale == 1.0 else None
    if half is not None:
        scale = _SCALE_RE.match(text, half.end())
        if scale is not None and scale.group("word"):
            amount.scale = _SCALES[scale.group("word").lower()]
            amount.x = (amount.x + 0.5) * amount.scale
            amount.end, amount.plain = scale.end(), ""
        elif _SUFFIX_RE.match(text, half.end()) is not None:
            amount.x += 0.5
            amount.end, amount.plain = half.end(), ""
    suffix = _SUFFIX_RE.match(text, amount.end)
    if suffix is not None:
        units = amount.x
        _apply_suffix(amount, suffix)
        after = _AND_A_HALF_RE.match(text, amount.end) if amount.kind == "duration" else None
        if after is not None and units:
            amount.x *= (units + 0.5) / units
            amount.end = after.end()
    trail = _TRAIL_RE.match(text, amount.end)
    if trail is not None:
        amount.trail = " ".join(trail.group("t").replace("-", " ").split())
        amount.end = trail.end()
