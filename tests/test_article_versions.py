"""A page revised at its URL, served by a local site and fetched again: its next version, in
its story, not a new source, the figure it changed an update of its earlier version; the same
page unchanged, or with only its furniture changed, is a duplicate (#20)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.core.dedup import MatchConfig
from bot.core.urls import canonicalize
from bot.fetch import Fetcher, FetchLimits
from bot.services.ingest import IngestError, IngestResult, IngestService
from storage import queries
from storage.models import Article, ClaimPairRow, ClaimRow, Story
from tests.news_site import OUTLETS, site
from tests.pages import article_page
from tests.slack_payloads import link_message
from tests.wsgi import in_process_bot

NPR, VIETNAM, NORTHLINES = (
    "000_95b775bc5eae5327.txt",
    "001_c412b43f50216ea0.txt",
    "003_c5d4984693481f97.txt",
)
# NPR's figure that the other outlets' "11" conflicts with, and its revision.
STATED, REVISED = "Of the 12 publicly announced", "Of the 11 publicly announced"


class Site:
    """A local news site whose pages a test may revise between two fetches."""

    def __init__(self, base: str, pages: dict[str, bytes], seed_texts: dict[str, str]):
        self.base, self.pages, self.seed_texts = base, pages, seed_texts

    def url(self, name: str) -> str:
        return f"{self.base}/world/{name[:3]}"

    def canonical(self, name: str) -> str:
        return canonicalize(self.url(name))

    def publish(self, name: str, text: str | None = None) -> str:
        """Serve the seed `name` (or `text` in its place) at its URL; returns the URL."""
        slug = name[:3]
        page = article_page(
            self.seed_texts[name] if text is None else text,
            canonical=self.url(name),
            site=OUTLETS[slug],
        )
        self.pages[f"/world/{slug}"] = page.encode()
        return self.url(name)


@pytest.fixture
def news(seed_texts) -> Iterator[Site]:
    pages: dict[str, bytes] = {}
    with site(pages) as base:
        news = Site(base, pages, seed_texts)
        for name in (NPR, VIETNAM, NORTHLINES):
            news.publish(name)
        yield news


@pytest.fixture
def service(engine) -> IngestService:
    fetcher = Fetcher(FetchLimits(total_timeout=5.0), allow_private=True)
    return IngestService(engine, MatchConfig(), fetcher)


def _story_of_three(service: IngestService, news: Site) -> list[IngestResult]:
    results = [service.ingest_url(news.url(name)) for name in (NPR, VIETNAM, NORTHLINES)]
    assert [r.relation for r in results] == ["new_story", "same_story", "same_story"]
    assert len({r.story_id for r in results}) == 1 and results[-1].story_sources == 3
    return results


def _revise(news: Site) -> str:
    text = news.seed_texts[NPR]
    assert text.count(STATED) == 1
    return news.publish(NPR, text.replace(STATED, REVISED))


def _conflicts(session: Session) -> list[tuple[str, str]]:
    """The surfaces of the conflicts the readers list (superseded pairs left out)."""
    pairs = queries.labelled_pairs(session=session, labels=["conflict"], since=None, limit=100)
    surface = {c.id: c.surface for c in session.exec(select(ClaimRow)).all()}
    return sorted((surface[p.claim_a], surface[p.claim_b]) for p in pairs)


def test_a_revised_page_is_the_next_version_and_its_changed_figure_an_update(service, news, engine):
    first, *_ = _story_of_three(service, news)
    with Session(engine) as session:
        assert ("12", "11") in _conflicts(session)  # NPR's 12 against the others' 11
    revision = service.ingest_url(_revise(news))

    assert revision.relation == "revision" and revision.stored
    assert revision.version == 2
    assert revision.story_id == first.story_id
    assert revision.matched_id == first.article_id
    assert (revision.story_articles, revision.story_sources) == (3, 3)  # not a new source
    disputed = [(p.label, p.pair.a.surface, p.pair.b.surface) for p in revision.claim_pairs]
    assert disputed == [("update", "12", "11")]
    assert revision.claim_pairs[0].a_outlet == "earlier version"
    with Session(engine) as session:
        versions = session.exec(
            select(Article.id, Article.version, Article.version_of, Article.relation)
            .where(Article.canonical_url == news.canonical(NPR))
            .order_by(Article.version)
        ).all()
        assert versions == [
            (first.article_id, 1, None, "new_story"),
            (revision.article_id, 2, first.article_id, "revision"),
        ]
        story = session.get(Story, first.story_id)
        assert story is not None and (story.article_count, story.source_count) == (3, 3)
        # The other outlets' 11 no longer conflicts with NPR: its 12 was revised away.
        assert ("12", "11") not in _conflicts(session)
        updates = queries.labelled_pairs(session=session, labels=["update"], since=None, limit=9)
        assert len(updates) == 1
        # The changed figure is no new claim (it updates one); the figures it kept are the
        # earlier claims carried forward, with their times: not announced again.
        claims = session.exec(
            select(ClaimRow).where(ClaimRow.article_id == revision.article_id)
        ).all()
        changed = [c for c in claims if c.surface == "11" and "publicly announced" in c.sentence]
        assert len(changed) == 1 and not changed[0].is_new
        earlier = session.exec(select(ClaimRow).where(ClaimRow.article_id == first.article_id))
        first_seen = {c.sentence: c.first_seen for c in earlier.all()}
        assert all(first_seen[c.sentence] == c.first_seen for c in claims if c is not changed[0])
        assert max(first_seen.values()) < changed[0].first_seen
        # The earlier version's claims are superseded: later articles align with the current.
        later = queries.recent_story_claims(
            session=session, story_id=first.story_id, exclude_article=0, limit=1000
        )
        assert first.article_id not in {r.article_id for r in later}
        assert revision.article_id in {r.article_id for r in later}


def test_the_unchanged_page_fetched_again_is_already_posted(service, news, engine):
    first, *_ = _story_of_three(service, news)
    again = service.ingest_url(news.url(NPR))
    assert again.relation == "duplicate" and not again.stored
    assert again.article_id == first.article_id
    revision = service.ingest_url(_revise(news))
    again = service.ingest_url(news.url(NPR))
    assert again.relation == "duplicate" and not again.stored
    assert again.article_id == revision.article_id  # the current version
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 4
        current = queries.article_by_canonical_url(
            session=session, canonical_url=news.canonical(NPR)
        )
        assert current is not None and current.id == revision.article_id


def test_a_page_whose_furniture_alone_changed_is_already_posted(ingest_service, seed_texts):
    url = "https://npr.example/2024/06/20/putin-vietnam"
    text = seed_texts[NPR]
    first = ingest_service.ingest_text(text, url=url)
    stamped = text.replace("Updated June 20, 2024 at 15:28 PM ET", "Updated 3 minutes ago")
    assert stamped != text
    again = ingest_service.ingest_text(stamped + "\nShare this article\n", url=url)
    assert again.relation == "duplicate" and not again.stored
    assert again.article_id == first.article_id
    assert "only its page furniture changed" in again.signal
    revised = ingest_service.ingest_text(stamped.replace(STATED, REVISED), url=url)
    assert revised.relation == "revision" and revised.version == 2


def test_a_third_version_revises_the_second(ingest_service, seed_texts, engine):
    url = "https://npr.example/2024/06/20/putin-vietnam"
    text = seed_texts[NPR]
    first = ingest_service.ingest_text(text, url=url)
    second = ingest_service.ingest_text(text.replace(STATED, REVISED), url=url)
    third = ingest_service.ingest_text(
        text.replace(STATED, "Of the 14 publicly announced"), url=url
    )
    assert (second.version, third.version) == (2, 3)
    assert third.matched_id == second.article_id
    assert [(p.label, p.pair.a.surface, p.pair.b.surface) for p in third.claim_pairs] == [
        ("update", "11", "14")
    ]
    with Session(engine) as session:
        rows = session.exec(select(Article.version_of).where(Article.id == third.article_id))
        assert rows.one() == first.article_id
        pairs = session.exec(select(ClaimPairRow).where(~ClaimPairRow.superseded)).all()
        labels = sorted(p.label for p in pairs if p.label != "agree")
        assert labels == ["update"]  # 11 -> 14; the 12 -> 11 of the second was revised away


def test_two_writers_storing_one_revision_at_once_store_one_version(engine, seed_texts):
    """The unique (canonical URL, version) decides: the loser reports the winner's row."""
    service = IngestService(engine, MatchConfig(), fetcher=None)
    url = "https://race.example.com/story"
    text = seed_texts[NPR]
    first = service.ingest_text(text, url=url)
    revised = text.replace(STATED, REVISED)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        try:
            results.append(service.ingest_text(revised, url=url))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    stored = [r for r in results if r.stored]
    assert len(stored) == 1 and stored[0].relation == "revision"
    assert {r.article_id for r in results} == {stored[0].article_id}
    assert {r.relation for r in results if not r.stored} <= {"duplicate"}
    with Session(engine) as session:
        versions = session.exec(select(Article.version).order_by(Article.version)).all()
        assert versions == [1, 2]
        story = session.get(Story, first.story_id)
        assert story is not None and (story.article_count, story.source_count) == (1, 1)
        updates = session.exec(select(ClaimPairRow).where(ClaimPairRow.label == "update")).all()
        assert len(updates) == 1


def test_the_thread_reply_says_updated_version_and_lists_the_update(tmp_path, news):
    desk = "C0DESK0001"
    with in_process_bot(tmp_path, allow_private_fetch=True) as bot:
        for n, name in enumerate((NPR, VIETNAM), start=1):
            payload = link_message(
                channel=desk, user="U0REPORT01", ts=f"171887040{n}.000100", url=news.url(name)
            )
            assert bot.send_payload(payload).status == 200
            _replies(bot, desk, f"171887040{n}.000100")
        payload = link_message(
            channel=desk, user="U0REPORT01", ts="1718870409.000100", url=_revise(news)
        )
        assert bot.send_payload(payload).status == 200
        (reply,) = _replies(bot, desk, "1718870409.000100")
    text = reply["text"]
    assert text.startswith("Updated version of Putin signs numerous deals")
    assert "not a new source" in text and "1 figure updated" in text
    assert "conflict" not in text
    blocks = str(reply["blocks"])
    assert ":pencil2: Updated version of" in blocks and "(2 independent sources)" in blocks
    assert "↻ publicly announced agreements: 12 (<" in blocks
    assert "|earlier version>) → 11 (here)" in blocks
    assert "version 2" in blocks


def _replies(bot, channel: str, thread_ts: str, timeout: float = 15.0) -> list[dict]:
    """The bot's replies in a thread, once there is one."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        found = [m for m in bot.fake.messages(channel) if m.get("thread_ts") == thread_ts]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no reply in {thread_ts} within {timeout}s")


def test_a_revision_given_with_its_stored_id_is_a_version_and_another_url_is_refused(
    ingest_service, seed_texts
):
    """A feed item's id (GUID) stays with its page when the page is revised; the same id with
    another text at another URL still names another article."""
    url = "https://npr.example/2024/06/20/putin-vietnam"
    text = seed_texts[NPR]
    first = ingest_service.ingest_text(text, url=url, external_id="guid-1")
    revised = text.replace(STATED, REVISED)
    again = ingest_service.ingest_text(revised, url=url, external_id="guid-1")
    assert again.relation == "revision" and again.matched_id == first.article_id
    same = ingest_service.ingest_text(revised, url=url, external_id="guid-1")
    assert same.relation == "duplicate" and same.article_id == again.article_id
    with pytest.raises(IngestError, match="already stored"):
        ingest_service.ingest_text(revised, url="https://elsewhere.example/a", external_id="guid-1")
