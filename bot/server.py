"""HTTP mode: POST /slack/events (events, commands, interactivity) and GET /health, on waitress."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

StartResponse = Callable[..., Any]


def wsgi_app(
    app: App, health: Callable[[], bool]
) -> Callable[[dict, StartResponse], Iterable[bytes]]:
    """The WSGI application: Bolt on /slack/events, a health check on /health."""
    bolt = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/health" and method in ("GET", "HEAD"):
            ok = health()
            body = json.dumps({"ok": ok}).encode()
            status = "200 OK" if ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            return [body]
        if path == "/slack/events" and method == "POST":
            return bolt(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def serve(application: Callable[..., Any], *, host: str, port: int, threads: int = 16) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(application, host=host, port=port, threads=threads, ident="newsroom")
