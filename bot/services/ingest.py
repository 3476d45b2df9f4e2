"""Use case: ingest an article and place it: duplicate, copy, same story, or a new story.

One session per article; the article, its index rows, the document frequencies and the story
counts are written in one transaction, so an interrupted ingest leaves nothing half-written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core import dedup, minhash, revisions
from bot.core.claims import ClaimPair
from bot.core.dedup import MatchConfig, PairScore
from bot.core.extract import ArticleDraft, ExtractionError, from_html, from_text
from bot.core.profile import Profile, build_profile
from bot.core.vocabulary import INDEPENDENT, Label, Relation
from bot.fetch import Fetcher, FetchError
from bot.services.claims import StoredPair, from_row, record_claims
from bot.services.compare import Comparison, compare_drafts, profile_of
from bot.services.frequencies import FrequencyCache
from storage import queries
from storage.models import Article

logger = logging.getLogger(__name__)

# How many stored articles are scored in full for each new one: those sharing the most
# distinctive terms (most recent first among equals), plus any sharing a MinHash band.
MAX_CANDIDATES = 20
# Candidates outside the story window, by shared terms: only a copy can match there, and a
# copy shares most of its rare terms with its original, so a few suffice.
MAX_COPY_CANDIDATES = 5
# Index terms carried by more than 2% of the stored articles (and more than 500 of them) are
# not looked up; the 6 rarest always are. Keeps the candidate query's cost flat as the corpus
# grows.
LOOKUP = queries.LookupRule(share=0.02, min_df=500, min_terms=6)


class IngestError(Exception):
    """An input that could not be ingested; str() is a one-line reason."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Where an ingested article landed, and why."""

    relation: Relation  # new_story, same_story, near_duplicate, revision or duplicate
    article_id: int
    story_id: int
    title: str
    url: str | None
    matched_id: int | None
    matched_title: str | None
    matched_url: str | None
    matched_external_id: str | None
    score: float | None
    signal: str
    story_articles: int
    story_sources: int
    stored: bool  # False when the article was already stored under the same URL
    # Claim pairs with earlier coverage of the story, other than agreements.
    claim_pairs: tuple[StoredPair, ...] = ()
    version: int = 1  # a revision's version number (its earlier version is matched_*)


def _now() -> datetime:
    return datetime.now(UTC)


def fetch_draft(fetcher: Fetcher, url: str) -> ArticleDraft:
    """Fetch a page safely and extract its article; every failure is an IngestError."""
    try:
        page = fetcher.fetch(url)
    except FetchError as exc:
        raise IngestError(exc.reason) from exc
    try:
        if page.content_type == "text/plain":
            return from_text(page.text(), url=page.url)
        return from_html(page.text(), url=page.url, now=_now())
    except ExtractionError as exc:
        raise IngestError(str(exc)) from exc


class IngestService:
    """Fetch, extract, match and store articles."""

    def __init__(self, engine: Engine, config: MatchConfig, fetcher: Fetcher | None = None):
        self.engine = engine
        self.config = config
        self.fetcher = fetcher
        self.frequencies = FrequencyCache()

    # Inputs --------------------------------------------------------------------------------

    def ingest_url(self, url: str, *, external_id: str | None = None) -> IngestResult:
        """Fetch a page safely and ingest its article."""
        if self.fetcher is None:
            raise IngestError("fetching is not configured")
        return self.ingest(fetch_draft(self.fetcher, url), external_id=external_id)

    def ingest_html(
        self, html: str, *, url: str | None = None, external_id: str | None = None
    ) -> IngestResult:
        """Ingest a page saved from `url` (when known)."""
        try:
            draft = from_html(html, url=url, now=_now())
        except ExtractionError as exc:
            raise IngestError(str(exc)) from exc
        return self.ingest(draft, external_id=external_id)

    def ingest_text(
        self,
        text: str,
        *,
        title: str | None = None,
        url: str | None = None,
        published: datetime | None = None,
        outlet: str | None = None,
        external_id: str | None = None,
    ) -> IngestResult:
        try:
            draft = from_text(text, title=title, url=url, published=published)
        except ExtractionError as exc:
            raise IngestError(str(exc)) from exc
        if outlet:
            draft = replace(draft, outlet=outlet)
        return self.ingest(draft, external_id=external_id)

    def replay(self, article_id: int) -> IngestResult | None:
        """The verdict a stored article was given when it was ingested (its relation, the
        article it matched, its claim pairs as they stand now; the story's counts of now), for
        a re-run of the event that ingested it; None when it is not stored."""
        with Session(self.engine) as session:
            rows = queries.articles_by_id(session=session, ids=[article_id])
            if not rows:
                return None
            article = rows[0]
            matched = None
            if article.matched_id is not None:
                found = queries.articles_by_id(session=session, ids=[article.matched_id])
                matched = _stored_article(found[0]) if found else None
            story = queries.story_by_id(session=session, story_id=article.story_id)
            counts = queries.StoryCounts(story.article_count, story.source_count)
            pairs = [
                StoredPair(
                    ClaimPair(Label(pair.label), from_row(a), from_row(b), pair.score),
                    a_claim_id=pair.claim_a,
                    b_claim_id=pair.claim_b,
                    a_article_id=a.article_id,
                )
                for pair, a, b in queries.article_claim_pairs(
                    session=session, article_id=article_id
                )
            ]
            return _result(session, article, counts, matched, None, pairs)

    def compare_urls(self, url_a: str, url_b: str) -> Comparison:
        """Fetch two pages and judge how they relate, weighing terms by the stored corpus."""
        if self.fetcher is None:
            raise IngestError("fetching is not configured")
        a, b = fetch_draft(self.fetcher, url_a), fetch_draft(self.fetcher, url_b)
        pa = profile_of(a.title, a.text, a.published)  # cached: compare_drafts reuses them
        pb = profile_of(b.title, b.text, b.published)
        with Session(self.engine) as session:
            terms = np.concatenate([pa.term_hashes, pb.term_hashes])
            stats = self.frequencies.stats(session, terms)
        return compare_drafts(a, b, config=self.config, stats=stats)

    # Matching and storing ------------------------------------------------------------------

    def ingest(self, draft: ArticleDraft, *, external_id: str | None = None) -> IngestResult:
        """Match the article against stored ones and store it, in one transaction.

        An article whose canonical URL is stored is that page again: with the same text (or
        only its furniture changed) it is a duplicate (``stored`` False); revised, it is stored
        as the page's next version (a ``revision``). An article given with an `external_id`
        already stored is not stored again: with the same text it is that article; with
        another text it is refused, as the id names another article, unless it is a revision
        of that article at its URL."""
        # Its time for matching: when it was published, else now, when it is first seen.
        profile = build_profile(draft.title, draft.text, draft.published or _now())
        try:
            return self._store(draft, profile, external_id)
        except IntegrityError:
            # Another writer stored the same canonical URL (or the same next version of it) or
            # id first: that one is the article (a second try finds it, and answers as for a
            # record already stored).
            with Session(self.engine) as session:
                if external_id is not None and queries.article_by_external_id(
                    session=session, external_id=external_id
                ):
                    return self._store(draft, profile, external_id)
                if draft.canonical_url:
                    existing = queries.article_by_canonical_url(
                        session=session, canonical_url=draft.canonical_url
                    )
                    if existing is not None:
                        return _already_stored(session, existing)
            raise

    def _store(
        self, draft: ArticleDraft, profile: Profile, external_id: str | None
    ) -> IngestResult:
        seen = draft.published or _now()
        with Session(self.engine) as session:
            if external_id is not None:
                same_id = queries.article_by_external_id(session=session, external_id=external_id)
                if same_id is not None:
                    stored, stored_hash = same_id
                    # Another text at the same URL: a revision, told apart below.
                    revisable = bool(draft.canonical_url) and (
                        stored.canonical_url == draft.canonical_url
                    )
                    if stored_hash != profile.content_hash and not revisable:
                        raise IngestError(
                            f"id {external_id!r} is already stored (article {stored.id}) "
                            "with another text"
                        )
                    if stored_hash == profile.content_hash:
                        return _already_stored(session, stored, "same id: already stored")
            existing, latest = queries.stored_url_and_latest_story(
                session=session, canonical_url=draft.canonical_url
            )
            if existing is not None:
                if existing.content_hash == profile.content_hash:
                    return _already_stored(session, existing.article)
                _, text = queries.article_text(session=session, article_id=existing.article.id)
                if not revisions.is_revised(text, draft.text):
                    signal = "same canonical URL, only its page furniture changed: already stored"
                    return _already_stored(session, existing.article, signal)
                return self._store_version(session, draft, profile, existing, external_id)
            undated = draft.published is None
            match = self.match_in(session, profile, draft=draft, undated=undated)
            if match is None:
                # Another writer may have just opened this story: holding the lock, look again
                # if a story was opened since. Stories are only opened under this lock, so a
                # story opened since has a higher id, and none is being opened.
                queries.lock_new_stories(session=session)
                if queries.latest_story_id(session=session) != latest:
                    match = self.match_in(session, profile, draft=draft, undated=undated)
            day = dedup.bucket_days(seen)
            assert day is not None
            if match is None:
                story_id = queries.create_story(session=session, title=draft.title, seen=seen)
                relation, matched, verdict = Relation.NEW_STORY, None, None
            else:
                matched, verdict = match
                story_id, relation = matched.story_id, verdict.relation
            article = _article_row(
                draft,
                profile,
                external_id,
                story_id=story_id,
                relation=relation,
                matched_id=matched.id if matched else None,
                score=verdict.score if verdict else None,
                signal=verdict.signal if verdict else "no stored article matches",
                day=day,
            )
            independent = relation in INDEPENDENT
            counts = _add_article(session, article, profile, seen, independent=independent)
            pairs = record_claims(session, article, seen=_now()) if independent else []
            result = _result(session, article, counts, matched, verdict, pairs)
            session.commit()
            self.frequencies.observe(profile.vocabulary)
            return result

    def _store_version(
        self,
        session: Session,
        draft: ArticleDraft,
        profile: Profile,
        earlier: queries.StoredVersion,
        external_id: str | None,
    ) -> IngestResult:
        """Store a revised page as the next version of the one at its URL, in that one's
        story: not matched (it is that article), not a new source nor another article of
        the story, not a document of the frequencies (the earlier version is); its figures
        compared with its earlier version's (see record_claims). Its version number is
        unique with its URL: of two writers storing it at once, one fails (see ingest)."""
        seen = draft.published or _now()
        day = dedup.bucket_days(seen)
        assert day is not None
        version = earlier.version + 1
        article = _article_row(
            draft,
            profile,
            external_id,
            story_id=earlier.article.story_id,
            relation=Relation.REVISION,
            matched_id=earlier.article.id,
            score=None,
            signal=f"same canonical URL, new text: version {version}",
            day=day,
            version=version,
            version_of=earlier.first_id,
        )
        counts = _add_article(session, article, profile, seen, independent=False, counted=False)
        pairs = record_claims(session, article, seen=_now(), earlier_version=earlier.article.id)
        result = _result(session, article, counts, earlier.article, None, pairs)
        session.commit()
        return replace(result, version=version)

    def match(self, profile: Profile) -> tuple[int, PairScore] | None:
        """The stored article a profile relates to (its id and the verdict), without storing."""
        with Session(self.engine) as session:
            found = self.match_in(session, profile)
            return None if found is None else (found[0].id, found[1])

    def match_in(
        self,
        session: Session,
        profile: Profile,
        *,
        draft: ArticleDraft | None = None,
        undated: bool = False,
    ) -> tuple[queries.StoredArticle, PairScore] | None:
        """Match within an open session: exact text, then indexed candidates scored in full.

        The exact-text and MinHash-band lookups are not limited in time, so a copy finds its
        original whatever its date; the term lookup is limited to the story window around
        the article's time, except for an `undated` article (its time is only when it was
        seen), and a few more articles sharing the most terms are taken from outside it: a
        misdated partial copy (a date read from its text) whose bands miss its original.
        Candidates from outside the window can only be copies (see best_match)."""
        keys = minhash.band_keys(profile.signature) if profile.signature is not None else []
        day = dedup.bucket_days(profile.published or _now())
        assert day is not None
        window = int(self.config.window_days) + 1
        exact, found = queries.match_candidates(
            session=session,
            content_hash=profile.content_hash,
            keys=keys,
            terms=profile.index_terms(),
            rare=LOOKUP,
            min_day=0 if undated else day - window,
            max_day=day + window,
            limit=MAX_CANDIDATES,
            copies=MAX_COPY_CANDIDATES,
        )
        if exact is not None:
            return exact, _same_text(session, exact, draft)
        if not found:
            return None
        stored = {c.article.id: c.article for c in found}
        candidates = {
            c.article.id: Profile.from_bytes(
                c.profile,
                title=c.article.title,
                content_hash=c.content_hash,
                published=c.published,
            )
            for c in found
        }
        terms = np.concatenate([p.term_hashes for p in (profile, *candidates.values())])
        stats = self.frequencies.stats(session, terms)
        stories = None
        if profile.is_short:  # a headline is placed against whole stories
            story_ids = {c.article.story_id for c in found}
            rows = queries.stories_by_id(session=session, ids=story_ids)
            sizes = {row.id: row.article_count for row in rows}
            stories = {
                c.article.id: dedup.StoryRef(c.article.story_id, sizes[c.article.story_id])
                for c in found
            }
        best = dedup.best_match(
            profile, candidates, stories=stories, stats=stats, config=self.config
        )
        if best is None:
            return None
        return stored[best[0]], best[1]


def _article_row(
    draft: ArticleDraft, profile: Profile, external_id: str | None, **stored: Any
) -> Article:
    """The article row of a draft: what the page says, its profile, and how it was stored
    (`stored`: story, relation, match, evidence, day, version)."""
    return Article(
        url=draft.url,
        canonical_url=draft.canonical_url,
        title=draft.title,
        outlet=draft.outlet,
        author=draft.author,
        published=draft.published,
        text=draft.text,
        external_id=external_id,
        content_hash=profile.content_hash,
        profile=profile.to_bytes(),
        **stored,
    )


def _add_article(
    session: Session,
    article: Article,
    profile: Profile,
    seen: datetime,
    *,
    independent: bool,
    counted: bool = True,
) -> queries.StoryCounts:
    """Insert an article with its index rows (terms, bands, vocabulary); its story's counts."""
    signature = profile.signature
    return queries.add_article(
        session=session,
        article=article,
        index_terms=profile.index_terms(),
        band_keys=minhash.band_keys(signature) if signature is not None else [],
        vocabulary=profile.vocabulary,
        seen=seen,
        independent=independent,
        counted=counted,
    )


def _result(
    session: Session,
    article: Article,
    counts: queries.StoryCounts,
    matched: queries.StoredArticle | None,
    verdict: PairScore | None,
    pairs: list[StoredPair],
) -> IngestResult:
    labelled = [r for r in pairs if r.label != Label.AGREE]
    earlier = {
        a.id: a
        for a in queries.articles_by_id(session=session, ids={r.a_article_id for r in labelled})
    }
    assert article.id is not None
    versions = {article.canonical_url} if article.canonical_url else set()
    return IngestResult(
        relation=Relation(article.relation),
        article_id=article.id,
        story_id=article.story_id,
        title=article.title,
        url=article.url or article.canonical_url,
        matched_id=matched.id if matched else None,
        matched_title=matched.title if matched else None,
        matched_url=(matched.url or matched.canonical_url) if matched else None,
        matched_external_id=matched.external_id if matched else None,
        score=verdict.score if verdict else None,
        signal=article.signal or "",
        story_articles=counts.article_count,
        story_sources=counts.source_count,
        stored=True,
        claim_pairs=tuple(_with_source(r, earlier.get(r.a_article_id), versions) for r in labelled),
    )


def _with_source(stored: StoredPair, earlier: Article | None, versions: set[str]) -> StoredPair:
    """A stored pair naming where its earlier claim was published (an earlier version of the
    page at one of `versions`, its canonical URLs, is named as such)."""
    if earlier is None:
        return stored
    own = earlier.canonical_url in versions
    outlet = "earlier version" if own else earlier.outlet or earlier.title
    return replace(stored, a_outlet=outlet, a_url=earlier.url or earlier.canonical_url)


def _site(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _same_text(
    session: Session, stored: queries.StoredArticle, draft: ArticleDraft | None
) -> PairScore:
    """The verdict on a new article with the same text as a stored one: the same page
    re-posted (a duplicate) unless the two are known to come from different outlets, by
    their hosts or else their outlet names; then a copy, saying whose."""
    if draft is None:
        return dedup.same_text(True)
    rows = queries.articles_by_id(session=session, ids=[stored.id])
    if not rows:
        return dedup.same_text(True)
    earlier = rows[0]
    earlier_url = earlier.canonical_url or earlier.url
    same = dedup.same_outlet(
        draft.canonical_url or draft.url, draft.outlet, earlier_url, earlier.outlet
    )
    verdict = dedup.same_text(same)
    if same:
        return verdict
    whose = earlier.outlet or _site(earlier_url) or "an earlier article"
    return replace(verdict, signal=f"copy of {whose}: the same text")


def _stored_article(article: Article) -> queries.StoredArticle:
    assert article.id is not None
    return queries.StoredArticle(
        id=article.id,
        story_id=article.story_id,
        title=article.title,
        url=article.url,
        canonical_url=article.canonical_url,
        external_id=article.external_id,
    )


def _already_stored(
    session: Session,
    existing: queries.StoredArticle,
    signal: str = "same canonical URL: already stored",
) -> IngestResult:
    story = queries.story_by_id(session=session, story_id=existing.story_id)
    return IngestResult(
        relation=Relation.DUPLICATE,
        article_id=existing.id,
        story_id=existing.story_id,
        title=existing.title,
        url=existing.url or existing.canonical_url,
        matched_id=existing.id,
        matched_title=existing.title,
        matched_url=existing.url or existing.canonical_url,
        matched_external_id=existing.external_id,
        score=1.0,
        signal=signal,
        story_articles=story.article_count,
        story_sources=story.source_count,
        stored=False,
    )
