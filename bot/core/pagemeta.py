"""What a page says about itself, cleaned: a plausible publication time, the headline without
the site's name, and a byline reduced to the names in it.

Pure string and datetime logic; the HTML is read by ``bot.core.extract``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

# News on the web starts in the 1990s; anything earlier is a placeholder ("0001-01-01", the
# Unix epoch) or a date the page is about rather than one it was published on.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# A page's clock may run a little ahead (time zones, scheduled posts); a day is the most.
FUTURE_SLACK = timedelta(days=1)


def plausible_time(value: datetime | None, *, now: datetime) -> datetime | None:
    """`value` when it can be a publication time seen at `now`, else None: not before 1990,
    not more than a day after `now`. A naive value is taken as UTC."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if aware < EARLIEST or aware > now + FUTURE_SLACK:
        return None
    return aware


# A title's parts: "Headline | Site", "Site - Headline", "Headline — Section — Site".
_SEPARATOR_RE = re.compile(r"\s+[|\-–—:·•»/]+\s+|\s*[|•»]\s*")
_NON_ALNUM_RE = re.compile(r"[\W_]+")
# Host labels that name no site.
_HOST_NOISE = {"www", "m", "amp", "mobile", "news", "edition", "en", "beta"}


def _key(text: str) -> str:
    """Letters and digits only, case-folded and without accents: "The Paradigm" -> "paradigm"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    key = _NON_ALNUM_RE.sub("", folded)
    return key.removeprefix("the") if len(key) > 6 else key


def host_names(host: str | None) -> list[str]:
    """The keys a host may name its site by: "www.newsnationnow.com" -> ["newsnationnow"]."""
    if not host:
        return []
    labels = [label for label in host.lower().split(".") if label and label not in _HOST_NOISE]
    if len(labels) >= 2:
        labels = labels[:-1]  # the top-level domain
        if len(labels) >= 2 and len(labels[-1]) <= 3:  # co.uk, com.au
            labels = labels[:-1]
    return [_key(label) for label in labels[-1:] if len(_key(label)) >= 3]


def _names_site(part: str, sites: Sequence[str]) -> bool:
    """Whether a title part is the site's name (or a host spelling of it)."""
    key = _key(part)
    if len(key) < 2:
        return False
    for site in sites:
        if not site:
            continue
        # "News Nation" against "newsnationnow"; "NYTimes.com" against "nytimes". A part much
        # longer than the name is a headline mentioning the site.
        close = len(key) >= 4 and len(site) >= 4 and (site in key or key in site)
        if key == site or (close and len(key) <= len(site) + 8):
            return True
    return False


def _parts(title: str) -> list[str]:
    return [p for p in _SEPARATOR_RE.split(title) if p.strip()]


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"[^\W_]+", text)]


def clean_title(
    title: str,
    *,
    site_names: Iterable[str | None] = (),
    host: str | None = None,
    headlines: Iterable[str | None] = (),
) -> str:
    """The headline of a page title without the site's name.

    `site_names` are what the page calls itself (og:site_name, the publisher); `host` is the
    page's host; `headlines` are the page's own headline elsewhere (og:title, the <h1>). A
    leading or trailing part that names the site is dropped; when the title is one of the
    headlines followed or preceded by other parts, that headline is the title. A part is only
    ever dropped whole, at a separator, so a headline is never cut inside.
    """
    title = " ".join(title.split())
    sites = [_key(s) for s in site_names if s] + host_names(host)
    known = [" ".join(h.split()) for h in headlines if h and h.strip()]
    if not title:
        return next((h for h in known if not _site_only(h, sites)), "")
    # The title is "<headline> <sep> ..." for a headline the page gives elsewhere.
    for headline in known:
        cleaned = _strip_site(headline, sites)
        if (
            cleaned
            and len(_words(cleaned)) >= 2
            and cleaned != title
            and _key(cleaned) != _key(title)
            and (title.startswith(cleaned) or title.endswith(cleaned))
            and any(_names_site(p, sites) for p in _rest(title, cleaned))
        ):
            return cleaned
    return _strip_site(title, sites)


def _site_only(text: str, sites: Sequence[str]) -> bool:
    return all(_names_site(p, sites) for p in _parts(text))


def _rest(title: str, headline: str) -> list[str]:
    rest = title[len(headline) :] if title.startswith(headline) else title[: -len(headline)]
    return _parts(rest.strip(" |-–—:·•»/"))


# Section labels sites put next to the site name: "Headline - World - Site".
_SECTIONS = {
    "news",
    "world",
    "politics",
    "business",
    "sport",
    "sports",
    "opinion",
    "local",
    "national",
    "us",
    "uk",
    "home",
    "latest",
    "breaking",
    "tech",
    "technology",
    "science",
    "health",
    "entertainment",
    "blog",
}


def _is_section(part: str) -> bool:
    return _key(part) in _SECTIONS or _NON_ALNUM_RE.sub("", part.casefold()) in _SECTIONS


def _strip_site(title: str, sites: Sequence[str]) -> str:
    """The title without leading and trailing parts naming the site (and the section labels
    between them and the headline)."""
    if not sites:
        return title
    pieces = _SEPARATOR_RE.split(title)
    seps = _SEPARATOR_RE.findall(title)
    if len(pieces) < 2:
        return title
    start, end = 0, len(pieces)
    site_at_end = any(_names_site(p, sites) for p in pieces[1:] if p.strip())
    if site_at_end:
        while end - start > 1 and (
            _names_site(pieces[end - 1], sites)
            or not pieces[end - 1].strip()
            or (_is_section(pieces[end - 1]) and end - 1 > start + 0)
        ):
            end -= 1
    while end - start > 1 and (_names_site(pieces[start], sites) or not pieces[start].strip()):
        start += 1
    if (start, end) == (0, len(pieces)):
        return title
    out = pieces[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + pieces[i]
    return out.strip() or title


# Byline furniture: "By", roles, "Published"/"Updated" stamps, handles and e-mail addresses.
_BY_RE = re.compile(r"^\s*(?:written\s+)?by[:\s]+", re.IGNORECASE)
_CUT_RE = re.compile(
    r"\s+(?:is|was)\s+(?:a|an|the)\s+.*$"  # "Phil Helsel is a reporter for NBC News"
    r"|\s*\b(?:published|updated|posted|last\s+updated)\b.*$"  # "... Published 10:02 a.m."
    r"|\s*[,|–—-]\s*(?:staff|senior|chief|special|contributing|political|foreign)?\s*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor)\b.*$",
    re.IGNORECASE,
)
_JUNK_RE = re.compile(r"\S+@\S+|@\w+|https?://\S+|\b\d[\d:/.,-]*\b(?:\s*[ap]\.?m\.?)?", re.I)
_ROLE_WORDS = {
    "reporter",
    "writer",
    "correspondent",
    "editor",
    "columnist",
    "contributor",
    "staff",
    "senior",
    "chief",
    "special",
    "contributing",
    "wire",
    "service",
    "published",
    "updated",
    "posted",
}


def clean_author(raw: str | None) -> str | None:
    """The names in a byline, joined by "; " ("By Jane Doe and John Roe, Staff Writers" ->
    "Jane Doe; John Roe"); None when nothing name-like is left. A part made only of role words
    ("Staff Writers") is dropped; a name is otherwise kept as written."""
    if not raw:
        return None
    names: list[str] = []
    for chunk in re.split(r"[;,\n&]|\s+and\s+", raw):
        name = _BY_RE.sub("", chunk.strip())
        name = _CUT_RE.sub("", name)
        name = _JUNK_RE.sub(" ", name)
        name = name.strip(" ,|-–—:")
        if all(w.casefold().strip(".,").removesuffix("s") in _ROLE_WORDS for w in name.split()):
            continue  # "Staff Writers", "Senior Correspondent"
        if any(c.isalpha() for c in name) and len(name.split()) <= 6 and name not in names:
            names.append(name)
    return "; ".join(names) or None
