"""Claims: what an article asserts (figures with what they count, quotes with who said them),
and how the claims of two articles line up.

A numeric claim is a quantity (``bot.core.numbers``) read in its sentence:

- ``counted``: the head noun of what is counted or measured ("agreements", "people killed",
  "trade"), reduced to a concept shared by near-synonyms (agreements, memorandums and deals
  are one concept);
- ``period``: the year the figure is for, from the same sentence ("in 2023", "last year");
- ``scope``: the words of the "of ..." phrase that says what a share or figure is of
  ("of Vietnam's arms imports");
- ``attribution``: who says so ("according to ...", "... said").

Which claims of two articles state the same quantity is ``bot.core.alignment``; how a pair
compares (``conflict``, ``agree``, ...) is ``bot.core.labels``. The helpers at the end of this
module say how alike two claims are, for both.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, utils

from bot.core.numbers import Quantity, find_quantities
from bot.core.numbers.words import _MULT, _SMALL, _TENS
from bot.core.sentences import is_furniture, split_sentences
from bot.core.text import stem, weight, word_of, word_tokens, words
from bot.core.vocabulary import Label

# Near-synonyms of what news figures count: each set is one concept.
_CONCEPTS: tuple[frozenset[str], ...] = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "agreement agreements memorandum memorandums memoranda deal deals document documents "
        "accord accords pact pacts treaty treaties contract contracts mou mous",
        "people persons person individuals residents civilians citizens",
        "killed dead deaths died fatalities lives",
        "injured wounded hurt injuries",
        "soldiers troops servicemen personnel",
        "missiles rockets projectiles",
        "drones uavs",
        "jobs positions posts",
        "cases infections",
        "votes ballots",
        "visits trips",
        "children kids minors",
        "homes houses dwellings",
        "arrested detained",
        "migrants refugees asylum-seekers",
        # Predicates: what was done with the counted things.
        "signed sign announced announce concluded conclude reached reach sealed seal inked agreed",
        "abducted abduct kidnapped kidnap seized seize captured capture taken",
        "fired fire shot",
    )
)
_CONCEPT_OF = {w: min(group) for group in _CONCEPTS for w in group}

# Participles that complete a counted noun: "people killed", "deals signed".
_OUTCOMES = frozenset(
    stem(w)
    for w in "killed dead injured wounded missing arrested detained displaced evacuated "
    "hospitalized hospitalised rescued signed announced sold".split()
)
# Measures a money or percent figure is usually about, when no "of ..." phrase says so.
_MEASURES = frozenset(
    stem(w)
    for w in "trade revenue revenues sales budget cost costs investment investments aid "
    "exports imports profit profits loss losses gdp debt deficit fine price value "
    "spending funding income turnover output growth inflation unemployment rate share "
    "stake tariff tariffs tax taxes salary wages bill package loan loans".split()
)
# Words that end the noun phrase after a number.
_PHRASE_STOP = frozenset(
    """of for with in on at to from by as and or but that which who whom whose were was is are
    be been being have has had will would could should may might not than then since during
    before after between among against over under about into through per each this these
    those it its their his her they he she we our""".split()
)
_TOKEN_RE = re.compile(r"[A-Za-z][\w'’-]*|\d[\d.,]*|[^\w\s]")
_ATTRIBUTION_RES = (
    # Each looks ahead on the characters its match opens with (here and below: sre then skips
    # the others by its fast scan; the matches are the same).
    re.compile(r"(?=a)\baccording to (?:the )?((?:[A-Z][\w.'’-]*\s?){1,5})"),
    re.compile(
        r"(?=[A-Z])((?:[A-Z][\w.'’-]*\s){0,3}[A-Z][\w.'’-]*),? (?:said|says|told|added|noted)\b"
    ),
    re.compile(r"(?=[st])\b(?:said|says|told) ((?:[A-Z][\w.'’-]*\s?){1,4})"),
)
_QUOTE_RE = re.compile(r"[\"“]([^\"“”]{12,600})[\"”]")
# Clause boundaries: a claim's local context does not cross them. (Each pattern looks ahead
# on the characters a match can open with, so that sre skips the others by its fast scan.)
_CLAUSE_RE = re.compile(r"(?=[;,–—cwb])(?:[;,–—]|\b(?:compared (?:to|with)|while|whereas|but)\b)")
_AND_RE = re.compile(r"(?=a)\band\b")


# Figures that say when something happened: compared like any figure, but not news on their
# own, so a digest does not list them as new claims.
WHEN_KINDS = frozenset({"date", "weekday", "year"})


@dataclass(frozen=True, slots=True)
class Claim:
    """One thing an article asserts."""

    kind: str  # a Quantity kind, or "quote"
    surface: str  # the value as written: "at least a dozen", "$3.5bn", or the quote
    sentence: str  # the whole sentence as it stands in the article
    low: float = math.nan
    high: float = math.nan
    value: float = math.nan
    unit: str = ""
    counted: str = ""  # concept (stem) of what is counted or measured, "" when unknown
    counted_text: str = ""  # the words it came from: "publicly announced agreements"; for an
    # age, who it is of: "Suresh Kumar", "reporter" (``age_holder``)
    period: int | None = None  # the year the figure is for
    scope: frozenset[str] = frozenset()  # stems of the "of ..." phrase
    scope_text: str = ""  # the "of ..." phrase as written: "Vietnam's arms imports"
    context: frozenset[str] = frozenset()  # distinctive stems of the claim's clause
    attribution: str = ""  # who says so
    position: int = 0  # index of the sentence in the article
    index: int = 0  # index of the figure within its sentence
    partial: bool = False  # a part of a total ("the first six"), or a guess ("would cost")
    predicate: str = ""  # concept of the verb the figure goes with ("sign", "kill"), if any
    mentions: int = 0  # how often the article names what is counted (its salience)
    headline: bool = False  # the article's title names what is counted

    @property
    def quantity(self) -> str:
        """A short readable name of what the claim is about."""
        return quantity_name(self.kind, self.scope_text, self.counted_text, self.counted)


def quantity_name(kind: str, scope_text: str, counted_text: str, counted: str) -> str:
    """A short readable name of what a claim is about."""
    if kind == "percent" and scope_text:
        return f"share of {scope_text}"
    if kind == "year":
        return "year"
    if kind == "age" and counted_text:  # who the age is of: a name, or a noun
        named = counted_text[0].isupper()
        return f"age of {counted_text}" if named else f"age of the {counted_text}"
    return counted_text or counted or kind


@dataclass(frozen=True, slots=True)
class ClaimPair:
    """Two claims about the same quantity, from two articles, with a label."""

    label: Label
    a: Claim
    b: Claim
    score: float  # how surely the two claims are about the same quantity, 0..1
    reason: str = ""

    @property
    def quantity(self) -> str:
        qa, qb = self.a.quantity, self.b.quantity
        if qa == qb or self.label != Label.DIFFERENT_SCOPE:
            return qa if len(qa) >= len(qb) else qb
        return f"{qa} / {qb}"


# --- extraction ----------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[str, ...]:
    """Word and punctuation tokens (cached: each figure reads the rest of its sentence
    several times)."""
    return tuple(_TOKEN_RE.findall(text))


@lru_cache(maxsize=200_000)
def concept(word: str) -> str:
    """The stem of a word, one for near-synonyms ("deals" and "agreements" are one)."""
    s = stem(word.lower().replace("’", "'"))
    return _CONCEPT_OF.get(s, s)


def _counted_after(sentence: str, q: Quantity) -> tuple[str, str]:
    """The head noun after a count: "12 publicly announced agreements" -> agreements."""
    run: list[str] = []
    for token in _tokens(sentence[q.end :])[:6]:
        low = token.lower()
        if not token[0].isalpha() or low in _PHRASE_STOP:
            break
        run.append(token)
        if len(run) == 4:
            break
    if not run:
        return "", ""
    head = run[-1]
    counted = concept(head)
    text = " ".join(run)
    rest = _tokens(sentence[q.end :])[len(run) : len(run) + 3]
    for token in rest:  # "people killed", "people were killed"
        if token.lower() in {"were", "was", "have", "had", "been", "are"}:
            continue
        if stem(token.lower()) in _OUTCOMES:
            counted = f"{counted} {concept(token)}"
            text = f"{text} {token}"
        break
    return counted, text


# Verbs that report rather than predicate ("officials said three ...").
_REPORTING = frozenset(
    stem(w) for w in "say said says told reported report according claimed claims added".split()
)
_AUX = frozenset("was were is are be been being has have had will would could may might".split())


def _verbish(token: str) -> bool:
    low = token.lower()
    return low.endswith(("ed", "ing")) and len(low) > 4 and stem(low) not in _REPORTING


def _predicate(sentence: str, q: Quantity, counted_text: str) -> str:
    """The concept of the verb a figure goes with: the participle inside its noun phrase
    ("12 publicly announced agreements"), the verb right after it ("students were killed",
    "people being put") or right before it ("signed 11 memorandums")."""
    for token in counted_text.split()[:-1]:
        if _verbish(token):
            return concept(token)
    after = _tokens(sentence[q.end :])[len(counted_text.split()) :][:4]
    for token in after:
        low = token.lower()
        if low in _AUX:
            continue
        if token[0].isalpha() and (_verbish(token) or stem(low) in _CONCEPT_OF):
            return concept(token)
        break
    before = _tokens(sentence[: q.start])[-4:]
    for token in reversed(before):
        low = token.lower()
        if low in {"to", "a", "an", "the", "some", "about", "around", "nearly", "least", "at"}:
            continue
        if low in {"more", "than", "over", "almost", "up", "just", "only", "roughly"}:
            continue
        if token[0].isalpha() and (_verbish(token) or stem(low) in _CONCEPT_OF):
            return concept(token)
        break
    return ""


@lru_cache(maxsize=200_000)
def _token_concept(token: str) -> str:
    """The concept of a token of ``word_tokens`` (its word's, cached)."""
    return concept(word_of(token))


def _concept_counts(text: str) -> dict[str, int]:
    """How often each concept is named in `text` (the concepts of its words, read straight off
    the tokens)."""
    return Counter(map(_token_concept, word_tokens(text)))


# Who an age is of, as the sentence writes it: the name or noun an "N-year-old" stands before
# ("a 40-year-old photojournalist", "32-year-old Michael Zehaf-Bibeau", "a 46-year old man,
# Suresh Kumar"), the one it is set off after ("Suresh Kumar, 40,", "Foley, a 40-year-old",
# "The boy, aged 4") or the subject of "is N years old" ("His son is now approximately 11
# years old").
_SET_OFF_RE = re.compile(r"(?:,\s*(?:(?:an?|aged)\s+)?|\(\s*)$")
_AGE_IS_RE = re.compile(r"\b(?:is|was|are|were)\s+(?:(?:now|only|just)\s+)?$")
_OLD_RE = re.compile(r"\bold$", re.I)  # searched in the age's own words
# Words that end the noun phrase an age stands before ("son near the border").
_SUBJECT_STOP = _PHRASE_STOP | frozenset(
    "near across inside outside toward towards around behind beside like named called "
    "identified a an the".split()
)


def _age_words(sentence: str, start: int, end: int) -> tuple[list[str], list[str], list[str]]:
    """The words that say who the age at `start`..`end` is of: the name (or noun) it is set off
    after, the words it stands before up to their noun, and a name set off after those ("a
    46-year old man, Suresh Kumar")."""
    before: list[str] = []
    set_off = _SET_OFF_RE.search(sentence, 0, start) or _AGE_IS_RE.search(sentence, 0, start)
    if set_off is not None:
        tokens = _tokens(sentence[: set_off.start()])[-4:]
        for token in reversed(tokens):
            if not token[0].isupper() or token.lower() in _SUBJECT_STOP:
                break
            before.insert(0, token)
        last = tokens[-1] if tokens else ""
        if not before and last[:1].isalpha() and last.lower() not in _SUBJECT_STOP:
            before.append(last)  # a noun: "the boy, aged 4"
    run: list[str] = []
    apposed: list[str] = []
    if _OLD_RE.search(sentence, start, end):
        after = _tokens(sentence[end:])[:6]
        for token in after[:4]:
            if not token[0].isalpha() or token.lower() in _SUBJECT_STOP or _verbish(token):
                break
            run.append(token)
        rest = after[len(run) :]
        if run and rest[:1] == (",",):
            for token in rest[1:4]:
                if not token[0].isupper() or token.lower() in _SUBJECT_STOP:
                    break
                apposed.append(token)
    return before, run, apposed


def age_subject(sentence: str, start: int, end: int) -> str:
    """Who the age written at `start`..`end` of `sentence` is of, in the sentence's words
    (names, the words that describe the person, "American", and the noun), "" when it does
    not say ("He was 39 years old")."""
    before, run, apposed = _age_words(sentence, start, end)
    found = before + [t for t in run if t[0].isupper()]  # names, and words like "American"
    if run and run[-1][0].islower():
        found.append(run[-1])  # the noun
    return " ".join(dict.fromkeys(found + apposed))


def age_holder(sentence: str, start: int, end: int) -> str:
    """Who the age at `start`..`end` is of, as a reader would name them: the person's name
    when the sentence gives one ("Suresh Kumar"), else the noun ("reporter"; not "American
    journalist"), "" when it does not say."""
    before, run, apposed = _age_words(sentence, start, end)
    named = run if run and run[-1][0].isupper() else []
    names = [t for t in before if t[0].isupper()] or named or apposed
    if names:
        return " ".join(names)
    nouns = [t for t in before + run[-1:] if t[0].islower()]
    return nouns[0] if nouns else ""


def _of_phrase(sentence: str, q: Quantity) -> list[str]:
    """Words of the "of ..." phrase right after a quantity, up to the clause's end."""
    tail = _tokens(sentence[q.end :])
    if not tail or tail[0].lower() != "of":
        return []
    out = []
    for token in tail[1:9]:
        low = token.lower()
        if not token[0].isalnum() or (low in _PHRASE_STOP and low not in {"the", "its"}):
            break
        if low not in {"the", "its", "a", "an"}:
            out.append(token)
    return out


def _clause(sentence: str, q: Quantity, others: Sequence[Quantity]) -> str:
    """The clause of the sentence the quantity stands in; an "and" between two figures
    ("$171 billion with China and $111 billion with America") ends a clause too."""
    start, end = 0, len(sentence)
    for m in _CLAUSE_RE.finditer(sentence):
        if m.end() <= q.start:
            start = m.end()
        elif m.start() >= q.end:
            end = m.start()
            break
    for m in _AND_RE.finditer(sentence, start, end):
        if m.end() <= q.start and any(start <= o.end <= m.start() for o in others if o is not q):
            start = m.end()
        elif m.start() >= q.end and any(m.end() <= o.start < end for o in others if o is not q):
            end = m.start()
            break
    return sentence[start:end]


@lru_cache(maxsize=200_000)
def _weighted_stem(word: str) -> str:
    """The stem of a word that carries weight and is not a number, else ""."""
    return stem(word) if weight(word) > 0 and not word[0].isdigit() else ""


@lru_cache(maxsize=200_000)
def _token_weighted_stem(token: str) -> str:
    """``_weighted_stem`` of the word of a token of ``word_tokens`` (cached)."""
    return _weighted_stem(word_of(token))


def _stems(text: str) -> frozenset[str]:
    # filter(None, ...) keeps the stems in the order the words come, as the set is built
    # (an overlap sums its weights in that order).
    return frozenset(filter(None, map(_token_weighted_stem, word_tokens(text))))


def _measure(clause: str) -> tuple[str, str]:
    """The first measure word of a clause ("revenue", "exports"): its stem and the word."""
    for w in words(clause):
        s = stem(w)
        if s in _MEASURES:
            return s, w
    return "", ""


# Words one of ``_ATTRIBUTION_RES`` needs: a sentence without any has no attribution.
_ATTRIBUTION_WORDS = ("according to", "said", "says", "told", "added", "noted")


def _attribution(sentence: str) -> str:
    if not any(map(sentence.__contains__, _ATTRIBUTION_WORDS)):
        return ""
    for pattern in _ATTRIBUTION_RES:
        m = pattern.search(sentence)
        if m:
            name = m.group(1).strip(" ,.")
            if name and name.split()[0] not in {"The", "A", "It", "This", "That"}:
                return name
    return ""


def _dating_year(quantities: Sequence[Quantity], q: Quantity) -> Quantity | None:
    """The year a figure is for: the nearest other year in its sentence."""
    years = [y for y in quantities if y.kind == "year" and y is not q and y.unit in ("", "fiscal")]
    if not years or q.kind not in ("money", "percent", "count"):
        return None
    return min(years, key=lambda y: min(abs(y.start - q.end), abs(q.start - y.end)))


def _period(quantities: Sequence[Quantity], q: Quantity) -> int | None:
    year = _dating_year(quantities, q)
    return None if year is None else int(year.value)


# The fields of a claim that its sentence alone says (all but the article's: its position in
# the article, how often the article names what it counts and whether the title does).
_Fields = dict[str, Any]
# A claim of a sentence: those fields, and the concept whose mentions the article counts
# (the first of what it counts, "" when it counts nothing known).
_SentenceClaim = tuple[_Fields, str]


_VAGUE_PLURAL_RE = re.compile(r"\b(?i:dozens|hundreds|thousands|millions|billions|scores|tens)$")


def _numeric_claim(
    sentence: str, q: Quantity, quantities: Sequence[Quantity], attribution: str
) -> _Fields:
    """The fields of the claim of quantity `q` of a sentence, as the sentence alone says it
    (``_SentenceClaim``)."""
    clause = _clause(sentence, q, quantities)
    counted, counted_text = "", ""
    scope: frozenset[str] = frozenset()
    of_words = _of_phrase(sentence, q)
    if of_words:
        scope = _stems(" ".join(of_words))
    if q.kind in ("count", "ordinal"):
        counted, counted_text = _counted_after(sentence, q)
        if not counted and of_words and _VAGUE_PLURAL_RE.search(q.surface):
            # "thousands of Vietnamese officials": the "of" phrase is what is counted
            nouns = [w for w in of_words if w[0].islower()]
            if nouns:
                counted, counted_text = concept(nouns[-1]), nouns[-1]
    if not counted and q.kind in ("money", "percent"):
        # What the figure measures, with the word as written for people to read.
        counted, counted_text = _measure(clause)
        if not counted and of_words:
            counted, counted_text = concept(of_words[-1]), of_words[-1]
        if not counted and q.kind == "money":
            counted, counted_text = _measure(sentence)
        if q.kind == "money":
            after, after_text = _counted_after(sentence, q)
            if after and stem(after.split()[0]) in _MEASURES:
                counted, counted_text = after, after_text
    # The figure's own words ("billion", "around") and what it counts ("police officers") say
    # nothing about which of several such figures it is: the rest of the clause does.
    context = (_stems(clause.replace(q.surface, " ")) | scope) - _stems(counted_text)
    if q.kind == "age":
        # Who the age is of, for readers ("age of Suresh Kumar"): the name, else the noun.
        counted_text = age_holder(sentence, q.start, q.end)
    return dict(
        kind=q.kind,
        surface=q.surface,
        sentence=sentence,
        low=q.low,
        high=q.high,
        value=q.value,
        unit=q.unit,
        counted=counted,
        counted_text=counted_text,
        period=_period(quantities, q),
        scope=scope,
        scope_text=" ".join(of_words),
        context=context,
        attribution=attribution,
        index=quantities.index(q),
        partial=bool(
            _PART_BEFORE_RE.search(sentence[max(0, q.start - 24) : q.start])
            or _PART_AFTER_RE.search(sentence[q.end : q.end + 14])
            or _speculative(sentence)
        ),
        predicate=_predicate(sentence, q, counted_text) if q.kind in ("count", "ordinal") else "",
    )


# Spelled-out small numbers after a determiner refer back ("the two countries"); digits after
# one still state a figure ("of the 12 publicly announced agreements", "the more than 400
# girls", "the nearly 140 franchises").
_REFERENCE_RE = re.compile(r"\b(?:the|these|those|both|its|their|his|her|our|all)\s+$", re.I)
# The unit of a count that refers back: compared only with the same sentence in a copy (a copy
# that changed "the two men" to "the four men" changed a fact), never news on its own.
REFERENCE = "reference"


def _is_reference(sentence: str, q: Quantity) -> bool:
    if q.kind not in ("count", "ordinal") or any(ch.isdigit() for ch in q.surface):
        return False
    return bool(_REFERENCE_RE.search(sentence[max(0, q.start - 12) : q.start]))


def extract_claims(text: str, *, title: str = "", published: date | None = None) -> list[Claim]:
    """The claims of an article: figures with what they count, and quotes with their speaker."""
    claims: list[Claim] = []
    concept_counts = _concept_counts(text)
    title_concepts = set(_concept_counts(title))
    for position, sent in enumerate(split_sentences(text)):
        sentence = sent.text.strip()
        if len(sentence) < 20:
            continue
        for fields, head in _sentence_claims(sentence, published):
            claims.append(
                Claim(
                    **fields,
                    position=position,
                    mentions=concept_counts.get(head, 0) if head else 0,
                    headline=bool(head) and head in title_concepts,
                )
            )
    return claims


@lru_cache(maxsize=4096)
def _sentence_claims(sentence: str, published: date | None) -> tuple[_SentenceClaim, ...]:
    """The claims of one sentence, as the sentence alone says them. Cached: copies of an
    article (syndicated, revised, or compared with several others) repeat its sentences
    (callers do not change the fields)."""
    claims: list[_SentenceClaim] = []
    # Most sentences hold no figure and no quote: nothing to check furniture for.
    quantities = find_quantities(sentence, published=published)
    if not quantities and not _QUOTE_RE.search(sentence):
        return ()
    if is_furniture(sentence):
        return ()
    attribution = _attribution(sentence)
    # A year that dates a figure ("$3.6bn in 2023") makes the figure's period; it is not
    # a claim of its own. A year that is the value ("fell ill in 2006") is.
    dating = {id(y) for q in quantities if (y := _dating_year(quantities, q)) is not None}
    for k, q in enumerate(quantities):
        if id(q) in dating or (q.kind == "year" and q.unit == "decade"):
            continue
        if k and _is_conversion(sentence, quantities[k - 1], q):
            continue
        fields = _numeric_claim(sentence, q, quantities, attribution)
        if _is_reference(sentence, q):
            fields["unit"] = REFERENCE
        counted = fields["counted"]
        claims.append((fields, counted.split()[0] if counted else ""))
    for m in _QUOTE_RE.finditer(sentence):
        quote = m.group(1).strip()
        if len(words(quote)) >= 4:
            fields = dict(
                kind="quote",
                surface=quote,
                sentence=sentence,
                attribution=attribution,
                context=_stems(quote),
            )
            claims.append((fields, ""))
    return tuple(claims)


# A figure in brackets right after one of its kind restates it in other units: "$10m
# (£6.4m)", "39 feet (12 meters)", "$US10 million ($11.84 million)". It is not a claim of its
# own (its figure is the one before it; another article's "£6.4m" is not a conflicting bounty).
_CONVERSION_GAP_RE = re.compile(r"\s*\((?:about|around|roughly|approximately|some|nearly|or)?\s*")


def _is_conversion(sentence: str, before: Quantity, q: Quantity) -> bool:
    """Whether `q` is set in brackets right after `before`, a figure of its kind."""
    return (
        before.kind == q.kind
        and _CONVERSION_GAP_RE.fullmatch(sentence, before.end, q.start) is not None
        and sentence[q.end : q.end + 3].lstrip().startswith((")", ";", ","))
    )


_YEAR_CLAIM_RE = re.compile(r"\b(?:since|in|from|dates? back to|founded|established)\s+$", re.I)


def _is_claimed_year(sentence: str, q: Quantity) -> bool:
    """A year is a claim when something is said to date from it ("relations since 1950")."""
    before = sentence[max(0, q.start - 30) : q.start]
    return bool(_YEAR_CLAIM_RE.search(before)) and q.unit != "decade"


# --- how alike two claims are -------------------------------------------------------------


_MIN_PREFIX = 5  # a stem this long that begins another names the same thing


def _related(a: str, b: str) -> bool:
    """Same stem, or one a prefix of the other ("russia"/"russian", "vietnam"/"vietnames")."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= _MIN_PREFIX and long.startswith(short)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A word set as ``overlap`` reads it, computed once per set (a claim's context is compared
    with many)."""

    items: tuple[tuple[str, float, frozenset[str]], ...]  # concept, weight, its proper prefixes
    total: float  # 1 + the weights, summed in order
    exact: frozenset[str]  # the concepts
    starts: frozenset[str]  # every prefix of 5+ letters of them, whole concepts included


@lru_cache(maxsize=65_536)
def _concept_parts(concept: str) -> tuple[float, frozenset[str], frozenset[str]]:
    """What ``_prepared`` reads of one concept: its weight, its proper prefixes of 5+ letters,
    and those with the concept itself when it is 5+ letters long (cached: a concept is in
    many word sets)."""
    proper = frozenset(concept[:k] for k in range(_MIN_PREFIX, len(concept)))
    whole = proper | {concept} if len(concept) >= _MIN_PREFIX else proper
    return max(weight(concept), 0.5), proper, whole


@lru_cache(maxsize=65_536)
def _prepared(stems: frozenset[str]) -> _Prepared:
    # In sorted order: weights summed in a set's order would differ in their last bits from one
    # process to another (string hashes are salted), and so would a score near a threshold.
    concepts = [_CONCEPT_OF.get(x, x) for x in sorted(stems)]
    parts = [_concept_parts(c) for c in concepts]
    items = tuple((c, w, proper) for c, (w, proper, _) in zip(concepts, parts, strict=True))
    total = 1.0
    for _, w, _ in items:
        total += w
    starts = frozenset().union(*(whole for _, _, whole in parts))
    return _Prepared(items, total, frozenset(concepts), starts)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Weighted share of the smaller set's stems found (up to prefix, near-synonyms as one) in
    the other; one word of prior weight keeps a one-word context from matching everything."""
    pa, pb = _prepared(a), _prepared(b)
    small, large = (pa, pb) if len(pa.items) <= len(pb.items) else (pb, pa)
    if not small.items:
        return 0.0
    # _related(s, t) for some t, by set look-ups: s is one of them, s (5+ letters) begins one
    # of them, or one of them (5+ letters) begins s.
    exact, starts = large.exact, large.starts
    # Most contexts of two candidates share nothing: the same three tests, set by set (a stem
    # of the smaller set in the larger, or beginning one of its stems, or begun by one), say so
    # without the loop.
    if (
        exact.isdisjoint(small.exact)
        and starts.isdisjoint(small.exact)
        and small.starts.isdisjoint(exact)
    ):
        return 0.0
    found = 0.0
    for s, w, prefixes in small.items:
        if s in exact or s in starts or not prefixes.isdisjoint(exact):
            found += w
    return found / small.total


def same_counted(a: Claim, b: Claim) -> bool:
    if not a.counted or not b.counted:
        return False
    pa, pb = a.counted.split(), b.counted.split()
    return _related(pa[0], pb[0]) and (len(pa) == 1 or len(pb) == 1 or _related(pa[1], pb[1]))


# A part of a total, not the total: "the first six shots", "14 more officers", "four other".
_PART_BEFORE_RE = re.compile(
    r"\b(?:first|last|another|additional|other|further|next|remaining|each|every|"
    r"group of|series of|volley of|burst of|one of)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_PART_AFTER_RE = re.compile(r"^\s*(?:more|others?|additional|further|each|apiece)\b", re.I)
# An estimate or a hypothesis, not a reported fact: figures in such clauses do not conflict.
_SPECULATIVE_RE = re.compile(
    r"(?=[wcmiefrpah])\b(?:would|could|might|may|if|estimates?|estimated|expected|rumou?r\w*|predicts?|"
    r"forecasts?|projected|assum\w*|hypothetical)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def _speculative(sentence: str) -> bool:
    """Whether a sentence says what would or might be (cached: read once per figure)."""
    return _SPECULATIVE_RE.search(sentence) is not None


# A number as digits or as cardinal words ("12", "twelve", "twenty-one"): what a copy that
# changed a figure changed. (It looks ahead on a digit or, in either case as the words match,
# a first letter of the words: the other positions fail at once, not at each word.)
_NUMBER_WORDS = sorted([*_SMALL, *_TENS, *_MULT], key=len, reverse=True)
_NUMBER_FIRSTS = "".join(sorted({w[0] for w in _NUMBER_WORDS}))
_NUMBER_RE = re.compile(
    rf"(?=(?i:[\d{_NUMBER_FIRSTS}]))(?:\d[\d,.]*|\b(?i:(?:"
    + "|".join(_NUMBER_WORDS)
    + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)\b)"
)


# The name of a month, as a date is written ("February 4", "Feb. 4", "in Sept."): what a copy
# that changed a date may have changed ("February 4" / "January 4").
_MONTH_RE = re.compile(
    r"(?=[ADFJMNOS])\b(?:Jan(?:uary|\.)|Feb(?:ruary|\.)|Mar(?:ch|\.)|Apr(?:il|\.)|May|June?"
    r"|July?|Aug(?:ust|\.)|Sep(?:tember|t?\.)|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.))(?!\w)"
)


def same_sentence(a: Claim, b: Claim) -> bool:
    """Whether two claims are the same figure, in the same place of the same sentence, but
    for its number ("12 deals" / "18 deals", "the two men" / "the four men", "February 4" /
    "January 4"; not "10" / "dozens")."""
    if a.index != b.index:
        return False
    measured = a.kind in ("distance", "weight", "duration")  # "90 km" / "90 miles" may differ
    if not measured and _numbers_masked(a.surface) != _numbers_masked(b.surface):
        return False
    if a.sentence == b.sentence:
        return True
    # (a ratio under the cutoff reads as 0: rapidfuzz stops as soon as it must fall short)
    score = fuzz.ratio(
        _without_numbers(a.sentence),
        _without_numbers(b.sentence),
        processor=None,
        score_cutoff=92.0,
    )
    return score >= 92.0


@lru_cache(maxsize=65_536)
def _numbers_masked(surface: str) -> str:
    """A figure as written with its number and month masked, lower-cased ("more than #",
    "# #" for "February 4")."""
    return _NUMBER_RE.sub("#", _MONTH_RE.sub("#", surface)).lower()


@lru_cache(maxsize=4096)
def _without_numbers(sentence: str) -> str:
    """A sentence with its numbers and months masked, as fuzzy matching reads it (lower case, no
    punctuation); cached, as a sentence is compared with many."""
    return str(utils.default_process(_NUMBER_RE.sub("#", _MONTH_RE.sub("#", sentence))))


def predicates_agree(a: Claim, b: Claim) -> bool:
    return not a.predicate or not b.predicate or _related(a.predicate, b.predicate)


def pair_record(pair: ClaimPair) -> dict[str, object]:
    """A claim pair as plain data: label, quantity, and each side's value and sentence."""
    return {
        "label": pair.label,
        "quantity": pair.quantity,
        "a": {"value": pair.a.surface, "sentence": pair.a.sentence},
        "b": {"value": pair.b.surface, "sentence": pair.b.sentence},
    }
