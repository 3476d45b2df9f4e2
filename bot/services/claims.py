"""Use case: record an article's claims in its story, and read a story's claims back.

Claims are stored for independent articles only: a copy repeats its source's claims and must
not corroborate them. Each new article's claims are aligned with those of the story's earlier
articles; a claim that pairs with none of them is new.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row
from sqlmodel import Session

from bot.core.alignment import align
from bot.core.claims import REFERENCE, Claim, ClaimPair, extract_claims
from bot.core.unionfind import UnionFind
from bot.core.vocabulary import Label, Relation
from storage import queries
from storage.models import Article, ClaimRow

# A new article's claims are compared with the story's most recent claims only, so that the
# cost of ingesting stays flat as a story grows to hundreds of articles.
MAX_EARLIER_CLAIMS = 300


@dataclass(frozen=True, slots=True)
class StoredPair:
    """A claim pair just stored between a new article's claim (`b`) and an earlier article's
    (`a`), with the rows' ids and where the earlier claim was published."""

    pair: ClaimPair
    a_claim_id: int
    b_claim_id: int
    a_article_id: int
    a_outlet: str | None = None  # the earlier article's outlet, else its title
    a_url: str | None = None

    @property
    def label(self) -> Label:
        return self.pair.label

    @property
    def quantity(self) -> str:
        return self.pair.quantity


@dataclass(frozen=True, slots=True)
class GroupPair:
    """A stored pair of a story's claims, as ``ClaimService.story_groups`` lists it."""

    label: Label
    a: ClaimRow
    b: ClaimRow


# How a Claim is stored (storage.models.ClaimRow): the same names but `index` (a keyword in
# SQL), missing figures as NULL rather than NaN, and word sets as space-separated text.
_FIELDS = tuple(f.name for f in fields(Claim))
_COLUMN = {"index": "figure_index"}
_FIGURES = ("low", "high", "value")
_WORD_SETS = ("scope", "context")


def claim_values(
    claim: Claim, *, article_id: int, story_id: int, seen: datetime, is_new: bool = True
) -> dict[str, Any]:
    """The column values of a claim's row, to insert."""
    values = {_COLUMN.get(name, name): getattr(claim, name) for name in _FIELDS}
    for name in _FIGURES:
        if math.isnan(values[name]):
            values[name] = None
    for name in _WORD_SETS:
        values[name] = " ".join(sorted(values[name]))
    values.update(article_id=article_id, story_id=story_id, is_new=is_new, first_seen=seen)
    return values


def from_row(row: ClaimRow | Row[Any]) -> Claim:
    """A stored claim (an ORM row or a plain row of the claim table) as the core's Claim."""
    values = {name: getattr(row, _COLUMN.get(name, name)) for name in _FIELDS}
    for name in _FIGURES:
        if values[name] is None:
            values[name] = math.nan
    for name in _WORD_SETS:
        values[name] = frozenset(values[name].split())
    return Claim(**values)


def record_claims(
    session: Session, article: Article, *, seen: datetime, earlier_version: int | None = None
) -> list[StoredPair]:
    """Store an independent article's claims and their pairs with the story's earlier claims.

    For a later version of a stored page (`earlier_version`: the version it revises), its
    claims are first aligned with that version's: a figure it changed is an `update` of it
    (the outlet revised itself, never a conflict), a figure it kept is the earlier claim
    carried forward (its time, newness and pairs as they were: not announced again), and the
    earlier version's claims and the pairs of the figures it changed are superseded. Only
    its changed and new claims are compared with the rest of the story.

    Runs inside the ingest transaction; returns the new pairs (for the reply in Slack).
    """
    assert article.id is not None
    published = article.published.date() if article.published else None
    claims = extract_claims(article.text, title=article.title, published=published)
    prior_rows: list[Row[Any]] = []
    prior: list[Claim] = []
    version_pairs: list[ClaimPair] = []
    # A claim the revision kept is its earlier version's claim carried forward: it keeps that
    # claim's time and newness, so no later digest announces it again.
    kept: dict[int, Row[Any]] = {}  # id() of a claim -> the earlier version's row it carries
    if earlier_version is not None:
        prior_rows = queries.article_claims(session=session, article_id=earlier_version)
        prior = [from_row(r) for r in prior_rows]
        kept, version_pairs = _compare_versions(prior, prior_rows, claims)
        queries.supersede_claims(
            session=session, story_id=article.story_id, article_id=earlier_version
        )
    fresh = [c for c in claims if id(c) not in kept]
    earlier_rows = []
    if article.relation != Relation.NEW_STORY and fresh:  # opened its story: no one to pair
        earlier_rows = queries.recent_story_claims(
            session=session,
            story_id=article.story_id,
            exclude_article=article.id,
            limit=MAX_EARLIER_CLAIMS,
        )
    earlier = [from_row(r) for r in earlier_rows]
    pairs = align(earlier, fresh, b_is_later=True) if earlier else []
    # A claim an earlier article of the story already made (paired with it) is not new, nor is
    # a back-reference ("the two men": compared with copies only); known before inserting, so
    # each claim row is written once.
    repeated = {id(p.b) for p in (*version_pairs, *pairs)}
    repeated |= {id(c) for c in claims if c.unit == REFERENCE}
    ids = queries.add_claims(
        session=session,
        claims=[
            claim_values(
                c,
                article_id=article.id,
                story_id=article.story_id,
                seen=kept[id(c)].first_seen if id(c) in kept else seen,
                is_new=kept[id(c)].is_new if id(c) in kept else id(c) not in repeated,
            )
            for c in claims
        ],
    )
    new_id = {id(c): i for c, i in zip(claims, ids, strict=True)}
    if earlier_version is not None:
        moved = {row.id: new_id[b] for b, row in kept.items()}
        queries.carry_claim_pairs(session=session, story_id=article.story_id, moved=moved)
        queries.supersede_claim_pairs(
            session=session, story_id=article.story_id, claim_ids=[r.id for r in prior_rows]
        )
        earlier_rows = [*prior_rows, *earlier_rows]
        earlier = [*prior, *earlier]
        pairs = [*version_pairs, *pairs]
    earlier_row = {id(c): r for c, r in zip(earlier, earlier_rows, strict=True)}
    recorded = []
    for pair in pairs:
        old = earlier_row[id(pair.a)]
        recorded.append(StoredPair(pair, old.id, new_id[id(pair.b)], old.article_id))
    queries.add_claim_pairs(
        session=session,
        pairs=[
            {
                "story_id": article.story_id,
                "claim_a": r.a_claim_id,
                "claim_b": r.b_claim_id,
                "label": r.pair.label,
                "score": r.pair.score,
                "first_seen": seen,
            }
            for r in recorded
        ],
    )
    return recorded


def _compare_versions(
    prior: list[Claim], prior_rows: list[Row[Any]], claims: list[Claim]
) -> tuple[dict[int, Row[Any]], list[ClaimPair]]:
    """A revision's claims against its earlier version's: those it kept (id() of the claim ->
    the earlier row it carries forward) and the pairs of the rest. A claim is kept when its
    sentence states it as before (quotes too, which are not aligned), or when the alignment
    finds it agreeing; a figure it changed pairs as an `update`."""
    same: dict[tuple[str, str, str, int], list[Row[Any]]] = defaultdict(list)
    for c, row in zip(prior, prior_rows, strict=True):
        same[(c.kind, c.sentence, c.surface, c.index)].append(row)
    kept: dict[int, Row[Any]] = {}
    for c in claims:
        rows = same.get((c.kind, c.sentence, c.surface, c.index))
        if rows:
            kept[id(c)] = rows.pop(0)
    carried = {row.id for row in kept.values()}
    rest = [(c, row) for c, row in zip(prior, prior_rows, strict=True) if row.id not in carried]
    row_of = {id(c): row for c, row in rest}
    pairs = align([c for c, _ in rest], [c for c in claims if id(c) not in kept], b_is_later=True)
    version_pairs = [_as_revision(p) for p in pairs]
    for p in version_pairs:
        if p.label == Label.AGREE:
            kept.setdefault(id(p.b), row_of[id(p.a)])
    return kept, version_pairs


def _as_revision(pair: ClaimPair) -> ClaimPair:
    """A pair of a page's figure and its later version's: a changed figure is an update."""
    if pair.label != Label.CONFLICT:
        return pair
    return replace(pair, label=Label.UPDATE, reason="revised by its outlet")


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """The claims of a story about one quantity, with where they come from and how they pair."""

    quantity: str
    claims: list[tuple[ClaimRow, Article]]
    labels: list[GroupPair]


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
        find = UnionFind((p.claim_a, p.claim_b) for p in pairs).find
        members: dict[int, list[ClaimRow]] = defaultdict(list)
        for r in rows:
            assert r.id is not None
            members[find(r.id)].append(r)
        labels: dict[int, list[GroupPair]] = defaultdict(list)
        for p in pairs:
            pair = GroupPair(Label(p.label), by_id[p.claim_a], by_id[p.claim_b])
            labels[find(p.claim_a)].append(pair)
        groups = []
        for root, group in members.items():
            if not labels[root] and group[0].kind == "quote":
                continue
            name = from_row(max(group, key=lambda r: len(r.counted_text))).quantity
            groups.append(
                ClaimGroup(name, [(r, articles[r.article_id]) for r in group], labels[root])
            )
        groups.sort(key=lambda g: (-_disputes(g), -len(g.labels), -len(g.claims), g.quantity))
        return groups


def _disputes(group: ClaimGroup) -> int:
    """How many of a group's pairs are not agreements: disputed quantities are listed first."""
    return sum(p.label != Label.AGREE for p in group.labels)
