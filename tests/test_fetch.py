"""bot.fetch against a real HTTP server on 127.0.0.1; no other network is used.

Hosts like ``news.example`` exist only in a fake resolver that maps them to 127.0.0.1, and the
fetcher under test exempts exactly 127.0.0.1 from the address policy (``allow_addresses``), so
the first hop reaches the local server while every other address stays under the policy. Since
nothing else can resolve ``news.example``, a successful fetch also shows that the backend
connects to the address it checked instead of resolving the name a second time.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.fetch import FetchedPage, Fetcher, FetchError, FetchLimits, address_problem

MB = 1024 * 1024
PAGE = "<html><head><title>Café</title></head><body><p>Café</p></body></html>"


def _gzip_bomb(decoded_mb: int = 64) -> bytes:
    """A gzip stream of ``decoded_mb`` MB of zeros, built without holding the zeros in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MB)
    parts = [compressor.compress(block) for _ in range(decoded_mb)]
    return b"".join(parts) + compressor.flush()


BOMB = _gzip_bomb()
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
FEED_ETAG = '"v1"'
FEED_MODIFIED = "Thu, 20 Jun 2024 15:28:00 GMT"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        route = url.path.strip("/").split("/")
        handler = getattr(self, f"route_{route[0].replace('-', '_')}", None)
        if handler is None:
            self.reply(404, b"<p>not here</p>")
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the fetcher hung up
            handler(*route[1:], **{k: v[0] for k, v in parse_qs(url.query).items()})

    def reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        headers = {"Content-Type": "text/html", **(headers or {})}
        self.send_response(status)
        for name, value in headers.items():
            if value:  # an empty value leaves the header out
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_page(self) -> None:
        body = PAGE.encode("latin-1")
        self.reply(200, body, {"Content-Type": "text/html; charset=ISO-8859-1"})

    def route_echo(self) -> None:
        self.reply(200, str(self.headers).encode(), {"Content-Type": "text/plain"})

    def route_redirect(self, hops: str) -> None:
        n = int(hops)
        if n == 0:
            self.reply(200, b"<p>arrived</p>")
        else:
            self.reply(302, b"", {"Location": f"/redirect/{n - 1}"})

    def route_to(self, u: str) -> None:
        self.reply(302, b"", {"Location": u})

    def route_big_declared(self) -> None:
        # Declares 6 MB, then stalls: only an early refusal returns quickly.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(6 * MB))
        self.end_headers()
        self.wfile.write(b"<html>")
        self.wfile.flush()
        time.sleep(3)

    def route_big_chunked(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"x" * 65536
        for _ in range(6 * MB // len(block)):
            self.wfile.write(b"%x\r\n%b\r\n" % (len(block), block))
        self.wfile.write(b"0\r\n\r\n")

    def route_bomb(self) -> None:
        self.reply(200, BOMB, {"Content-Encoding": "gzip"})

    def route_gzip(self) -> None:
        self.reply(200, gzip.compress(b"<p>gzipped</p>"), {"Content-Encoding": "gzip"})

    def route_deflate(self, raw: str = "") -> None:
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        body = compressor.compress(b"<p>deflated</p>") + compressor.flush()
        self.reply(200, body, {"Content-Encoding": "deflate"})

    def route_brotli(self) -> None:
        self.reply(200, b"\x0b\x02\x80", {"Content-Encoding": "br"})

    def route_pdf(self) -> None:
        self.reply(200, b"%PDF-1.7", {"Content-Type": "application/pdf"})

    def route_no_type(self) -> None:
        self.reply(200, b"<p>what am I</p>", {"Content-Type": ""})

    def route_slow(self, stall: str = "") -> None:
        # Drips a byte every 0.1 s; with ``stall``, goes silent after 0.8 s.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(8 if stall else 1000):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.1)
        time.sleep(3)

    def route_feed(self) -> None:
        # Answers 304 to either validator of its one version.
        if self.headers.get("If-None-Match") == FEED_ETAG or (
            self.headers.get("If-Modified-Since") == FEED_MODIFIED
        ):
            self.send_response(304)
            self.send_header("ETag", FEED_ETAG)
            self.end_headers()
            return
        headers = {
            "Content-Type": "application/rss+xml; charset=utf-8",
            "ETag": FEED_ETAG,
            "Last-Modified": FEED_MODIFIED,
        }
        self.reply(200, FEED, headers)

    def route_feed_big(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"<x/>" * 16384
        for _ in range(6 * MB // len(block)):
            self.wfile.write(b"%x\r\n%b\r\n" % (len(block), block))
        self.wfile.write(b"0\r\n\r\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the fetcher hangs up on purpose in many tests


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def fake_resolver(table: dict[str, list[str]]) -> Callable[[str], list[str]]:
    def resolve(host: str) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


NAMES = {
    "news.example": ["127.0.0.1"],
    "intranet.example": ["10.0.0.5"],
    "mixed.example": ["93.184.215.14", "10.0.0.5"],
}


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """Policy on; only 127.0.0.1, the local server, is exempt."""
    with Fetcher(resolver=fake_resolver(NAMES), allow_addresses={"127.0.0.1"}) as f:
        yield f


@pytest.fixture
def strict() -> Iterator[Fetcher]:
    """Policy on, nothing exempt, the real resolver."""
    with Fetcher() as f:
        yield f


def refusal(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    assert "\n" not in caught.value.reason
    return caught.value.reason


# --- pages that are fetched -----------------------------------------------------------------


def test_fetches_a_page_with_its_charset(fetcher: Fetcher, port: int) -> None:
    page = fetcher.fetch(f"http://reader:secret@news.example:{port}/page#top")
    assert page.url == f"http://news.example:{port}/page"
    assert (page.status, page.content_type, page.charset) == (200, "text/html", "iso-8859-1")
    assert page.body == PAGE.encode("latin-1")
    assert "<p>Café</p>" in page.text()


def test_sends_host_user_agent_and_accept_encoding(fetcher: Fetcher, port: int) -> None:
    sent = fetcher.fetch(f"http://news.example:{port}/echo").text()
    assert f"Host: news.example:{port}" in sent
    assert "User-Agent: newsroom-bot/0.1" in sent
    assert "Accept-Encoding: gzip, deflate" in sent


def test_follows_a_redirect_chain_of_two(fetcher: Fetcher, port: int) -> None:
    page = fetcher.fetch(f"http://news.example:{port}/redirect/2")
    assert page.url == f"http://news.example:{port}/redirect/0"
    assert page.text() == "<p>arrived</p>"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("gzip", "<p>gzipped</p>"),
        ("deflate", "<p>deflated</p>"),
        ("deflate?raw=1", "<p>deflated</p>"),
    ],
)
def test_decodes_content_encodings(fetcher: Fetcher, port: int, path: str, text: str) -> None:
    assert fetcher.fetch(f"http://news.example:{port}/{path}").text() == text


def test_allow_private_lifts_the_policy(port: int) -> None:
    with Fetcher(allow_private=True) as f:
        assert f.fetch(f"http://127.0.0.1:{port}/page").status == 200


# --- refusals -------------------------------------------------------------------------------


def test_refuses_a_redirect_chain_of_six(fetcher: Fetcher, port: int) -> None:
    reason = refusal(fetcher, f"http://news.example:{port}/redirect/6")
    assert reason == "too many redirects (more than 5)"


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://10.0.0.5/", "refused: 10.0.0.5 is a private address"),
        (
            "http://169.254.169.254/latest/meta-data",
            "refused: 169.254.169.254 is a cloud metadata address",
        ),
        ("http://[::1]/", "refused: ::1 is a loopback address"),
        # (127.0.0.1 itself is the exempted test server; its neighbours are not)
        ("http://127.0.0.2/", "refused: 127.0.0.2 is a loopback address"),
        ("http://2130706434/", "refused: 127.0.0.2 is a loopback address"),
        ("http://0x7f.0.0.2/", "refused: 127.0.0.2 is a loopback address"),
        ("http://0.0.0.0/", None),
        ("http://intranet.example/", "refused: 10.0.0.5 is a private address"),
        ("ftp://news.example/file.txt", "not an http(s) link: ftp://news.example/file.txt"),
    ],
)
def test_refuses_redirects_to_forbidden_places(
    fetcher: Fetcher, port: int, location: str, reason: str | None
) -> None:
    found = refusal(fetcher, f"http://news.example:{port}/to?u={location}")
    if reason is None:  # 0.0.0.0: refused, whichever way the address policy words it
        assert found.startswith("refused: 0.0.0.0 is")
    else:
        assert found == reason


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0x7f.0.0.1", "0177.0.0.1", "0x7f000001", "127.1", "[::ffff:127.0.0.1]"],
)
def test_refuses_odd_spellings_of_loopback(strict: Fetcher, host: str) -> None:
    assert refusal(strict, f"http://{host}/") == "refused: 127.0.0.1 is a loopback address"


def test_refuses_the_local_server_without_an_exemption(strict: Fetcher, port: int) -> None:
    assert refusal(strict, f"http://127.0.0.1:{port}/page") == (
        "refused: 127.0.0.1 is a loopback address"
    )
    assert refusal(strict, f"http://localhost:{port}/page").endswith("is a loopback address")


@pytest.mark.parametrize("host", ["intranet.example", "mixed.example"])
def test_refuses_names_that_resolve_to_private_addresses(fetcher: Fetcher, host: str) -> None:
    assert refusal(fetcher, f"https://{host}/story") == "refused: 10.0.0.5 is a private address"


def test_reports_names_that_do_not_resolve(fetcher: Fetcher) -> None:
    assert refusal(fetcher, "https://nowhere.example/") == "could not resolve nowhere.example"


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.0.0.5", "a private address"),
        ("fc00::1", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("100.64.0.1", "a shared (carrier-grade NAT) address"),
        ("240.0.0.1", "a private address"),  # reserved, and listed as private by ipaddress
        ("::ffff:10.0.0.5", "a private address"),
        ("64:ff9b::7f00:1", "a loopback address"),  # NAT64
        ("2002:7f00:1::", "a loopback address"),  # 6to4
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
    ],
)
def test_address_policy(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/a.pdf", "not an http(s) link: ftp://example.com/a.pdf"),
        ("javascript:alert(1)", "not an http(s) link: javascript:alert(1)"),
        ("example.com/story", "not an http(s) link: example.com/story"),
        ("http://[::1/", "not a valid link: http://[::1/"),
        ("http://exa mple.com/", "not a valid link: http://exa mple.com/"),
    ],
)
def test_refuses_links_that_are_not_web_links(strict: Fetcher, url: str, reason: str) -> None:
    assert refusal(strict, url) == reason


def test_refuses_a_declared_6_mb_page_before_reading_it(port: int) -> None:
    with Fetcher(FetchLimits(total_timeout=2.0), allow_private=True) as f:
        started = time.monotonic()
        assert refusal(f, f"http://127.0.0.1:{port}/big-declared") == "page is larger than 5 MB"
        assert time.monotonic() - started < 1.0


def test_refuses_a_streamed_6_mb_page(fetcher: Fetcher, port: int) -> None:
    assert refusal(fetcher, f"http://news.example:{port}/big-chunked") == (
        "page is larger than 5 MB"
    )


def test_refuses_a_gzip_bomb_without_inflating_it(fetcher: Fetcher, port: int) -> None:
    assert len(BOMB) < MB
    tracemalloc.start()
    try:
        reason = refusal(fetcher, f"http://news.example:{port}/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason == "page is larger than 5 MB"
    assert peak < 20 * MB


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("pdf", "not a web page (content type application/pdf)"),
        ("no-type", "not a web page (no content type)"),
        ("brotli", "unsupported content encoding br"),
    ],
)
def test_refuses_what_is_not_a_web_page(
    fetcher: Fetcher, port: int, path: str, reason: str
) -> None:
    assert refusal(fetcher, f"http://news.example:{port}/{path}") == reason


def test_reports_http_errors(fetcher: Fetcher, port: int) -> None:
    url = f"http://news.example:{port}/missing"
    assert refusal(fetcher, url) == f"HTTP 404 from {url}"


def test_reports_a_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with Fetcher(allow_private=True) as f:
        reason = refusal(f, f"http://127.0.0.1:{closed_port}/")
    assert reason == "could not connect to 127.0.0.1 (Connection refused)"


@pytest.mark.parametrize("path", ["slow", "slow?stall=1"])
def test_cuts_off_a_server_that_drips(port: int, path: str) -> None:
    # The stalling case shows each read is clamped to the time left: a read timeout set once
    # per request would only fire about 1.8 s in.
    with Fetcher(FetchLimits(total_timeout=1.0), allow_private=True) as f:
        started = time.monotonic()
        assert refusal(f, f"http://127.0.0.1:{port}/{path}") == "timed out after 1 s"
        assert time.monotonic() - started < 1.5


# --- feeds ---------------------------------------------------------------------------------


def test_fetch_feed_takes_feed_types_and_returns_the_validators(fetcher: Fetcher, port: int):
    feed = fetcher.fetch_feed(f"http://news.example:{port}/feed")
    assert (feed.status, feed.content_type, feed.body) == (200, "application/rss+xml", FEED)
    assert (feed.etag, feed.last_modified) == (FEED_ETAG, FEED_MODIFIED)
    assert not feed.not_modified


@pytest.mark.parametrize("validators", [{"etag": FEED_ETAG}, {"last_modified": FEED_MODIFIED}])
def test_fetch_feed_sends_the_validators_and_a_304_has_no_body(
    fetcher: Fetcher, port: int, validators: dict[str, str]
):
    again = fetcher.fetch_feed(f"http://news.example:{port}/feed", **validators)
    assert again.not_modified and again.status == 304 and again.body == b""
    changed = fetcher.fetch_feed(f"http://news.example:{port}/feed", etag='"v0"')
    assert changed.status == 200 and changed.body == FEED


def test_feed_types_are_for_feed_requests_only(fetcher: Fetcher, port: int):
    assert refusal(fetcher, f"http://news.example:{port}/feed") == (
        "not a web page (content type application/rss+xml)"
    )
    with pytest.raises(FetchError, match=r"^not a feed \(content type text/html\)$"):
        fetcher.fetch_feed(f"http://news.example:{port}/page")


def test_fetch_feed_keeps_the_address_policy_limits_and_redirect_cap(
    fetcher: Fetcher, strict: Fetcher, port: int
):
    with pytest.raises(FetchError, match="loopback"):
        strict.fetch_feed(f"http://127.0.0.1:{port}/feed")
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.fetch_feed(f"http://news.example:{port}/redirect/6")
    with pytest.raises(FetchError, match="private"):
        fetcher.fetch_feed(f"http://news.example:{port}/to?u=http://10.0.0.1/feed")
    with pytest.raises(FetchError, match="larger than 5 MB"):
        fetcher.fetch_feed(f"http://news.example:{port}/feed-big")


# --- text() ---------------------------------------------------------------------------------


def page(body: bytes, charset: str | None = None) -> FetchedPage:
    return FetchedPage("https://news.example/", 200, "text/html", charset, body)


def test_text_uses_the_header_charset_first() -> None:
    body = b'<meta charset="koi8-r">' + "Привет".encode("cp1251")
    assert page(body, "windows-1251").text().endswith("Привет")


def test_text_sniffs_meta_charset() -> None:
    assert (
        page(b'<meta charset="windows-1251">' + "Привет".encode("cp1251")).text().endswith("Привет")
    )
    equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    assert page(equiv + "Привет".encode("koi8-r")).text().endswith("Привет")


def test_text_ignores_meta_after_the_first_4_kb() -> None:
    body = b" " * 5000 + b'<meta charset="koi8-r">' + "é".encode()
    assert page(body).text().endswith("é")


def test_text_falls_back_to_utf8_with_replacement() -> None:
    assert page(b"caf\xc3\xa9 \xff").text() == "café \ufffd"
    assert page(b"caf\xc3\xa9", "no-such-charset").text() == "café"
    assert page(b"caf\xc3\xa9", "base64").text() == "café"
