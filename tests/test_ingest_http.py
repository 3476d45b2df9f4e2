"""Ingest by URL from a local HTTP server serving pages built from the seed articles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core.dedup import MatchConfig
from bot.fetch import Fetcher, FetchLimits
from bot.services.ingest import IngestError, IngestService
from tests.news_site import news_site as serve_news_site


@pytest.fixture
def news_site(seed_texts) -> Iterator[str]:
    with serve_news_site(seed_texts) as base:
        yield base


@pytest.fixture
def service(engine) -> IngestService:
    fetcher = Fetcher(FetchLimits(total_timeout=5.0), allow_private=True)
    return IngestService(engine, MatchConfig(), fetcher)


def test_seed_links_get_the_gold_verdicts(service, news_site, gold):
    relations = {}
    for slug in ("000", "001", "002", "003", "004"):
        result = service.ingest_url(f"{news_site}/world/{slug}")
        relations[slug] = (result.relation, result.story_sources)
        assert result.title and result.url == f"{news_site}/world/{slug}"
    assert relations == {
        "000": ("new_story", 1),
        "001": ("same_story", 2),
        "002": ("near_duplicate", 2),
        "003": ("same_story", 3),
        "004": ("same_story", gold["independent_sources"]),
    }


def test_the_same_link_with_tracking_or_a_slash_is_already_posted(service, news_site):
    first = service.ingest_url(f"{news_site}/world/001")
    for variant in ("/world/001?utm_source=slack&fbclid=abc", "/world/001/"):
        again = service.ingest_url(news_site + variant)
        assert again.relation == "duplicate"
        assert again.article_id == first.article_id
        assert again.signal == "same canonical URL: already stored"


def test_failures_have_a_reason(service, news_site):
    with pytest.raises(IngestError, match="too little text"):
        service.ingest_url(f"{news_site}/paywall")
    with pytest.raises(IngestError, match="HTTP 404"):
        service.ingest_url(f"{news_site}/missing")
    with pytest.raises(IngestError, match="empty"):
        service.ingest_url(f"{news_site}/empty.txt")


def test_private_addresses_are_refused_by_default(engine, news_site):
    service = IngestService(engine, MatchConfig(), Fetcher(FetchLimits()))
    with pytest.raises(IngestError, match="loopback"):
        service.ingest_url(f"{news_site}/world/000")
