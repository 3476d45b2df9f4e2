"""Tests for bot.core.urls: article URL canonicalisation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.urls import InvalidURL, canonicalize, is_http_url, resolve_canonical

PLAIN = "https://example.com/news/2024/story-123"


@pytest.mark.parametrize(
    "variant",
    [
        PLAIN,
        "https://example.com/news/2024/story-123?utm_source=x",
        "https://example.com/news/2024/story-123?utm_source=x&utm_medium=social&fbclid=abc",
        "https://example.com/news/2024/story-123?UTM_Campaign=x&FBCLID=y&gclid=z&_ga=1",
        "https://example.com/news/2024/story-123/",
        # AMP editions
        "https://example.com/news/2024/story-123/amp",
        "https://example.com/news/2024/story-123/amp/",
        "https://amp.example.com/news/2024/story-123",
        "https://example.com/news/2024/story-123?outputType=amp",
        "https://example.com/news/2024/story-123?outputtype=AMP",
        "https://example.com/news/2024/story-123?amp=1",
        "https://example.com/news/2024/story-123?amp=true",
        "https://example.com/news/2024/story-123?amp",
        "https://example.com/amp/news/2024/story-123",
        "https://example.com/news/2024/story-123.amp",
        "https://www.google.com/amp/s/www.example.com/news/2024/story-123",
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/2024/story-123/amp",
        # scheme, case, ports, fragments, editions
        "http://example.com/news/2024/story-123",
        "HTTPS://WWW.Example.COM/news/2024/story-123",
        "https://example.com:443/news/2024/story-123",
        "http://example.com:80/news/2024/story-123",
        "https://example.com/news/2024/story-123#comments",
        "https://www.example.com/news/2024/story-123",
        "https://m.example.com/news/2024/story-123",
        "https://mobile.example.com/news/2024/story-123",
        "https://example.com./news/2024/story-123",
        "https://user:secret@example.com/news/2024/story-123",
        # path spelling
        "https://example.com//news///2024/story-123",
        "https://example.com/news/./2024/x/../story-123",
        "https://example.com/%6Eews/2024/story%2D123",
        # how Slack and users deliver it
        "  https://example.com/news/2024/story-123\n",
        "<https://example.com/news/2024/story-123>",
        "<https://example.com/news/2024/story-123?utm_source=a&amp;utm_medium=b|example.com/news>",
    ],
)
def test_variants_share_the_plain_key(variant: str) -> None:
    assert canonicalize(variant) == PLAIN


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.com", "https://example.com/"),
        ("http://example.com/", "https://example.com/"),
        ("https://example.com/?", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:8080/a", "https://example.com:8080/a"),
        ("https://example.com/News/Story", "https://example.com/News/Story"),
        ("https://example.com/a/story.amp.html", "https://example.com/a/story.html"),
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
        ("https://xn--bcher-kva.example/a", "https://xn--bcher-kva.example/a"),
        ("https://www.bücher.example/a", "https://xn--bcher-kva.example/a"),
        ("http://192.168.0.1:80/a", "https://192.168.0.1/a"),
        ("http://[::1]:8080/a", "https://[::1]:8080/a"),
        # edition labels go only when a dotted host remains
        ("https://m.com/a", "https://m.com/a"),
        ("https://www.com/", "https://www.com/"),
        ("https://amp.dev/about", "https://amp.dev/about"),
        ("https://www.m.example.com/a", "https://example.com/a"),
        # percent-encoding: unreserved decoded, other escapes upper-cased, the rest escaped
        ("https://example.com/%7euser/%2fx", "https://example.com/~user/%2Fx"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/a?q=caf%c3%a9&x=%41", "https://example.com/a?q=caf%C3%A9&x=A"),
    ],
)
def test_exact_keys(url: str, key: str) -> None:
    assert canonicalize(url) == key


def test_non_tracking_params_kept_and_sorted() -> None:
    url = "https://example.com/a?z=1&b=2&utm_source=x&a=3&fbclid=y"
    assert canonicalize(url) == "https://example.com/a?a=3&b=2&z=1"


def test_repeated_params_keep_their_order() -> None:
    assert canonicalize("https://example.com/a?t=2&b=1&t=1") == "https://example.com/a?b=1&t=2&t=1"


@pytest.mark.parametrize(
    "url",
    [
        # the parameters courlan 1.4 drops or HTML-unescapes ("&region" -> "®ion")
        "https://example.com/a?id=1&region=us&section=world",
        "https://example.com/a?copy=2&x=1",
        "https://example.com/game?game=42&session=3",
        "https://example.com/search?keyword=x&medium=print&q=a+b&source=home",
        "https://example.com/a?cid=7&share=1&src=rss",
        "https://example.com/a?b=&empty",
        "https://example.com/gallery?gallery=1&page=2",
        # a URL inside a URL is not swapped for the inner one
        "https://out.example.com/r?url=https://other.example/x",
        # reserved characters are neither escaped nor decoded
        "https://example.com/wiki/Foo_(bar)",
        "https://example.com/a;b=c/@x+y,z!$'*",
        "https://example.com/a%2Fb%3F%23",
        # short hosts are hosts
        "https://t.co/abc123",
        "https://localhost:8000/a",
        "https://example.com/x/amplifier/damp.html",
    ],
)
def test_good_urls_are_not_mangled(url: str) -> None:
    assert canonicalize(url) == url


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ftp://x", "not an http(s) link: ftp://x"),
        ("javascript:alert(1)", "not an http(s) link: javascript:alert(1)"),
        ("mailto:desk@example.com", "not an http(s) link: mailto:desk@example.com"),
        ("<mailto:desk@example.com|desk@example.com>", "not an http(s) link: mailto:"),
        ("", "empty link"),
        ("   ", "empty link"),
        ("<>", "empty link"),
        ("http:///a", "no host in link: http:///a"),
        ("https://", "no host in link"),
        ("http:example.com", "no host in link"),
        ("garbage", "not an http(s) link: garbage"),
        ("example.com/story", "not an http(s) link: example.com/story"),
        ("//example.com/story", "not an http(s) link"),
        ("http://exa mple.com/", "invalid host in link"),
        ("http://a..b/", "invalid host in link"),
        ("http://" + "ä" * 70 + ".com/", "invalid host in link"),
        ("http://example.com:99999/", "invalid port in link"),
        ("http://example.com:http/", "invalid port in link"),
        ("http://[::1/", "malformed link"),
        ("http://example.com/\ud800", "unreadable characters in link"),
    ],
)
def test_invalid_links_raise_a_readable_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidURL) as excinfo:
        canonicalize(text)
    assert str(excinfo.value).startswith(reason)
    assert isinstance(excinfo.value, ValueError)


def test_reason_is_one_short_line() -> None:
    with pytest.raises(InvalidURL) as excinfo:
        canonicalize("ftp://x\n" + "y" * 500)
    message = str(excinfo.value)
    assert "\n" not in message
    assert len(message) < 150


def test_is_http_url() -> None:
    assert is_http_url("https://example.com/a")
    assert is_http_url("<http://example.com|example.com>")
    assert not is_http_url("ftp://example.com/a")
    assert not is_http_url("hello world")
    assert not is_http_url("")


PAGE = "https://m.example.com/news/story-123/amp"


@pytest.mark.parametrize(
    ("rel_canonical", "key"),
    [
        ("/news/story-123?utm_source=x", "https://example.com/news/story-123"),
        ("../story-123-updated", "https://example.com/news/story-123-updated"),
        ("//www.example.com/news/story-123", "https://example.com/news/story-123"),
        ("https://partner.example.org/wire/123", "https://partner.example.org/wire/123"),
        (" https://example.com/news/story-123/ ", "https://example.com/news/story-123"),
        ("https://example.com/?p=123", "https://example.com/?p=123"),
    ],
)
def test_resolve_canonical_uses_the_canonical(rel_canonical: str, key: str) -> None:
    assert resolve_canonical(PAGE, rel_canonical) == key


@pytest.mark.parametrize(
    "rel_canonical",
    [None, "", "   ", "javascript:void(0)", "ftp://example.com/x", "http://[::1/", "https://"],
)
def test_resolve_canonical_falls_back_to_the_page(rel_canonical: str | None) -> None:
    assert resolve_canonical(PAGE, rel_canonical) == "https://example.com/news/story-123"


def test_resolve_canonical_ignores_a_home_page_canonical_on_an_article() -> None:
    assert resolve_canonical(PAGE, "https://www.example.com/") == (
        "https://example.com/news/story-123"
    )
    assert resolve_canonical("https://example.com/?utm_source=x", "/") == "https://example.com/"


def test_resolve_canonical_rejects_a_bad_page_url() -> None:
    with pytest.raises(InvalidURL):
        resolve_canonical("not a link", "https://example.com/a")


# --- properties ---

_label = st.text(alphabet="abcxyz0189-", min_size=1, max_size=8)
_host = st.builds(
    lambda edition, labels, tld: edition + ".".join(labels) + "." + tld,
    st.sampled_from(["", "www.", "m.", "amp.", "www.m.", "WWW."]),
    st.lists(
        st.one_of(_label, st.sampled_from(["bücher", "münchen", "例え", "amp"])),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["com", "org", "co.uk", "de", "COM"]),
)
_port = st.sampled_from(["", ":80", ":443", ":8080", ":0443"])
_segment = st.one_of(
    st.sampled_from(["amp", ".", "..", "", "x.amp", "x.amp.html", "%2e", "%7E", "%2f", "%"]),
    st.text(alphabet="aZ09-._~!$&'()*+,;=:@%?# é/\\", max_size=8),
)
_path = st.lists(_segment, max_size=6).map(lambda segments: "/" + "/".join(segments))
_param = st.tuples(
    st.one_of(
        st.sampled_from(["utm_source", "UTM_medium", "fbclid", "amp", "outputType", "a", "b"]),
        st.text(alphabet="abcz_%=+é", max_size=5),
    ),
    st.one_of(st.sampled_from(["", "1", "true", "amp"]), st.text(alphabet="xy=%é/?", max_size=5)),
)
_query = st.lists(_param, max_size=4).map(
    lambda params: ("?" + "&".join(f"{k}={v}" for k, v in params)) if params else ""
)
_http_url = st.builds(
    lambda scheme, host, port, path, query, fragment: (
        f"{scheme}://{host}{port}{path}{query}{fragment}"
    ),
    st.sampled_from(["http", "https", "HTTPS"]),
    _host,
    _port,
    _path,
    _query,
    st.sampled_from(["", "#", "#top"]),
)
_viewer_url = st.builds(
    lambda prefix, url: prefix + url.split("://", 1)[1],
    st.sampled_from(
        ["https://www.google.com/amp/s/", "https://x-com.cdn.ampproject.org/c/s/", "http://g.co/"]
    ),
    _http_url,
)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_http_url, _viewer_url))
def test_canonicalize_is_idempotent(url: str) -> None:
    key = canonicalize(url)
    assert canonicalize(key) == key


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.builds(
            str.__add__,
            st.sampled_from(["http://", "https://", "<https://", "HTTP://", "http:", "//"]),
            st.text(),
        ),
    )
)
def test_arbitrary_text_gives_a_key_or_invalid_url(text: str) -> None:
    try:
        key = canonicalize(text)
    except InvalidURL as exc:
        assert "\n" not in str(exc)
    else:
        assert canonicalize(key) == key
