"""Article extraction: title, outlet, author, publication time, canonical URL and body text.

HTML goes through trafilatura (boilerplate removal and metadata, its dates through htmldate);
nothing here strips boilerplate or parses dates by hand. What the page says about itself is
then cleaned (``bot.core.pagemeta``): implausible dates refused, the site's name taken off the
title, bylines cut down to names; a description the page shows (its standfirst) that the
body extraction left out becomes the first paragraph. Plain-text captures (a copy-paste of a
page) have no markup to go on, so the text is kept whole and the title is the early line that
best summarises the rest.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.core.pagemeta import EARLIEST, FUTURE_SLACK, clean_author, clean_title, plausible_time
from bot.core.text import normalize, term, unspaced_length, words
from bot.core.urls import InvalidURL, canonicalize, resolve_canonical

logger = logging.getLogger(__name__)

# Below this many words of body text a page is not an article (a paywall, an error page).
MIN_WORDS = 25
# Longer than any article a newsroom compares (a 20,000-word long read is ~130,000 characters):
# a page past this is a dump or a bomb, and would stall matching and claim extraction.
MAX_TEXT_CHARS = 300_000


# A description (og:description, meta description) of at least this many words, shown on the
# page, is the article's lead (its standfirst) when the body extraction left it out.
LEAD_MIN_WORDS = 8


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


# htmldate's search (through trafilatura): the original publication date rather than the
# last update, with the time of day when the page gives it, never before 1990.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def date_params(now: datetime) -> dict[str, Any]:
    """trafilatura's `date_extraction_params`: htmldate looks for the original date (not the
    update), keeps the time of day, and considers only plausible days (see pagemeta)."""
    return {
        "original_date": True,
        "extensive_search": True,
        "outputformat": _DATE_FORMAT,
        "min_date": EARLIEST.strftime("%Y-%m-%d"),
        "max_date": (now + FUTURE_SLACK).strftime("%Y-%m-%d"),
    }


def _page_time(value: str | None) -> datetime | None:
    """htmldate's output as an aware datetime in the page's own offset (UTC when it gives
    none); the draft carries it in UTC."""
    if not value:
        return None
    try:
        parsed = datetime.strptime(value, _DATE_FORMAT)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def word_count(text: str) -> int:
    """How many words a text has: its word tokens, where a text in a script written without
    spaces counts two of its characters a word (a Japanese article is one "token" a clause)."""
    unspaced = 0
    count = 0
    for token in words(text):
        n = unspaced_length(token)
        unspaced += n
        count += n == 0
    return count + unspaced // 2


@dataclass(frozen=True, slots=True)
class PageHeads:
    """What a page says of itself besides its body: its headline as given besides its <title>
    (og:title, twitter:title, the first <h1>), its og:site_name, and its descriptions that
    are shown on the page (a standfirst), normalised."""

    headlines: list[str]
    site_name: str | None = None
    shown_descriptions: tuple[str, ...] = ()


_META_DESCRIPTIONS = (
    "//meta[@property='og:description' or @name='og:description' or @name='description'"
    " or @name='twitter:description' or @property='twitter:description']/@content"
)
# The page's visible text: what its body shows, without scripts, styles and templates.
_SHOWN_TEXT = (
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]"
)


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _page_heads(html: str) -> PageHeads:
    """The page's headlines, site name and shown descriptions (see PageHeads)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, etree.ParserError):
        return PageHeads([])
    found: list[str] = []
    for xpath in (
        "//meta[@property='og:title' or @name='og:title']/@content",
        "//meta[@name='twitter:title' or @property='twitter:title']/@content",
        "(//h1)[1]",
    ):
        for hit in tree.xpath(xpath)[:1]:
            value = hit if isinstance(hit, str) else hit.text_content()
            value = normalize(str(value))
            if value and len(value) <= 300:
                found.append(value)
    site = tree.xpath("//meta[@property='og:site_name' or @name='og:site_name']/@content")
    site_name = (normalize(str(site[0])) or None) if site else None
    descriptions = []
    for value in dict.fromkeys(" ".join(str(d).split()) for d in tree.xpath(_META_DESCRIPTIONS)):
        if len(words(value)) >= LEAD_MIN_WORDS:
            descriptions.append(unicodedata.normalize("NFC", value))
    shown: tuple[str, ...] = ()
    if descriptions:
        page_text = _folded("".join(str(t) for t in tree.xpath(_SHOWN_TEXT)))
        shown = tuple(d for d in descriptions if _folded(d) in page_text)
    return PageHeads(found, site_name, shown)


def _with_lead(text: str, descriptions: tuple[str, ...]) -> str:
    """The body with the page's lead first, when the page shows a description of itself that
    the body extraction left out: trafilatura drops a standfirst set in the article's
    <header> or a teaser block, and a news article's lead says most."""
    body = _folded(text)
    for description in descriptions:
        if _folded(description) not in body:
            return f"{description}\n{text}"
    return text


def from_html(html: str, *, url: str | None = None, now: datetime | None = None) -> ArticleDraft:
    """Extract an article from an HTML page fetched from `url` (when known), as seen at `now`
    (the clock when not given): a publication time later than a day after `now` is refused."""
    import trafilatura

    now = now or datetime.now(UTC)
    # trafilatura's defaults (precision and recall balanced, with its fallback extractors)
    # and tables: `fast` took a site's menu for the article on some pages, and a results page
    # without its table kept only the furniture shared with the rest of its site.
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=date_params(now),
        )
    except Exception as exc:  # a third-party parser on untrusted markup: any failure
        raise ExtractionError(f"the page could not be parsed ({type(exc).__name__})") from exc
    if document is None or isinstance(document, dict):
        raise ExtractionError("no article text found on the page")
    heads = _page_heads(html)
    headlines, site_name = heads.headlines, heads.site_name
    text = normalize_paragraphs(document.text or "")
    if text:
        text = _with_lead(text, heads.shown_descriptions)
    _check_length(text)
    if word_count(text) < MIN_WORDS:
        raise ExtractionError(
            f"too little text on the page ({word_count(text)} words): a paywall or not an article"
        )
    host = document.hostname or _host(url)
    title = clean_title(
        normalize(document.title or ""),
        site_names=(site_name, document.sitename),
        host=host,
        headlines=headlines,
    )
    canonical = None
    if url:
        try:
            canonical = resolve_canonical(url, document.url)
        except InvalidURL:
            canonical = None
    return ArticleDraft(
        title=title or guess_title(text),
        text=text,
        url=url,
        canonical_url=canonical,
        outlet=site_name or document.sitename or host,
        author=clean_author(document.author),
        published=_published(html, document.date, now),
    )


def _published(html: str, found: str | None, now: datetime) -> datetime | None:
    """The page's publication time: htmldate's, when plausible. A bare 1 January found only by
    htmldate's extensive search (a copyright line, a year in the text) is a guess at a year,
    not a date: without the markup agreeing, the page is undated."""
    local = plausible_time(_page_time(found), now=now)
    published = local.astimezone(UTC) if local is not None else None
    if local is None or (local.month, local.day, local.hour) != (1, 1, 0):
        return published
    import htmldate

    params = {**date_params(now), "extensive_search": False}
    try:
        confirmed = htmldate.find_date(html, **params)
    except Exception:  # lxml asserts on some markup: the date is then unconfirmed
        return None
    return published if confirmed else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def normalize_paragraphs(text: str) -> str:
    """One paragraph per line, white space folded, empty lines dropped, characters composed
    (Unicode NFC: "ü" one character, as trafilatura's own output gives it, not "u" and a
    combining mark); the words stay as written (curly quotes too), so that a claim's sentence
    is quoted as it stands."""
    lines = unicodedata.normalize("NFC", text).splitlines()
    return "\n".join(p for p in (" ".join(line.split()) for line in lines) if p)


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
