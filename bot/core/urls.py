"""Article URL canonicalisation: one dedup key per article, whatever link variant was posted.

Built on urllib.parse rather than courlan.normalize_url/clean_url: measured on courlan 1.4,
those HTML-unescape the query ("&region=us" becomes "®ion=us"), drop real parameters such as
"source", "game", "session" or empty values, turn punycode hosts back into Unicode and swap a
link for any URL found inside it. tests/core/test_urls.py pins each of those cases.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urljoin, urlsplit

__all__ = ["TRACKING_PARAMS", "InvalidURL", "canonicalize", "is_http_url", "resolve_canonical"]

# Query parameters that only say how a reader arrived (ad clicks, newsletters, share buttons,
# analytics linkers), never which article. Compared lower-cased. Deliberately absent because
# they also carry content on some sites: cid (category/content id), src, share, sharing, id, si.
TRACKING_PARAMS = frozenset(
    {
        # ad-click identifiers
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "srsltid",
        # social apps
        "igshid", "igsh", "smid", "smtyp", "fb_action_ids", "fb_action_types", "fb_ref",
        "fb_source", "__twitter_impression",
        # newsletters and marketing automation
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "vero_id", "rb_clickid", "wickedid",
        # analytics and campaign tags
        "_ga", "_gl", "cmpid", "s_cid", "ocid", "xtor", "at_medium", "at_campaign",
        "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content",
        "guccounter", "guce_referrer", "guce_referrer_sig",
        # referrer tags
        "ref", "ref_src", "ref_url",
        # Google AMP viewer state
        "amp_js_v", "amp_gsa", "usqp",
    }
)  # fmt: skip
# Whole families of campaign tags (Google Analytics, Matomo).
_TRACKING_PREFIXES = ("utm_", "mtm_")

# Host labels that name a mobile, AMP or "www" edition of the same site.
_EDITION_LABELS = frozenset({"www", "m", "mobile", "amp"})
# Query flags that ask for the AMP edition: name -> values (lower-cased) that mean "AMP".
_AMP_FLAGS = {"outputtype": frozenset({"amp"}), "amp": frozenset({"", "1", "true"})}

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# A %XX escape, or one character that may not appear literally (RFC 3986 pchar, plus "/"
# in a path and "/?" in a query); a "%" not followed by two hex digits falls in the second.
_PATH_CHARS_RE = re.compile(r"%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/]")
_QUERY_CHARS_RE = re.compile(r"%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]")
_HOST_RE = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
# "story.amp" -> "story", "story.amp.html" -> "story.html"; needs a name before the dot.
_AMP_SUFFIX_RE = re.compile(r"(?<=[^.])\.amp(\.html)?$")
# Google's AMP viewer and cache wrap the publisher's URL in their own (matched on a key).
_AMP_VIEWER_RE = re.compile(
    r"https://(?:google\.[a-z.]+/amp|[a-z0-9-]+\.cdn\.ampproject\.org/[cvi])/(?:s/)?(.+)"
)
_AMP_VIEWER_HOST_RE = re.compile(r"google\.[a-z.]+|[a-z0-9-]+\.cdn\.ampproject\.org")
_SLACK_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_MAX_SHOWN = 100


class InvalidURL(ValueError):
    """A link that cannot be an article: str() is a one-line reason fit to show a user."""


def is_http_url(text: str) -> bool:
    """True if `text` is an absolute http(s) link that canonicalize() accepts."""
    try:
        canonicalize(text)
    except InvalidURL:
        return False
    return True


def canonicalize(url: str) -> str:
    """The dedup key of an article link; raises InvalidURL if it is not an http(s) link.

    >>> canonicalize("<http://www.Example.com/a/amp/?utm_source=x&b=2&a=1#top|label>")
    'https://example.com/a?a=1&b=2'
    """
    key = _key(_unwrap(url))
    # Unwrap Google AMP viewer links, keeping the viewer link if what it wraps is not a link.
    while match := _AMP_VIEWER_RE.fullmatch(key):
        try:
            key = _key("https://" + match[1])
        except InvalidURL:
            break
    return key


def resolve_canonical(page_url: str, rel_canonical: str | None) -> str:
    """The key of a fetched page, preferring its rel=canonical (or og:url) when that is usable."""
    page_key = canonicalize(page_url)
    if not rel_canonical or not rel_canonical.strip():
        return page_key
    try:
        key = canonicalize(urljoin(_unwrap(page_url), rel_canonical.strip()))
    except ValueError:  # InvalidURL, or urljoin on a malformed link
        return page_key
    # Sites that point every article's canonical at their home page would merge all of them.
    if _is_root(key) and not _is_root(page_key):
        return page_key
    return key


def _unwrap(text: str) -> str:
    """Strip whitespace and Slack's <url> / <url|label> wrapping (with its &amp; escapes)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == "<" and text[-1] == ">":
        text = text[1:-1].split("|", 1)[0].strip()
        for escaped, char in _SLACK_ESCAPES:
            text = text.replace(escaped, char)
    return text


def _key(text: str) -> str:
    """canonicalize() without the AMP viewer unwrapping."""
    if not text:
        raise InvalidURL("empty link")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise InvalidURL(f"malformed link: {_shown(text)}") from None
    scheme = parts.scheme
    if scheme not in ("http", "https"):
        raise InvalidURL(f"not an http(s) link: {_shown(text)}")
    hostname = parts.hostname
    try:
        port = parts.port
    except ValueError:
        raise InvalidURL(f"invalid port in link: {_shown(text)}") from None
    if not hostname:
        raise InvalidURL(f"no host in link: {_shown(text)}")
    try:
        host = _host(hostname)
        path = _PATH_CHARS_RE.sub(_fix_char, parts.path)
        query = _query(parts.query)
    except UnicodeError:
        raise InvalidURL(f"unreadable characters in link: {_shown(text)}") from None
    if host is None:
        raise InvalidURL(f"invalid host in link: {_shown(text)}")
    # Keys are https, so http's :80 and https' :443 both go; any other port is a different site.
    if port is not None and not (port == 443 or (port == 80 and scheme == "http")):
        host = f"{host}:{port}"
    amp_rules = not _AMP_VIEWER_HOST_RE.fullmatch(host)
    return f"https://{host}{_path(path, amp_rules)}{'?' + query if query else ''}"


def _host(hostname: str) -> str | None:
    """The ASCII (punycode) host without edition labels, or None if it is not a host name."""
    if ":" in hostname:
        try:
            address = ipaddress.IPv6Address(hostname)
        except ValueError:
            return None
        # A zone id ("%eth0") names an interface of the reader's machine: not a web address.
        return None if address.scope_id else f"[{address.compressed}]"
    if not hostname.isascii():
        try:
            hostname = hostname.encode("idna").decode("ascii").lower()
        except UnicodeError:  # an empty or over-long label
            return None
    host = hostname.removesuffix(".")  # "example.com." is the same host as "example.com"
    if not _HOST_RE.fullmatch(host):
        return None
    first, _, rest = host.partition(".")
    while first in _EDITION_LABELS and "." in rest:
        host = rest
        first, _, rest = host.partition(".")
    return host


def _path(path: str, amp_rules: bool) -> str:
    """Dot segments resolved, empty segments (// and trailing /) dropped, AMP forms undone."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    while amp_rules and segments:
        if segments[0] == "amp":  # /amp/story
            del segments[0]
        elif segments[-1] == "amp":  # /story/amp
            segments.pop()
        else:
            last = _AMP_SUFFIX_RE.sub(r"\1", segments[-1])  # /story.amp, /story.amp.html
            if last == segments[-1]:
                break
            segments[-1] = last
    return "/" + "/".join(segments)


def _query(query: str) -> str:
    """Query with tracking and AMP parameters removed and the rest sorted by name."""
    kept: list[tuple[str, str]] = []
    for pair in query.split("&"):
        if not pair:
            continue
        pair = _QUERY_CHARS_RE.sub(_fix_char, pair)
        name, _, value = pair.partition("=")
        lowered = name.lower()
        if lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES):
            continue
        if lowered in _AMP_FLAGS and value.lower() in _AMP_FLAGS[lowered]:
            continue
        kept.append((name, pair))
    kept.sort(key=lambda item: item[0])  # stable: repeated names keep their order
    return "&".join(pair for _, pair in kept)


def _fix_char(match: re.Match[str]) -> str:
    """One escape normalised: unreserved characters decoded, other escapes upper-cased."""
    text = match.group()
    if len(text) == 3:
        char = chr(int(text[1:], 16))
        return char if char in _UNRESERVED else text.upper()
    return quote(text, safe="")  # a stray "%" or a character that must be escaped


def _is_root(key: str) -> bool:
    parts = urlsplit(key)
    return parts.path == "/" and not parts.query


def _shown(text: str) -> str:
    """`text` on one line, shortened, for an error message."""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return line if len(line) <= _MAX_SHOWN else line[: _MAX_SHOWN - 1] + "…"
