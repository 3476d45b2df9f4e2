"""bot/core/feeds.py: RSS, Atom and sitemaps into plain items; feeds named by a page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.feeds import (
    FeedError,
    feed_links,
    parse_document,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)
from tests.feed_docs import Item, atom, news_sitemap, rss

WHEN = datetime(2024, 6, 20, 15, 28, tzinfo=UTC)
ITEMS = [
    Item("https://example.com/world/1", "Putin in Hanoi", guid="tag:1", published=WHEN),
    Item("/world/2", "Deals signed", published=WHEN),
]


def test_rss_items_carry_guid_link_title_and_time():
    feed = parse_feed(rss(ITEMS, title="World"), url="https://example.com/rss")
    assert feed.kind == "rss" and feed.title == "World"
    first, second = feed.entries
    assert (first.guid, first.link, first.title, first.published) == (
        "tag:1",
        "https://example.com/world/1",
        "Putin in Hanoi",
        WHEN,
    )
    assert second.link == "https://example.com/world/2"  # relative to the feed
    assert second.guid is None and second.key == second.link


def test_atom_entries_and_their_updated_date():
    later = datetime(2024, 6, 21, 9, 0, tzinfo=UTC)
    items = [Item("https://example.com/a", "A", guid="urn:a", published=WHEN, updated=later)]
    feed = parse_feed(atom(items), url="https://example.com/atom")
    assert feed.kind == "atom"
    (entry,) = feed.entries
    assert entry.key == "urn:a" and entry.published == WHEN
    assert entry.updated is not None and entry.updated.startswith("2024-06-21")


def test_a_long_guid_is_kept_by_its_hash():
    items = [Item("https://example.com/a", "A", guid="x" * 2000)]
    (entry,) = parse_feed(rss(items), url="https://example.com/rss").entries
    assert entry.key.startswith("sha256:") and len(entry.key) < 100


def test_items_without_an_http_link_are_left_out():
    items = [Item("javascript:alert(1)", "bad"), Item("https://example.com/ok", "ok")]
    feed = parse_feed(rss(items), url="https://example.com/rss")
    assert [e.link for e in feed.entries] == ["https://example.com/ok"]


@pytest.mark.parametrize(
    "data",
    [
        b"<rss><channel><item><title>broken</ti",
        b"\x00\xff\xfe garbage",
        b"",
        b"<?xml version='1.0'?><rss><channel><title>&undefined;</title></channel>",
    ],
)
def test_malformed_xml_is_a_one_line_reason(data):
    with pytest.raises(FeedError) as caught:
        parse_feed(data, url="https://example.com/rss")
    assert "\n" not in str(caught.value) and str(caught.value)


def test_an_html_page_is_not_a_feed():
    with pytest.raises(FeedError, match="not"):
        parse_feed(b"<html><body><p>hello</p></body></html>", url="https://example.com/")


def test_news_sitemap_items_with_publication_dates():
    data = news_sitemap(ITEMS[:1])
    feed = parse_sitemap(data, url="https://example.com/news-sitemap.xml")
    assert feed.kind == "sitemap" and feed.news
    (entry,) = feed.entries
    assert (entry.link, entry.title, entry.published) == (
        "https://example.com/world/1",
        "Putin in Hanoi",
        WHEN,
    )
    assert parse_document(data, url="https://example.com/s.xml").kind == "sitemap"


def test_plain_sitemap_is_not_news_and_an_index_lists_sitemaps():
    plain = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://example.com/about</loc><lastmod>2024-01-01</lastmod></url></urlset>"
    )
    feed = parse_sitemap(plain, url="https://example.com/sitemap.xml")
    assert not feed.news and feed.entries[0].published == datetime(2024, 1, 1, tzinfo=UTC)
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>/news.xml</loc></sitemap></sitemapindex>"
    )
    parsed = parse_sitemap(index, url="https://example.com/sitemap.xml")
    assert parsed.sitemaps == ("https://example.com/news.xml",) and parsed.entries == ()


def test_sitemap_entities_are_not_expanded_and_a_doctype_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<urlset><url><loc>https://example.com/&c;</loc></url></urlset>"
    )
    with pytest.raises(FeedError, match="DOCTYPE"):
        parse_sitemap(laughs, url="https://example.com/s.xml")
    external = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://example.com/&x;</loc></url></urlset>"
    )
    with pytest.raises(FeedError):
        parse_sitemap(external, url="https://example.com/s.xml")


def test_sitemap_size_and_url_bounds():
    with pytest.raises(FeedError, match="larger"):
        parse_sitemap(
            b"<urlset>" + b" " * 2000 + b"</urlset>", url="https://e.com/", max_bytes=1000
        )
    many = b"<urlset>" + b"<url><loc>https://e.com/x</loc></url>" * 50 + b"</urlset>"
    assert len(parse_sitemap(many, url="https://e.com/", max_urls=10).entries) == 10


@pytest.mark.parametrize("data", [b"<urlset><url><loc>x</url>", b"not xml at all", b"<other/>"])
def test_malformed_sitemaps_are_one_line_reasons(data):
    with pytest.raises(FeedError) as caught:
        parse_sitemap(data, url="https://example.com/s.xml")
    assert "\n" not in str(caught.value)


def test_feed_links_of_a_page():
    page = """<html><head><base href="https://example.com/news/">
    <link rel="alternate" type="application/rss+xml" title="All" href="rss.xml">
    <link rel="Alternate" type="application/atom+xml" href="https://example.com/atom">
    <link rel="alternate" type="application/rss+xml" href="rss.xml">
    <link rel="alternate" hreflang="fr" href="/fr/">
    <link rel="stylesheet" type="text/css" href="/s.css">
    </head><body></body></html>"""
    links = feed_links(page, base_url="https://example.com/")
    assert [(f.url, f.kind, f.title) for f in links] == [
        ("https://example.com/news/rss.xml", "rss", "All"),
        ("https://example.com/atom", "atom", None),
    ]
    assert feed_links("<p>no head at all", base_url="https://example.com/") == []


def test_robots_sitemaps_news_first():
    robots = (
        "User-agent: *\nDisallow: /x\n"
        "Sitemap: https://e.com/sitemap.xml\nsitemap: /news-sitemap.xml\n"
    )
    assert robots_sitemaps(robots, base_url="https://e.com/robots.txt") == [
        "https://e.com/news-sitemap.xml",
        "https://e.com/sitemap.xml",
    ]
