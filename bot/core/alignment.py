"""Alignment: which figures of two articles state the same quantity of the same thing.

Every pair of figures of compatible kinds, one from each article, is a candidate. A small
model of boosted decision trees, trained on hand-labelled claim pairs of real same-story coverage
(``benchmarks/train_claim_pairs.py`` rebuilds it from ``../shared/eval/claims-dev``), scores
each candidate from what a reader would look at:

- the sentences with their figures masked (a copy that changed one figure keeps the rest),
- the clause around each figure (its distinctive words, near-synonyms as one),
- what is counted (the head noun after a count) and the verb the figure goes with,
- the names both sentences carry (the person, place or thing the figure is about), and
  whether the names nearest the two figures clash ("Corporal Cirillo, 24" / "Zehaf-Bibeau, 32"),
- whether the figures are compatible, and how far apart they are (for times and ages, in years),
- whether each is the other's closest candidate, and whether the other article states the
  figure's very value elsewhere (a figure states one quantity).

A figure is paired with its best candidate, both ways, when the model is sure enough;
incompatible figures (a possible conflict) need more certainty than agreeing ones. The
trees are plain numbers in ``claim_pair_model.json`` beside this module, read once and walked
with numpy (``bot.core.boosted``): nothing is trained or downloaded at run time.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.boosted import Trees
from bot.core.claims import (
    REFERENCE,
    Claim,
    ClaimPair,
    age_subject,
    concept,
    overlap,
    predicates_agree,
    same_counted,
    same_sentence,
)
from bot.core.labels import WEEKDAY_DATE, label_pair, other_periods
from bot.core.labels import compatible as compatible_values
from bot.core.numbers.relative import DAYS_AGO
from bot.core.text import stem, term, word_places, words
from bot.core.vocabulary import DISPUTED, Label

MODEL_PATH = Path(__file__).with_name("claim_pair_model.json")

# Kinds whose figures may state the same quantity although read differently: "aged 41" and
# "41" (an age read as a count), "in 2013" and "July 2013" (weekdays and dates, times since
# and durations, counts and ordinals or days: see ``comparable``).
_COMPATIBLE_KINDS = frozenset(frozenset(pair) for pair in (("age", "count"), ("date", "year")))
KINDS = (
    "count",
    "money",
    "percent",
    "age",
    "year",
    "date",
    "weekday",
    "duration",
    "distance",
    "ordinal",
)

# (Both look ahead on the capital a match opens with: the other positions fail at once.)
_NAME_RE = re.compile(r"(?=[A-Z])(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")
_SENTENCE_START = re.compile(r"^\W*\w+")


def comparable(a: Claim, b: Claim) -> bool:
    """Whether two figures can state the same quantity at all (quotes are not figures; a
    back-reference, "the two men", only in a copy of its sentence or with the same number)."""
    if a.kind == "quote" or b.kind == "quote":
        return False
    if REFERENCE in (a.unit, b.unit):
        return (a.unit == b.unit and same_sentence(a, b)) or (
            a.kind == b.kind and a.value == b.value
        )
    if a.kind == b.kind:
        return a.unit == b.unit or a.kind in ("date", "year")
    kinds = frozenset((a.kind, b.kind))
    if kinds in _ELAPSED_KINDS:  # "eight years ago" / "for eight years"
        return elapsed(a if a.kind != "duration" else b)
    if kinds == WEEKDAY_DATE:  # "on Thursday" / "Sept. 25", not "in December"
        return days_named(a if a.kind == "date" else b) <= _WEEKDAY_DAYS
    if kinds in _ONE_NUMBER_KINDS:  # "seven" / "seventh", "two" / "two days": one number
        return a.value == b.value
    return kinds in _COMPATIBLE_KINDS


# Kinds that state the same quantity only as one number read two ways: a count and an ordinal
# or a number of days (any other pair of them counts different things).
_ONE_NUMBER_KINDS = frozenset({frozenset(("ordinal", "count")), frozenset(("count", "duration"))})


# A weekday is a day of the last week or so: a date can name the same day only if it names a
# few days at most ("last week", "10 days ago").
_WEEKDAY_DAYS = 14


def days_named(claim: Claim) -> float:
    """How many days a date names, less one (0 for one day, 30 for a 31-day month)."""
    if claim.unit == DAYS_AGO:
        return claim.high - claim.low
    try:
        first, last = _calendar_day(claim.low, claim.unit), _calendar_day(claim.high, claim.unit)
    except (ValueError, OverflowError):
        return math.inf
    return float((last - first).days)


def _calendar_day(value: float, unit: str) -> date:
    """The day a date value names ("yyyymmdd", or "mmdd" in a leap year)."""
    n = int(value)
    year = n // 10000 if unit == "yyyymmdd" else 2000
    return date(year, n // 100 % 100, n % 100)


# A time stated as the time since ("eight years ago", "the past eight years") also states a
# duration.
_ELAPSED_KINDS = frozenset({frozenset(("date", "duration")), frozenset(("year", "duration"))})
_ELAPSED_RE = re.compile(r"\b(?i:ago|past)\b")


def elapsed(claim: Claim) -> bool:
    """Whether a date or year is written as the time since it (``numbers.relative``)."""
    return _ELAPSED_RE.search(claim.surface) is not None


# The pairs of two different kinds ``comparable`` may find comparable (never any other two).
_CROSS_KINDS = _COMPATIBLE_KINDS | _ELAPSED_KINDS | _ONE_NUMBER_KINDS | {WEEKDAY_DATE}


def _comparable_pairs(
    claims_a: Sequence[Claim], claims_b: Sequence[Claim]
) -> list[tuple[int, int]]:
    """Every pair (index in `claims_a`, index in `claims_b`) that is ``comparable``, in order:
    each claim is tried only against the other side's claims of a kind it may be compared
    with (its own kind, or one of ``_CROSS_KINDS``), not against every claim."""
    by_kind: defaultdict[str, list[int]] = defaultdict(list)
    for j, b in enumerate(claims_b):
        by_kind[b.kind].append(j)
    tried: dict[str, list[int]] = {}  # for each kind of `claims_a`, the claims it is tried with
    index: list[tuple[int, int]] = []
    for i, a in enumerate(claims_a):
        others = tried.get(a.kind)
        if others is None:
            others = tried[a.kind] = sorted(
                j
                for kind, found in by_kind.items()
                if (kind == a.kind and kind != "quote") or frozenset((a.kind, kind)) in _CROSS_KINDS
                for j in found
            )
        index.extend((i, j) for j in others if comparable(a, claims_b[j]))
    return index


def _masked(sentence: str, surface: str) -> str:
    """The sentence with its figure masked, lower-cased: a copy that changed the figure reads
    the same, two figures of one sentence do not ("from # to 20", "from 10 to #")."""
    return sentence.replace(surface, " # ", 1).lower()


def _names(sentence: str) -> frozenset[str]:
    """Stems of the capitalised words of a sentence, its first word left out."""
    rest = _SENTENCE_START.sub("", sentence, count=1)
    return frozenset(stem(m.group().lower()) for m in _NAME_RE.finditer(rest))


def _log_ratio(a: Claim, b: Claim) -> float:
    va, vb = abs(a.value), abs(b.value)
    if va == 0 or vb == 0 or math.isinf(va) or math.isinf(vb) or math.isnan(va + vb):
        return 0.0
    return min(3.0, abs(math.log(va / vb)))


_GAP_CAP = 50.0


def _gap(a: Claim, b: Claim) -> float:
    """How far apart two times or ages are, in years (months for two dates): one person's
    ages or one event's years differ by one or two when outlets disagree, where a ratio says
    nothing (2000 and 2017 are 1% apart); -1 for other kinds."""
    if a.kind != b.kind or a.kind not in ("age", "year", "date"):
        return -1.0
    if a.kind == "date":
        if a.unit != b.unit or a.unit not in ("yyyymmdd", "mmdd"):
            return -1.0
        try:
            days = abs((_calendar_day(a.value, a.unit) - _calendar_day(b.value, b.unit)).days)
        except (ValueError, OverflowError):
            return -1.0
        return min(_GAP_CAP, days / 30.0)
    diff = abs(a.value - b.value)
    return min(_GAP_CAP, diff) if math.isfinite(diff) else _GAP_CAP


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """How much two sets share: the size of their intersection over that of their union
    (counted, not built)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _shared(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the shorter name found in the other ("Bary" in "Abdel-Majed Abdel Bary")."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


WINDOW = 4  # words either side of a figure that say what it is


@dataclass(frozen=True, slots=True)
class _Side:
    """What the features read of one claim, computed once per claim."""

    masked: str
    names: frozenset[str]
    terms: dict[str, float]  # the sentence's distinctive stems with their weights
    terms_weight: float  # their total weight
    left: frozenset[str]  # stems of the words right before the figure
    right: frozenset[str]  # and right after it
    next_word: str
    nearest_name: frozenset[str]  # the name standing closest to the figure, if any
    subject: frozenset[str]  # concepts of who an age is of (``claims.age_subject``), if said


def _window(text: str, *, last: bool) -> list[str]:
    """Stems of the first (or last) ``WINDOW`` words of `text` that are not numbers."""
    found = [w for w in words(text) if not w[0].isdigit()]
    return [term(w)[0] for w in (found[-WINDOW:] if last else found[:WINDOW])]


@dataclass(frozen=True, slots=True)
class _Positioned:
    """The words of a sentence as ``words`` reads them, with where each stands, and the stems
    of those that are not numbers (what a window reads), in order."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    kept: tuple[int, ...]  # the indices of the words that are not numbers
    stems: tuple[str, ...]  # and their stems


def _windows(sentence: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """Stems of the ``WINDOW`` words right before a figure at `start`..`end` and right after
    it, numbers left out: the sentence's words read once (found by bisection, as they stand in
    order), or each side read alone when a word runs into the figure ("360's", "18k")."""
    found = _sentence(sentence).positioned
    if found is not None:
        starts, ends, kept = found.starts, found.ends, found.kept
        before = bisect_right(ends, start)  # the words that end by the figure's start
        through_end = bisect_right(ends, end)
        # A word that starts before `start` (or `end`) and ends after it runs into the figure.
        if not (
            (before < len(starts) and starts[before] < start)
            or (through_end < len(starts) and starts[through_end] < end)
        ):
            last = bisect_left(kept, before)
            first = bisect_left(kept, bisect_left(starts, end))
            return (
                list(found.stems[max(0, last - WINDOW) : last]),
                list(found.stems[first : first + WINDOW]),
            )
    return _window(sentence[:start], last=True), _window(sentence[end:], last=False)


@dataclass(frozen=True, slots=True)
class _Read:
    """What every figure of a sentence shares, read once: its distinctive stems with their
    weights, its names, and its words with where each stands."""

    terms: dict[str, float]  # callers do not change it
    terms_weight: float  # the weights, summed in order
    names: frozenset[str]
    positioned: _Positioned | None  # None when lower-casing moves characters


@lru_cache(maxsize=4096)
def _sentence(sentence: str) -> _Read:
    """A sentence's words read once for all its figures (cached: a sentence often holds
    several figures, and a story's earlier claims are compared again with each new article).
    Its words with where each stands only when lower-casing keeps every character in place
    ("İ" grows, "Σ" reads its context); the words are those ``words`` reads either way."""
    lowered = sentence.lower()
    starts, ends, found = word_places(lowered)
    # The words that are not numbers with their stems and weights, and the distinctive ones
    # (a stem met again keeps its first place and takes the later word's weight).
    kept = [k for k, word in enumerate(found) if not word[0].isdigit()]
    read = [term(found[k]) for k in kept]
    terms = {stem_: weight_ for stem_, weight_ in read if weight_ > 0}
    positioned = None
    if len(lowered) == len(sentence) and "Σ" not in sentence:
        stems = tuple(stem_ for stem_, _ in read)
        positioned = _Positioned(tuple(starts), tuple(ends), tuple(kept), stems)
    return _Read(terms, sum(terms.values()), _names(sentence), positioned)


def _side(claim: Claim) -> _Side:
    """What the features read of one claim."""
    return _side_of(claim.sentence, claim.surface, age=claim.kind == "age")


@lru_cache(maxsize=8192)
def _side_of(sentence: str, surface: str, *, age: bool = False) -> _Side:
    """What the features read of a figure written `surface` in `sentence` (cached, as the
    sentence's words are: its claims are compared again with each new article). An `age`
    that says who it is of (``age_subject``) is about the names in that, or about no name at
    all ("the 39-year-old reporter"), whatever name stands nearby."""
    at = sentence.find(surface)
    left, right = _windows(sentence, at, at + len(surface)) if at >= 0 else ([], [])
    read = _sentence(sentence)
    subject = age_subject(sentence, at, at + len(surface)) if age and at >= 0 else ""
    if subject:
        names = [t.lower() for t in subject.split() if t[0].isupper()]
        nearest = frozenset(stem(t) for t in names if t not in _NOT_NAMES)
    elif at >= 0:
        nearest = _nearest_name(sentence, at, at + len(surface))
    else:
        nearest = frozenset()
    return _Side(
        _masked(sentence, surface),
        read.names,
        read.terms,
        read.terms_weight,
        frozenset(left),
        frozenset(right),
        right[0] if right else "",
        nearest,
        frozenset(concept(t) for t in subject.split()),
    )


_NAME_RUN_RE = re.compile(r"(?=[A-Z])\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*")


# A figure set off after a word, as an age is after a name: "Bary, 23, is ...", "Foley, a
# 40-year-old ...": the sentence's first word is then a name, not just a capital.
_APPOSITION_RE = re.compile(r",\s+(?:an?\s+)?\d")


@lru_cache(maxsize=4096)
def _name_runs(sentence: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """The runs of capitalised words of a sentence that may name what a figure is about, with
    where each stands and its stems (the sentence's first word alone is not one,
    unless a figure is set off after it: "Bary, 23,"); cached."""
    runs = []
    for m in _NAME_RUN_RE.finditer(sentence):
        tokens = m.group().split()
        if m.start() == 0 and len(tokens) == 1 and not _APPOSITION_RE.match(sentence, m.end()):
            continue
        stems = frozenset(stem(t.lower()) for t in tokens if t.lower() not in _NOT_NAMES)
        if stems:
            runs.append((m.start(), m.end(), stems))
    return tuple(runs)


def _nearest_name(sentence: str, start: int, end: int) -> frozenset[str]:
    """Stems of the run of capitalised words nearest the figure (within 60 characters), the
    sentence's first word left out unless a name follows it."""
    best: tuple[int, frozenset[str]] | None = None
    for run_start, run_end, stems in _name_runs(sentence):
        if run_start < end and run_end > start:
            continue  # the figure itself ("Forty-two")
        gap = start - run_end if run_end <= start else run_start - end
        if gap > 60:
            continue
        if best is None or gap < best[0]:
            best = (gap, stems)
    return best[1] if best else frozenset()


_NOT_NAMES = frozenset(
    "the a an in on at of and but monday tuesday wednesday thursday friday saturday sunday "
    "he she it they we his her their mr mrs ms dr".split()
)


def _weightedoverlap(a: _Side, b: _Side) -> float:
    """The weight of the stems two sentences share over the weight of the smaller one."""
    if not a.terms or not b.terms:
        return 0.0
    other = b.terms
    if other.keys().isdisjoint(a.terms):  # most candidates' sentences share none (the same 0.0)
        return 0.0
    shared = sum([w for s, w in a.terms.items() if s in other])
    return shared / min(a.terms_weight, b.terms_weight)


FEATURES = (
    "bias",
    "same_sentence",
    "masked_set",
    "masked_ratio",
    "context",
    "counted_same",
    "counted_missing",
    "predicates_agree",
    "names",
    "names_none",
    "compatible",
    "log_ratio",
    "equal",
    "cross_kind",
    "partial",
    "period_mismatch",
    "scope_both",
    "best_a",
    "best_b",
    "lead",
    "weighted",
    "left",
    "right",
    "next_word",
    "both_words",
    "nearest_name",
    "nearest_name_none",
    "names_clash",
    "nearest_name_shared",
    "gap",
    "subject",
    "same_index",
    "salience",
    "central",
    "relative_time",
    "equal_elsewhere_a",
    "equal_elsewhere_b",
    "reference",
    *(f"kind_{k}" for k in KINDS),
)


def _clash(a: _Side, b: _Side) -> bool:
    """Whether the figures stand by other names: each has a name nearby, and neither
    sentence names the other's ("Corporal Nathan Cirillo, a 24-year-old" / "32-year-old
    Michael Zehaf-Bibeau")."""
    return bool(
        a.nearest_name
        and b.nearest_name
        and not a.nearest_name & b.names
        and not b.nearest_name & a.names
    )


def _pair_values(a: Claim, b: Claim, sa: _Side, sb: _Side) -> tuple[float | bool, ...]:
    """What a candidate's features read of both figures together (the rest is read off each
    figure alone, and the masked sentences' likeness for all candidates at once, by
    ``_FUZZY``): in the order of ``_PAIR_VALUES``."""
    return (
        same_sentence(a, b),
        overlap(a.context, b.context),
        same_counted(a, b),
        predicates_agree(a, b),
        _jaccard(sa.names, sb.names),
        compatible_values(a, b),
        _log_ratio(a, b),
        _weightedoverlap(sa, sb),
        _jaccard(sa.left, sb.left),
        _jaccard(sa.right, sb.right),
        bool(sa.next_word) and sa.next_word == sb.next_word,
        _jaccard(sa.nearest_name, sb.nearest_name),
        _clash(sa, sb),
        _shared(sa.nearest_name, sb.nearest_name),
        _gap(a, b),
        _shared(sa.subject, sb.subject) if sa.subject and sb.subject else -1.0,
    )


_PAIR_VALUES = (
    "same_sentence",
    "context",
    "counted_same",
    "predicates_raw",
    "names",
    "compatible",
    "log_ratio",
    "weighted",
    "left",
    "right",
    "next_word",
    "nearest_name",
    "names_clash",
    "nearest_name_shared",
    "gap",
    "subject",
)
# How alike the masked sentences of each candidate read: computed for all candidates in one
# call each (``process.cpdist``, the same scores as one call per pair), as a share.
_FUZZY = {"masked_set": fuzz.token_set_ratio, "masked_ratio": fuzz.ratio}


def _own_values(claims: Sequence[Claim], sides: dict[int, _Side]) -> dict[str, np.ndarray]:
    """What the features read of each figure alone, one array per name, one entry per claim
    (side-based entries are False for claims without a candidate, which are never read)."""
    none = _Side("", frozenset(), {}, 0.0, frozenset(), frozenset(), "", frozenset(), frozenset())
    own = {
        "kind": [c.kind for c in claims],
        "relative": [c.unit == DAYS_AGO for c in claims],
        "reference": [c.unit == REFERENCE for c in claims],
        "value": [c.value for c in claims],
        "counted": [bool(c.counted) for c in claims],
        "predicate": [bool(c.predicate) for c in claims],
        "partial": [c.partial for c in claims],
        "period_none": [c.period is None for c in claims],
        "scope": [bool(c.scope) for c in claims],
        "position": [c.position for c in claims],
        "index": [c.index for c in claims],
        "digits": [c.surface[:1].isdigit() for c in claims],
        "salience": [math.log1p(c.mentions) for c in claims],
        "mentions": [c.mentions for c in claims],
        "names": [bool(sides.get(k, none).names) for k in range(len(claims))],
        "nearest": [bool(sides.get(k, none).nearest_name) for k in range(len(claims))],
    }
    return {name: np.array(values) for name, values in own.items()}


_MASKED_SET = FEATURES.index("masked_set")
_CONTEXT = FEATURES.index("context")
_BEST_A = FEATURES.index("best_a")
_BEST_B = FEATURES.index("best_b")
_WEIGHTED = FEATURES.index("weighted")
_COMPATIBLE = FEATURES.index("compatible")
# The kind columns of times (the first article's figure's kind)
_TIME_KINDS = [FEATURES.index(f"kind_{k}") for k in ("year", "date", "weekday")]
_SAME_SENTENCE = FEATURES.index("same_sentence")
_CENTRAL = FEATURES.index("central")


def candidates(
    claims_a: Sequence[Claim], claims_b: Sequence[Claim]
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every comparable pair (index in `claims_a`, index in `claims_b`) with its features
    (one row per pair, columns as ``FEATURES``)."""
    index = _comparable_pairs(claims_a, claims_b)
    if not index:
        return index, np.zeros((0, len(FEATURES)))
    # What the features read of each claim, for the claims that have a candidate only.
    sides_a = {i: _side(claims_a[i]) for i in sorted({i for i, _ in index})}
    sides_b = {j: _side(claims_b[j]) for j in sorted({j for _, j in index})}
    together = np.array(
        [_pair_values(claims_a[i], claims_b[j], sides_a[i], sides_b[j]) for i, j in index],
        dtype=np.float64,
    ).reshape(len(index), len(_PAIR_VALUES))
    pair = {name: together[:, k] for k, name in enumerate(_PAIR_VALUES)}
    masked_a = [sides_a[i].masked for i, _ in index]
    masked_b = [sides_b[j].masked for _, j in index]
    for name, scorer in _FUZZY.items():
        scores = process.cpdist(masked_a, masked_b, scorer=scorer, processor=None, dtype=np.float64)
        pair[name] = scores / 100.0
    rows_a, rows_b = _figures(index)
    own_a = {k: v[rows_a] for k, v in _own_values(claims_a, sides_a).items()}
    own_b = {k: v[rows_b] for k, v in _own_values(claims_b, sides_b).items()}
    partial = own_a["partial"] | own_b["partial"]
    # Whether the other article states the figure's very value in another figure: then that is
    # likely its counterpart, not this one.
    equal = own_a["value"] == own_b["value"]
    elsewhere = {}
    for side, rows, n in (("a", rows_a, len(claims_a)), ("b", rows_b, len(claims_b))):
        stated = np.bincount(rows, weights=equal, minlength=n)[rows]
        elsewhere[f"equal_elsewhere_{side}"] = (stated - equal) > 0
    columns = {
        "bias": np.ones(len(index)),
        "counted_missing": ~(own_a["counted"] & own_b["counted"]),
        "predicates_agree": own_a["predicate"] & own_b["predicate"] & (pair["predicates_raw"] > 0),
        "names_none": ~(own_a["names"] & own_b["names"]),
        "equal": equal,
        "cross_kind": own_a["kind"] != own_b["kind"],
        "partial": partial,
        "period_mismatch": own_a["period_none"] != own_b["period_none"],
        "scope_both": own_a["scope"] & own_b["scope"],
        "best_a": np.zeros(len(index)),  # filled once every candidate is scored
        "best_b": np.zeros(len(index)),
        "lead": np.minimum(own_a["position"], own_b["position"]) < 3,
        "both_words": ~own_a["digits"] & ~own_b["digits"],
        "nearest_name_none": ~(own_a["nearest"] & own_b["nearest"]),
        "same_index": own_a["index"] == own_b["index"],
        # how often both articles name what is counted
        "salience": np.minimum(own_a["salience"], own_b["salience"]),
        # The figure a story is about: the same thing counted, done the same way, named again
        # and again in both articles, and stated whole (not a part, not a guess).
        "central": (pair["counted_same"] > 0)
        & (pair["predicates_raw"] > 0)
        & ~partial
        & (np.minimum(own_a["mentions"], own_b["mentions"]) >= 3),
        # a time counted back from the day of publication ("last week"), on either side
        "relative_time": own_a["relative"] | own_b["relative"],
        # a back-reference ("the five men") on either side
        "reference": own_a["reference"] | own_b["reference"],
        **{f"kind_{k}": own_a["kind"] == k for k in KINDS},
        **elsewhere,
        **pair,
    }
    features = np.zeros((len(index), len(FEATURES)), dtype=np.float64)
    for k, name in enumerate(FEATURES):
        features[:, k] = columns[name]
    if index:
        # A figure states one quantity: is this the closest candidate of each side?
        closeness = features[:, _MASKED_SET] + features[:, _CONTEXT] + features[:, _WEIGHTED]
        for column, rows, n in ((_BEST_A, rows_a, len(claims_a)), (_BEST_B, rows_b, len(claims_b))):
            best = np.full(n, -1.0)
            np.maximum.at(best, rows, closeness)  # each claim's closest candidate
            features[:, column] = closeness >= best[rows]
    return index, features


_REORDERED = 0.9


_Stated = tuple[str, str, float, float]  # kind, unit and interval of a figure


def _stated(claims: Sequence[Claim]) -> dict[str, set[_Stated]]:
    """The figures (their kinds, units and intervals) each sentence states, the years that
    date a figure included ("three launches, in 1984 and 2001": 1984 and 2001)."""
    out: dict[str, set[_Stated]] = defaultdict(set)
    for c in claims:
        out[c.sentence].add(_figure(c))
        if c.period is not None:
            out[c.sentence].add(("year", "", float(c.period), float(c.period)))
    return out


def _figure(claim: Claim) -> _Stated:
    """What makes two figures the same one: "Thursday" is not "three days", 3 all the same."""
    return (claim.kind, claim.unit, claim.low, claim.high)


def _changed(a: Claim, b: Claim) -> bool:
    """Whether two figures in the same place of one sentence (``same_sentence``) differ."""
    return (a.low, a.high) != (b.low, b.high)


class Scorer(Protocol):
    """What ``align`` needs of a model: a probability per candidate (rows as ``FEATURES``)
    and the probability each candidate needs to be paired."""

    @property
    def pair_threshold(self) -> float: ...

    def probabilities(
        self, features: np.ndarray, index: Sequence[tuple[int, int]]
    ) -> np.ndarray: ...

    def thresholds(self, features: np.ndarray) -> np.ndarray: ...


def least_probability(
    features: np.ndarray, pair_threshold: float, conflict_threshold: float
) -> np.ndarray:
    """The probability each candidate needs: figures whose values agree pair at
    `pair_threshold`, figures that disagree (a possible conflict, which an editor reads) at
    `conflict_threshold`."""
    agree = features[:, _COMPATIBLE] > 0
    least: np.ndarray = np.where(agree, pair_threshold, conflict_threshold)
    return least


# The second stage reads each candidate's first-stage probability beside its rivals': a figure
# states one quantity, so a candidate is less likely the pair when either of its figures has a
# likelier counterpart, above all one that agrees with it, and more likely when it has none.
RIVALS = (
    "rival_a",  # the likeliest other candidate of the first article's figure
    "margin_a",  # this candidate's probability less that one's
    "agreeing_rival_a",  # the likeliest other candidate of that figure whose values agree
    "rival_b",
    "margin_b",
    "agreeing_rival_b",
    "first_stage",  # this candidate's own first-stage probability
)
SECOND_STAGE = (*FEATURES, *RIVALS)


def _likeliest_other(rows: np.ndarray, probs: np.ndarray, among: np.ndarray) -> np.ndarray:
    """For each candidate, the highest probability among the other candidates `among` of the
    same figure (`rows`: the figure of each candidate), 0 when there is none."""
    n = int(rows.max()) + 1
    q = np.where(among, probs, -1.0)
    top = np.full(n, -1.0)
    np.maximum.at(top, rows, q)
    at_top = among & (q == top[rows])
    # the best of the rest: the top again when two candidates share it, else the runner-up
    second = np.full(n, -1.0)
    np.maximum.at(second, rows, np.where(at_top, -1.0, q))
    shared = np.bincount(rows, weights=at_top, minlength=n) > 1
    second = np.where(shared, top, second)
    other = np.where(at_top, second[rows], top[rows])
    found: np.ndarray = np.maximum(other, 0.0)
    return found


def _figures(index: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The figure of each candidate in the first article and in the second."""
    pairs = np.array(index, dtype=np.intp).reshape(len(index), 2)
    return pairs[:, 0], pairs[:, 1]


def _rivalled(figures: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Whether either figure of each candidate has another candidate."""
    out = np.zeros(len(figures[0]), dtype=bool)
    for rows in figures:
        out |= np.bincount(rows)[rows] > 1
    return out


def rivals(features: np.ndarray, index: Sequence[tuple[int, int]], probs: np.ndarray) -> np.ndarray:
    """The ``RIVALS`` columns of each candidate, from first-stage probabilities `probs`."""
    return _rivals(features, _figures(index), probs)


def second_stage_rows(
    features: np.ndarray, index: Sequence[tuple[int, int]], probs: np.ndarray
) -> np.ndarray:
    """The rows the second stage reads (columns ``SECOND_STAGE``), from first-stage `probs`."""
    return np.hstack([features, rivals(features, index, probs)])


def _rivals(
    features: np.ndarray, figures: tuple[np.ndarray, np.ndarray], probs: np.ndarray
) -> np.ndarray:
    agree = features[:, _COMPATIBLE] > 0
    everyone = np.ones(len(probs), dtype=bool)
    columns = []
    for rows in figures:
        rival = _likeliest_other(rows, probs, everyone)
        columns += [rival, probs - rival, _likeliest_other(rows, probs, agree)]
    columns.append(probs)
    return np.column_stack(columns)


def _probability(trees: Trees, rows: np.ndarray) -> np.ndarray:
    z = np.clip(trees.decision(rows), -30.0, 30.0)
    probs: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return probs


@dataclass(frozen=True, slots=True)
class PairModel:
    """Boosted trees over ``FEATURES``: the probability that a candidate states the same
    quantity of the same thing as its counterpart, with the probability it needs to pair.
    For figures that disagree (a possible conflict) and have rivals, a second stage of trees,
    when there is one, reads those probabilities beside the rivals' (``RIVALS``, columns
    ``SECOND_STAGE``) and gives the final one. The others keep the first stage's: on
    claims-dev the second stage helps conflicts only; with no rival to read it only guesses,
    pairing lone figures more readily (one age in each of two one-line texts, the seeds'
    "at least a dozen" deals and "thousands" of officials); and times are left out, as an
    article dates many events and the likeliest counterpart of a year is often another
    event's (the seeds' "last visit in 2017" / "last purchase in 2016"; F1 out of fold 0.399
    against 0.393 with them)."""

    trees: Trees
    pair_threshold: float
    conflict_threshold: float
    second: Trees | None = None

    def probabilities(self, features: np.ndarray, index: Sequence[tuple[int, int]]) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0)
        probs = _probability(self.trees, features)
        if self.second is None:
            return probs
        figures = _figures(index)
        times = features[:, _TIME_KINDS].any(axis=1)
        decided = (features[:, _COMPATIBLE] == 0) & ~times & _rivalled(figures)
        if not decided.any():
            return probs
        rows = np.hstack([features, _rivals(features, figures, probs)])[decided]
        probs[decided] = _probability(self.second, rows)
        return probs

    def thresholds(self, features: np.ndarray) -> np.ndarray:
        """The probability each candidate needs to be paired."""
        return least_probability(features, self.pair_threshold, self.conflict_threshold)

    def to_json(self) -> dict[str, object]:
        second = {} if self.second is None else {"second": self.second.to_json(SECOND_STAGE)}
        return {
            "model": "boosted trees",
            "pair_threshold": self.pair_threshold,
            "conflict_threshold": self.conflict_threshold,
            **self.trees.to_json(FEATURES),
            **second,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairModel:
        second = data.get("second")
        return cls(
            Trees.from_json(data, FEATURES),
            float(data["pair_threshold"]),
            float(data["conflict_threshold"]),
            None if second is None else Trees.from_json(second, SECOND_STAGE),
        )


@cache
def default_model() -> PairModel:
    """The shipped model (see ``benchmarks/train_claim_pairs.py``)."""
    return PairModel.from_json(json.loads(MODEL_PATH.read_text()))


def align(
    claims_a: Sequence[Claim],
    claims_b: Sequence[Claim],
    *,
    b_is_later: bool = False,
    model: Scorer | None = None,
) -> list[ClaimPair]:
    """Pair each figure with its best counterpart in the other article (both ways) when the
    model is sure they state the same quantity, and label each pair."""
    index, features = candidates(claims_a, claims_b)
    return pair_candidates(claims_a, claims_b, index, features, b_is_later=b_is_later, model=model)


def pair_candidates(
    claims_a: Sequence[Claim],
    claims_b: Sequence[Claim],
    index: Sequence[tuple[int, int]],
    features: np.ndarray,
    *,
    b_is_later: bool = False,
    model: Scorer | None = None,
) -> list[ClaimPair]:
    """``align`` once the candidates and their features are known (``candidates``)."""
    model = model or default_model()
    if not index:
        return []
    probs = model.probabilities(features, index)
    needed = model.thresholds(features)
    # A figure repeated word for word in the other article (the same sentence, the same value)
    # is that figure: it pairs with its twin and with nothing else. So does a figure changed in
    # a copy of its sentence (the copy changed a fact: a conflict, see ``label_pair``).
    stated_a, stated_b = _stated(claims_a), _stated(claims_b)

    def crosswise(a: Claim, b: Claim, *, both: bool = False) -> bool:
        """Whether one sentence (or, with `both`, each) states the other's figure too: a
        reordered sentence whose figures were paired across ("from May 1 to June 3" / "to
        June 3, from May 1"). A copy that changed one of two equal figures ("in 2012, ...
        around Thanksgiving 2012" / "in 2014, ... Thanksgiving 2012") still states the old
        figure, not the new one in the old sentence: it is not crosswise both ways."""
        in_b, in_a = _figure(a) in stated_b[b.sentence], _figure(b) in stated_a[a.sentence]
        return (in_a and in_b) if both else (in_a or in_b)

    twins = {
        (i, j)
        for (i, j), same in zip(index, (features[:, _SAME_SENTENCE] > 0).tolist(), strict=True)
        if same
        and (
            (
                claims_a[i].value == claims_b[j].value
                and claims_a[i].sentence == claims_b[j].sentence
            )
            or (
                _changed(claims_a[i], claims_b[j])
                and not crosswise(claims_a[i], claims_b[j], both=True)
            )
            # the same figure in a copy of its sentence, dated another year ("four journalists
            # kidnapped in 2011" / "in 2010"): the copy changed a fact (``label_pair``)
            or (claims_a[i].value == claims_b[j].value and other_periods(claims_a[i], claims_b[j]))
        )
    }
    twinned_a, twinned_b = {i for i, _ in twins}, {j for _, j in twins}
    # The figure the story is about (the "central" feature), when one side is the other's
    # closest candidate, is paired whatever the model says: claims-dev has few such stories,
    # and a story's key figure is what a desk needs compared.
    central = (features[:, _CENTRAL] > 0) & (
        (features[:, _BEST_A] > 0) | (features[:, _BEST_B] > 0)
    )
    needed = np.where(central, 0.0, needed)
    best_a: dict[int, tuple[float, int]] = {}
    best_b: dict[int, tuple[float, int]] = {}
    labels: dict[tuple[int, int], Label] = {}
    # Sentences of the same words in another order ("X, said Y" / "Y said X"), figures masked.
    reordered = features[:, _MASKED_SET] >= _REORDERED
    # (read as Python numbers: one at a time, they compare faster than numpy's)
    rows = zip(index, probs.tolist(), needed.tolist(), reordered.tolist(), strict=True)
    for (i, j), p, least, same_words in rows:
        if (i in twinned_a or j in twinned_b) and (i, j) not in twins:
            continue
        if (
            REFERENCE in (claims_a[i].unit, claims_b[j].unit)
            and claims_a[i].value != claims_b[j].value
            and (i, j) not in twins
        ):
            continue  # "the two men" / "four men" only in a copy of its sentence
        if p < min(least, model.pair_threshold) and (i, j) not in twins:
            continue
        label = label_pair(claims_a[i], claims_b[j], b_is_later=b_is_later)
        # Figures of other periods or scopes are look-alikes, not alarms: they pair at the
        # agreeing figures' threshold; a conflict or an update needs the model's certainty.
        if label in DISPUTED and (i, j) not in twins:
            if p < least:
                continue
            a, b = claims_a[i], claims_b[j]
            if same_words and _changed(a, b) and crosswise(a, b):
                continue  # one sentence reordered, its figures paired crosswise
        labels[(i, j)] = label
        if p > best_a.get(i, (0.0, -1))[0]:
            best_a[i] = (float(p), j)
        if p > best_b.get(j, (0.0, -1))[0]:
            best_b[j] = (float(p), i)
    chosen = {(i, j): s for i, (s, j) in best_a.items()}
    chosen.update({(i, j): s for j, (s, i) in best_b.items()})
    pairs = []
    for (i, j), score in sorted(chosen.items()):
        pairs.append(ClaimPair(labels[(i, j)], claims_a[i], claims_b[j], score))
    return pairs
