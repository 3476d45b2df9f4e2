"""A local news site serving HTML pages built from the seed articles (and a few bad pages)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.pages import article_page

OUTLETS = {
    "000": "NPR",
    "001": "Vietnam News",
    "002": "Daily Rewrite",
    "003": "The Northlines",
    "004": "The New York Times",
}


@contextmanager
def news_site(seed_texts: dict[str, str]) -> Iterator[str]:
    """Serve /world/000 ... /world/004, /paywall, /empty.txt; yields the base URL."""
    pages: dict[str, bytes] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for name, text in seed_texts.items():
        slug = name[:3]
        pages[f"/world/{slug}"] = article_page(
            text, canonical=f"{base}/world/{slug}", site=OUTLETS.get(slug, f"Outlet {slug}")
        ).encode()
    pages["/paywall"] = b"<html><body><p>Subscribe to keep reading.</p></body></html>"
    pages["/empty.txt"] = b"   \n  "

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0].rstrip("/")
            body = pages.get(path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            kind = "text/plain" if path.endswith(".txt") else "text/html"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
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
