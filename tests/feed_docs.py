"""RSS 2.0, Atom and news-sitemap documents built from plain item lists, as outlets serve them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    link: str
    title: str
    guid: str | None = None
    published: datetime | None = None
    updated: datetime | None = None


def rss(items: list[Item], *, title: str = "Example News") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://example.com/</link>",
        "<description>World news</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title><link>{escape(item.link)}</link>")
        if item.guid is not None:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.published is not None:
            parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def atom(items: list[Item], *, title: str = "Example News") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:example:feed</id>",
        "<updated>2024-06-20T16:00:00Z</updated>",
    ]
    for item in items:
        parts.append("<entry>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f'<link rel="alternate" href="{escape(item.link)}"/>')
        parts.append(f"<id>{escape(item.guid or item.link)}</id>")
        when = item.updated or item.published
        if when is not None:
            parts.append(f"<updated>{when.isoformat()}</updated>")
        if item.published is not None:
            parts.append(f"<published>{item.published.isoformat()}</published>")
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode()


def news_sitemap(items: list[Item], *, publication: str = "Example News") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for item in items:
        parts.append(f"<url><loc>{escape(item.link)}</loc><news:news>")
        parts.append(
            f"<news:publication><news:name>{escape(publication)}</news:name>"
            "<news:language>en</news:language></news:publication>"
        )
        if item.published is not None:
            parts.append(
                f"<news:publication_date>{item.published.isoformat()}</news:publication_date>"
            )
        parts.append(f"<news:title>{escape(item.title)}</news:title></news:news></url>")
    parts.append("</urlset>")
    return "\n".join(parts).encode()


WORDS = (
    "council budget harbour minister river storm election school hospital bridge farmers "
    "court railway museum festival drought vaccine factory union strike mayor airport "
    "police tunnel library forest coast market bank reactor satellite border treaty "
    "refinery orchestra stadium ferry glacier vineyard mine port canal senate exports"
).split()


def synthetic_text(seed: int, *, words: int = 160) -> str:
    """An article of its own (a title and three paragraphs) for item `seed`: texts of two
    seeds share no run of words, so each is a new article, never a copy."""
    import random

    rng = random.Random(seed)
    title = f"Report {seed}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)}"
    per = words // 3
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(per)).capitalize() + f" (item {seed})."
        for _ in range(3)
    ]
    return "\n\n".join([title, *paragraphs])
