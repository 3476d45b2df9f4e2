"""Query functions. Keyword-only arguments; none of them commits (the service does, once)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, case, func, insert, or_, text, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage import statements
from storage.ids import id_in, ids_value
from storage.models import (
    Article,
    ClaimPairRow,
    ClaimRow,
    ShingleBand,
    ShingleSet,
    Story,
    TermStat,
)

# Term 0 of TermStat counts the articles that contributed document frequencies.
DOC_COUNT_TERM = 0


class StoredArticle(NamedTuple):
    """What a verdict names of the stored article it matched."""

    id: int
    story_id: int
    title: str
    url: str | None
    canonical_url: str | None
    external_id: str | None


def article_by_canonical_url(*, session: Session, canonical_url: str) -> StoredArticle | None:
    row = statements.run(session, "same_url", url=canonical_url).first()
    return None if row is None else StoredArticle(*row)


def article_by_external_id(
    *, session: Session, external_id: str
) -> tuple[StoredArticle, str] | None:
    """The first article stored under a caller's id, and its content hash (None if none is).
    external_id is unique where given (migration 0009): see IngestService.ingest."""
    row = statements.run(session, "same_external_id", external_id=external_id).first()
    return None if row is None else (StoredArticle(*row[:6]), row[6])


class StoredVersion(NamedTuple):
    """The current version of the page at a canonical URL, and what tells a revision."""

    article: StoredArticle
    content_hash: str
    version: int
    version_of: int | None  # its first version (None when it is the first)

    @property
    def first_id(self) -> int:
        return self.version_of if self.version_of is not None else self.article.id


def stored_url_and_latest_story(
    *, session: Session, canonical_url: str | None
) -> tuple[StoredVersion | None, int | None]:
    """What ingest reads before matching, in one round trip: the current (highest) version
    stored under this canonical URL (None if none is, or no URL is given) and the highest
    story id."""
    latest, *row = statements.run(session, "url_and_latest_story", url=canonical_url).one()
    if row[0] is None:
        return None, latest
    return StoredVersion(StoredArticle(*row[:6]), *row[6:]), latest


def article_text(*, session: Session, article_id: int) -> tuple[str, str]:
    """A stored article's title and text."""
    statement = select_columns(col(Article.title), col(Article.text))
    row = session.connection().execute(statement.where(col(Article.id) == article_id)).one()
    return row[0], row[1]


def document_frequencies(*, session: Session, terms: Iterable[int]) -> tuple[int, dict[int, int]]:
    """The number of counted articles and the document frequency of each given term."""
    wanted = {*terms, DOC_COUNT_TERM}
    rows = statements.run(session, "frequencies", terms=wanted)
    df: dict[int, int] = dict(rows.all())
    return df.pop(DOC_COUNT_TERM, 0), df


def count_document_frequencies(*, session: Session, terms: Iterable[int]) -> None:
    """Add one article's distinct terms to the document frequencies (and count the article),
    in one statement. Rows are upserted in key order, so concurrent writers lock them in the
    same order."""
    statements.run(session, "count_terms", terms=_counted_terms(terms))


def _counted_terms(terms: Iterable[int]) -> list[int]:
    """The term rows an article's document frequencies add one to, in key order."""
    return sorted({*terms, DOC_COUNT_TERM})


class Candidate(NamedTuple):
    """A stored article to score a new one against, without its text."""

    article: StoredArticle
    content_hash: str
    published: datetime | None  # the publication time, else the time it was first seen
    profile: bytes


def match_candidates(
    *,
    session: Session,
    content_hash: str,
    keys: Sequence[int],
    terms: Sequence[int],
    rare: LookupRule,
    min_day: int,
    max_day: int,
    limit: int,
    copies: int = 0,
) -> tuple[StoredArticle | None, list[Candidate]]:
    """What a new article is matched against, in one statement: the first stored article with
    its normalised text (None if there is none; then there are no candidates), else the
    candidates to score. Those are up to `limit` articles sharing the most of its index
    `terms` (given most distinctive first) within days `min_day`..`max_day` and up to `limit`
    sharing a MinHash band key with `keys`, and up to `copies` articles outside those days
    sharing the most of its terms (possible copies, whatever their dates). Only the `rare`
    index terms are looked up."""
    found = statements.run(
        session,
        "candidates",
        hash=content_hash,
        keys=keys,
        terms=terms,
        share=rare.share,
        min_df=rare.min_df,
        min_terms=rare.min_terms,
        lo=min_day,
        hi=max_day,
        limit=limit,
        copies=copies,
    )
    exact: StoredArticle | None = None
    candidates: list[Candidate] = []
    for kind, *row in found:
        if kind == 0:
            exact = StoredArticle(*row[:6])
        else:
            candidates.append(Candidate(StoredArticle(*row[:6]), *row[6:]))
    return exact, candidates


class LookupRule(NamedTuple):
    """Which index terms are looked up: those carried by at most `share` of the stored articles
    (or `min_df` of them, whichever is more), and never fewer than the `min_terms` rarest.
    Common terms' posting lists are long and say little."""

    share: float
    min_df: int
    min_terms: int


def near_duplicates(
    *, session: Session, content_hash: str, keys: Sequence[int], limit: int
) -> tuple[StoredArticle | None, list[int]]:
    """The first stored article with this normalised text (None if there is none), and up to
    `limit` articles sharing a MinHash band key with `keys`: the near-duplicate lookup on its
    own, in one statement (match_candidates runs it within its own, with the term lookup)."""
    if not keys:
        found = statements.run(session, "same_text", hash=content_hash)
    else:
        found = statements.run(
            session, "near_duplicates", hash=content_hash, keys=keys, limit=limit
        )
    exact: StoredArticle | None = None
    similar: list[int] = []
    for kind, *row in found:
        if kind == 0:
            exact = StoredArticle(*row)
        elif len(similar) < limit:
            similar.append(row[0])
    return exact, similar


def band_keys_of(*, session: Session, article_id: int) -> list[int]:
    """The stored band keys of an article, sorted."""
    connection = session.connection()
    if session.get_bind().dialect.name == "postgresql":
        sets = select_columns(col(ShingleSet.keys)).where(col(ShingleSet.article_id) == article_id)
        return sorted(connection.execute(sets).scalar() or [])
    rows = select_columns(col(ShingleBand.key)).where(col(ShingleBand.article_id) == article_id)
    return sorted(connection.execute(rows).scalars())


def articles_by_id(*, session: Session, ids: Iterable[int]) -> list[Article]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.exec(select(Article).where(id_in(session, Article.id, wanted))).all())


def add_article(
    *,
    session: Session,
    article: Article,
    index_terms: Sequence[int],
    band_keys: Sequence[int],
    vocabulary: Iterable[int],
    seen: datetime,
    independent: bool,
    counted: bool = True,
) -> StoryCounts:
    """Write an article and all its arrival changes; the caller commits. Gives the article its
    id and returns its story's counts.

    The writes: the article row, its postings and band keys, its terms' document frequencies
    (count_document_frequencies) and, unless it opened its story (a new story is opened with
    its first article counted), its story's counts (count_in_story; `independent`: the article
    adds a source). An article not `counted` (a later version of a stored page) adds neither
    an article to its story nor a document to the frequencies. Core statements, the article
    row outside the session (the ORM's unit of work cost more than the writes), key lists as
    one parameter each; on PostgreSQL all of it is one statement.
    """
    values = statements.insert_values(Article, [article])[0]
    terms, keys = sorted(set(index_terms)), sorted(set(band_keys))
    joins = article.relation != "new_story"
    if session.get_bind().dialect.name == "postgresql":
        pg = "postgresql"
        params = values | {"index_terms": ids_value(pg, terms), "keys": ids_value(pg, keys)}
        counted_terms = _counted_terms(vocabulary) if counted else []
        params |= {"terms": ids_value(pg, counted_terms), "seen": seen}
        params |= {"independent": int(independent), "added": int(counted)}
        params["story"] = article.story_id if joins else None
        article_id, *counts = session.execute(statements.pg_add_article(), params).one()
        article.id = int(article_id)
        return StoryCounts(*counts) if joins else StoryCounts(1, 1)
    article.id = int(session.execute(statements.insert_returning_id(Article), values).scalar_one())
    if terms:
        statements.run(session, "add_postings", terms=terms, day=article.day, article=article.id)
    if keys:
        statements.run(session, "add_bands", keys=keys, article=article.id)
    if counted:
        count_document_frequencies(session=session, terms=vocabulary)
    if not joins:
        return StoryCounts(1, 1)
    return count_in_story(
        session=session,
        story_id=article.story_id,
        independent=independent,
        seen=seen,
        counted=counted,
    )


class StoryCounts(NamedTuple):
    """A story's counts, as an ingest that just added an article to it leaves them."""

    article_count: int
    source_count: int


def create_story(*, session: Session, title: str, seen: datetime) -> int:
    """Open a story with its first article already counted (it is independent); its id."""
    values = {"title": title, "first_seen": seen, "last_seen": seen}
    counted = {"article_count": 1, "source_count": 1}
    statement = statements.insert_returning_id(Story)
    return int(session.execute(statement, values | counted).scalar_one())


def count_in_story(
    *, session: Session, story_id: int, independent: bool, seen: datetime, counted: bool = True
) -> StoryCounts:
    """Add one article to a story's counts (none when not `counted`: a later version) and
    widen its first and last seen times to `seen`: one UPDATE ... RETURNING, atomic under
    concurrent writers."""
    row = statements.run(
        session,
        "count_in_story",
        story=story_id,
        independent=int(independent),
        added=int(counted),
        seen=seen,
    ).one()
    return StoryCounts(*row)


def latest_story_id(*, session: Session) -> int | None:
    """The highest story id (stories are numbered in the order they are opened)."""
    found: int | None = statements.run(session, "latest_story").scalar()
    return found


def list_stories(*, session: Session, limit: int = 50) -> list[Story]:
    statement = select(Story).order_by(col(Story.last_seen).desc(), col(Story.id).desc())
    return list(session.exec(statement.limit(limit)).all())


def story_articles(*, session: Session, story_id: int) -> list[Article]:
    statement = select(Article).where(Article.story_id == story_id).order_by(col(Article.id))
    return list(session.exec(statement).all())


def story_by_id(*, session: Session, story_id: int) -> Story:
    story = session.get(Story, story_id)
    if story is None:
        raise LookupError(f"no story {story_id}")
    return story


def stories_by_id(*, session: Session, ids: Iterable[int]) -> list[Any]:
    """Stories by id as rows of (id, title, first_seen, last_seen, article_count,
    source_count), in no order: what a digest shows and headline matching weighs."""
    wanted = list(set(ids))
    if not wanted:
        return []
    statement = select_columns(
        col(Story.id),
        col(Story.title),
        col(Story.first_seen),
        col(Story.last_seen),
        col(Story.article_count),
        col(Story.source_count),
    ).where(id_in(session, Story.id, wanted))
    return list(session.connection().execute(statement).all())


def all_document_frequencies(*, session: Session) -> dict[int, int]:
    """Every term's document frequency (for read-only comparisons on a whole corpus)."""
    rows = session.exec(select(TermStat.term, TermStat.df).where(TermStat.term != DOC_COUNT_TERM))
    return dict(rows.all())


def add_claims(*, session: Session, claims: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert claims (their column values) and return their ids in order; the caller commits.

    PostgreSQL: one statement of column arrays, the same text for any number of rows, so it is
    prepared once (a multi-row INSERT ... RETURNING is a new statement to parse and plan for
    each row count). SQLite: one multi-row INSERT ... RETURNING.
    """
    if not claims:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(statements.insert_arrays(session, ClaimRow, claims, ids=True).scalars())
    return list(session.execute(statements.insert_returning_id(ClaimRow), claims).scalars())


def add_claim_pairs(*, session: Session, pairs: Sequence[Mapping[str, Any]]) -> None:
    """Insert claim pairs (their column values) in one multi-row INSERT; the caller commits."""
    if not pairs:
        return
    if session.get_bind().dialect.name == "postgresql":
        statements.insert_arrays(session, ClaimPairRow, pairs, ids=False)
    else:
        session.execute(insert(statements.table_of(ClaimPairRow)), pairs)


def article_claims(*, session: Session, article_id: int) -> list[Row[Any]]:
    """An article's claims in order, as plain rows of the claim table."""
    table = statements.table_of(ClaimRow)
    statement = select_columns(table).where(table.c.article_id == article_id)
    return list(session.connection().execute(statement.order_by(table.c.id)).all())


def supersede_claims(*, session: Session, story_id: int, article_id: int) -> None:
    """Mark an article's claims superseded (a later version of it now makes the claims)."""
    statement = (
        update(ClaimRow)
        .where(col(ClaimRow.story_id) == story_id, col(ClaimRow.article_id) == article_id)
        .values(superseded=True)
    )
    session.connection().execute(statement)


def carry_claim_pairs(*, session: Session, story_id: int, moved: Mapping[int, int]) -> None:
    """Point a story's pairs with the claims `moved` (old id -> new id) at their new claims:
    a later version's unchanged figure takes over its earlier version's pairs as they were
    (labels and times), so nothing is announced again."""
    if not moved:
        return
    for name in ("claim_a", "claim_b"):
        side = col(getattr(ClaimPairRow, name))
        statement = (
            update(ClaimPairRow)
            .where(col(ClaimPairRow.story_id) == story_id, side.in_(list(moved)))
            .values({name: case(dict(moved), value=side)})
        )
        session.connection().execute(statement)


def supersede_claim_pairs(*, session: Session, story_id: int, claim_ids: Sequence[int]) -> None:
    """Mark superseded the story's pairs with any of these claims (figures a later version
    of their article changed or dropped): they no longer count as conflicts or updates."""
    if not claim_ids:
        return
    statement = (
        update(ClaimPairRow)
        .where(
            col(ClaimPairRow.story_id) == story_id,
            ~col(ClaimPairRow.superseded),
            or_(col(ClaimPairRow.claim_a).in_(claim_ids), col(ClaimPairRow.claim_b).in_(claim_ids)),
        )
        .values(superseded=True)
    )
    session.connection().execute(statement)


def story_claims(*, session: Session, story_id: int) -> list[ClaimRow]:
    """The claims of a story's independent articles, oldest first."""
    statement = select(ClaimRow).where(ClaimRow.story_id == story_id)
    return list(session.exec(statement.order_by(col(ClaimRow.id))).all())


def recent_story_claims(
    *, session: Session, story_id: int, exclude_article: int, limit: int
) -> list[Row[Any]]:
    """The newest `limit` claims of a story but those of one article, oldest first, as plain
    rows of the claim table (what matching a new article's claims reads; no ORM objects)."""
    found = session.connection().execute(
        statements.recent_claims(), {"story": story_id, "article": exclude_article, "limit": limit}
    )
    return list(reversed(found.all()))


def story_claim_pairs(*, session: Session, story_id: int) -> list[ClaimPairRow]:
    """A story's claim pairs, but those a revision superseded."""
    statement = select(ClaimPairRow).where(
        ClaimPairRow.story_id == story_id, ~col(ClaimPairRow.superseded)
    )
    return list(session.exec(statement.order_by(col(ClaimPairRow.id))).all())


def story_by_article_url(*, session: Session, canonical_url: str) -> Story | None:
    statement = (
        select(Story)
        .join(Article, col(Article.story_id) == col(Story.id))
        .where(Article.canonical_url == canonical_url)
    )
    return session.exec(statement).first()


def search_articles(*, session: Session, words: Sequence[str], limit: int) -> list[Article]:
    """The newest articles whose title contains every word (case-insensitive)."""
    statement = select(Article)
    for word in words:
        escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(func.lower(Article.title).like(f"%{escaped}%", escape="\\"))
    return list(session.exec(statement.order_by(col(Article.id).desc()).limit(limit)).all())


def labelled_pairs(
    *, session: Session, labels: Sequence[str], since: datetime | None, limit: int
) -> list[ClaimPairRow]:
    """Claim pairs with one of `labels`, newest first, first seen after `since` (those a
    revision superseded left out)."""
    statement = select(ClaimPairRow).where(
        col(ClaimPairRow.label).in_(labels), ~col(ClaimPairRow.superseded)
    )
    if since is not None:
        statement = statement.where(ClaimPairRow.first_seen > since)
    return list(session.exec(statement.order_by(col(ClaimPairRow.id).desc()).limit(limit)).all())


def table_counts(*, session: Session) -> dict[str, int]:
    """Row counts of the main tables (for status)."""
    counts = {}
    for name, model in (("stories", Story), ("articles", Article), ("claims", ClaimRow)):
        counts[name] = int(session.exec(select(func.count()).select_from(model)).one())
    conflicts = (
        select(func.count())
        .select_from(ClaimPairRow)
        .where(ClaimPairRow.label == "conflict", ~col(ClaimPairRow.superseded))
    )
    counts["conflicts"] = int(session.exec(conflicts).one())
    return counts


NEW_STORY_LOCK = 0x73746F72  # "stor": held while a transaction decides to open a new story


def lock_new_stories(*, session: Session) -> None:
    """Serialise opening new stories, across threads and processes, until commit.

    Two writers ingesting two articles of one new event at once would each find no story
    and open two. Holding this lock, the second matches again after the first commits and
    joins its story. PostgreSQL: a transaction-scoped advisory lock (later statements see
    the other's commit under READ COMMITTED). SQLite: the database write lock, taken by a
    no-op write (the matching reads before it ran outside any snapshot).
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NEW_STORY_LOCK})
    else:
        statement = sqlite.insert(TermStat).values(term=DOC_COUNT_TERM, df=0)
        session.execute(
            statement.on_conflict_do_update(index_elements=["term"], set_={"df": TermStat.df})
        )


def article_claim_pairs(
    *, session: Session, article_id: int
) -> list[tuple[ClaimPairRow, ClaimRow, ClaimRow]]:
    """The standing pairs an article's claims made with earlier ones, as (pair, the earlier
    claim, the article's claim), in the order they were stored."""
    earlier, own = aliased(ClaimRow), aliased(ClaimRow)
    statement = (
        select(ClaimPairRow, earlier, own)
        .join(earlier, col(earlier.id) == col(ClaimPairRow.claim_a))
        .join(own, col(own.id) == col(ClaimPairRow.claim_b))
        .where(col(own.article_id) == article_id, ~col(ClaimPairRow.superseded))
        .order_by(col(ClaimPairRow.id))
    )
    return [(pair, a, b) for pair, a, b in session.exec(statement).all()]
