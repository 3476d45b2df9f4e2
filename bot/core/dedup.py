"""The deduplicator: how a new article relates to a stored one, with the evidence.

Relations, strongest first:

- ``duplicate``: the same article again: the same canonical URL, or the same page re-posted
  (the same normalised text at the same outlet: same host, or same outlet name, or nothing
  saying otherwise).
- ``revision`` (decided by the ingest service, before matching): the same canonical URL with
  other words; stored as the page's next version (see ``bot.core.revisions``).
- ``near_duplicate``: a copy: the same text at another outlet (syndication), most word shingles
  shared, the shorter text mostly contained in the longer (a partial copy), or a rewrite (most
  of the smaller article's numbers and quotes found in the other, with the same vocabulary). A
  copy is never an independent source.
- ``same_story``: other coverage of the same event: the weighted cosine of the two articles'
  distinctive terms, decayed with the time between them, reaches the threshold for the kind of
  pair (two headlines, a headline and an article, two articles). A headline (a title alone or
  with a link preview) is placed against a story as a whole: a headline carries a handful of
  terms, so one shared name with one article says little, while its mean similarity to the
  story's articles does (see ``best_match``).
- ``unrelated``.

Time only limits ``same_story``: a copy (rewrites included) is a copy whatever the dates say, so
an undated or misdated copy still finds its original. An article's time is its publication
time when known and plausible, else the time it was first seen (the caller's choice).

Term weights blend a background weight (how rare a word is in English, see ``bot.core.text``)
with the inverse document frequency in the newsroom's own corpus (``CorpusStats``), trusted more
as the corpus grows: "Ebola" says little in a month of Ebola coverage.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

import numpy as np
from rapidfuzz import fuzz, utils

from bot.core import minhash
from bot.core.facts import fact_weight
from bot.core.profile import Profile
from bot.core.vocabulary import Relation

_NO_TERMS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """Document frequencies of terms in the stored articles: `counts[i]` articles of `n_docs`
    carry the term hashed `terms[i]` (sorted); a term not listed is in none. Arrays, so that
    the weights of a profile's terms are looked up at once (``frequencies``)."""

    n_docs: int = 0
    terms: np.ndarray = field(default_factory=lambda: _NO_TERMS)
    counts: np.ndarray = field(default_factory=lambda: _NO_TERMS)

    @classmethod
    def of(cls, n_docs: int, df: Mapping[int, int]) -> CorpusStats:
        """From a mapping of term hash to document frequency."""
        terms = np.fromiter(df.keys(), dtype=np.int64, count=len(df))
        counts = np.fromiter(df.values(), dtype=np.int64, count=len(df))
        order = np.argsort(terms, kind="stable")
        return cls(n_docs, terms[order], counts[order])

    def frequencies(self, hashes: np.ndarray) -> np.ndarray:
        """The document frequency of each of the given term hashes (0 where unknown)."""
        if len(self.terms) == 0:
            return np.zeros(len(hashes), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.terms, hashes), len(self.terms) - 1)
        found: np.ndarray = np.where(self.terms[at] == hashes, self.counts[at], 0)
        return found

    def count(self, term: int) -> int:
        """The document frequency of one term."""
        return int(self.frequencies(np.array([term], dtype=np.int64))[0])


NO_STATS = CorpusStats()


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Thresholds of the deduplicator; each one is tuned on ../shared/eval (docs/MEASURED.md)."""

    near_dup_shingle_jaccard: float = 0.5
    # A partial copy: the shorter text's shingles mostly found in the longer one (estimated
    # from the Jaccard similarity and the two sizes), with enough shingles to be sure: as
    # many words as the shortest article extraction keeps (extract.MIN_WORDS), so that a
    # partial copy of a short article is a copy too. The Jaccard similarity needs only be
    # what the two sizes allow: a short copy of a long article shares few of the long one's
    # shingles (a fifth of it: at most 0.2), so the floor is 8 of the 64 MinHash minima
    # equal (0.125), which unrelated texts (a Jaccard near 0.01) reach by chance about once
    # in 10^8; the containment estimate itself must still reach 0.7.
    near_dup_containment: float = 0.7
    near_dup_containment_min_jaccard: float = 0.125
    near_dup_containment_min_words: int = 25
    near_dup_fact_containment: float = 0.6
    near_dup_min_facts: int = 5
    near_dup_min_cosine: float = 0.3
    # same_story cosine thresholds by kind of pair.
    same_story_long: float = 0.2
    same_story_mixed: float = 0.078
    same_story_short: float = 0.3
    # Corpus IDF is trusted in proportion n / (n + corpus_prior_docs).
    corpus_prior_docs: float = 50.0
    corpus_idf_scale: float = 0.6
    # Time: candidates older than the window are not considered; scores decay past a day.
    window_days: float = 7.0
    half_life_days: float = 3.0
    # A headline joins a story when its similarity to the story's articles, each as a multiple
    # of the pair threshold capped at `story_ratio_cap`, averages this much over the story's
    # articles (at most `story_members_seen` of them: the candidates a match scores).
    headline_story_mean: float = 0.45
    story_ratio_cap: float = 2.0
    story_members_seen: int = 20


@dataclass(frozen=True, slots=True)
class PairScore:
    """The relation of two articles and the evidence for it."""

    relation: Relation
    score: float  # 0..1; for same_story, 0.5 is the threshold
    signal: str  # one line a reporter can read: which signal decided, with its value
    cosine: float = 0.0
    shingle_jaccard: float | None = None
    fact_containment: float | None = None
    title_similarity: float | None = None
    shared_terms: tuple[str, ...] = ()


class Overlap(NamedTuple):
    """What two articles' terms have in common: the weighted cosine of their term vectors
    and the hashes of the terms they share (sorted)."""

    cosine: float
    shared: np.ndarray


def _vectors(
    hashes: np.ndarray, tf: np.ndarray, bg: np.ndarray, stats: CorpusStats, config: MatchConfig
) -> np.ndarray:
    """Weighted term vectors, (1 + log count) x weight, where a term's weight blends its
    background distinctiveness with its inverse document frequency in the corpus."""
    weights = bg.astype(np.float64)
    n = stats.n_docs
    if n > 0:
        trust = n / (n + config.corpus_prior_docs)
        idf = np.log((n + 1.0) / (stats.frequencies(hashes) + 0.5)) * config.corpus_idf_scale
        weights = trust * np.maximum(idf, 0.0) + (1.0 - trust) * weights
    vectors: np.ndarray = (1.0 + np.log(tf.astype(np.float64))) * weights
    return vectors


def overlaps(
    a: Profile, others: Sequence[Profile], stats: CorpusStats, config: MatchConfig
) -> list[Overlap]:
    """The overlap of article `a` with each of `others`, computed for all of them at once
    (an article against its candidates: one pass over their concatenated terms)."""
    k = len(others)
    if k == 0 or len(a.term_hashes) == 0:
        return [Overlap(0.0, a.term_hashes[:0]) for _ in others]
    va = _vectors(a.term_hashes, a.term_tf, a.term_bg, stats, config)
    hashes = np.concatenate([o.term_hashes for o in others])
    owner = np.repeat(np.arange(k), [len(o.term_hashes) for o in others])
    vb = _vectors(
        hashes,
        np.concatenate([o.term_tf for o in others]),
        np.concatenate([o.term_bg for o in others]),
        stats,
        config,
    )
    at = np.minimum(np.searchsorted(a.term_hashes, hashes), len(a.term_hashes) - 1)
    hit = a.term_hashes[at] == hashes
    dots = np.bincount(owner[hit], weights=va[at[hit]] * vb[hit], minlength=k)
    norms = float(np.sqrt(np.dot(va, va))) * np.sqrt(np.bincount(owner, vb * vb, minlength=k))
    cosines = np.divide(dots, norms, out=np.zeros(k), where=norms > 0.0)
    shared = np.split(hashes[hit], np.cumsum(np.bincount(owner[hit], minlength=k))[:-1])
    return [Overlap(float(c), s) for c, s in zip(cosines.tolist(), shared, strict=True)]


def cosine(a: Profile, b: Profile, stats: CorpusStats, config: MatchConfig) -> Overlap:
    """The weighted cosine of two articles' term vectors, and the terms they share."""
    return overlaps(a, [b], stats, config)[0]


def fact_containment(a: list[int], b: list[int]) -> tuple[float, int]:
    """Weighted share of the smaller fact set found in the larger, and the smaller's size."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not small:
        return 0.0, 0
    large_set = set(large)
    total = sum(fact_weight(f) for f in small)
    found = sum(fact_weight(f) for f in small if f in large_set)
    return found / total, len(small)


def days_apart(a: datetime | None, b: datetime | None) -> float | None:
    """Days between two times (naive and aware ones compared as naive), None if one is unknown."""
    if a is None or b is None:
        return None
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs((a - b).total_seconds()) / 86400.0


def time_decay(a: datetime | None, b: datetime | None, config: MatchConfig) -> float:
    """1 within a day of each other, halving every `half_life_days` after that."""
    days = days_apart(a, b)
    if days is None:
        return 1.0
    return float(0.5 ** (max(0.0, days - 1.0) / config.half_life_days))


def same_story_threshold(a: Profile, b: Profile, config: MatchConfig) -> float:
    """The cosine needed for two articles to be the same story, by kind of pair."""
    if a.is_short and b.is_short:
        return config.same_story_short
    if a.is_short or b.is_short:
        return config.same_story_mixed
    return config.same_story_long


def title_similarity(a: Profile, b: Profile) -> float | None:
    """rapidfuzz token-set similarity of the titles (0..1), None when either is missing."""
    if not a.title or not b.title:
        return None
    ratio = fuzz.token_set_ratio(a.title, b.title, processor=utils.default_process)
    return float(ratio) / 100.0


def _labels(a: Profile, b: Profile, hashes: np.ndarray, limit: int = 6) -> tuple[str, ...]:
    names = [a.labels.get(int(h)) or b.labels.get(int(h)) for h in hashes]
    return tuple(n for n in names if n)[:limit]


def judge(
    a: Profile,
    b: Profile,
    *,
    stats: CorpusStats = NO_STATS,
    config: MatchConfig = MatchConfig(),
    same_url: bool = False,
    same_outlet: bool = True,
    overlap: Overlap | None = None,
) -> PairScore:
    """Decide how article `a` relates to article `b`, and why (`overlap`: their terms' overlap
    when already computed, see ``overlaps``). `same_outlet` is False when the two are known to
    come from different outlets: then the same text is a copy, not a duplicate."""
    if same_url:
        return PairScore(Relation.DUPLICATE, 1.0, "same canonical URL")
    if a.content_hash == b.content_hash:
        return same_text(same_outlet)

    cos, shared = overlap if overlap is not None else cosine(a, b, stats, config)
    shared_names = _labels(a, b, shared)
    titles = title_similarity(a, b)
    jaccard = None
    if a.signature is not None and b.signature is not None:
        jaccard = minhash.similarity(a.signature, b.signature)
        if jaccard >= config.near_dup_shingle_jaccard:
            return PairScore(
                Relation.NEAR_DUPLICATE,
                jaccard,
                f"copy: {jaccard:.0%} of word sequences shared",
                cos,
                jaccard,
                None,
                titles,
                shared_names,
            )
        contained = shingle_containment(a, b, jaccard, config)
        if contained is not None:
            return PairScore(
                Relation.NEAR_DUPLICATE,
                max(jaccard, config.near_dup_shingle_jaccard),
                f"partial copy: {contained:.0%} of the shorter one's word sequences in the other",
                cos,
                jaccard,
                None,
                titles,
                shared_names,
            )
    contained, n_small = 0.0, 0
    if min(len(a.facts), len(b.facts)) >= config.near_dup_min_facts:
        contained, n_small = fact_containment(a.facts, b.facts)
    if (
        n_small >= config.near_dup_min_facts
        and contained >= config.near_dup_fact_containment
        and cos >= config.near_dup_min_cosine
    ):
        return PairScore(
            Relation.NEAR_DUPLICATE,
            contained,
            f"rewrite: {contained:.0%} of the figures and quotes of the shorter one shared",
            cos,
            jaccard,
            contained,
            titles,
            shared_names,
        )

    decayed = cos * time_decay(a.published, b.published, config)
    threshold = same_story_threshold(a, b, config)
    score = min(1.0, decayed / (2.0 * threshold))
    relation = Relation.SAME_STORY if decayed >= threshold else Relation.UNRELATED
    terms = ", ".join(shared_names) or "none"
    signal = f"term similarity {decayed:.2f} (threshold {threshold:.2f}; shared: {terms})"
    return PairScore(relation, score, signal, cos, jaccard, contained, titles, shared_names)


def _site(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def same_outlet(
    url_a: str | None, outlet_a: str | None, url_b: str | None, outlet_b: str | None
) -> bool:
    """Whether two articles come from the same outlet, as far as known: by their hosts when
    both have a URL, else by their outlet names; True when nothing says otherwise (two
    pasted texts, one saved page re-posted)."""
    host_a, host_b = _site(url_a), _site(url_b)
    if host_a and host_b:
        return host_a == host_b
    if outlet_a and outlet_b:
        return outlet_a.casefold() == outlet_b.casefold()
    return True


def same_text(same_outlet: bool) -> PairScore:
    """The verdict on two articles with the same normalised text."""
    if same_outlet:
        return PairScore(Relation.DUPLICATE, 1.0, "same text: the same page re-posted")
    return PairScore(Relation.NEAR_DUPLICATE, 1.0, "copy: the same text at another outlet", 1.0)


def shingle_containment(
    a: Profile, b: Profile, jaccard: float, config: MatchConfig
) -> float | None:
    """The estimated share of the shorter text's shingles found in the longer one, when it
    makes the shorter a partial copy (else None). From |A ∩ B| = J (|A| + |B|) / (1 + J),
    with each text's shingle count taken from its word count."""
    small, large = sorted((a.n_words, b.n_words))
    if small < config.near_dup_containment_min_words:
        return None
    if jaccard < config.near_dup_containment_min_jaccard:
        return None
    n_small, n_large = small - minhash.SHINGLE_WORDS + 1, large - minhash.SHINGLE_WORDS + 1
    shared = jaccard * (n_small + n_large) / (1.0 + jaccard)
    contained = min(1.0, shared / n_small)
    return contained if contained >= config.near_dup_containment else None


def is_copy(verdict: PairScore) -> bool:
    """A verdict the texts alone decide, whatever the dates: the same text, shared word
    sequences, or a rewrite (its figures and quotes, with the same vocabulary)."""
    return verdict.relation in {Relation.DUPLICATE, Relation.NEAR_DUPLICATE}


def recency_ok(a: datetime | None, b: datetime | None, config: MatchConfig) -> bool:
    """Whether two publication times are within the matching window of each other."""
    days = days_apart(a, b)
    return days is None or days <= config.window_days


@dataclass(frozen=True, slots=True)
class StoryRef:
    """The story a stored article belongs to, and how many articles that story has."""

    story_id: int
    size: int


_RANK = {
    Relation.DUPLICATE: 3,
    Relation.NEAR_DUPLICATE: 2,
    Relation.SAME_STORY: 1,
    Relation.UNRELATED: 0,
}


def best_match(
    profile: Profile,
    candidates: Mapping[int, Profile],
    *,
    stories: Mapping[int, StoryRef] | None = None,
    stats: CorpusStats = NO_STATS,
    config: MatchConfig = MatchConfig(),
) -> tuple[int, PairScore] | None:
    """The stored article the new one relates to most strongly, or None when unrelated to all.

    Stronger relations win over higher scores: a copy of one article beats a closer
    same-story match with another. Candidates outside the story window count only as copies,
    so a copy finds its original whatever their dates. A headline with no
    copy among the candidates is placed against whole stories when `stories` (each
    candidate's story) is given: see ``story_verdict``.
    """
    best: tuple[int, PairScore] | None = None
    shares = overlaps(profile, list(candidates.values()), stats, config)
    verdicts: dict[int, PairScore] = {}
    for (article_id, candidate), overlap in zip(candidates.items(), shares, strict=True):
        verdict = judge(profile, candidate, stats=stats, config=config, overlap=overlap)
        if not recency_ok(profile.published, candidate.published, config) and not is_copy(verdict):
            continue  # outside the story window, and not a copy
        verdicts[article_id] = verdict
        if verdict.relation == Relation.UNRELATED:
            continue
        key = (_RANK[verdict.relation], verdict.score)
        if best is None or key > (_RANK[best[1].relation], best[1].score):
            best = (article_id, verdict)
    if stories is None or not profile.is_short or (best and _RANK[best[1].relation] > 1):
        return best
    return story_verdict(profile, candidates, verdicts, stories, config)


def story_verdict(
    profile: Profile,
    candidates: Mapping[int, Profile],
    verdicts: Mapping[int, PairScore],
    stories: Mapping[int, StoryRef],
    config: MatchConfig,
) -> tuple[int, PairScore] | None:
    """The story a headline belongs to, by its mean similarity to the story's articles.

    Each candidate's decayed cosine counts as a multiple of its pair threshold (capped); a
    story's score is their sum over its candidates divided by its size (at most
    `story_members_seen`), so articles not among the candidates count as unrelated. A story of
    one article is joined at `headline_story_mean` times the pair threshold; a larger one only
    when the headline is close to much of it, which keeps a shared name from chaining stories.
    Returns the closest article of the best story reaching `headline_story_mean`, or None.
    """
    sums: dict[int, float] = {}
    closest: dict[int, tuple[float, int]] = {}
    for article_id, verdict in verdicts.items():
        ref = stories.get(article_id)
        if ref is None:
            continue
        candidate = candidates[article_id]
        threshold = same_story_threshold(profile, candidate, config)
        decayed = verdict.cosine * time_decay(profile.published, candidate.published, config)
        ratio = min(config.story_ratio_cap, decayed / threshold) if threshold > 0 else 0.0
        sums[ref.story_id] = sums.get(ref.story_id, 0.0) + ratio
        closest[ref.story_id] = max(closest.get(ref.story_id, (-1.0, 0)), (ratio, article_id))
    sizes = {ref.story_id: ref.size for ref in stories.values()}
    best: tuple[float, int] | None = None
    for story_id, total in sums.items():
        mean = total / max(1, min(sizes[story_id], config.story_members_seen))
        if mean >= config.headline_story_mean and (best is None or mean > best[0]):
            best = (mean, story_id)
    if best is None:
        return None
    mean, story_id = best
    article_id = closest[story_id][1]
    pair = verdicts[article_id]
    seen = min(sizes[story_id], config.story_members_seen)
    signal = (
        f"headline against the story: mean similarity {mean:.2f}x the pair threshold over "
        f"{seen} of its articles (needs {config.headline_story_mean:.2f}); closest: "
        f"{pair.signal}"
    )
    score = min(1.0, mean / (2.0 * config.headline_story_mean))
    return article_id, replace(pair, relation=Relation.SAME_STORY, score=score, signal=signal)


def bucket_days(value: datetime | None) -> int | None:
    """Days since the epoch, for the candidate index's time window."""
    if value is None:
        return None
    return math.floor(value.timestamp() / 86400.0)
