"""A story's claims (``ClaimService.story_groups``) in the digest's terms: its conflicts,
updates and differences grouped and named by ``bot.core.digest.dispute_entries``, and its
new figures ranked and filtered by ``bot.core.digest.claim_tier``, so that `newsroom claims`,
the demo and `/newsroom claims` say what the digest says, in the same words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.claims import quantity_name
from bot.core.digest import (
    NAME_CHARS,
    ArticleRecord,
    ArticleRef,
    ClaimEntry,
    ClaimRecord,
    ConflictEntry,
    FoldedEntry,
    PairRecord,
    claim_tier,
    dispute_entries,
    first_new_claims,
)
from bot.core.vocabulary import Label, Relation
from bot.services.claims import ClaimGroup
from bot.views.words import SENTENCE_CHARS, VALUE_CHARS, Escape, Namer, cut, figure, same

FIGURES_PER_ARTICLE = 3  # as many as the digest lists for a story


@dataclass(frozen=True, slots=True)
class StoryClaims:
    """What a story's figures say, as the digest groups and ranks them."""

    conflicts: tuple[ConflictEntry, ...] = ()
    updates: tuple[ConflictEntry, ...] = ()
    differences: tuple[FoldedEntry, ...] = ()
    # Per article (in order of appearance): its best new figures and how many are left out.
    figures: dict[int, tuple[list[ClaimEntry], int]] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)  # article id -> its file name
    # Every claim as the digest would show it, and those that stand alone in a list (a
    # named count, sum or share: ``claim_tier``); the rest need their sentence.
    entries: dict[int, ClaimEntry] = field(default_factory=dict)
    standalone: frozenset[int] = frozenset()

    @property
    def shown(self) -> set[tuple[int, str]]:
        """(article id, value) of every figure a conflict, update or difference line shows."""
        entries: list[ConflictEntry | FoldedEntry] = [
            *self.conflicts,
            *self.updates,
            *self.differences,
        ]
        return {(side.article.id, side.surface) for e in entries for side in e.sides}

    def name(self, article: ArticleRef) -> str:
        """A source as the digest names it (outlet, host, a short quoted title), its file
        name only when it has none of those."""
        if not (article.outlet or article.url or article.title) and article.id in self.files:
            return self.files[article.id]
        return article.name


_AT = datetime(2000, 1, 1)  # a claim without a time (every pair is compared, whenever made)


def row_quantity(row: Any) -> str:
    """What a stored claim row counts or measures, in words (``quantity_name``)."""
    return quantity_name(row.kind, row.scope_text, row.counted_text, row.counted)


def story_claims(
    groups: Sequence[ClaimGroup], *, per_article: int = FIGURES_PER_ARTICLE
) -> StoryClaims:
    """The entries and ranked new figures of a story's claim groups."""
    articles: dict[int, ArticleRecord] = {}
    claims: dict[int, ClaimRecord] = {}
    files: dict[int, str] = {}
    pairs: list[PairRecord] = []
    for group in groups:
        for row, article in group.claims:
            if article.id is None or row.id is None:
                continue
            if article.id not in articles:
                url = getattr(article, "url", None) or getattr(article, "canonical_url", None)
                articles[article.id] = ArticleRecord(
                    article.id, row.story_id, getattr(article, "title", "") or "",
                    article.outlet, url, Relation.SAME_STORY, None, _AT,
                )  # fmt: skip
                if article.external_id:
                    files[article.id] = article.external_id
            quantity = row_quantity(row)
            claims[row.id] = ClaimRecord(
                row.id, row.story_id, row.article_id, row.kind, row.surface, quantity,
                row.is_new, row.first_seen or _AT, row.sentence, row.period, row.position,
                row.value, bool(row.headline),
            )  # fmt: skip
        for pair in group.labels:
            if pair.a.id is not None and pair.b.id is not None:
                pairs.append(
                    PairRecord(len(pairs), pair.a.story_id, pair.a.id, pair.b.id, pair.label, _AT)
                )
    conflicts, updates, differences = dispute_entries(
        pairs=pairs, claims=claims.values(), articles=articles.values()
    )
    disputed = {i for p in pairs if p.label != Label.AGREE for i in (p.claim_a, p.claim_b)}
    agreeing = {i for p in pairs if p.label == Label.AGREE for i in (p.claim_a, p.claim_b)}
    refs = {a.id: ArticleRef(a.id, a.title, a.outlet, a.url) for a in articles.values()}
    entries = {i: _entry(c, refs[c.article_id]) for i, c in claims.items()}
    standalone = frozenset(
        i
        for i, c in claims.items()
        if claim_tier(c._replace(position=0), disputed=False, corroborated=i in agreeing)
        is not None
    )
    found = StoryClaims(conflicts, updates, differences, {}, files, entries, standalone)
    found.figures.update(_ranked(claims, entries, found.shown, disputed, agreeing, per_article))
    return found


def _entry(c: ClaimRecord, article: ArticleRef) -> ClaimEntry:
    return ClaimEntry(
        c.id, c.kind, c.surface, c.quantity, article, c.first_seen, c.sentence, c.period
    )


def _ranked(
    claims: dict[int, ClaimRecord],
    entries: dict[int, ClaimEntry],
    shown: set[tuple[int, str]],
    disputed: set[int],
    agreeing: set[int],
    per_article: int,
) -> dict[int, tuple[list[ClaimEntry], int]]:
    """Per article, its new figures the digest would list (``first_new_claims``, an article
    standing for a story), none that a dispute line shows; and how many new claims are left."""
    by_article: dict[int, list[ClaimRecord]] = defaultdict(list)
    for c in claims.values():
        if c.is_new:
            by_article[c.article_id].append(c)
    out: dict[int, tuple[list[ClaimEntry], int]] = {}
    for article_id in sorted(by_article):  # ids in the order articles were stored
        found = by_article[article_id]
        keys = [
            c._replace(story_id=article_id) for c in found if (article_id, c.surface) not in shown
        ]
        chosen, _ = first_new_claims(keys, per_article, disputed=disputed, corroborated=agreeing)
        out[article_id] = ([entries[i] for i in chosen], len(found) - len(chosen))
    return out


def other_figures(
    groups: Sequence[ClaimGroup],
    found: StoryClaims,
    *,
    name: Namer | None = None,
    esc: Escape = same,
) -> list[str]:
    """Every figure of a story that no conflict, update or difference line shows, by what it
    counts: a named count, sum or share in its article's words with its sources ("six
    Kilo-class submarines (The New York Times)"), first; then any other (a date, a duration,
    an ordinal, a small or unnamed count) with the sentence it stands in."""
    named_by = name or found.name
    shown = found.shown
    standing: list[str] = []
    said: list[str] = []
    for group in groups:
        agree = any(p.label == Label.AGREE for p in group.labels)
        named: dict[str, list[str]] = {}
        for row, article in group.claims:
            entry = found.entries.get(row.id or 0)
            if entry is None or (article.id, row.surface) in shown:
                continue
            source = named_by(entry.article)
            if row.attribution:
                source = f"{esc(cut(row.attribution, NAME_CHARS))}, in {source}"
            if entry.id in found.standalone:
                named.setdefault(figure(entry, esc=esc), []).append(source)
            else:
                value = esc(cut(row.surface, VALUE_CHARS))
                line = f"{value} ({source}): “{esc(cut(row.sentence, SENTENCE_CHARS))}”"
                if line not in said:
                    said.append(line)
        for text, sources in named.items():
            tail = " — the sources agree" if agree and len(sources) > 1 else ""
            standing.append(f"{text} ({'; '.join(dict.fromkeys(sources))}){tail}")
    return standing + said
