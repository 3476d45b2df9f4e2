"""Feeds as plain data: RSS and Atom (through feedparser), news sitemaps (XML with a bound),
and the feed a site's page names.

Nothing here fetches: bytes come in, dataclasses or a one-line `FeedError` come out. feedparser
is handed a byte stream, never a string (a string may be read as a URL or a file name). A
sitemap is parsed by lxml with entities left unresolved, no network, no DTD and the default
(not "huge") tree limits, and a document with a DOCTYPE is refused outright.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

from bot.core.extract import parse_time

FeedKind = Literal["rss", "atom", "sitemap"]

MAX_KEY = 512  # longer GUIDs are kept by their hash
MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's own limit per file
FEED_TYPES: dict[str, FeedKind] = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
}
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class FeedError(ValueError):
    """A document that is not a readable feed or sitemap; str() is one line."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item a feed lists."""

    link: str
    guid: str | None = None
    title: str | None = None
    published: datetime | None = None
    updated: str | None = None  # the entry's own "updated" value, as written

    @property
    def key(self) -> str:
        """What identifies the item within its feed: its GUID, else its link."""
        key = self.guid or self.link
        if len(key) > MAX_KEY:
            return "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
        return key


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed or news sitemap: what it is, its title, and its items in document order.

    A sitemap index lists other sitemaps in `sitemaps` instead of items."""

    kind: FeedKind
    title: str | None
    entries: tuple[FeedEntry, ...]
    sitemaps: tuple[str, ...] = ()
    news: bool = True  # a sitemap: whether any item carries news: metadata


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _http_link(value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    link = urljoin(base, value.strip())
    return link if urlsplit(link).scheme in ("http", "https") else None


def _struct_time(value: Any) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _text(value: Any, limit: int = 500) -> str | None:
    if not isinstance(value, str):
        return None
    flat = " ".join(value.split())
    return flat[:limit] or None


# --- RSS and Atom ---------------------------------------------------------------------------


def parse_feed(data: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """The items of an RSS or Atom document fetched from `url`; FeedError when it is neither.

    A feed that is not well-formed but from which feedparser's lenient parser still reads
    items with links is accepted (real feeds often carry a stray `&`); one that yields
    nothing is refused with the XML error."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False)
    except Exception as exc:  # feedparser's own bugs on odd input: a reason, not a crash
        raise FeedError(f"not a readable feed ({type(exc).__name__})") from exc
    version = str(parsed.get("version") or "")
    entries = []
    for raw in parsed.get("entries") or ():
        link = _http_link(raw.get("link"), url)
        if link is None:
            continue
        guid = raw.get("id")
        entries.append(
            FeedEntry(
                link=link,
                guid=guid.strip() if isinstance(guid, str) and guid.strip() else None,
                title=_text(raw.get("title")),
                published=_struct_time(raw.get("published_parsed"))
                or _struct_time(dict.get(raw, "updated_parsed")),
                updated=_text(dict.get(raw, "updated"), 64),  # no fallback to published
            )
        )
    if not entries:
        if parsed.get("bozo"):
            raise FeedError(
                f"not a well-formed feed ({_xml_problem(parsed.get('bozo_exception'))})"
            )
        if not version:
            raise FeedError("not an RSS or Atom feed")
    kind: FeedKind = "atom" if version.startswith("atom") else "rss"
    feed_info = parsed.get("feed") or {}
    return ParsedFeed(kind=kind, title=_text(feed_info.get("title"), 200), entries=tuple(entries))


def _xml_problem(exc: Any) -> str:
    if exc is None:
        return "unknown error"
    line = getattr(exc, "getLineNumber", None)
    message = getattr(exc, "getMessage", None)
    if callable(line) and callable(message):
        return _one_line(f"line {line()}: {message()}")
    return _one_line(str(exc) or type(exc).__name__)


# --- sitemaps -------------------------------------------------------------------------------


def _sitemap_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: Any, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return _text(child.text)
    return None


def parse_sitemap(
    data: bytes, *, url: str, max_bytes: int = 10 * 1024 * 1024, max_urls: int = MAX_SITEMAP_URLS
) -> ParsedFeed:
    """The items of a sitemap (`<url><loc>`, with `news:publication_date` and `news:title`
    when it is a news sitemap), or the sitemaps a sitemap index lists; FeedError otherwise."""
    if len(data) > max_bytes:
        raise FeedError(f"sitemap is larger than {max_bytes // (1024 * 1024)} MB")
    try:
        root = etree.fromstring(data, parser=_sitemap_parser())
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not well-formed XML ({_one_line(str(exc))})") from exc
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise FeedError(f"not well-formed XML ({_one_line(str(exc))})") from exc
    if root is None:
        raise FeedError("an empty XML document")
    if root.getroottree().docinfo.doctype:
        raise FeedError("a sitemap with a DOCTYPE (refused: sitemaps have none)")
    name = _local(root.tag)
    if name == "sitemapindex":
        children = []
        for element in root:
            if _local(element.tag) == "sitemap":
                link = _http_link(_child_text(element, "loc"), url)
                if link:
                    children.append(link)
            if len(children) >= max_urls:
                break
        return ParsedFeed(kind="sitemap", title=None, entries=(), sitemaps=tuple(children))
    if name != "urlset":
        raise FeedError(f"not a sitemap (its root element is <{_one_line(name, 40)}>)")
    entries: list[FeedEntry] = []
    news = False
    for element in root:
        if _local(element.tag) != "url":
            continue
        link = _http_link(_child_text(element, "loc"), url)
        if link is None:
            continue
        published = title = None
        lastmod = _child_text(element, "lastmod")
        for child in element:
            if _local(child.tag) == "news" and etree.QName(child.tag).namespace == _NEWS_NS:
                news = True
                published = parse_time(_child_text(child, "publication_date"))
                title = _child_text(child, "title")
        entries.append(
            FeedEntry(
                link=link,
                title=title,
                published=published or parse_time(lastmod),
                updated=lastmod[:64] if lastmod else None,
            )
        )
        if len(entries) >= max_urls:
            break
    return ParsedFeed(kind="sitemap", title=None, entries=tuple(entries), news=news)


def looks_like_sitemap(data: bytes) -> bool:
    """Whether a document's root element is a sitemap's (`urlset` or `sitemapindex`)."""
    head = data[:2048].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_document(data: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """A fetched feed or sitemap, whichever it is."""
    if looks_like_sitemap(data):
        return parse_sitemap(data, url=url)
    return parse_feed(data, url=url, content_type=content_type)


# --- discovery ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page names in `<link rel="alternate">`."""

    url: str
    kind: FeedKind
    title: str | None = None


class _AlternateLinks(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: list[FeedLink] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base":
            href = dict(attrs).get("href")
            link = _http_link(href, self.base)
            if link:
                self.base = link
            return
        if tag != "link":
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        kind = FEED_TYPES.get(values.get("type", "").split(";")[0].strip().lower())
        link = _http_link(values.get("href"), self.base)
        if "alternate" in rels and kind is not None and link is not None:
            self.found.append(FeedLink(url=link, kind=kind, title=_text(values.get("title"))))


def feed_links(html: str, *, base_url: str) -> list[FeedLink]:
    """The RSS and Atom feeds a page names (`<link rel="alternate" type=...>`), in order,
    each once."""
    parser = _AlternateLinks(base_url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; keep what was found before anything odd
        pass
    unique: dict[str, FeedLink] = {}
    for link in parser.found:
        unique.setdefault(link.url, link)
    return list(unique.values())


def robots_sitemaps(text: str, *, base_url: str) -> list[str]:
    """The sitemaps a robots.txt names (`Sitemap:` lines), each once, news sitemaps first."""
    found: list[str] = []
    for line in text.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() == "sitemap":
            link = _http_link(value.strip(), base_url)
            if link and link not in found:
                found.append(link)
    return sorted(found, key=lambda u: "news" not in u.lower())
