"""A local news site serving HTML pages built from the seed articles (and a few bad pages)."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from urllib.parse import parse_qs, urlsplit

from tests.pages import article_page

OUTLETS = {
    "000": "NPR",
    "001": "Vietnam News",
    "002": "Daily Rewrite",
    "003": "The Northlines",
    "004": "The New York Times",
}


@cache
def hostile_pages() -> Mapping[str, bytes]:
    """Pages built to hurt a parser: nesting, one huge line, bad bytes, a gzip bomb.

    Built once a run (about 2 s, the bomb's compression) and shared read-only by every site."""
    nested = b"<html><body>" + b"<div>" * 100_000 + b"<p>deep</p>" + b"</div>" * 100_000
    one_line = b"<html><body><p>" + b"word " * 900_000 + b"</p></body></html>"  # 4.5 MB
    bad_bytes = b"<html><body><p>" + bytes(range(128, 256)) * 1000 + b"</p></body></html>"
    bomb = gzip.compress(b"<html><body>" + b"\0" * 200_000_000, compresslevel=9)
    return MappingProxyType(
        {
            "/bomb/nested": nested,
            "/bomb/oneline": one_line,
            "/bomb/badbytes": bad_bytes,
            "/bomb/gzip": bomb,
        }
    )


@contextmanager
def news_site(seed_texts: dict[str, str]) -> Iterator[str]:
    """Serve /world/000 ... /world/004, /paywall, /empty.txt; yields the base URL.

    `?delay=S` on any path answers after S seconds (a slow site)."""
    pages: dict[str, bytes] = {}
    with site(pages, gzipped={"/bomb/gzip"}) as base:
        for name, text in seed_texts.items():
            slug = name[:3]
            pages[f"/world/{slug}"] = article_page(
                text, canonical=f"{base}/world/{slug}", site=OUTLETS.get(slug, f"Outlet {slug}")
            ).encode()
        pages["/paywall"] = b"<html><body><p>Subscribe to keep reading.</p></body></html>"
        pages["/empty.txt"] = b"   \n  "
        pages.update(hostile_pages())
        yield base


@contextmanager
def site(
    pages: dict[str, bytes], *, gzipped: frozenset[str] | set[str] = frozenset()
) -> Iterator[str]:
    """Serve `pages` (path -> body) as they are at each request, so a test can change one
    between two fetches (a page revised at its URL); yields the base URL. Paths ending in
    .txt are text/plain, the rest HTML; `?delay=S` answers after S seconds."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path.rstrip("/")
            delay = parse_qs(parts.query).get("delay")
            if delay:
                time.sleep(float(delay[0]))
            body = pages.get(path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            kind = "text/plain" if path.endswith(".txt") else "text/html"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            if path in gzipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
