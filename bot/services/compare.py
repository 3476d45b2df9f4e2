"""Use case: how two articles relate, and how their claims pair, without storing anything."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.core.claims import Claim, align, extract_claims, pair_record
from bot.core.dedup import CorpusStats, MatchConfig, judge
from bot.core.extract import ArticleDraft
from bot.core.profile import Profile, build_profile


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
) -> dict[str, Any]:
    """The relation of `b` to `a` (score and signal) and their claim pairs, as plain data."""
    pa = profile_of(a.title, a.text, a.published)
    pb = profile_of(b.title, b.text, b.published)
    same_url = bool(a.canonical_url) and a.canonical_url == b.canonical_url
    verdict = judge(pa, pb, stats=stats, config=config, same_url=same_url)
    pairs = []
    if verdict.relation != "unrelated":  # claims of unrelated articles are not comparable
        later = bool(a.published and b.published and b.published > a.published)
        pairs = align(
            _claims(a.title, a.text, a.published),
            _claims(b.title, b.text, b.published),
            b_is_later=later,
        )
    return {
        "relation": verdict.relation,
        "score": round(verdict.score, 4),
        "signal": verdict.signal,
        "claim_pairs": [pair_record(p) for p in pairs],
    }
