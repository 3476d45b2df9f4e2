"""Article extraction: title, outlet, author, publication time, canonical URL and body text.

HTML goes through trafilatura (boilerplate removal and metadata); nothing here strips
boilerplate by hand. Plain-text captures (a copy-paste of a page) have no markup to go on, so
the text is kept whole and the title is the early line that best summarises the rest.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.text import normalize, term, words
from bot.core.urls import InvalidURL, canonicalize, resolve_canonical

logger = logging.getLogger(__name__)

# Below this many words of body text a page is not an article (a paywall, an error page).
MIN_WORDS = 25
# Longer than any article a newsroom compares (a 20,000-word long read is ~130,000 characters):
# a page past this is a dump or a bomb, and would stall matching and claim extraction.
MAX_TEXT_CHARS = 300_000


class ExtractionError(ValueError):
    """The page or file holds no article; str() is a one-line reason."""


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as extracted, before it is stored."""

    title: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: datetime | None = None


def parse_time(value: str | None) -> datetime | None:
    """An ISO date or date-time as an aware UTC datetime (a bare date is taken at 00:00 UTC)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01 with a positive offset, 9999-12-31 with a negative one
        return None


def _published_from_html(html: str) -> datetime | None:
    """The publication time from JSON-LD or meta tags, with its time of day when given.

    trafilatura (through htmldate) gives the day only; a newsroom wants the hour too.
    """
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None
    for content in tree.xpath(
        "//meta[@property='article:published_time' or @name='article:published_time'"
        " or @itemprop='datePublished' or @name='pubdate' or @name='date']/@content"
    ):
        found = parse_time(str(content))
        if found:
            return found
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(str(script))
        except (ValueError, RecursionError):  # broken, or nested past the parser's depth
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                found = parse_time(item["datePublished"])
                if found:
                    return found
    return None


def from_html(html: str, *, url: str | None = None) -> ArticleDraft:
    """Extract an article from an HTML page fetched from `url` (when known)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        fast=True,
    )
    if document is None or isinstance(document, dict):
        raise ExtractionError("no article text found on the page")
    text = normalize_paragraphs(document.text or "")
    _check_length(text)
    if len(words(text)) < MIN_WORDS:
        raise ExtractionError(
            f"too little text on the page ({len(words(text))} words): a paywall or not an article"
        )
    title = normalize(document.title or "") or guess_title(text)
    canonical = None
    if url:
        try:
            canonical = resolve_canonical(url, document.url)
        except InvalidURL:
            canonical = None
    published = _published_from_html(html) or parse_time(document.date)
    return ArticleDraft(
        title=title,
        text=text,
        url=url,
        canonical_url=canonical,
        outlet=document.sitename or document.hostname,
        author=document.author,
        published=published,
    )


def normalize_paragraphs(text: str) -> str:
    """One paragraph per line, white space folded, empty lines dropped; the words stay as
    written (curly quotes too), so that a claim's sentence is quoted as it stands."""
    return "\n".join(p for p in (" ".join(line.split()) for line in text.splitlines()) if p)


def guess_title(text: str, max_lines: int = 15) -> str:
    """The early line that best summarises the text: short, no final full stop, and made of
    the distinctive words the rest of the text keeps using. Page furniture ("Play Live Radio")
    shares none of them.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body_terms: dict[str, int] = {}
    for line in lines:
        for word in words(line):
            stem, weight = term(word)
            if weight > 0:
                body_terms[stem] = body_terms.get(stem, 0) + 1
    best, best_score = "", 0.0
    for position, line in enumerate(lines[:max_lines]):
        line_words = words(line)
        if not 3 <= len(line_words) <= 25 or line.endswith((".", ":", '"', "'")):
            continue
        score = 0.0
        for word in line_words:
            stem, weight = term(word)
            if body_terms.get(stem, 0) > 1:  # used again elsewhere in the text
                score += weight
        # Headlines are short and come first.
        score /= len(line_words) ** 0.5 * (1.0 + 0.2 * position)
        if score > best_score:
            best, best_score = line, score
    if best:
        return best
    first = lines[0] if lines else ""
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."


def _check_length(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractionError(
            f"too much text for an article ({len(text):,} characters; at most {MAX_TEXT_CHARS:,})"
        )


def from_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: datetime | None = None,
    find_title: bool = True,
) -> ArticleDraft:
    """An article from plain text (a capture or a JSONL record); without a title, the best
    early line becomes one unless `find_title` is False (a pair judged as given)."""
    body = normalize_paragraphs(text)
    head = normalize(title or "")
    if not body and not head:
        raise ExtractionError("empty: no title and no text")
    _check_length(body)
    canonical = None
    if url:
        try:
            canonical = canonicalize(url)
        except InvalidURL as exc:
            raise ExtractionError(str(exc)) from exc
    return ArticleDraft(
        title=head or (guess_title(body) if find_title else ""),
        text=body,
        url=url,
        canonical_url=canonical,
        published=published,
    )
