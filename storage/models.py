"""SQLModel tables. The same definitions serve SQLite and PostgreSQL.

Index tables (postings, shingle bands, term statistics) hold hashes only, keyed for lookups
by key, so matching costs a few index probes whatever the number of stored articles.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any]:
        """The driver's value as an aware UTC datetime, in one plain function per value
        (TypeDecorator's ``process_result_value`` chain costs several calls, and
        ``datetime.replace`` alone some 2 µs: a digest reads a few hundred thousand
        timestamps). SQLite stores naive UTC text, parsed here with its zone appended;
        PostgreSQL sessions run in UTC (storage.db), so their values come back as they are."""
        if dialect.name == "sqlite":
            return _parse_sqlite_utc
        parse = self.impl_instance.result_processor(dialect, coltype)

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if parse is not None:
                value = parse(value)
            return value if value.tzinfo is UTC else _as_utc(value)

        return process


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_sqlite_utc(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:  # text that already carries a zone
        return _as_utc(datetime.fromisoformat(value))


def utcnow() -> datetime:
    return datetime.now(UTC)


class StoryBase(SQLModel):
    """What a story is: one event, covered by one or more articles."""

    title: str
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_seen: datetime = Field(sa_type=UTCDateTime)
    article_count: int = 0
    source_count: int = 0  # independent articles: copies and duplicates add none


class Story(StoryBase, table=True):
    """A stored story."""

    id: int | None = Field(default=None, primary_key=True)


class ArticleBase(SQLModel):
    """What an article is, as extracted from its page."""

    url: str | None = None
    canonical_url: str | None = None  # unique with the version (see Article)
    title: str
    outlet: str | None = None
    author: str | None = None
    published: datetime | None = Field(default=None, sa_type=UTCDateTime)
    text: str = Field(sa_type=Text)


class Article(ArticleBase, table=True):
    """A stored article, its story and how it relates to the article it matched.

    A page revised at its URL is stored again as its next version: one row per (canonical
    URL, version), the current one the highest version. `version_of` names the first
    version of a later one (None for a first version)."""

    # An id given by the caller names one article (each of its versions): unique where given,
    # so that two replicas storing the same record at once store it once (the second gets an
    # IntegrityError).
    __table_args__ = (
        UniqueConstraint("canonical_url", "version", name="uq_article_canonical_url_version"),
        Index(
            "uq_article_external_id",
            "external_id",
            "version",
            unique=True,
            sqlite_where=text("external_id IS NOT NULL"),
            postgresql_where=text("external_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = None  # an id given by the caller
    fetched: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    content_hash: str = Field(index=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    relation: str  # new_story | same_story | near_duplicate | revision
    matched_id: int | None = Field(default=None, foreign_key="article.id")
    score: float | None = None
    signal: str | None = None  # the evidence, in one line
    day: int = Field(index=True)  # days since the epoch of published (or fetched) time
    profile: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    version: int = 1
    version_of: int | None = Field(default=None, foreign_key="article.id")


class TermPosting(SQLModel, table=True):
    """Candidate index: an article's most distinctive terms, by day (the key covers lookups)."""

    __table_args__ = {"sqlite_with_rowid": False}

    term: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    day: int = Field(primary_key=True)
    article_id: int = Field(foreign_key="article.id", primary_key=True)


def only_on(dialect: str) -> dict[str, Any]:
    """Table info for a table that exists on one backend only (see ``on_backend``)."""
    return {"dialect": dialect}


def on_backend(dialect: str) -> Callable[..., bool]:
    """An alembic ``include_object`` hook: leave out the tables of other backends (and
    their indexes) when comparing a ``dialect`` database with the models."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        wanted = table.info.get("dialect") if table is not None else None
        return wanted is None or wanted == dialect

    return include


class ShingleBand(SQLModel, table=True):
    """Near-duplicate index on SQLite: one (band key, article) row per LSH band key of an
    article's MinHash signature, in a clustered WITHOUT ROWID table (~18 B a key)."""

    __table_args__ = {"sqlite_with_rowid": False, "info": only_on("sqlite")}

    key: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    article_id: int = Field(foreign_key="article.id", primary_key=True)


class ShingleSet(SQLModel, table=True):
    """Near-duplicate index on PostgreSQL: an article's band keys as one ``bigint[]`` under a
    GIN index (fastupdate off, so a lookup never scans a pending list). As sixteen rows per
    article, PostgreSQL's 24-byte tuple headers and a btree took ~1.35 KB an article; as one
    array, ~0.8 KB, looked up by ``keys && :keys``."""

    __tablename__ = "shingleset"
    __table_args__ = (
        Index(
            "ix_shingleset_keys",
            "keys",
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        ),
        {"info": only_on("postgresql")},
    )

    article_id: int = Field(foreign_key="article.id", primary_key=True)
    keys: list[int] = Field(sa_column=Column(ARRAY(BigInteger), nullable=False))


class TermStat(SQLModel, table=True):
    """Document frequency of a term in the stored articles; term 0 counts the articles."""

    __table_args__ = {"sqlite_with_rowid": False}

    term: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    df: int = 0


class ClaimRow(SQLModel, table=True):
    """A claim an independent article makes (copies add none)."""

    __tablename__ = "claim"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    kind: str
    surface: str
    sentence: str
    low: float | None = None
    high: float | None = None
    value: float | None = None
    unit: str = ""
    counted: str = ""
    counted_text: str = ""
    period: int | None = None
    scope: str = ""  # space-separated stems
    scope_text: str = ""
    context: str = ""  # space-separated stems
    attribution: str = ""
    position: int = 0
    figure_index: int = 0  # index of the figure within its sentence
    predicate: str = ""
    mentions: int = 0
    headline: bool = False
    partial: bool = False
    is_new: bool = True  # no earlier independent article of the story carries it
    first_seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    superseded: bool = False  # its article was revised: the later version's claims count


class ClaimPairRow(SQLModel, table=True):
    """Two claims of one story about the same quantity, labelled."""

    __tablename__ = "claim_pair"

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    claim_a: int = Field(foreign_key="claim.id")  # the earlier claim
    claim_b: int = Field(foreign_key="claim.id")  # the later one
    label: str = Field(index=True)
    score: float
    first_seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # A claim of the pair was revised away by a later version of its article: no longer shown.
    superseded: bool = False


class Job(SQLModel, table=True):
    """One unit of work that must happen even if the process doing it dies: a queue row with a
    lease. `kind` says what it is (`slack_event`: an acknowledged Slack event, keyed by its
    event id, which makes the row also the event's claim; `slack_post`: a reply whose post
    failed), `key` is unique within the kind.

    state: `pending` (to run; taken by whoever holds an unexpired lease), `done`, or `failed`
    (gave up after the retry schedule). A pending row runs when `next_run` has passed and
    nobody's lease (`claimed_by`, `lease_until`) is current."""

    __tablename__ = "job"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        Index("ix_job_due", "state", "next_run"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    key: str = Field(max_length=255)
    payload: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    state: str = Field(default="pending", max_length=16)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_run: datetime = Field(sa_type=UTCDateTime)
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    error: str | None = Field(default=None, max_length=500)


class SlackRequest(SQLModel, table=True):
    """A signed Slack request already handled, by the hash of its signature (which covers the
    timestamp and the body): a replay of the same request within the signature's lifetime
    has no effect. `expires` is when the signature stops verifying; older rows are purged."""

    __tablename__ = "slack_request"

    signature_hash: str = Field(primary_key=True, max_length=64)
    expires: datetime = Field(sa_type=UTCDateTime, index=True)


class SlackPost(SQLModel, table=True):
    """A Slack message about an article (or one of its claims).

    kind: `link` (someone posted the article's link), `reply` (the bot's verdict in the thread)
    or `thread` (a reply in such a thread). Reactions on any of them flag what they are about.
    """

    __tablename__ = "slack_post"
    __table_args__ = (Index("ix_slack_post_message", "channel", "ts"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    ts: str
    thread_ts: str | None = None
    kind: str
    story_id: int = Field(foreign_key="story.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id")
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Flag(SQLModel, table=True):
    """Someone's flag reaction on a message; it flags what the message is about (slack_post)."""

    __table_args__ = (UniqueConstraint("channel", "ts", "user", "reaction"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    ts: str
    user: str
    reaction: str
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class FlagNotice(SQLModel, table=True):
    """The bot's one confirmation of flags on a message (so repeated reactions stay quiet)."""

    __tablename__ = "flag_notice"

    channel: str = Field(primary_key=True)
    ts: str = Field(primary_key=True)
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Subscription(SQLModel, table=True):
    """A channel's daily digest: local time of day and IANA timezone."""

    channel: str = Field(primary_key=True)
    at: str  # HH:MM
    timezone: str
    nothing_new: bool = False  # post a "nothing new" line on quiet days
    created_by: str | None = None
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DigestRun(SQLModel, table=True):
    """One channel's digest for one period, claimed before posting (unique per channel and day)."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("channel", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    period: str  # the local date the digest is for, YYYY-MM-DD
    since: datetime = Field(sa_type=UTCDateTime)
    until: datetime = Field(sa_type=UTCDateTime)
    status: str  # claimed | posted | empty | failed
    claimed_at: datetime = Field(sa_type=UTCDateTime)
    attempts: int = 0
    posted_ts: str | None = None
    error: str | None = None


class DigestItem(SQLModel, table=True):
    """What a posted digest included: stories, articles, claims, pairs and flags."""

    __tablename__ = "digest_item"
    __table_args__ = {"sqlite_with_rowid": False}

    run_id: int = Field(foreign_key="digest_run.id", primary_key=True)
    kind: str = Field(primary_key=True)
    item_id: int = Field(primary_key=True)


class Feed(SQLModel, table=True):
    """A watched feed (RSS, Atom) or news sitemap, and its poll state, so a restart resumes.

    `etag` and `last_modified` are the validators of its last answer (sent back for a 304);
    `failures` counts failed polls in a row, and `error_reported` is set once the channel has
    been told that it keeps failing (cleared by the next good poll). Which replica polls it
    when is the `job` row of kind `feed` keyed by its id (bot/services/feeds.py)."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=2048)  # the feed or sitemap itself
    site_url: str | None = Field(default=None, max_length=2048)  # as given, when it was a page
    kind: str = Field(max_length=16)  # rss | atom | sitemap
    channel: str | None = Field(default=None, max_length=32)  # whose digest it feeds
    title: str | None = None
    etag: str | None = Field(default=None, max_length=512)
    last_modified: str | None = Field(default=None, max_length=64)
    interval_s: int = 900
    next_poll: datetime = Field(sa_type=UTCDateTime)
    last_polled: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failures: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    error_reported: bool = False
    created_by: str | None = Field(default=None, max_length=32)
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FeedItem(SQLModel, table=True):
    """An item a feed listed, by its GUID (else its link): seen once, ingested once.

    `article_id` is the article its page became (None while its page could not be read:
    `attempts` and `error` say how often and why); `updated` is the entry's own updated
    date as the feed gave it, so an item the outlet revised can be fetched again."""

    __tablename__ = "feed_item"
    __table_args__ = (UniqueConstraint("feed_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", ondelete="CASCADE")
    key: str = Field(max_length=512)
    link: str = Field(max_length=2048)
    updated: str | None = Field(default=None, max_length=64)
    article_id: int | None = Field(default=None, foreign_key="article.id", index=True)
    attempts: int = 0
    error: str | None = Field(default=None, max_length=500)
    seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class AlertSubscription(SQLModel, table=True):
    """A channel's opt-in to real-time alerts (`/newsroom alerts conflicts`): today only
    `conflicts`, posted when a watched item brings a conflict to a story it discussed."""

    __tablename__ = "alert_subscription"

    channel: str = Field(primary_key=True, max_length=32)
    kind: str = Field(default="conflicts", max_length=16)
    created_by: str | None = Field(default=None, max_length=32)
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AlertSent(SQLModel, table=True):
    """One alert per (channel, conflict group), claimed before it is posted: any number of
    replicas polling feeds post it once. `group_key` names the conflict group by its story and
    its earliest earlier claim; `posted_ts` is set once Slack took it (None: queued or lost)."""

    __tablename__ = "alert_sent"
    __table_args__ = (UniqueConstraint("channel", "group_key"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    group_key: str = Field(max_length=64)
    story_id: int = Field(foreign_key="story.id", index=True)
    article_id: int = Field(foreign_key="article.id")
    thread_ts: str = Field(max_length=32)
    posted_ts: str | None = Field(default=None, max_length=32)
    created: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
