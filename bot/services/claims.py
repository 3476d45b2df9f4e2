"""Use case: record an article's claims in its story, and read a story's claims back.

Claims are stored for independent articles only: a copy repeats its source's claims and must
not corroborate them. Each new article's claims are aligned with those of the story's earlier
articles; a claim that pairs with none of them is new.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Engine, Row
from sqlmodel import Session

from bot.core.claims import Claim, ClaimPair, align, extract_claims
from storage import queries
from storage.models import Article, ClaimRow

# A new article's claims are compared with the story's most recent claims only, so that the
# cost of ingesting stays flat as a story grows to hundreds of articles.
MAX_EARLIER_CLAIMS = 300


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


class RecordedPair(NamedTuple):
    """A claim pair just stored: the earlier claim's row and article, and the new claim's row."""

    pair: ClaimPair
    old_id: int
    old_article_id: int
    new_id: int


def claim_values(
    claim: Claim, *, article_id: int, story_id: int, seen: datetime, is_new: bool = True
) -> dict[str, Any]:
    """The column values of a claim's row (storage.models.ClaimRow), to insert."""
    return dict(
        article_id=article_id,
        story_id=story_id,
        kind=claim.kind,
        surface=claim.surface,
        sentence=claim.sentence,
        low=_number(claim.low),
        high=_number(claim.high),
        value=_number(claim.value),
        unit=claim.unit,
        counted=claim.counted,
        counted_text=claim.counted_text,
        period=claim.period,
        scope=" ".join(sorted(claim.scope)),
        scope_text=claim.scope_text,
        context=" ".join(sorted(claim.context)),
        attribution=claim.attribution,
        position=claim.position,
        figure_index=claim.index,
        predicate=claim.predicate,
        mentions=claim.mentions,
        headline=claim.headline,
        partial=claim.partial,
        is_new=is_new,
        first_seen=seen,
    )


def from_row(row: ClaimRow | Row[Any]) -> Claim:
    """A stored claim (an ORM row or a plain row of the claim table) as the core's Claim."""
    nan = math.nan
    return Claim(
        kind=row.kind,
        surface=row.surface,
        sentence=row.sentence,
        low=nan if row.low is None else row.low,
        high=nan if row.high is None else row.high,
        value=nan if row.value is None else row.value,
        unit=row.unit,
        counted=row.counted,
        counted_text=row.counted_text,
        period=row.period,
        scope=frozenset(row.scope.split()),
        scope_text=row.scope_text,
        context=frozenset(row.context.split()),
        attribution=row.attribution,
        position=row.position,
        index=row.figure_index,
        predicate=row.predicate,
        mentions=row.mentions,
        headline=row.headline,
        partial=row.partial,
    )


def record_claims(session: Session, article: Article, *, seen: datetime) -> list[RecordedPair]:
    """Store an independent article's claims and their pairs with the story's earlier claims.

    Runs inside the ingest transaction; returns the new pairs (for the reply in Slack).
    """
    assert article.id is not None
    published = article.published.date() if article.published else None
    claims = extract_claims(article.text, title=article.title, published=published)
    earlier_rows = []
    if article.relation != "new_story":  # an article that opened its story has no one to pair
        earlier_rows = queries.recent_story_claims(
            session=session,
            story_id=article.story_id,
            exclude_article=article.id,
            limit=MAX_EARLIER_CLAIMS,
        )
    earlier = [from_row(r) for r in earlier_rows]
    pairs = align(earlier, claims, b_is_later=True) if earlier else []
    # A claim an earlier article of the story already made (paired with it) is not new; known
    # before inserting, so each claim row is written once.
    repeated = {id(p.b) for p in pairs}
    ids = queries.add_claims(
        session=session,
        claims=[
            claim_values(
                c,
                article_id=article.id,
                story_id=article.story_id,
                seen=seen,
                is_new=id(c) not in repeated,
            )
            for c in claims
        ],
    )
    earlier_row = {id(c): r for c, r in zip(earlier, earlier_rows, strict=True)}
    new_id = {id(c): i for c, i in zip(claims, ids, strict=True)}
    recorded = []
    for pair in pairs:
        old = earlier_row[id(pair.a)]
        recorded.append(RecordedPair(pair, old.id, old.article_id, new_id[id(pair.b)]))
    queries.add_claim_pairs(
        session=session,
        pairs=[
            {
                "story_id": article.story_id,
                "claim_a": r.old_id,
                "claim_b": r.new_id,
                "label": r.pair.label,
                "score": r.pair.score,
                "first_seen": seen,
            }
            for r in recorded
        ],
    )
    return recorded


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """The claims of a story about one quantity, with where they come from and how they pair."""

    quantity: str
    claims: list[tuple[ClaimRow, Article]]
    labels: list[tuple[str, ClaimRow, ClaimRow]]


class ClaimService:
    def __init__(self, engine: Engine):
        self.engine = engine

    def story_groups(self, story_id: int) -> list[ClaimGroup]:
        """A story's claims grouped by quantity (claims linked by pairs form one group)."""
        with Session(self.engine) as session:
            rows = queries.story_claims(session=session, story_id=story_id)
            pairs = queries.story_claim_pairs(session=session, story_id=story_id)
            articles = {a.id: a for a in queries.story_articles(session=session, story_id=story_id)}
        by_id = {r.id: r for r in rows}
        parent = {r.id: r.id for r in rows}

        def find(x: int | None) -> int | None:
            while x is not None and parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for p in pairs:
            ra, rb = find(p.claim_a), find(p.claim_b)
            if ra is not None and rb is not None:
                parent[ra] = rb
        members: dict[int | None, list[ClaimRow]] = defaultdict(list)
        for r in rows:
            members[find(r.id)].append(r)
        labels: dict[int | None, list[tuple[str, ClaimRow, ClaimRow]]] = defaultdict(list)
        for p in pairs:
            labels[find(p.claim_a)].append((p.label, by_id[p.claim_a], by_id[p.claim_b]))
        groups = []
        for root, group in members.items():
            if not labels[root] and group[0].kind == "quote":
                continue
            name = from_row(max(group, key=lambda r: len(r.counted_text))).quantity
            groups.append(
                ClaimGroup(name, [(r, articles[r.article_id]) for r in group], labels[root])
            )
        groups.sort(key=lambda g: (-len(g.labels), -len(g.claims), g.quantity))
        return groups
