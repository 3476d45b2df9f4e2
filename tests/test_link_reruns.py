"""A posted link's event run again after its first attempt died: the same verdict, not
"already posted" (the article found stored is the message's own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core.dedup import MatchConfig
from bot.core.vocabulary import Label, Relation
from bot.fetch import Fetcher
from bot.services.ingest import IngestService
from bot.services.links import LinkService
from tests.news_site import news_site as serve_news_site


@pytest.fixture
def site(seed_texts) -> Iterator[str]:
    with serve_news_site(seed_texts) as base:
        yield base


@pytest.fixture
def links(engine) -> Iterator[LinkService]:
    with Fetcher(allow_private=True) as fetcher:
        yield LinkService(engine, IngestService(engine, MatchConfig(), fetcher=fetcher))


def _post(links: LinkService, url: str, ts: str, *, channel: str = "C1", rerun: bool = False):
    return links.post_link(channel=channel, ts=ts, thread_ts=None, url=url, rerun=rerun)


def test_a_rerun_after_the_article_was_stored_gives_its_first_verdict(links, site):
    first = _post(links, f"{site}/world/000", "100.1")
    # The second link's first attempt stored its article, then died before recording it.
    died = links.ingest.ingest_url(f"{site}/world/001")

    rerun = _post(links, f"{site}/world/001", "100.2", rerun=True)

    assert first.result is not None and died.relation == Relation.SAME_STORY
    assert rerun.result is not None and rerun.error is None
    assert rerun.result.relation == Relation.SAME_STORY
    assert rerun.result.article_id == died.article_id
    assert rerun.result.matched_id == first.result.article_id
    assert rerun.first_post is None
    labels = sorted(p.label for p in rerun.result.claim_pairs)
    assert labels == sorted(p.label for p in died.claim_pairs)
    assert Label.CONFLICT in labels  # 12 agreements (NPR) vs 11 (Vietnam News)


def test_a_rerun_after_the_link_was_recorded_gives_its_first_verdict(links, site):
    _post(links, f"{site}/world/000", "100.1")
    once = _post(links, f"{site}/world/001", "100.2")

    again = _post(links, f"{site}/world/001", "100.2")  # recorded: a re-run, flag or not

    assert once.result is not None and again.result is not None
    assert again.result.relation == once.result.relation == Relation.SAME_STORY
    assert again.result.story_sources == once.result.story_sources == 2


def test_another_message_with_the_same_link_is_already_posted(links, site):
    _post(links, f"{site}/world/000", "100.1")

    other = _post(links, f"{site}/world/000", "200.1", channel="C2")
    unrecorded_rerun = _post(links, f"{site}/world/000", "300.1", rerun=True)

    assert other.result is not None and other.result.relation == Relation.DUPLICATE
    assert other.first_post == ("C1", "100.1")
    # A re-run of a message whose article another message posted first: still a duplicate.
    assert unrecorded_rerun.result is not None
    assert unrecorded_rerun.result.relation == Relation.DUPLICATE


def test_a_first_attempt_finding_an_article_stored_elsewhere_is_already_stored(links, site):
    links.ingest.ingest_url(f"{site}/world/000")  # from the CLI or a feed, never posted

    pasted = _post(links, f"{site}/world/000", "100.1")

    assert pasted.result is not None and pasted.result.relation == Relation.DUPLICATE
