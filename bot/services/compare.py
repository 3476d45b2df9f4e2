"""Use case: how two articles relate, and how their claims pair, without storing anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from bot.core.alignment import align
from bot.core.claims import Claim, ClaimPair, extract_claims, pair_record
from bot.core.dedup import NO_STATS, CorpusStats, MatchConfig, judge, same_outlet
from bot.core.extract import ArticleDraft
from bot.core.profile import Profile, build_profile
from bot.core.text import as_written
from bot.core.vocabulary import Relation


@dataclass(frozen=True, slots=True)
class Comparison:
    """How article `b` relates to article `a`, and how their claims pair."""

    a_title: str
    b_title: str
    relation: Relation
    score: float
    signal: str
    claim_pairs: tuple[ClaimPair, ...]
    shared_terms: tuple[str, ...] = ()  # the distinctive words both use, as written

    def to_json(self) -> dict[str, object]:
        """The plain record `newsroom compare --json` and `--pairs` print (the claims scorer
        reads `relation` and `claim_pairs[]` with `label`, `quantity`, `a` and `b`)."""
        return {
            "relation": self.relation,
            "score": round(self.score, 4),
            "signal": self.signal,
            "claim_pairs": [pair_record(p) for p in self.claim_pairs],
        }


@lru_cache(maxsize=4096)
def profile_of(title: str, text: str, published: datetime | None) -> Profile:
    """An article's profile, cached: a pairs file often repeats one side (one body, many
    headlines)."""
    return build_profile(title, text, published)


@lru_cache(maxsize=4096)
def _claims(title: str, text: str, published: datetime | None) -> list[Claim]:
    day = published.date() if published else None
    return extract_claims(text, title=title, published=day)


def compare_drafts(
    a: ArticleDraft, b: ArticleDraft, *, config: MatchConfig, stats: CorpusStats
) -> Comparison:
    """The relation of `b` to `a` (score and signal) and their claim pairs."""
    pa = profile_of(a.title, a.text, a.published)
    pb = profile_of(b.title, b.text, b.published)
    same_url = bool(a.canonical_url) and a.canonical_url == b.canonical_url
    # As ingest judges: the same text from two outlets is a copy, not the same page again.
    outlet = same_outlet(a.canonical_url or a.url, a.outlet, b.canonical_url or b.url, b.outlet)
    verdict = judge(pa, pb, stats=stats, config=config, same_url=same_url, same_outlet=outlet)
    pairs: list[ClaimPair] = []
    if verdict.relation != Relation.UNRELATED:  # claims of unrelated articles: not comparable
        later = bool(a.published and b.published and b.published > a.published)
        pairs = align(
            _claims(a.title, a.text, a.published),
            _claims(b.title, b.text, b.published),
            b_is_later=later,
        )
    return Comparison(
        a.title,
        b.title,
        verdict.relation,
        verdict.score,
        verdict.signal,
        tuple(pairs),
        tuple(as_written(t, (a.title, a.text, b.title, b.text)) for t in verdict.shared_terms),
    )


def read_only_stats(database_url: str | None) -> CorpusStats:
    """Document frequencies from an existing newsroom database, read without migrating or
    writing; none without a URL. Raises LookupError when the database has no newsroom."""
    if not database_url:
        return NO_STATS
    from sqlalchemy import inspect
    from sqlmodel import Session

    from storage import queries
    from storage.db import make_engine

    engine = make_engine(database_url)
    try:
        if not inspect(engine).has_table("termstat"):
            raise LookupError(f"no newsroom database at {database_url}")
        with Session(engine) as session:
            n_docs, _ = queries.document_frequencies(session=session, terms=[])
            df = queries.all_document_frequencies(session=session)
    finally:
        engine.dispose()
    return CorpusStats.of(n_docs, df)
