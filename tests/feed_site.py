"""A local site serving feeds and the article pages they list, recording every request.

Routes are set by each test: a `Doc` is a static answer with optional validators (a request
carrying either one gets a 304); a callable writes its own answer (a feed that never ends, a
redirect loop). Bind it to any loopback address (Linux routes all of 127.0.0.0/8 to lo).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.pages import article_page

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
MB = 1024 * 1024


@dataclass
class Doc:
    body: bytes
    content_type: str = HTML
    etag: str | None = None
    last_modified: str | None = None


Route = Doc | Callable[[BaseHTTPRequestHandler], None]


class FeedSite:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        host, port = server.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.routes: dict[str, Route] = {}
        self.requests: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()  # requests that carried a validator
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, text: str, *, site: str, published: str | None = None) -> str:
        """Serve an article page built from `text` at `path`; its URL."""
        extra: dict[str, Any] = {"published": published} if published else {}
        html = article_page(text, canonical=self.url(path), site=site, **extra)
        self.routes[path] = Doc(html.encode())
        return self.url(path)

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = RSS,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> str:
        self.routes[path] = Doc(body, content_type, etag, last_modified)
        return self.url(path)

    def count(self, path: str) -> int:
        with self.lock:
            return self.requests[path]

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.conditional.clear()


def _handler(site: FeedSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            with site.lock:
                site.requests[path] += 1
                if etag or since:
                    site.conditional[path] += 1
            route = site.routes.get(path)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                if route is None:
                    self._send(404, b"not here", HTML)
                elif isinstance(route, Doc):
                    fresh = (route.etag and etag == route.etag) or (
                        route.last_modified and since == route.last_modified
                    )
                    if fresh:
                        self.send_response(304)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    headers = {"ETag": route.etag, "Last-Modified": route.last_modified}
                    self._send(200, route.body, route.content_type, headers)
                else:
                    route(self)

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str,
            headers: dict[str, str | None] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                if value:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the fetcher hangs up on purpose (size and time limits)


def start_site(host: str = "127.0.0.1", *, poll_interval: float = 0.5) -> FeedSite:
    """A site listening on `host` (any free port) until `stop_site`."""
    server = _Server((host, 0), BaseHTTPRequestHandler)
    site = FeedSite(server)
    server.RequestHandlerClass = _handler(site)
    thread = threading.Thread(target=server.serve_forever, args=(poll_interval,), daemon=True)
    thread.start()
    return site


def stop_site(site: FeedSite) -> None:
    site.server.shutdown()
    site.server.server_close()


@contextmanager
def feed_site(host: str = "127.0.0.1") -> Iterator[FeedSite]:
    site = start_site(host)
    try:
        yield site
    finally:
        stop_site(site)


# Answers that misbehave ----------------------------------------------------------------------


def huge_feed(megabytes: int = 50) -> Callable[[BaseHTTPRequestHandler], None]:
    """A feed of `megabytes` MB, streamed in chunks (never built in memory)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", RSS)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        _chunk(handler, b"<rss><channel>")
        block = b"<item><title>x</title><link>http://x/</link></item>" * 1024
        for _ in range(megabytes * MB // len(block)):
            _chunk(handler, block)
        handler.wfile.write(b"0\r\n\r\n")

    return route


def endless_feed(handler: BaseHTTPRequestHandler) -> None:
    """A feed that never ends: an item every 50 ms, for ever (until the client hangs up)."""
    handler.send_response(200)
    handler.send_header("Content-Type", RSS)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    _chunk(handler, b"<rss><channel>")
    item = b"<item><title>more</title><link>http://x/</link></item>"
    for _ in range(100_000):
        _chunk(handler, item)
        handler.wfile.flush()
        time.sleep(0.05)


def _chunk(handler: BaseHTTPRequestHandler, data: bytes) -> None:
    handler.wfile.write(b"%x\r\n%b\r\n" % (len(data), data))


def redirect_to(path: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", path)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route
