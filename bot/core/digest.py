"""Digest selection: what happened to which stories in a window of time, ranked for a reader.

Pure: the inputs are plain records (the service layer fills them from the database) and the
window is given, so the same inputs and window always give the same digest. Nothing here reads
the clock.

A story is in the digest when, inside the window (``since < t <= until``), it got a new
article that is not a plain duplicate, a claim no earlier independent article made, a flag, or
a labelled claim pair other than ``agree``. Stories rank by independent sources, then
conflicts, then flags, then last activity in the window, then id.

New claims are listed only when they earn their place (``claim_tier``): figures in dispute
first (a conflict, an update or a flag), then figures two independent sources state, then
counts, money and shares in an article's lead. Dates, years, weekdays, ordinals and durations
never stand alone, nor do unnamed figures or small counts ("two reasons"); at most
``max_new_claims`` per story, and none that the story's dispute lines already show.

Claim pairs are grouped by quantity as in ``ClaimService.story_groups``: claims linked by any
of the story's pairs (up to ``until``) form one group, so "12" and "at least a dozen" (AP)
against "11" (Guardian) and "11" (Northlines) is one conflict, not two.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from bot.core.claims import WHEN_KINDS
from bot.core.unionfind import UnionFind
from bot.core.vocabulary import DEFAULT_FLAG_EMOJI, DISPUTED, INDEPENDENT, Label, Relation

FOLDED_REASONS = {
    Label.DIFFERENT_PERIOD: "different periods",
    Label.DIFFERENT_SCOPE: "different measures",
}


# --- input records ------------------------------------------------------------------------


class StoryRecord(NamedTuple):
    """A stored story, as the digest needs it."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    source_count: int  # independent articles: copies and duplicates add none


class ArticleRecord(NamedTuple):
    """A stored article; ``stored`` is when the bot stored it (the window applies to it)."""

    id: int
    story_id: int
    title: str
    outlet: str | None
    url: str | None
    relation: Relation
    matched_id: int | None
    stored: datetime


class ClaimRecord(NamedTuple):
    """A claim of an independent article; ``quantity`` says what it counts, in words."""

    id: int
    story_id: int
    article_id: int
    kind: str
    surface: str
    quantity: str
    is_new: bool  # no earlier independent article of the story made it
    first_seen: datetime
    sentence: str = ""  # the sentence as it stands in the article
    period: int | None = None  # the year the figure is for
    position: int = 0  # index of the sentence in the article
    value: float | None = None
    headline: bool = False  # the article's title names what is counted


class PairRecord(NamedTuple):
    """Two claims of one story about the same quantity, labelled."""

    id: int
    story_id: int
    claim_a: int
    claim_b: int
    label: Label
    first_seen: datetime


class FlagRecord(NamedTuple):
    """A reader flagged a claim, or a whole article when ``claim_id`` is None."""

    story_id: int
    article_id: int
    claim_id: int | None
    user: str
    created: datetime


# --- output -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article as a digest names it."""

    id: int
    title: str
    outlet: str | None
    url: str | None

    @property
    def name(self) -> str:
        """How a reader knows the source: the outlet, else the host of the URL, else the
        first words of the title in quotation marks (never a whole long title)."""
        if self.outlet:
            return shorten_words(self.outlet, NAME_CHARS)
        if self.url:
            host = urlsplit(self.url).hostname
            if host:
                return host.removeprefix("www.")
        if self.title:
            return f"“{shorten_words(self.title, NAME_CHARS - 2)}”"
        return f"article {self.id}"


NAME_CHARS = 40  # a source's name, at most


def shorten_words(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters ("…" when cut)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


@dataclass(frozen=True, slots=True)
class CopyEntry:
    """A new near-duplicate and the article it copies (None when the match is unknown)."""

    article: ArticleRef
    original: ArticleRef | None


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    """A claim with the article that made it."""

    id: int
    kind: str
    surface: str
    quantity: str
    article: ArticleRef
    first_seen: datetime
    sentence: str = ""
    period: int | None = None


@dataclass(frozen=True, slots=True)
class Side:
    """One value of a quantity as one article gives it, with what it measures (``quantity``),
    the year it is for and the sentence it stands in."""

    surface: str
    article: ArticleRef
    quantity: str = ""
    period: int | None = None
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Position:
    """One position in a dispute: the values an article gives, and who gives them."""

    value: str  # "12 / at least a dozen"
    sources: tuple[ArticleRef, ...]


@dataclass(frozen=True, slots=True)
class ConflictEntry:
    """The claims of one quantity that disagree (or update each other), in order of appearance.

    ``sides`` are the distinct (value, article) of every claim in the group's pairs of that
    label, plus claims that agree with one of them.
    """

    quantity: str
    sides: tuple[Side, ...]
    pairs: tuple[int, ...] = ()  # ids of its pairs first seen in the window

    def positions(self) -> list[Position]:
        """Sides as positions: an article's values joined ("12 / at least a dozen"), and
        articles that give the same values listed together ("11 (Vietnam News, Northlines)")."""
        per_article: dict[int, tuple[ArticleRef, list[str]]] = {}
        for side in self.sides:
            _, values = per_article.setdefault(side.article.id, (side.article, []))
            if side.surface not in values:
                values.append(side.surface)
        merged: dict[str, list[ArticleRef]] = {}
        for article, values in per_article.values():
            merged.setdefault(" / ".join(values), []).append(article)
        return [Position(value, tuple(sources)) for value, sources in merged.items()]


@dataclass(frozen=True, slots=True)
class FoldedEntry:
    """Pairs of one quantity that differ for a reason, not a conflict: one short line."""

    quantity: str
    label: Label  # different_period | different_scope
    sides: tuple[Side, ...]
    pairs: tuple[int, ...] = ()  # ids of its pairs first seen in the window

    @property
    def reason(self) -> str:
        return FOLDED_REASONS.get(self.label, self.label.replace("_", " "))

    @property
    def values(self) -> list[str]:
        return list(dict.fromkeys(s.surface for s in self.sides))


@dataclass(frozen=True, slots=True)
class FlagEntry:
    """A flagged claim (or article, when ``claim`` is None) and who flagged it."""

    article: ArticleRef
    claim: ClaimEntry | None
    users: tuple[str, ...]  # distinct, in the order they flagged
    last_flagged: datetime

    @property
    def target(self) -> str:
        return self.claim.surface if self.claim is not None else self.article.title


@dataclass(frozen=True, slots=True)
class DigestStory:
    """What happened to one story in the window."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    source_count: int
    url: str | None  # of the story's first independent article (else first copy) with a URL
    last_activity: datetime  # latest timestamp of the story inside the window
    thread: str | None = None  # a link to the Slack thread where the story was first posted
    new_sources: tuple[ArticleRef, ...] = ()
    copies: tuple[CopyEntry, ...] = ()
    new_claims: tuple[ClaimEntry, ...] = ()
    more_claims: int = 0  # new claims (of any kind) left out of new_claims
    conflicts: tuple[ConflictEntry, ...] = ()
    updates: tuple[ConflictEntry, ...] = ()
    other_pairs: tuple[FoldedEntry, ...] = ()
    flags: tuple[FlagEntry, ...] = ()

    @property
    def flag_count(self) -> int:
        """Distinct (target, user) flags in the window."""
        return sum(len(f.users) for f in self.flags)


@dataclass(frozen=True, slots=True)
class WatchedSummary:
    """What watched feeds brought in a period: articles, and how many of them were copies."""

    articles: int
    copies: int

    @property
    def sources(self) -> int:
        return self.articles - self.copies


@dataclass(frozen=True, slots=True)
class Digest:
    """The selected stories of a window, best first; ``watched``: what the watched feeds of
    the digest's channel brought in the window (their stories are among ``stories``);
    ``flag_emoji``: the first of the reactions the bot takes as flags."""

    since: datetime
    until: datetime
    stories: list[DigestStory]
    watched: WatchedSummary | None = None
    flag_emoji: str = DEFAULT_FLAG_EMOJI  # the reaction its "how to flag" line names

    @property
    def empty(self) -> bool:
        return not self.stories

    @property
    def conflict_count(self) -> int:
        return sum(len(s.conflicts) for s in self.stories)

    @property
    def update_count(self) -> int:
        return sum(len(s.updates) for s in self.stories)

    @property
    def flagged_claims(self) -> int:
        return sum(1 for s in self.stories for f in s.flags if f.claim is not None)

    @property
    def flagged_articles(self) -> int:
        return sum(1 for s in self.stories for f in s.flags if f.claim is None)

    def items(self) -> Iterator[tuple[str, int]]:
        """What the digest shows, as (kind, id): ``story``, ``article`` (new sources and
        copies), ``claim`` (new claims and flagged claims), ``pair`` (window pairs behind the
        conflicts, updates and folded lines) and ``flagged_article``. For recording a posted
        digest; may repeat an item."""
        for s in self.stories:
            yield "story", s.id
            for a in s.new_sources:
                yield "article", a.id
            for c in s.copies:
                yield "article", c.article.id
            for claim in s.new_claims:
                yield "claim", claim.id
            for entry in (*s.conflicts, *s.updates):
                for pair_id in entry.pairs:
                    yield "pair", pair_id
            for folded in s.other_pairs:
                for pair_id in folded.pairs:
                    yield "pair", pair_id
            for f in s.flags:
                if f.claim is not None:
                    yield "claim", f.claim.id
                else:
                    yield "flagged_article", f.article.id

    def to_json(self) -> dict[str, Any]:
        """The digest as JSON-serialisable data (ISO 8601 datetimes)."""
        data: dict[str, Any] = _jsonable(self)
        data.update(
            empty=self.empty,
            conflict_count=self.conflict_count,
            update_count=self.update_count,
            flagged_claims=self.flagged_claims,
            flagged_articles=self.flagged_articles,
        )
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, ConflictEntry):
            data["positions"] = [_jsonable(p) for p in value.positions()]
        return data
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- selection ----------------------------------------------------------------------------


_BY_TIME = attrgetter("first_seen", "id")


class _Lookup:
    """Articles and claims by id; each article becomes one ``ArticleRef``, shared."""

    def __init__(self, articles: dict[int, ArticleRecord], claims: dict[int, ClaimRecord]):
        self.articles = articles
        self.claims = claims
        self._refs: dict[int, ArticleRef] = {}

    def article(self, article_id: int) -> ArticleRef:
        ref = self._refs.get(article_id)
        if ref is None:
            a = self.articles.get(article_id)
            ref = (
                ArticleRef(a.id, a.title, a.outlet, a.url)
                if a is not None
                else ArticleRef(article_id, "", None, None)
            )
            self._refs[article_id] = ref
        return ref

    def claim(self, c: ClaimRecord) -> ClaimEntry:
        return ClaimEntry(
            c.id,
            c.kind,
            c.surface,
            c.quantity,
            self.article(c.article_id),
            c.first_seen,
            c.sentence,
            c.period,
        )


def _quantity(claims: Iterable[ClaimRecord], *, join: bool = False) -> str:
    """The name of a group: its longest quantity, or its distinct quantities joined."""
    names = list(dict.fromkeys(q for c in claims if (q := c.quantity.strip())))
    if not names:
        return "figure"
    if join:
        return " / ".join(names[:3])
    return max(names, key=len)


# "with China", "between Russia and Vietnam", "with the US": a phrase naming whom a figure
# is about, right after the figure (a year it is for skipped) or after what it counts.
_YEAR_AFTER_RE = re.compile(r"\s+in\s+(?:19|20)\d\d\b")
_NAME = r"(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*"
_QUALIFIER_RE = re.compile(rf"\s+((?:with|between|among)\s+{_NAME}(?:\s+and\s+{_NAME})?)")


def qualifier(claim: ClaimRecord) -> str:
    """Whom the figure is about, in the sentence's words ("with China"), or ""."""
    sentence, surface, quantity = claim.sentence, claim.surface, claim.quantity.strip()
    at = sentence.find(surface) if surface else -1
    if at < 0 or not quantity or quantity == claim.kind:
        return ""
    rest = sentence[at + len(surface) :]
    year = _YEAR_AFTER_RE.match(rest)
    if year:
        rest = rest[year.end() :]
    if rest.lower().startswith(f" {quantity.lower()}"):
        rest = rest[len(quantity) + 1 :]
    found = _QUALIFIER_RE.match(rest)
    if found is None:
        named = sentence.lower().find(quantity.lower())
        if named >= 0:
            found = _QUALIFIER_RE.match(sentence[named + len(quantity) :])
    return found.group(1).rstrip(".") if found else ""


def _qualified(claims: list[ClaimRecord]) -> str:
    """A group's name with whom it is about, from the first claim whose sentence says so
    ("trade between Russia and Vietnam"); else ``_quantity``."""
    for c in claims:
        if c.kind != "percent" and (q := qualifier(c)):
            name = c.quantity.strip()
            return name if q.lower() in name.lower() else f"{name} {q}"
    return _quantity(claims)


def _sides(claims: list[ClaimRecord], lookup: _Lookup) -> tuple[Side, ...]:
    """The distinct (value, outlet, url) of claims given in order of appearance."""
    seen: set[tuple[str, str | None, str | None, int]] = set()
    sides = []
    for c in claims:
        a = lookup.article(c.article_id)
        key = (c.surface, a.outlet, a.url, a.id if a.outlet is None and a.url is None else 0)
        if key not in seen:
            seen.add(key)
            sides.append(Side(c.surface, a, c.quantity, c.period, c.sentence))
    return tuple(sides)


def pair_groups(pairs: Iterable[PairRecord]) -> dict[tuple[int, Label], list[PairRecord]]:
    """Claim pairs grouped as a digest shows them: claims linked by any pair form one quantity
    (union-find, as ``ClaimService.story_groups``), and a quantity gives one entry per label.
    "12" and "at least a dozen" against "11" is one conflict, not two. The one rule every
    view counts conflicts by (``dispute_entries``, ``select_digest``)."""
    listed = list(pairs)
    find = UnionFind((p.claim_a, p.claim_b) for p in listed).find
    groups: dict[tuple[int, Label], list[PairRecord]] = defaultdict(list)
    for p in listed:
        groups[(find(p.claim_a), p.label)].append(p)
    return groups


def _pair_entries(
    pairs: list[PairRecord], since: datetime | None, lookup: _Lookup
) -> tuple[tuple[ConflictEntry, ...], tuple[ConflictEntry, ...], tuple[FoldedEntry, ...]]:
    """Conflicts, updates and folded lines of one story, from its pairs up to ``until``.

    Claims linked by any pair form a group (union-find, as ``ClaimService.story_groups``); a
    group gives an entry per label that has a pair first seen in the window.
    """
    groups = pair_groups(pairs)
    triggered = {
        key: None
        for key, group in groups.items()
        if key[1] != Label.AGREE and any(since is None or p.first_seen > since for p in group)
    }

    conflicts: list[ConflictEntry] = []
    updates: list[ConflictEntry] = []
    folded: list[FoldedEntry] = []
    for root, label in triggered:
        group = groups[(root, label)]
        ids = {i for p in group for i in (p.claim_a, p.claim_b)}
        if label in DISPUTED:  # with the claims that agree with a side
            for p in groups.get((root, Label.AGREE), ()):
                if p.claim_a in ids or p.claim_b in ids:
                    ids.update((p.claim_a, p.claim_b))
        claims = sorted((c for i in ids if (c := lookup.claims.get(i)) is not None), key=_BY_TIME)
        sides = _sides(claims, lookup)
        fresh = tuple(sorted(p.id for p in group if since is None or p.first_seen > since))
        if label == Label.CONFLICT:
            conflicts.append(ConflictEntry(_quantity(claims), sides, fresh))
        elif label == Label.UPDATE:
            updates.append(ConflictEntry(_quantity(claims), sides, fresh))
        elif label == Label.DIFFERENT_PERIOD:
            folded.append(FoldedEntry(_qualified(claims), label, sides, fresh))
        else:
            name = _quantity(claims, join=label == Label.DIFFERENT_SCOPE)
            folded.append(FoldedEntry(name, label, sides, fresh))

    def order(e: ConflictEntry | FoldedEntry) -> tuple[int, str]:
        return -len(e.sides), e.quantity

    conflicts.sort(key=order)
    updates.sort(key=order)
    folded.sort(key=lambda e: (e.label, *order(e)))
    return tuple(conflicts), tuple(updates), tuple(folded)


def dispute_entries(
    *,
    pairs: Iterable[PairRecord],
    claims: Iterable[ClaimRecord],
    articles: Iterable[ArticleRecord],
) -> tuple[tuple[ConflictEntry, ...], tuple[ConflictEntry, ...], tuple[FoldedEntry, ...]]:
    """The conflicts, updates and differences that ``pairs`` make, grouped and named as the
    digest groups and names them (a thread reply shows and counts these)."""
    lookup = _Lookup({a.id: a for a in articles}, {c.id: c for c in claims})
    return _pair_entries(list(pairs), None, lookup)


def _flag_entries(flags: list[FlagRecord], lookup: _Lookup) -> tuple[FlagEntry, ...]:
    """Flags grouped by target (a claim, or an article), with their users in order."""
    targets: dict[tuple[int, int | None], tuple[list[str], list[datetime]]] = {}
    for f in sorted(flags, key=attrgetter("created", "user")):
        users, times = targets.setdefault((f.article_id, f.claim_id), ([], []))
        if f.user not in users:
            users.append(f.user)
        times.append(f.created)
    entries = []
    for (article_id, claim_id), (users, times) in targets.items():
        claim: ClaimEntry | None = None
        if claim_id is not None:
            record = lookup.claims.get(claim_id)
            claim = (
                lookup.claim(record)
                if record is not None
                else ClaimEntry(
                    claim_id, "", f"claim {claim_id}", "", lookup.article(article_id), times[0]
                )
            )
        entries.append(FlagEntry(lookup.article(article_id), claim, tuple(users), times[-1]))
    return tuple(entries)


NOT_ALONE = WHEN_KINDS | {"ordinal", "duration"}  # say when or how long: never news alone
LEAD_KINDS = frozenset({"count", "money", "percent"})  # people, money and counts
LEAD_SENTENCES = 15  # an article's lead: its first sentences (page furniture included)
MIN_COUNT = 3  # "two reasons", "one of": a count this small is grammar more than news


class NewClaimKey(NamedTuple):
    """What ranks a new claim (``claim_tier``), without its text: a query can give these for
    every new claim of a window and read the text of the few listed."""

    id: int
    story_id: int
    kind: str
    quantity: str
    value: float | None
    position: int
    headline: bool
    first_seen: datetime


def claim_tier(key: NewClaimKey | ClaimRecord, *, disputed: bool, corroborated: bool) -> int | None:
    """Where a new claim ranks in a digest, best first, or None when it has no place there:
    0 a figure in dispute (a conflict, an update, a flag), 1 a figure two independent
    sources state, 2 a count, sum or share in an article's lead (or its title). Quotes,
    unnamed figures, small counts and what only says when or how long are left to
    ``/newsroom claims``."""
    named = key.quantity.strip() and key.quantity != key.kind
    if key.kind == "quote" or key.kind in NOT_ALONE or not named:
        return None
    if disputed:
        return 0
    if key.kind == "count" and key.value is not None and key.value < MIN_COUNT:
        return None
    if corroborated:
        return 1
    if key.kind in LEAD_KINDS and (key.position < LEAD_SENTENCES or key.headline):
        return 2
    return None


def first_new_claims(
    keys: Iterable[NewClaimKey | ClaimRecord],
    per_story: int,
    *,
    disputed: Collection[int] = (),
    corroborated: Collection[int] = (),
) -> tuple[list[int], dict[int, tuple[int, datetime]]]:
    """Which new claims of a window a digest lists: per story the best ``per_story`` by
    ``claim_tier`` (then a title's figures, then order in the article and of appearance),
    one per quantity and value. Also, per story, how many new claims there are and when the
    latest came (the ``new_claim_stats`` of ``select_digest``)."""
    by_story: dict[int, list[NewClaimKey | ClaimRecord]] = defaultdict(list)
    for key in keys:
        by_story[key.story_id].append(key)
    chosen: list[int] = []
    stats: dict[int, tuple[int, datetime]] = {}
    for story_id, found in by_story.items():
        stats[story_id] = (len(found), max(k.first_seen for k in found))
        chosen += _best_claims(found, per_story, disputed, corroborated)
    return chosen, stats


def _best_claims(
    found: Iterable[NewClaimKey | ClaimRecord],
    per_story: int,
    disputed: Collection[int],
    corroborated: Collection[int],
) -> list[int]:
    """The ids ``first_new_claims`` lists of one story's new claims, best first."""
    if per_story <= 0:
        return []
    ranked = []
    for k in found:
        tier = claim_tier(k, disputed=k.id in disputed, corroborated=k.id in corroborated)
        if tier is not None:
            ranked.append((tier, not k.headline, k.position, k.first_seen, k.id, k))
    chosen: list[int] = []
    seen: set[tuple[str, str]] = set()
    for *_, k in _in_rank(ranked, per_story * 3):
        what = (k.quantity.casefold(), f"{k.value}")
        if what not in seen:
            seen.add(what)
            chosen.append(k.id)
            if len(chosen) == per_story:
                break
    return chosen


def _in_rank(ranked: list[Any], first: int) -> Iterator[Any]:
    """``ranked`` in order, sorting all of it only when more than the ``first`` are read
    (ids are unique, so the records at the end of each tuple are never compared)."""
    best = heapq.nsmallest(first, ranked)
    yield from best
    if len(best) < len(ranked):
        yield from sorted(ranked)[len(best) :]


def select_digest(
    *,
    stories: Iterable[StoryRecord],
    articles: Iterable[ArticleRecord],
    claims: Iterable[ClaimRecord],
    pairs: Iterable[PairRecord],
    flags: Iterable[FlagRecord],
    since: datetime,
    until: datetime,
    max_new_claims: int = 3,
    new_claim_stats: Mapping[int, tuple[int, datetime]] | None = None,
    corroborated: Collection[int] | None = None,
    threads: Mapping[int, str] | None = None,
) -> Digest:
    """The digest of the window ``since < t <= until``.

    The inputs may hold rows outside the window; rows after ``until`` are ignored. Rows before
    ``since`` serve as context: pass the articles that claims and copies refer to and the
    stories' earlier claims and pairs, so that copies name their original and conflicts are
    grouped over the story's whole history. Stories without a ``StoryRecord`` are left out.

    A caller that passes only the new claims ``first_new_claims`` lists (as a database
    query can) gives, in ``new_claim_stats``, each story's number of new claims in the window
    and the time of the latest, and in ``corroborated`` the claims an agreeing pair links
    (else they are read from ``pairs``). ``threads`` gives, per story, a link to the Slack
    thread where it was first posted.
    """
    story_by_id = {s.id: s for s in stories}

    article_by_id: dict[int, ArticleRecord] = {}
    first_url: dict[int, tuple[bool, datetime, int, str]] = {}  # story -> (copy?, stored, id, url)
    new_articles: dict[int, list[ArticleRecord]] = defaultdict(list)
    for a in articles:
        if a.stored > until:
            continue
        article_by_id[a.id] = a
        independent = a.relation in INDEPENDENT
        if a.url and (independent or a.relation == Relation.NEAR_DUPLICATE):
            candidate = (not independent, a.stored, a.id, a.url)
            known = first_url.get(a.story_id)
            if known is None or candidate < known:
                first_url[a.story_id] = candidate
        if a.stored > since and a.relation != Relation.DUPLICATE:
            new_articles[a.story_id].append(a)

    claim_by_id: dict[int, ClaimRecord] = {}
    new_claims: dict[int, list[ClaimRecord]] = defaultdict(list)
    for c in claims:
        if c.first_seen > until:
            continue
        claim_by_id[c.id] = c
        if c.is_new and c.first_seen > since:
            new_claims[c.story_id].append(c)

    story_pairs: dict[int, list[PairRecord]] = defaultdict(list)
    paired: dict[int, datetime] = {}  # story -> its latest labelled pair in the window
    agreeing: set[int] = set()
    disputed: set[int] = set()
    for p in pairs:
        if p.first_seen > until:
            continue
        story_pairs[p.story_id].append(p)
        (agreeing if p.label == Label.AGREE else disputed).update((p.claim_a, p.claim_b))
        if p.first_seen > since and p.label != Label.AGREE:
            last = paired.get(p.story_id)
            if last is None or p.first_seen > last:
                paired[p.story_id] = p.first_seen

    new_flags: dict[int, list[FlagRecord]] = defaultdict(list)
    for f in flags:
        if since < f.created <= until:
            new_flags[f.story_id].append(f)
            if f.claim_id is not None:
                disputed.add(f.claim_id)
    if corroborated is None:
        corroborated = agreeing

    lookup = _Lookup(article_by_id, claim_by_id)
    active = set(new_articles).union(new_claims, paired, new_flags)
    if new_claim_stats is not None:
        active.update(s for s, (_, latest) in new_claim_stats.items() if since < latest <= until)
    selected = []
    for story_id in sorted(active):
        story = story_by_id.get(story_id)
        if story is None:
            continue
        times: list[datetime] = []
        arts = new_articles.get(story_id)
        if arts:
            arts.sort(key=attrgetter("stored", "id"))
            times.append(arts[-1].stored)
        found = new_claims.get(story_id, [])
        if found:
            times.append(max(c.first_seen for c in found))
        n_fresh = len(found)
        if new_claim_stats is not None and story_id in new_claim_stats:
            total, latest = new_claim_stats[story_id]
            n_fresh = max(n_fresh, total)
            times.append(latest)
        conflicts: tuple[ConflictEntry, ...] = ()
        updates: tuple[ConflictEntry, ...] = ()
        folded: tuple[FoldedEntry, ...] = ()
        if story_id in paired:
            times.append(paired[story_id])
            conflicts, updates, folded = _pair_entries(story_pairs[story_id], since, lookup)
        story_flags = new_flags.get(story_id)
        flag_entries = _flag_entries(story_flags, lookup) if story_flags else ()
        if flag_entries:
            times.append(max(f.last_flagged for f in flag_entries))
        # Listed in their rank, none that a dispute or flag line of the story shows already.
        entries: list[ConflictEntry | FoldedEntry] = [*conflicts, *updates, *folded]
        shown_values = {(side.article.id, side.surface) for e in entries for side in e.sides}
        shown_values |= {(f.article.id, f.claim.surface) for f in flag_entries if f.claim}
        listed = _best_claims(
            (c for c in found if (c.article_id, c.surface) not in shown_values),
            max_new_claims,
            disputed,
            corroborated,
        )
        fresh = [claim_by_id[claim_id] for claim_id in listed]
        url = first_url.get(story_id)
        selected.append(
            DigestStory(
                id=story.id,
                title=story.title,
                first_seen=story.first_seen,
                last_seen=story.last_seen,
                article_count=story.article_count,
                source_count=story.source_count,
                url=url[3] if url else None,
                last_activity=max(times),
                thread=threads.get(story_id) if threads else None,
                new_sources=tuple(
                    lookup.article(a.id) for a in arts or () if a.relation in INDEPENDENT
                ),
                copies=tuple(
                    CopyEntry(
                        lookup.article(a.id),
                        None if a.matched_id is None else lookup.article(a.matched_id),
                    )
                    for a in arts or ()
                    if a.relation == Relation.NEAR_DUPLICATE
                ),
                new_claims=tuple(lookup.claim(c) for c in fresh),
                more_claims=n_fresh - len(fresh),
                conflicts=conflicts,
                updates=updates,
                other_pairs=folded,
                flags=flag_entries,
            )
        )
    # Stable sorts: selected is in id order, so ties on every key stay in id order.
    selected.sort(
        key=lambda s: (s.source_count, len(s.conflicts), s.flag_count, s.last_activity),
        reverse=True,
    )
    return Digest(since, until, selected)
