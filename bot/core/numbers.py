"""Numeric expressions in a sentence, normalised to intervals with a kind and a unit.

``find_quantities`` reads "at least a dozen", "$3.5bn", "about 60 percent to 70 percent",
"816 000 t", "a 34-year-old", "the early 2000s", "June 20, 2024", "fifth" and the like, and
gives each a :class:`Quantity`: the exact surface with its offsets, an interval
``[low, high]``, a point ``value`` inside it, a ``kind``, a ``unit`` and the ``qualifier``.

Conventions
-----------
* Exact values have ``low == value == high``. A range ("50 to 60", "50-60", "between 50 and
  60", "60 percent to 70 percent") is ``[50, 60]`` with ``value`` the midpoint.
* Qualifiers (``qualifier`` keeps the words, lower-cased):

  - lower bounds — at least, more than, over, above, in excess of, upwards of, no fewer /
    less than, "50+", "50 or more": ``[x, inf]`` (strict ">" is read as ">="), value x;
  - upper bounds — up to, at most, no more than, as many as, as much as, less / fewer than,
    under, below, "or less": ``[0, x]``, value x;
  - approximately — about, around, roughly, approximately, some, an estimated, circa, "~",
    "or so": ``[0.9x, 1.1x]``; nearly, almost, close to, just under: ``[0.9x, x]``; just
    over: ``[x, 1.1x]``; value x. For years the tolerance is one year, not 10%;
  - only, just, exactly, a mere: kept as the qualifier, the value stays exact.

  On a range, bounds qualifiers open it ("up to 50-60" is ``[0, 60]``); tolerance words are
  recorded but do not widen it ("about 60 percent to 70 percent" stays ``[60, 70]``).
* Vague plurals are order-of-magnitude intervals with ``value = low``: dozens ``[24, 144]``,
  hundreds ``[200, 1000]``, thousands ``[2e3, 1e4]``, tens of thousands ``[2e4, 1e5]``,
  hundreds of millions ``[2e8, 1e9]``, several / a few hundred ``[200, 1000]``; "a couple
  of" is ``[2, 3]``. "a few", "several", "many" alone are not numbers; nor is a lone "one"
  (a pronoun far more often than a count) unless a unit or scale follows ("one year").
  Fractions ("two-thirds", "half") are not read.
* Kinds and units: ``count`` (unit ""), ``money`` (ISO code; "$" is USD, "¥" JPY, "pounds"
  is GBP only with a scale or "sterling", otherwise a weight), ``percent`` ("%"; percentage
  points are kind percent with unit "pp"), ``distance`` (km; miles, feet, yards, metres
  converted; "1.5m" is million unless a dimension word follows: "12m wide" is metres),
  ``weight`` (kg; tonnes, "t", tons (taken as metric), lb, g converted), ``duration`` (unit
  "days": weeks 7, months 30.44, years 365.25, decades 3652.5), ``age`` (unit "years";
  "34-year-old", "aged 34", "in their 20s" = ``[20, 29]``, "Jess Smith, 19, said"),
  ``ordinal`` ("fifth", "30th", "sixth-highest"), ``year`` and ``date``.
* Years: a plain four-digit number 1900-2100 (or 1000-1899 after "in", "since"...) is a year
  unless a qualifier or a people noun makes it a count ("about 2000 people"); "2012–13" and
  "2012/13" are one fiscal period ``[2012, 2013]`` (unit "fiscal"); "2010-2014" is
  ``[2010, 2014]``; decades ("the 1950s", "the 90s") are ``[1950, 1959]`` with unit
  "decade", "early"/"mid"/"late" narrowing them to a third. For years and dates ``value``
  is the start of the period, not the midpoint.
* Dates: ``value`` is YYYYMMDD as a number (unit "yyyymmdd"); the year comes from the text,
  else from ``published`` (the latest such day not more than ~6 months after it), else the
  date is month-day only (unit "mmdd", value MMDD). "June 2024" is the whole month. Weekdays
  are not dates; "9/11"-style slash dates are skipped as ambiguous.
* Not quantities: clock times ("15:28", "3 p.m."), phone numbers, URLs, version numbers,
  list markers at the start ("1. ..."), labels ("No. 10", "Flight 17", "Article 5",
  "Boeing 737"), model names joined by a hyphen or letters ("COVID-19", "G7", "G-7",
  "F-16", "Su-30", "T-90", "5G"), number words capitalised inside a sentence ("Group of
  Seven", "Air Force One").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = frozenset(
    {"count", "money", "percent", "year", "date", "duration", "distance", "weight", "age"}
    | {"ordinal"}
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One numeric expression: where it is, the interval it states, and what it measures."""

    surface: str
    start: int
    end: int
    low: float
    high: float
    value: float
    kind: str
    unit: str
    qualifier: str


# --- vocabulary ------------------------------------------------------------------------------

_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
        " fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_MULT = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ORD_SMALL = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
        " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
    )
}
_ORD_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
    )
}
_ORD_BIG = {"hundredth": 100, "thousandth": 1000}
_SCALES = {
    "k": 1e3, "thousand": 1e3, "lakh": 1e5, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "crore": 1e7, "b": 1e9, "bn": 1e9, "billion": 1e9, "tn": 1e12, "tr": 1e12, "trillion": 1e12,
}  # fmt: skip
_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "U.S.$": "USD", "A$": "AUD", "C$": "CAD", "S$": "SGD",
    "R$": "BRL", "HK$": "HKD", "NZ$": "NZD", "NT$": "TWD", "€": "EUR", "£": "GBP", "¥": "JPY",
    "₹": "INR", "₽": "RUB", "₫": "VND", "₩": "KRW", "₺": "TRY", "₴": "UAH", "Rs": "INR",
    "Rs.": "INR",
}  # fmt: skip
_CODES = "USD EUR GBP JPY CNY RMB RUB VND INR AUD CAD CHF KRW HKD SGD NZD BRL ZAR TRY UAH".split()
_CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "sterling": "GBP", "pound": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "ruble": "RUB", "rouble": "RUB",
    "dong": "VND", "won": "KRW", "franc": "CHF", "real": "BRL", "reais": "BRL", "rand": "ZAR",
    "lira": "TRY", "hryvnia": "UAH",
}  # fmt: skip
_DOLLAR_REGIONS = {
    "us": "USD", "u.s.": "USD", "american": "USD", "australian": "AUD", "canadian": "CAD",
    "hong kong": "HKD", "singapore": "SGD", "new zealand": "NZD", "taiwan": "TWD",
}  # fmt: skip
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
}  # fmt: skip
_DAYS = {
    "second": 1 / 86400, "sec": 1 / 86400, "minute": 1 / 1440, "min": 1 / 1440,
    "hour": 1 / 24, "hr": 1 / 24, "day": 1.0, "week": 7.0, "fortnight": 14.0,
    "month": 30.44, "year": 365.25, "yr": 365.25, "decade": 3652.5, "century": 36525.0,
    "centurie": 36525.0,
}  # fmt: skip
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

# Qualifier words, by what they do to the interval.
_LOWER = "lower"
_UPPER = "upper"
_APPROX = "approx"
_NEAR = "near"
_OVER = "just_over"
_EXACT = "exact"
_QUALIFIERS = {
    **dict.fromkeys(
        "at least|no fewer than|no less than|not less than|more than|over|above|in excess of"
        "|upwards of|a minimum of|+|or more|plus|>|>=|≥".split("|"),
        _LOWER,
    ),
    **dict.fromkeys(
        "at most|no more than|not more than|up to|as many as|as much as|less than|fewer than"
        "|under|below|a maximum of|or less|or fewer|<|<=|≤".split("|"),
        _UPPER,
    ),
    **dict.fromkeys(
        "about|around|roughly|approximately|approx.|some|an estimated|estimated|circa|c."
        "|~|≈|or so|an approximate|more or less".split("|"),
        _APPROX,
    ),
    **dict.fromkeys(
        "nearly|almost|close to|just under|just below|just shy of|not quite".split("|"), _NEAR
    ),
    **dict.fromkeys("just over|just above|a little over|slightly more than".split("|"), _OVER),
    **dict.fromkeys("only|just|exactly|precisely|a mere|fully".split("|"), _EXACT),
}
_TOLERANCE = 0.1
_INF = math.inf

# Vague plurals: (low, high) multipliers of the scale word.
_VAGUE_BASE = {"dozens": 12.0, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6}
_VAGUE_BASE |= {"billions": 1e9, "trillions": 1e12}
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

# --- patterns --------------------------------------------------------------------------------

_UNIT_W = "|".join(sorted(_SMALL, key=len, reverse=True))
_TEN_W = "|".join(_TENS)
_DIGIT_W = "one|two|three|four|five|six|seven|eight|nine"
_SCALE_W = "hundred|thousand|million|billion|trillion"
_ATOM = rf"(?:(?:{_TEN_W})(?:-(?:{_DIGIT_W}))?|{_UNIT_W}|dozen)"
_ORD_W = "|".join(sorted([*_ORD_SMALL, *_ORD_TENS, *_ORD_BIG], key=len, reverse=True))
_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_CUR_PREFIX = (
    r"(?:(?:US|U\.S\.|[ACSR]|HK|NZ|NT)?\$|[€£¥₹₽₫₩₺₴]|(?:\b(?:"
    + "|".join(_CODES)
    + r")|\bRs\.?)\s?)"
)
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
_DATE = (
    rf"(?P<mon1>{_MONTH})\s+(?P<day1>{_DAY})\b(?:,?\s+(?P<yr1>{_YEAR})\b)?"
    rf"|(?<![\w.,/])(?P<day2>{_DAY})\s+(?:of\s+)?(?P<mon2>{_MONTH})(?:\b|(?<=\.))"
    rf"(?:,?\s+(?P<yr2>{_YEAR})\b)?"
    rf"|(?P<mon3>{_MONTH})(?<!May),?\s+(?P<yr3>{_YEAR})\b"
)
_SCAN_RE = re.compile(rf"(?P<skip>{_SKIP})|(?P<date>{_DATE})|{_CORE}")


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
    return "\\b(?:" + "|".join(branches) + ")\\b"


_WORD_START_RE = re.compile(_word_start_pattern())
_CORE_RE = re.compile(_CORE)
# The second end of a range may follow a slash ("2012/13").
_RANGE_END_RE = re.compile(_CORE.replace(r"(?<![\w.,/])", r"(?<![\w.,])", 1))

# Right after a digit core: an attached or spaced scale.
_SCALE_RE = re.compile(
    r"(?P<att>bn|mn|mln|m|k|K|b|tn|tr)\b|[ \-](?P<word>(?i:thousand|million|billion|trillion"
    r"|mn|bn|tn|mln|lakh|crore))s?\b"
)
# Right after a number (and scale): the unit or measure.
_SUFFIX_RE = re.compile(
    r"(?P<age>-years?-olds?\b|\s+years?\s+old\b|-months?-olds?\b|\s+months?\s+old\b)"
    r"|(?P<pp>\s?(?i:percentage[\s-]points?|pct\.?\s?pts?|pp)\b)"
    r"|(?P<pct>\s?%|(?:\s+|-)(?i:percent|per\s?cent|pct)\b)"
    r"|(?:\s+|-)(?:of\s+)?(?:(?P<region>US|U\.S\.|American|Australian|Canadian|Hong\s+Kong|Singapore"
    r"|New\s+Zealand|Taiwan)\s+)?(?P<curw>(?i:dollar|euro|sterling|pound|yen|yuan|renminbi"
    r"|rupee|ruble|rouble|dong|won|franc|reais|real|rand|lira|hryvnia))(?P<curpl>s)?"
    r"(?P<sterling>\s+sterling)?\b"
    r"|\s?(?P<code>" + "|".join(_CODES) + r")\b"
    r"|(?:\s+|-)(?P<dur>(?i:second|sec|minute|min|hour|hr|day|week|fortnight|month|year|yr"
    r"|decade|centurie|century))s?\b"
    r"|(?:\s?|-)(?P<sq>(?:square|sq\.?)[\s-])?(?P<dist>(?:km|kms|kilomet(?:re|er)|mile"
    r"|mi|metre|meter|feet|foot|ft|yard|yd|nautical\s+mile|inches|inch|cm|mm"
    r"|(?:centi|milli)met(?:re|er)))s?(?P<sq2>2|²)?\b"
    r"|(?:\s?|-)(?:metric\s+)?(?P<wt>kg|kgs|kilo|kilogram|kilogramme|tonne|ton|lbs|lb"
    r"|pound|gram|mg|ounce|oz|g(?!['’])|t(?!['’]))(?:e?s)?\b(?!-\w)"
)
# Trailing qualifiers: "50+", "50 or more", "50 or so", "50-plus".
_TRAIL_RE = re.compile(r"(?P<t>\+|\s+or\s+(?:more|less|fewer|so)\b|-plus\b)")
# Between an amount and a second one that makes it a range.
_RANGE_RE = re.compile(r"(?P<sep>-|‐|\s?–\s?|/|\s+to\s+|\s+and\s+|\s+or\s+)")
# Before an amount (matched against the text just before it, to its end).
_PREFIX_RE = re.compile(
    r"(?:(?P<btw>\b(?i:between|from))\s+)?"
    r"(?:(?P<q>\b(?i:at\s+least|at\s+most|no\s+(?:fewer|less|more)\s+than|not\s+(?:less|more)"
    r"\s+than|more\s+than|less\s+than|fewer\s+than|in\s+excess\s+of|upwards\s+of"
    r"|a\s+(?:minimum|maximum)\s+of|up\s+to|as\s+(?:many|much)\s+as|just\s+(?:over|under"
    r"|below|above|shy\s+of)|a\s+little\s+over|slightly\s+more\s+than|close\s+to|not\s+quite"
    r"|an\s+(?:estimated|approximate)|more\s+or\s+less|a\s+mere|over|above|under|below|about"
    r"|around|roughly|approximately|approx\.|some|estimated|circa|c\.|nearly|almost|only"
    r"|just|exactly|precisely|fully))\s+|(?P<sym>[~≈≥≤]|[<>]=?)\s?)?"
    r"(?:(?P<era>\b(?i:early|mid|late))(?:\s+|-)|(?P<aged>\b(?i:aged?))\s+"
    r"|(?P<poss>\b(?i:their|his|her|its|my|our|your))\s+(?:(?P<pera>(?i:early|mid|late))[\s-]+)?)?"
    r"$"
)
# A label before a number makes it a name: "No. 10", "Flight 17", "Article 5".
_LABEL_RE = re.compile(
    r"\b(?:No|Nos|Number|Flight|Route|Highway|Interstate|Article|Chapter|Section|Room"
    r"|Channel|Apollo|Windows|iPhone|Boeing|Airbus|Model|Version|Level|Phase|Stage|Category"
    r"|Type|Act|Resolution|Amendment|Proposition|Prop|Gate|Terminal|Platform|Line|Unit"
    r"|Block|Lot|Ward|District|Precinct|Pier|Exit|Apt|Suite|Box|Vol|Volume|Episode|Season"
    r"|Part|Game|Week|Day|Page|Pg|Bus|Train|Pixel|Galaxy|Xbox|PlayStation|Su|Tu|Mig|MiG)"
    r"\.?\s+$"
)
# A capitalised name and a comma before a number: "DeJesus, 32, never mentioned".
_APPOSITIVE_AGE_RE = re.compile(r"\b[A-Z][\w’'-]+, $")
# A change before "X to Y" makes it two values, not a range: "rose 5% to 60%".
_CHANGE_RE = re.compile(
    r"\b(?i:rose|risen|rising|rises|rise|fell|fallen|falling|falls|fall|up|down|increased"
    r"|increasing|increase|increases|decreased|decreasing|decrease|grew|grown|growing|dropped"
    r"|drop|drops|jumped|jumps|climbed|climbs|declined|declines|slipped|gained|lost|cut"
    r"|raised|lowered|reduced|boosted|slid|surged|soared|plunged|tumbled|edged|revised|by"
    r"|from|changed|went|moved)\s+$"
)
_NEXT_WORD_RE = re.compile(r"[ \t]*([A-Za-z]+)")
_WORD_TOKEN_RE = re.compile(r"[a-z]+")
_HYPHEN_WORD_RE = re.compile(r"([A-Za-z]+)-$")
_HYPHEN_OK = frozenset({"mid", "early", "late", "pre", "post", "over", "under", "the"})
_OPENERS = " \t\r\n\"'“‘«([—–-*•"
_PREFIX_WINDOW = 48


@dataclass(slots=True)
class _Amount:
    """A number as read so far, before qualifiers and year/ordinal rules."""

    start: int
    end: int
    x: float
    scale: float = 1.0
    unscaled: float = 0.0
    kind: str = ""
    unit: str = ""
    currency: str = ""
    low: float = math.nan  # set for vague plurals / "a couple"
    high: float = math.nan
    plain: str = ""  # digit text of a plain integer without separators (a year candidate)
    decade: bool = False
    is_word: bool = False
    skip: bool = False
    trail: str = ""  # a trailing qualifier ("+", "or more")


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
            q = _date_quantity(text, m, published)
            if q is not None:
                out.append(q)
            pos = m.end()
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
    return out


# No figure a news report states is this large; past it a run of scale words ("a hundred
# hundred hundred ...") is word play or garbage, and its arithmetic would overflow.
MAX_MAGNITUDE = 1e18


def _plausible(q: Quantity) -> bool:
    return all(
        math.isfinite(x) and abs(x) <= MAX_MAGNITUDE for x in (q.low, q.value)
    ) and not math.isnan(q.high)


def years_mentioned(text: str, published: date | None = None) -> list[int]:
    """Calendar years `text` refers to, in order of first mention, without repeats.

    Explicit years and dates count (a fiscal "2012–13" gives both years, a longer span or a
    decade its first year); with `published`, so do "last year", "this year", "next year",
    "N years ago", "last September" and dates without a year.

    >>> years_mentioned("Trade was $3.6 billion last year, up from 2021.", date(2024, 6, 20))
    [2023, 2021]
    """
    found: list[tuple[int, int]] = []
    for q in find_quantities(text, published=published):
        if q.kind == "year":
            first = int(q.low)
            found.append((q.start, first))
            if q.unit == "fiscal" or (not q.unit and 0 < q.high - q.low <= 1):
                found.append((q.start, int(q.high)))
        elif q.kind == "date" and q.unit == "yyyymmdd":
            found.append((q.start, int(q.low) // 10000))
    if published is not None:
        for m in _RELATIVE_YEAR_RE.finditer(text):
            if m.group("rel"):
                offset = {"last": -1, "past": -1, "this": 0, "next": 1}[m.group("rel").lower()]
                found.append((m.start(), published.year + offset))
            elif m.group("ago"):
                count = _count_word(m.group("ago"))
                if count is not None:
                    found.append((m.start(), published.year - count))
            elif m.group("lastmon"):
                month = _MONTH_NUM[m.group("lastmon").lower()]
                year = published.year if month < published.month else published.year - 1
                found.append((m.start(), year))
    found.sort()
    seen: set[int] = set()
    years: list[int] = []
    for _, year in found:
        if year not in seen:
            seen.add(year)
            years.append(year)
    return years


_RELATIVE_YEAR_RE = re.compile(
    r"\b(?P<rel>(?i:last|past|this|next))\s+year\b(?!s)"
    r"|\b(?P<ago>\d{1,2}|(?i:a|one|two|three|four|five|six|seven|eight|nine|ten))\s+years?\s+ago\b"
    r"|\b(?i:last)\s+(?P<lastmon>January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\b"
)


def _count_word(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    lowered = word.lower()
    if lowered in ("a", "one"):
        return 1
    return _SMALL.get(lowered)


# --- reading one amount ---------------------------------------------------------------------


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
        if key == "m" and not amount.currency and _DIMENSION_RE.match(text, amount.end):
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
        if suffix in ("st", "nd", "rd", "th"):
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


_ATTACHED_RE = re.compile(r"([A-Za-z]+)\b")
# After "12m": a dimension word means metres, not million.
_DIMENSION_RE = re.compile(
    r"[\s-]?(?:wide|deep|tall|high|long|away|across|thick|below|above|underground|up|down"
    r"|in\s+(?:diameter|length|height|depth|width))\b"
)
_TOKEN_END_RE = re.compile(r"[\w.,\-‐/]*")


def _skip_token(text: str, start: int) -> _Amount:
    """A skipped amount covering the rest of the token at `start`."""
    end = _TOKEN_END_RE.match(text, start).end()  # type: ignore[union-attr]
    return _Amount(start, max(end, start + 1), 0.0, skip=True)


def _word_amount(text: str, m: re.Match[str]) -> _Amount | None:
    surface = m.group("words")
    lowered = surface.lower()
    value = _words_value(lowered)
    amount = _Amount(m.start(), m.end(), value, unscaled=value, is_word=True)
    tokens = _WORD_TOKEN_RE.findall(lowered)
    if tokens and tokens[-1] in _MULT and tokens[-1] != "hundred":
        amount.scale = _MULT[tokens[-1]]
        amount.unscaled = value / amount.scale
    if _mid_sentence_capital(text, m.start(), surface):
        amount.skip = True
    elif tokens == ["one"] and _SUFFIX_RE.match(text, m.end()) is None:
        amount.skip = True  # "one" counts only with a unit after it: "one year"
    return amount


def _words_value(lowered: str) -> float:
    total = 0.0
    current = 0.0
    half = False
    for word in _WORD_TOKEN_RE.findall(lowered):
        if word == "half":
            half = True
        elif word in ("a", "an"):
            current += 1.0
        elif word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "dozen":
            current = (current or 1.0) * 12.0
        elif word == "hundred":
            current = (current or 1.0) * 100.0
        elif word in _MULT:
            total += (current or 1.0) * _MULT[word]
            current = 0.0
    value = total + current
    return value / 2 if half else value


def _ordinal_word(word: str) -> int:
    if "-" in word:
        tens, unit = word.split("-", 1)
        return _TENS.get(tens, 0) + _ORD_SMALL.get(unit, 0)
    return _ORD_SMALL.get(word) or _ORD_TENS.get(word) or _ORD_BIG.get(word, 0)


def _vague_amount(m: re.Match[str]) -> _Amount:
    words = m.group("vague").lower().split()
    if words[0] in ("tens", "hundreds") and len(words) == 3:
        base = 10.0 if words[0] == "tens" else 100.0
        unit = _VAGUE_BASE[words[2]] * base
        low, high = 2 * unit, 10 * unit
    elif words[0] in ("several", "a"):
        unit = 12.0 if words[-1] == "dozen" else _MULT[words[-1]]
        low, high = 2 * unit, 10 * unit
    elif words[0] == "dozens":
        low, high = 24.0, 144.0
    else:
        unit = _VAGUE_BASE[words[0]]
        low, high = 2 * unit, 10 * unit
    return _Amount(m.start(), m.end(), low, low=low, high=high, is_word=True)


def _mid_sentence_capital(text: str, start: int, surface: str) -> bool:
    """A capitalised number word inside a sentence is a name ("Group of Seven")."""
    if not surface[:1].isupper():
        return False
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i >= 0 and text[i] not in ".!?:;"


def _read_suffix(text: str, amount: _Amount) -> None:
    """The unit after the number: percent, currency word, age, duration, distance, weight."""
    suffix = _SUFFIX_RE.match(text, amount.end)
    if suffix is not None:
        _apply_suffix(amount, suffix)
    trail = _TRAIL_RE.match(text, amount.end)
    if trail is not None:
        amount.trail = " ".join(trail.group("t").replace("-", " ").split())
        amount.end = trail.end()


def _apply_suffix(amount: _Amount, s: re.Match[str]) -> None:
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
    elif s.group("dist") is not None:
        unit = " ".join(s.group("dist").lower().split())
        unit = unit if unit == "kms" else unit.removesuffix("es" if unit == "inches" else "s")
        if s.group("sq") or s.group("sq2"):
            amount.kind, amount.unit = "count", "km2"
            amount.x *= _KM.get(unit, 1.0) ** 2
        else:
            amount.kind, amount.unit = "distance", "km"
            amount.x *= _KM.get(unit, 1.0)
    elif s.group("wt") is not None:
        amount.kind, amount.unit = "weight", "kg"
        amount.x *= _KG.get(s.group("wt").lower(), 1.0)
    else:  # pragma: no cover - every alternative of the pattern has a group above
        return
    amount.end = s.end()
    amount.plain = ""


# --- qualifiers, ranges, kinds --------------------------------------------------------------


def _finish(text: str, a: _Amount) -> tuple[Quantity | None, int]:
    """The quantity that amount `a` starts, and where scanning resumes."""
    prefix = _PREFIX_RE.search(text, max(0, a.start - _PREFIX_WINDOW), a.start)
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
        if _LABEL_RE.search(text, max(0, a.start - 16), a.start) is not None:
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
        joined = _join_range(text, a, rng, between, prefix.start() if prefix else a.start)
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


def _join_range(
    text: str, a: _Amount, rng: re.Match[str], between: str, start: int
) -> tuple[float, float, str, str, int, bool] | None:
    """Bounds, kind, unit and end of the range `a` opens with separator `rng`, if any."""
    sep = rng.group("sep").strip()
    if sep == "and" and between != "between":
        return None
    b_match = _RANGE_END_RE.match(text, rng.end())
    if b_match is None or b_match.group("ordw") or b_match.group("vague"):
        return None
    if b_match.group("couple"):
        return None
    b = _amount(text, b_match)
    if b is None or b.skip or b.trail:
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


def _apply_qualifier(
    qualifier: str, low: float, high: float, kind: str, value_is_low: bool
) -> tuple[float, float, float]:
    """The interval and point value after `qualifier`."""
    is_range = low != high
    value = low if value_is_low else (low + high) / 2
    role = _QUALIFIERS.get(qualifier, "")
    if kind in ("date", "ordinal") or not role or (kind == "year" and role in (_LOWER, _UPPER)):
        return low, high, value
    if role == _LOWER:
        return low, _INF, low
    if role == _UPPER:
        return 0.0, high, high
    if is_range or role == _EXACT:
        return low, high, value
    x = low
    tol = 1.0 if kind == "year" else abs(x) * _TOLERANCE
    if role == _APPROX:
        return x - tol, x + tol, x
    if role == _NEAR:
        return x - tol, x, x
    return x, x + tol, x  # just over


# --- dates -----------------------------------------------------------------------------------


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
