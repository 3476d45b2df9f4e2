"""Ingest and storage on SQLite and PostgreSQL: the seed story, duplicates, counts, races."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.core import dedup
from bot.core.dedup import MatchConfig
from bot.core.hashing import h64
from bot.services.ingest import IngestError, IngestService
from storage import queries
from storage.models import Article, Story, TermPosting


def _ingest_seeds(service: IngestService, seed_texts: dict[str, str]) -> dict[str, object]:
    return {
        name: service.ingest_text(text, external_id=name, url=f"https://news.example.com/{name}")
        for name, text in seed_texts.items()
    }


def test_seed_story(ingest_service, seed_texts, gold, engine):
    results = _ingest_seeds(ingest_service, seed_texts)
    relations = {name: r.relation for name, r in results.items()}
    assert relations == {
        "000_95b775bc5eae5327.txt": "new_story",
        "001_c412b43f50216ea0.txt": "same_story",
        "002_dc8434f2a39adf63.txt": "near_duplicate",
        "003_c5d4984693481f97.txt": "same_story",
        "004_ff89fc41d8bf9a9e.txt": "same_story",
    }
    copy = results["002_dc8434f2a39adf63.txt"]
    assert copy.matched_external_id == "000_95b775bc5eae5327.txt"
    with Session(engine) as session:
        stories = session.exec(select(Story)).all()
        assert len(stories) == 1 == len(gold["stories"])
        story = stories[0]
        assert story.article_count == 5
        assert story.source_count == gold["independent_sources"] == 4
        articles = queries.story_articles(session=session, story_id=story.id)
        assert [a.external_id for a in articles] == sorted(seed_texts)


def test_the_same_url_again_is_a_duplicate_and_writes_nothing(ingest_service, seed_texts, engine):
    text = seed_texts["001_c412b43f50216ea0.txt"]
    first = ingest_service.ingest_text(text, url="https://news.example.com/a/putin?utm_source=x")
    for variant in (
        "https://news.example.com/a/putin/",
        "https://amp.news.example.com/a/putin",
        "https://news.example.com/a/putin/amp",
        "http://NEWS.example.com:80/a/putin#comments",
    ):
        again = ingest_service.ingest_text(text, url=variant)
        assert again.relation == "duplicate"
        assert again.article_id == first.article_id
        assert not again.stored
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 1
        story = session.get(Story, first.story_id)
        assert story is not None and story.article_count == 1 and story.source_count == 1


def test_a_story_spans_its_articles_publication_times(ingest_service, seed_texts, engine):
    """Coverage arriving out of order widens the story's first and last seen times both ways,
    and each result reports the story's counts as that ingest left them."""
    names = ["000_95b775bc5eae5327.txt", "001_c412b43f50216ea0.txt", "003_c5d4984693481f97.txt"]
    times = [datetime(2024, 6, 20, 12, tzinfo=UTC), datetime(2024, 6, 21, 9, tzinfo=UTC)]
    times.append(datetime(2024, 6, 19, 23, 30, tzinfo=UTC))
    results = [
        ingest_service.ingest_text(seed_texts[name], published=when)
        for name, when in zip(names, times, strict=True)
    ]
    assert [r.relation for r in results] == ["new_story", "same_story", "same_story"]
    assert [(r.story_articles, r.story_sources) for r in results] == [(1, 1), (2, 2), (3, 3)]
    with Session(engine) as session:
        story = session.get(Story, results[0].story_id)
        assert story is not None
        assert story.first_seen == min(times) and story.last_seen == max(times)


def test_same_text_at_another_site_is_a_copy_saying_whose(ingest_service, seed_texts):
    text = seed_texts["003_c5d4984693481f97.txt"]
    first = ingest_service.ingest_text(text, url="https://one.example.com/x", outlet="One")
    second = ingest_service.ingest_text(text, url="https://two.example.com/y")
    assert second.relation == "near_duplicate"
    assert second.signal == "copy of One: the same text"
    assert second.stored and second.article_id != first.article_id
    assert second.matched_id == first.article_id
    assert second.story_articles == 2 and second.story_sources == 1


def test_same_text_at_the_same_site_is_a_duplicate(ingest_service, seed_texts):
    text = seed_texts["003_c5d4984693481f97.txt"]
    first = ingest_service.ingest_text(text, url="https://one.example.com/x")
    second = ingest_service.ingest_text(text, url="https://www.one.example.com/x-amp")
    assert second.relation == "duplicate"
    assert second.matched_id == first.article_id
    assert second.story_articles == 2 and second.story_sources == 1


def test_index_rows_are_written_with_the_article(ingest_service, seed_texts, engine):
    result = ingest_service.ingest_text(seed_texts["000_95b775bc5eae5327.txt"])
    with Session(engine) as session:
        postings = session.exec(
            select(func.count()).where(TermPosting.article_id == result.article_id)
        ).one()
        bands = queries.band_keys_of(session=session, article_id=result.article_id)
        stored = session.get(Article, result.article_id)
        exact, similar = queries.near_duplicates(
            session=session, content_hash=stored.content_hash, keys=bands[3:5], limit=10
        )
        none = queries.near_duplicates(session=session, content_hash="other", keys=[1, 2], limit=10)
        no_keys = queries.near_duplicates(
            session=session, content_hash=stored.content_hash, keys=[], limit=10
        )
        n_docs, _ = queries.document_frequencies(session=session, terms=[])
    assert postings == 16 and len(set(bands)) == 16 and n_docs == 1
    assert exact == queries.StoredArticle(
        result.article_id, result.story_id, stored.title, None, None, None
    )
    assert similar == [result.article_id]
    assert none == (None, []) and no_keys == (exact, [])


def test_document_frequencies_count_articles(ingest_service, engine):
    ingest_service.ingest_text("", title="Zarubezhneft wins Vietnam oil block")
    ingest_service.ingest_text("", title="Zarubezhneft drills off Vietnam coast")
    ingest_service.ingest_text("", title="Storm hits Manila")
    with Session(engine) as session:
        n_docs, df = queries.document_frequencies(
            session=session, terms=[h64("zarubezhneft"), h64("manila"), h64("absent")]
        )
    assert n_docs == 3
    assert df == {h64("zarubezhneft"): 2, h64("manila"): 1}


def test_bad_input_writes_nothing(ingest_service, engine):
    with pytest.raises(IngestError, match="empty"):
        ingest_service.ingest_text("   ", title="")
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 0
        assert session.exec(select(func.count()).select_from(Story)).one() == 0


def test_concurrent_ingest_of_one_url_stores_one_article(engine, seed_texts):
    service = IngestService(engine, MatchConfig(), fetcher=None)
    text = seed_texts["004_ff89fc41d8bf9a9e.txt"]
    results, errors = [], []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        try:
            results.append(service.ingest_text(text, url="https://race.example.com/story"))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.article_id for r in results}) == 1
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 1
        assert session.exec(select(func.count()).select_from(Story)).one() == 1


def test_an_id_stored_by_another_replica_meanwhile_is_already_stored(
    engine, seed_texts, monkeypatch
):
    """Two replicas ingest one record with an id: the second looked before the first
    committed, so only the unique index stops it; it answers "already stored", and a record
    with that id and another text is refused."""
    text = seed_texts["004_ff89fc41d8bf9a9e.txt"]
    first = IngestService(engine, MatchConfig()).ingest_text(text, external_id="wire-17")
    look = queries.article_by_external_id
    calls = []

    def not_yet_committed(*, session, external_id):
        calls.append(external_id)
        return None if len(calls) == 1 else look(session=session, external_id=external_id)

    monkeypatch.setattr(queries, "article_by_external_id", not_yet_committed)
    second = IngestService(engine, MatchConfig()).ingest_text(text, external_id="wire-17")
    assert len(calls) >= 2  # the first look missed it
    assert not second.stored and second.article_id == first.article_id
    assert second.relation == "duplicate" and "already stored" in second.signal
    calls.clear()
    with pytest.raises(IngestError, match=r"already stored .* with another text"):
        IngestService(engine, MatchConfig()).ingest_text(
            seed_texts["000_95b775bc5eae5327.txt"], external_id="wire-17"
        )
    with Session(engine) as session:
        ids = session.exec(select(Article.external_id)).all()
    assert ids == ["wire-17"]


def test_an_id_is_unique_where_given_and_articles_without_one_are_not_limited(engine):
    with Session(engine) as session:
        story = Story(title="t", first_seen=datetime.now(UTC), last_seen=datetime.now(UTC))
        session.add(story)
        session.flush()

        def article(external_id: str | None, n: int) -> Article:
            assert story.id is not None
            return Article(
                title="t",
                text="",
                external_id=external_id,
                content_hash=f"h{n}",
                story_id=story.id,
                relation="new_story",
                day=1,
                profile=b"",
            )

        session.add_all([article(None, 1), article(None, 2), article("a", 3)])
        session.flush()
        session.add(article("a", 4))
        with pytest.raises(IntegrityError):
            session.flush()


def test_concurrent_ingest_of_one_record_with_an_id_stores_one_article(engine, seed_texts):
    text = seed_texts["003_c5d4984693481f97.txt"]
    services = [IngestService(engine, MatchConfig()) for _ in range(4)]
    results, errors = [], []
    barrier = threading.Barrier(len(services))

    def worker(service: IngestService) -> None:
        barrier.wait()
        try:
            results.append(service.ingest_text(text, external_id="line-3"))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(s,)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.article_id for r in results}) == 1
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 1


def test_frequency_cache_asks_only_for_unseen_terms_and_counts_own_ingests(engine, monkeypatch):
    from bot.services import frequencies as frequencies_module

    service = IngestService(engine, MatchConfig(), fetcher=None)
    service.ingest_text("", title="Zarubezhneft wins Vietnam oil block")
    asked: list[list[int]] = []
    read = frequencies_module.queries.document_frequencies

    def spy(*, session, terms):
        asked.append(sorted(terms))
        return read(session=session, terms=terms)

    monkeypatch.setattr(frequencies_module.queries, "document_frequencies", spy)
    zarubezhneft, manila = h64("zarubezhneft"), h64("manila")
    cache = frequencies_module.FrequencyCache(ttl=60.0)
    with Session(engine) as session:
        stats = cache.stats(session, [zarubezhneft, manila, zarubezhneft])
    assert stats.n_docs == 1 and stats.count(zarubezhneft) == 1 and stats.count(manila) == 0
    assert asked == [sorted([zarubezhneft, manila])]
    cache.observe([zarubezhneft])
    with Session(engine) as session:
        again = cache.stats(session, [zarubezhneft, manila])
    # Counted in the cache, not read back: the database is not asked at all.
    assert again.count(zarubezhneft) == 2 and again.n_docs == 2 and len(asked) == 1
    with Session(engine) as session:
        cache.stats(session, [zarubezhneft, h64("vietnam")])
    assert asked[-1] == [h64("vietnam")]
    expired = frequencies_module.FrequencyCache(ttl=0.0)
    with Session(engine) as session:
        expired.stats(session, [zarubezhneft])
        expired.observe([zarubezhneft])
        fresh = expired.stats(session, [zarubezhneft])
    # Forgotten after ttl: the database's counts.
    assert fresh.count(zarubezhneft) == 1 and fresh.n_docs == 1


def test_concurrent_articles_of_one_new_event_open_one_story(engine, seed_texts):
    """Two processes (here: services with their own caches) ingest two reports of one event
    at the same moment; neither sees the other's uncommitted row, yet they share one story."""
    names = ["000_95b775bc5eae5327.txt", "001_c412b43f50216ea0.txt", "003_c5d4984693481f97.txt"]
    services = [IngestService(engine, MatchConfig(), fetcher=None) for _ in names]
    results, errors = [], []
    barrier = threading.Barrier(len(names))

    def worker(service: IngestService, name: str) -> None:
        barrier.wait()
        try:
            results.append(service.ingest_text(seed_texts[name], external_id=name))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=pair) for pair in zip(services, names, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.story_id for r in results}) == 1
    assert sorted(r.relation for r in results) == ["new_story", "same_story", "same_story"]
    with Session(engine) as session:
        (story,) = session.exec(select(Story)).all()
    assert (story.article_count, story.source_count) == (3, 3)


def test_a_new_story_is_matched_again_only_if_a_story_was_opened_meanwhile(engine, seed_texts):
    """After finding no match, ingest takes the new-story lock and matches again only when
    another writer opened a story since it looked; then it joins that story."""
    first, second = (IngestService(engine, MatchConfig(), fetcher=None) for _ in range(2))
    calls = []
    real_match_in = first.match_in

    def match_in(session, profile, **options):
        calls.append(profile.title)
        if len(calls) == 1:  # another writer opens the story while this one is matching
            other = threading.Thread(
                target=second.ingest_text, args=(seed_texts["000_95b775bc5eae5327.txt"],)
            )
            other.start()
            other.join()
            return None  # as it was before the other's commit
        return real_match_in(session, profile, **options)

    first.match_in = match_in
    joined = first.ingest_text(seed_texts["001_c412b43f50216ea0.txt"])
    assert len(calls) == 2 and joined.relation == "same_story"
    alone = first.ingest_text("", title="Storm hits Manila")
    assert len(calls) == 3 and alone.relation == "new_story"  # no story opened: one match
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Story)).one() == 2


def test_match_candidates_reads_exact_text_else_candidates_by_rare_terms(ingest_service, engine):
    """One statement: the same text wins and brings no candidates; otherwise the articles
    sharing looked-up index terms, where only terms within the rarity rule are looked up
    (always the `min_terms` rarest), with what scoring needs of them."""
    shared = ingest_service.ingest_text("", title="Zarubezhneft wins Vietnam oil block")
    ingest_service.ingest_text("", title="Zarubezhneft drills off the Vietnam coast")
    other = ingest_service.ingest_text("", title="Storm hits Manila")
    zarubezhneft, vietnam, manila = h64("zarubezhneft"), h64("vietnam"), h64("manila")
    rule = queries.LookupRule(share=0.0, min_df=1, min_terms=0)  # terms in at most 1 article
    with Session(engine) as session:
        stored = session.get(Article, shared.article_id)

        def lookup(terms, content_hash="none", rare=rule):
            exact, found = queries.match_candidates(
                session=session, content_hash=content_hash, keys=[], terms=terms, rare=rare,
                min_day=0, max_day=100_000, limit=10,
            )  # fmt: skip
            return exact, sorted(c.article.id for c in found), found

        exact, ids, _ = lookup([zarubezhneft, manila], content_hash=stored.content_hash)
        assert exact is not None and exact.id == shared.article_id and ids == []
        assert lookup([zarubezhneft, manila])[1] == [other.article_id]  # df 2 is not looked up
        both = lookup([zarubezhneft, manila], rare=rule._replace(min_terms=2))[1]
        assert both == sorted([shared.article_id, shared.article_id + 1, other.article_id])
        _, ids, found = lookup([vietnam], rare=rule._replace(min_df=2))
    assert ids == [shared.article_id, shared.article_id + 1]
    first = next(c for c in found if c.article.id == shared.article_id)
    assert first.article.title == "Zarubezhneft wins Vietnam oil block"
    assert first.content_hash == stored.content_hash
    assert first.profile == stored.profile


def test_a_headline_is_matched_against_its_candidates_stories_with_their_sizes(
    ingest_service, engine, monkeypatch
):
    first = ingest_service.ingest_text("", title="Volcano erupts near Reykjavik airport")
    second = ingest_service.ingest_text("", title="Iceland volcano shuts Reykjavik airport")
    other = ingest_service.ingest_text("", title="Reykjavik airport staff strike over pay")
    assert second.story_id == first.story_id  # a story of two: its size is not 1
    seen: list[dict[int, dedup.StoryRef] | None] = []
    real = dedup.best_match

    def spy(profile, candidates, *, stories=None, stats, config):
        seen.append(stories)
        return real(profile, candidates, stories=stories, stats=stats, config=config)

    monkeypatch.setattr(dedup, "best_match", spy)
    with Session(engine) as session:
        sizes = {s.id: s.article_count for s in session.exec(select(Story)).all()}
    ingest_service.ingest_text("", title="Reykjavik airport reopens after volcano eruption")
    assert len(seen) == 1 and seen[0] is not None
    stories = seen[0]
    story_of = {r.article_id: r.story_id for r in (first, second, other)}
    assert first.article_id in stories and set(stories) <= set(story_of)
    for article_id, ref in stories.items():
        assert ref == dedup.StoryRef(story_of[article_id], sizes[story_of[article_id]])
    # An article (not a headline) is matched article by article, as before.
    seen.clear()
    ingest_service.ingest_text(
        " ".join(["The Reykjavik airport volcano eruption closed runways for a day."] * 4),
        title="Airport closes",
    )
    assert seen == [None]
