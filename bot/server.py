"""HTTP mode: POST /slack/events (events, commands, interactivity) and GET /health, on waitress.

Requests to /slack/events pass the front door (bot/front_door.py) first: bounded, signed and
parseable, or refused before Bolt reads them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.front_door import MAX_BODY, FrontDoor, RequestClaims, bolt_error
from bot.services import Services
from bot.services.replays import RequestLog
from bot.settings import Settings

StartResponse = Callable[..., Any]


def wsgi_app(
    app: App,
    health: Callable[[], bool],
    *,
    signing_secret: str,
    claims: RequestClaims | None = None,
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application: Bolt behind the front door on /slack/events, a health check on
    /health. `claims` records signed commands and interactions so that a replay does nothing."""
    app.error(bolt_error)  # a payload Bolt cannot handle is a 400 and one bounded line
    bolt = FrontDoor(
        SlackRequestHandler(app, path="/slack/events"),
        signing_secret=signing_secret,
        claims=claims,
    )

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
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


def bot_wsgi_app(
    app: App, services: Services, settings: Settings
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """`wsgi_app` wired to the services: the database's health, and signed commands and
    interactions claimed in the database (bot/services/replays.py)."""
    if settings.slack_signing_secret is None:
        raise ValueError("SLACK_SIGNING_SECRET is not set")
    return wsgi_app(
        app,
        services.healthy,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        claims=RequestLog(services.inbox_engine),
    )


def serve(application: Callable[..., Any], *, host: str, port: int, threads: int = 16) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="newsroom",
        max_request_body_size=MAX_BODY,  # waitress's own bound (its default is 1 GiB)
    )
