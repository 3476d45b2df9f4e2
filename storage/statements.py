"""The SQL statements the hot paths run (matching, ingest's writes, claims), per dialect,
compiled once: text() templates with their id-list parameters, and the Core inserts of whole
rows. The query functions in storage.queries call them; nothing here commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    LargeBinary,
    String,
    Table,
    bindparam,
    column,
    insert,
    text,
)
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, SQLModel

from storage.ids import ids_member, ids_rows, ids_value
from storage.models import Article, ClaimRow, UTCDateTime

# The ingest path's statements (matching, then the article's writes), written once per backend.
# Building SQLAlchemy Core statements costs a few tenths of a millisecond per call, as much as
# running them; a text() statement is compiled once and cached. Id lists go as one parameter:
# a bigint[] on PostgreSQL, a JSON array unpacked by json_each on SQLite (storage.ids).
_STORED = "id, story_id, title, url, canonical_url, external_id"  # as StoredArticle
_VERSION = "content_hash, version, version_of"  # and these, as StoredVersion
_LATEST_STORY_SQL = "SELECT max(id) FROM story"
_INGEST_SQL = {
    "frequencies": "SELECT term, df FROM termstat WHERE term {ids:terms}",
    "latest_story": _LATEST_STORY_SQL,
    # The current version of the page at a canonical URL: its highest (by the unique key).
    "url_and_latest_story": f"SELECT ({_LATEST_STORY_SQL}), "
    + ", ".join(f"a.{name}" for name in (*_STORED.split(", "), *_VERSION.split(", ")))
    + " FROM (SELECT 1) AS one LEFT JOIN article AS a ON a.id = (SELECT id FROM article "
    "WHERE canonical_url = :url ORDER BY version DESC LIMIT 1)",
    "same_url": f"SELECT {_STORED} FROM article WHERE canonical_url = :url "
    "ORDER BY version DESC LIMIT 1",
    "same_external_id": f"SELECT {_STORED}, content_hash FROM article "
    "WHERE external_id = :external_id ORDER BY id LIMIT 1",
    "same_text": "SELECT 0, * FROM ({exact}) AS same",
    # SQLite's index rows (PostgreSQL writes them with the article: pg_add_article).
    "add_postings": "INSERT INTO termposting (term, day, article_id) "
    "SELECT value, :day, :article FROM {rows:terms}",
    "add_bands": "INSERT INTO shingleband (key, article_id) "
    "SELECT value, :article FROM {rows:keys}",
    "count_in_story": "UPDATE story SET article_count = article_count + :added, "
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


def candidates_sql(dialect: str) -> str:
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
        # Copies are found whatever their dates: the articles outside the days sharing the
        # most lookup terms too (a partial copy shares most of its rare terms with its
        # original, and its shingle bands often miss it: half the text is a Jaccard of 0.5).
        "by_copies AS (SELECT article_id FROM termposting WHERE term "
        + among.format("SELECT term FROM look")
        + " "
        "AND (day < :lo OR day > :hi) AND NOT EXISTS (SELECT 1 FROM exact) "
        "GROUP BY article_id ORDER BY count(*) DESC, article_id DESC LIMIT :copies), "
        f"{banded} ({_BANDED_SQL[dialect]}), "
        "by_bands AS (SELECT article_id FROM banded WHERE NOT EXISTS (SELECT 1 FROM exact) "
        "LIMIT :limit) "
        f"SELECT 0, {_STORED}, NULL, NULL, NULL FROM exact UNION ALL "
        # A stored article's time for matching: its publication time, else when it was seen.
        f"SELECT 1, {_STORED}, content_hash, COALESCE(published, fetched), profile "
        "FROM article WHERE id "
        + among.format(
            "SELECT article_id FROM by_terms UNION SELECT article_id FROM by_copies "
            "UNION SELECT article_id FROM by_bands"
        )
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
        sql = candidates_sql(dialect)
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


def run(session: Session, name: str, **params: Any) -> Any:
    """Run one of the ingest path's statements; id lists are given as iterables of ints."""
    dialect = session.get_bind().dialect.name
    for key in _LIST_PARAMS & params.keys():
        params[key] = ids_value(dialect, params[key])
    return session.connection().execute(_statement(dialect, name), params)


@cache
def pg_add_article() -> Any:
    """PostgreSQL: add_article's writes as one statement of data-modifying CTEs. The story row
    is locked first, then the term rows (in key order): the same order in every ingest. The
    foreign keys are checked at the end of the statement, when the article row is there."""
    table = table_of(Article)
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


@cache
def recent_claims() -> Any:
    """recent_story_claims' statement (a Core select, built once): claims of revised
    versions left out."""
    table = table_of(ClaimRow)
    return (
        select_columns(table)
        .where(
            table.c.story_id == bindparam("story"),
            table.c.article_id != bindparam("article"),
            ~table.c.superseded,
        )
        .order_by(table.c.id.desc())
        .limit(bindparam("limit"))
    )


def insert_arrays(
    session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]], *, ids: bool
) -> Any:
    """PostgreSQL: insert rows (all with the same columns) as one array per column; with
    `ids`, the result is their new ids in the order of the rows."""
    names = tuple(rows[0])
    params = {name: [row[name] for row in rows] for name in names}
    return session.connection().execute(_unnest_insert(model, names, ids), params)


@cache
def _unnest_insert(model: type[SQLModel], names: tuple[str, ...], ids: bool) -> Any:
    table = table_of(model)
    pg = postgresql.dialect()  # type: ignore[no-untyped-call]
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
    return tuple(c.name for c in table_of(model).columns if c.name != "id")


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a SQLModel table class."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


@cache
def insert_returning_id(model: type[SQLModel]) -> Any:
    """A Core INSERT of whole rows that returns their ids in parameter order. On the table,
    not the ORM entity: an ORM bulk insert splits the rows by which columns are NULL."""
    table = table_of(model)
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def insert_values(model: type[SQLModel], rows: Sequence[SQLModel]) -> list[dict[str, Any]]:
    """The column values of unsaved rows, for one multi-row INSERT (the id left to the db)."""
    names = _columns_without_id(model)
    return [{name: getattr(row, name) for name in names} for row in rows]
