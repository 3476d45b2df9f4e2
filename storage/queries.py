"""Query functions. Keyword-only arguments; none of them commits (the service does, once)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    LargeBinary,
    Row,
    String,
    Table,
    bindparam,
    column,
    func,
    insert,
    text,
)
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from storage.ids import id_in, ids_member, ids_rows, ids_value
from storage.models import (
    Article,
    ClaimPairRow,
    ClaimRow,
    ShingleBand,
    ShingleSet,
    Story,
    TermStat,
    UTCDateTime,
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
    row = _run(session, "same_url", url=canonical_url).first()
    return None if row is None else StoredArticle(*row)


def article_by_external_id(
    *, session: Session, external_id: str
) -> tuple[StoredArticle, str] | None:
    """The first article stored under a caller's id, and its content hash (None if none is).
    external_id is indexed but not unique: see IngestService.ingest."""
    row = _run(session, "same_external_id", external_id=external_id).first()
    return None if row is None else (StoredArticle(*row[:6]), row[6])


def stored_url_and_latest_story(
    *, session: Session, canonical_url: str | None
) -> tuple[StoredArticle | None, int | None]:
    """What ingest reads before matching, in one round trip: the article stored under this
    canonical URL (None if none is, or no URL is given) and the highest story id."""
    latest, *row = _run(session, "url_and_latest_story", url=canonical_url).one()
    return (None if row[0] is None else StoredArticle(*row)), latest


def document_frequencies(*, session: Session, terms: Iterable[int]) -> tuple[int, dict[int, int]]:
    """The number of counted articles and the document frequency of each given term."""
    wanted = {*terms, DOC_COUNT_TERM}
    rows = _run(session, "frequencies", terms=wanted)
    df: dict[int, int] = dict(rows.all())
    return df.pop(DOC_COUNT_TERM, 0), df


def count_document_frequencies(*, session: Session, terms: Iterable[int]) -> None:
    """Add one article's distinct terms to the document frequencies (and count the article),
    in one statement. Rows are upserted in key order, so concurrent writers lock them in the
    same order."""
    _run(session, "count_terms", terms=_counted_terms(terms))


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
) -> tuple[StoredArticle | None, list[Candidate]]:
    """What a new article is matched against, in one statement: the first stored article with
    its normalised text (None if there is none; then there are no candidates), else the
    candidates to score. Those are up to `limit` articles sharing the most of its index
    `terms` (given most distinctive first) within days `min_day`..`max_day` and up to `limit`
    sharing a MinHash band key with `keys`. Only the `rare` index terms are looked up."""
    found = _run(
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
        found = _run(session, "same_text", hash=content_hash)
    else:
        found = _run(session, "near_duplicates", hash=content_hash, keys=keys, limit=limit)
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
) -> StoryCounts:
    """Write an article and all its arrival changes; the caller commits. Gives the article its
    id and returns its story's counts.

    The writes: the article row, its postings and band keys, its terms' document frequencies
    (count_document_frequencies) and, unless it opened its story (a new story is opened with
    its first article counted), its story's counts (count_in_story; `independent`: the article
    adds a source). Core statements, the article row outside the session (the ORM's unit of
    work cost more than the writes), key lists as one parameter each; on PostgreSQL all of it
    is one statement.
    """
    values = _insert_values(Article, [article])[0]
    terms, keys = sorted(set(index_terms)), sorted(set(band_keys))
    joins = article.relation != "new_story"
    if session.get_bind().dialect.name == "postgresql":
        pg = "postgresql"
        params = values | {"index_terms": ids_value(pg, terms), "keys": ids_value(pg, keys)}
        params |= {"terms": ids_value(pg, _counted_terms(vocabulary)), "seen": seen}
        params["independent"] = int(independent)
        params["story"] = article.story_id if joins else None
        article_id, *counts = session.execute(_pg_add_article(), params).one()
        article.id = int(article_id)
        return StoryCounts(*counts) if joins else StoryCounts(1, 1)
    article.id = int(session.execute(_insert_returning_id(Article), values).scalar_one())
    if terms:
        _run(session, "add_postings", terms=terms, day=article.day, article=article.id)
    if keys:
        _run(session, "add_bands", keys=keys, article=article.id)
    count_document_frequencies(session=session, terms=vocabulary)
    if not joins:
        return StoryCounts(1, 1)
    return count_in_story(
        session=session, story_id=article.story_id, independent=independent, seen=seen
    )


@cache
def _pg_add_article() -> Any:
    """PostgreSQL: add_article's writes as one statement of data-modifying CTEs. The story row
    is locked first, then the term rows (in key order): the same order in every ingest. The
    foreign keys are checked at the end of the statement, when the article row is there."""
    table = _table(Article)
    names = _columns_without_id(Article)
    sql = (
        f"WITH a AS (INSERT INTO article ({', '.join(names)}) "
        f"VALUES ({', '.join(':' + n for n in names)}) RETURNING id), "
        f"s AS ({_INGEST_SQL['count_in_story']}), "
        "p AS (INSERT INTO termposting (term, day, article_id) "
        "SELECT t, :day, a.id FROM a, unnest(CAST(:index_terms AS bigint[])) AS t), "
        "b AS (INSERT INTO shingleset (article_id, keys) "
        "SELECT a.id, CAST(:keys AS bigint[]) FROM a "
        "WHERE cardinality(CAST(:keys AS bigint[])) > 0), "
        f"d AS ({_DIALECT_SQL['count_terms']['postgresql']}) "
        "SELECT a.id, s.article_count, s.source_count FROM a LEFT JOIN s ON true"
    )
    types = [bindparam(n, type_=table.c[n].type) for n in names]
    return text(sql).bindparams(*types, bindparam("seen", type_=UTCDateTime))


class StoryCounts(NamedTuple):
    """A story's counts, as an ingest that just added an article to it leaves them."""

    article_count: int
    source_count: int


def create_story(*, session: Session, title: str, seen: datetime) -> int:
    """Open a story with its first article already counted (it is independent); its id."""
    values = {"title": title, "first_seen": seen, "last_seen": seen}
    counted = {"article_count": 1, "source_count": 1}
    statement = _insert_returning_id(Story)
    return int(session.execute(statement, values | counted).scalar_one())


def count_in_story(
    *, session: Session, story_id: int, independent: bool, seen: datetime
) -> StoryCounts:
    """Add one article to a story's counts and widen its first and last seen times to `seen`:
    one UPDATE ... RETURNING, atomic under concurrent writers."""
    row = _run(
        session, "count_in_story", story=story_id, independent=int(independent), seen=seen
    ).one()
    return StoryCounts(*row)


def latest_story_id(*, session: Session) -> int | None:
    """The highest story id (stories are numbered in the order they are opened)."""
    found: int | None = _run(session, "latest_story").scalar()
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
        return list(_insert_arrays(session, ClaimRow, claims, ids=True).scalars())
    return list(session.execute(_insert_returning_id(ClaimRow), claims).scalars())


def _insert_arrays(
    session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]], *, ids: bool
) -> Any:
    """PostgreSQL: insert rows (all with the same columns) as one array per column; with
    `ids`, the result is their new ids in the order of the rows."""
    names = tuple(rows[0])
    params = {name: [row[name] for row in rows] for name in names}
    return session.connection().execute(_unnest_insert(model, names, ids), params)


@cache
def _unnest_insert(model: type[SQLModel], names: tuple[str, ...], ids: bool) -> Any:
    table = _table(model)
    pg = postgresql.dialect()
    arrays = ", ".join(
        f"CAST(:{name} AS {table.c[name].type.compile(dialect=pg)}[])" for name in names
    )
    columns = ", ".join(names)
    if not ids:
        return text(f"INSERT INTO {table.name} ({columns}) SELECT * FROM unnest({arrays})")
    # Each row draws its id from the table's sequence once (a materialised CTE), and the ids
    # are returned by row number: RETURNING itself promises no order.
    return text(
        f"WITH given AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence('{table.name}', "
        f"'id')) AS id, u.* FROM unnest({arrays}) WITH ORDINALITY AS u({columns}, n)), "
        f"ins AS (INSERT INTO {table.name} (id, {columns}) SELECT id, {columns} FROM given) "
        "SELECT id FROM given ORDER BY n"
    )


@cache
def _columns_without_id(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(c.name for c in _table(model).columns if c.name != "id")


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined]


@cache
def _insert_returning_id(model: type[SQLModel]) -> Any:
    """A Core INSERT of whole rows that returns their ids in parameter order. On the table,
    not the ORM entity: an ORM bulk insert splits the rows by which columns are NULL."""
    table = _table(model)
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def _insert_values(model: type[SQLModel], rows: Sequence[SQLModel]) -> list[dict[str, Any]]:
    """The column values of unsaved rows, for one multi-row INSERT (the id left to the db)."""
    names = _columns_without_id(model)
    return [{name: getattr(row, name) for name in names} for row in rows]


def add_claim_pairs(*, session: Session, pairs: Sequence[Mapping[str, Any]]) -> None:
    """Insert claim pairs (their column values) in one multi-row INSERT; the caller commits."""
    if not pairs:
        return
    if session.get_bind().dialect.name == "postgresql":
        _insert_arrays(session, ClaimPairRow, pairs, ids=False)
    else:
        session.execute(insert(_table(ClaimPairRow)), pairs)


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
        _recent_claims(), {"story": story_id, "article": exclude_article, "limit": limit}
    )
    return list(reversed(found.all()))


@cache
def _recent_claims() -> Any:
    table = _table(ClaimRow)
    return (
        select_columns(table)
        .where(table.c.story_id == bindparam("story"), table.c.article_id != bindparam("article"))
        .order_by(table.c.id.desc())
        .limit(bindparam("limit"))
    )


def story_claim_pairs(*, session: Session, story_id: int) -> list[ClaimPairRow]:
    statement = select(ClaimPairRow).where(ClaimPairRow.story_id == story_id)
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
    """Claim pairs with one of `labels`, newest first, first seen after `since`."""
    statement = select(ClaimPairRow).where(col(ClaimPairRow.label).in_(labels))
    if since is not None:
        statement = statement.where(ClaimPairRow.first_seen > since)
    return list(session.exec(statement.order_by(col(ClaimPairRow.id).desc()).limit(limit)).all())


def table_counts(*, session: Session) -> dict[str, int]:
    """Row counts of the main tables (for status)."""
    counts = {}
    for name, model in (("stories", Story), ("articles", Article), ("claims", ClaimRow)):
        counts[name] = int(session.exec(select(func.count()).select_from(model)).one())
    conflicts = (
        select(func.count()).select_from(ClaimPairRow).where(ClaimPairRow.label == "conflict")
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


# The ingest path's statements (matching, then the article's writes), written once per backend.
# Building SQLAlchemy Core statements costs a few tenths of a millisecond per call, as much as
# running them; a text() statement is compiled once and cached. Id lists go as one parameter:
# a bigint[] on PostgreSQL, a JSON array unpacked by json_each on SQLite (storage.ids).
_STORED = "id, story_id, title, url, canonical_url, external_id"  # as StoredArticle
_LATEST_STORY_SQL = "SELECT max(id) FROM story"
_INGEST_SQL = {
    "frequencies": "SELECT term, df FROM termstat WHERE term {ids:terms}",
    "latest_story": _LATEST_STORY_SQL,
    "url_and_latest_story": f"SELECT ({_LATEST_STORY_SQL}), "
    + ", ".join(f"a.{name}" for name in _STORED.split(", "))
    + " FROM (SELECT 1) AS one LEFT JOIN article AS a ON a.canonical_url = :url",
    "same_url": f"SELECT {_STORED} FROM article WHERE canonical_url = :url",
    "same_external_id": f"SELECT {_STORED}, content_hash FROM article "
    "WHERE external_id = :external_id ORDER BY id LIMIT 1",
    "same_text": "SELECT 0, * FROM ({exact}) AS same",
    # SQLite's index rows (PostgreSQL writes them with the article: _pg_add_article).
    "add_postings": "INSERT INTO termposting (term, day, article_id) "
    "SELECT value, :day, :article FROM {rows:terms}",
    "add_bands": "INSERT INTO shingleband (key, article_id) "
    "SELECT value, :article FROM {rows:keys}",
    "count_in_story": "UPDATE story SET article_count = article_count + 1, "
    "source_count = source_count + :independent, "
    "first_seen = CASE WHEN :seen < first_seen THEN :seen ELSE first_seen END, "
    "last_seen = CASE WHEN :seen > last_seen THEN :seen ELSE last_seen END "
    "WHERE id = :story RETURNING article_count, source_count",
}
# The first stored article with the same normalised text (as StoredArticle).
_EXACT_SQL = f"SELECT {_STORED} FROM article WHERE content_hash = :hash ORDER BY id LIMIT 1"
# The articles sharing a MinHash band key with :keys.
_BANDED_SQL = {
    # The planner must take the GIN index. Seeing 16 constant keys, it guesses that each is in
    # 0.5% of the rows, so that ~8% overlap, and scans the table (12-16 ms at 10k articles,
    # against 0.3 ms); with the keys behind a sub-select it assumes 1% and takes the index.
    # No LIMIT either, for the same reason (the few matches are cut to the limit after).
    "postgresql": "SELECT article_id FROM shingleset "
    "WHERE keys && (SELECT CAST(:keys AS bigint[]))",
    "sqlite": "SELECT DISTINCT article_id FROM shingleband WHERE key {ids:keys}",
}
_NO_STORED = "NULL, NULL, NULL, NULL, NULL"  # the other columns of _STORED, in a band row
# A statement written differently per backend.
_DIALECT_SQL = {
    # Upserted in the order given (WITH ORDINALITY: unnest alone promises no order). SQLite's
    # parser needs the WHERE to tell the upsert's ON from a join's.
    "count_terms": {
        "postgresql": "INSERT INTO termstat (term, df) SELECT t, 1 "
        "FROM unnest(CAST(:terms AS bigint[])) WITH ORDINALITY AS u(t, n) ORDER BY n "
        "ON CONFLICT (term) DO UPDATE SET df = termstat.df + 1",
        "sqlite": "INSERT INTO termstat (term, df) SELECT value, 1 FROM {rows:terms} "
        "WHERE true ORDER BY key ON CONFLICT (term) DO UPDATE SET df = termstat.df + 1",
    },
}


def _candidates_sql(dialect: str) -> str:
    """match_candidates' statement. The exact-text row (kind 0) or candidate rows (kind 1). The
    lookup terms are chosen in the statement from their document frequencies, in the order
    the terms are given among equals. The band lookup is materialised on its own, so that its
    planner sees no LIMIT (it would scan the table rather than the GIN index; _BANDED_SQL)."""
    if dialect == "postgresql":
        given = "unnest(CAST(:terms AS bigint[])) WITH ORDINALITY AS u(term, n)"
        larger, among = "greatest", "= ANY(ARRAY({}))"
        banded = "banded AS MATERIALIZED"
    else:
        given = "(SELECT value AS term, key AS n FROM json_each(:terms)) AS u"
        larger, among = "max", "IN ({})"
        banded = "banded AS"
    return (
        f"WITH exact AS ({_EXACT_SQL}), "
        f"given AS (SELECT u.term, u.n, COALESCE(s.df, 0) AS df FROM {given} "
        "LEFT JOIN termstat AS s ON s.term = u.term), "
        "look AS (SELECT term FROM (SELECT term, df, row_number() OVER (ORDER BY df, n) AS r "
        f"FROM given) AS g WHERE r <= :min_terms OR df <= {larger}(:min_df, :share * "
        "(SELECT COALESCE(max(df), 0) FROM termstat WHERE term = 0))), "
        "by_terms AS (SELECT article_id FROM termposting WHERE term "
        + among.format("SELECT term FROM look")
        + " "
        "AND day >= :lo AND day <= :hi AND NOT EXISTS (SELECT 1 FROM exact) "
        "GROUP BY article_id ORDER BY count(*) DESC, article_id DESC LIMIT :limit), "
        f"{banded} ({_BANDED_SQL[dialect]}), "
        "by_bands AS (SELECT article_id FROM banded WHERE NOT EXISTS (SELECT 1 FROM exact) "
        "LIMIT :limit) "
        f"SELECT 0, {_STORED}, NULL, NULL, NULL FROM exact UNION ALL "
        # A stored article's time for matching: its publication time, else when it was seen.
        f"SELECT 1, {_STORED}, content_hash, COALESCE(published, fetched), profile "
        "FROM article WHERE id "
        + among.format("SELECT article_id FROM by_terms UNION SELECT article_id FROM by_bands")
    )


_LIST_PARAMS = {"terms", "ids", "keys"}


@cache
def _statement(dialect: str, name: str) -> Any:
    if name == "near_duplicates":
        bands = f"SELECT 1, article_id, {_NO_STORED} FROM ({_BANDED_SQL[dialect]}) AS banded"
        if dialect == "sqlite":  # its planner takes the key index all the same
            bands = f"SELECT * FROM ({bands} LIMIT :limit) AS bands"
        sql = f"{_INGEST_SQL['same_text']} UNION ALL {bands}"
    elif name == "candidates":
        sql = _candidates_sql(dialect)
    elif name in _DIALECT_SQL:
        sql = _DIALECT_SQL[name][dialect]
    else:
        sql = _INGEST_SQL[name]
    sql = sql.replace("{exact}", _EXACT_SQL)
    for param in _LIST_PARAMS:
        sql = sql.replace(f"{{ids:{param}}}", ids_member(dialect, param))
        sql = sql.replace(f"{{rows:{param}}}", ids_rows(dialect, param))
    statement: Any = text(sql)
    if name == "count_in_story":
        statement = statement.bindparams(bindparam("seen", type_=UTCDateTime))
    if name == "candidates":
        statement = statement.columns(
            column("kind", Integer),
            column("id", Integer),
            column("story_id", Integer),
            column("title", String),
            column("url", String),
            column("canonical_url", String),
            column("external_id", String),
            column("content_hash", String),
            column("published", UTCDateTime),
            column("profile", LargeBinary),
        )
    return statement


def _run(session: Session, name: str, **params: Any) -> Any:
    """Run one of the ingest path's statements; id lists are given as iterables of ints."""
    dialect = session.get_bind().dialect.name
    for key in _LIST_PARAMS & params.keys():
        params[key] = ids_value(dialect, params[key])
    return session.connection().execute(_statement(dialect, name), params)
