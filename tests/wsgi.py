"""Calling a WSGI application in-process with a hand-built environ, as waitress would; the
bot's whole HTTP application in-process, its log captured at DEBUG as `serve` writes it."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

from bot.app import Offload, create_app
from bot.lifecycle import start_scheduler
from bot.logs import configure_logging
from bot.server import bot_wsgi_app
from bot.services import Services, build_services
from bot.settings import Settings
from tests.fake_slack import FakeSlack
from tests.slack_payloads import encode, signed

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def call(
    application: Callable[..., Iterable[bytes]],
    body: bytes | Any = b"",
    *,
    headers: dict[str, str] | None = None,
    path: str = "/slack/events",
    method: str = "POST",
    content_length: str | None = "auto",
) -> Reply:
    """POST `body` (bytes, or a file-like `wsgi.input`) with `headers`; `content_length` None
    leaves CONTENT_LENGTH out, "auto" sets it from the bytes."""
    stream = io.BytesIO(body) if isinstance(body, bytes) else body
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": stream,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    if content_length == "auto" and isinstance(body, bytes):
        environ["CONTENT_LENGTH"] = str(len(body))
    elif content_length not in (None, "auto"):
        environ["CONTENT_LENGTH"] = content_length
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        else:
            environ[f"HTTP_{key}"] = value
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info=None):
        seen["status"], seen["headers"] = status, dict(response_headers)

    chunks = b"".join(application(environ, start_response))
    return Reply(int(seen["status"].split()[0]), seen["headers"], chunks)


@dataclass
class Bot:
    application: Any
    fake: FakeSlack
    services: Services
    offload: Offload
    log: io.StringIO

    def send(self, body: bytes, content_type: str = "application/json", **kw: Any) -> Reply:
        headers = {"Content-Type": content_type, **signed(body, SECRET, **kw)}
        return call(self.application, body, headers=headers)

    def send_payload(self, payload: dict[str, Any]) -> Reply:
        body, content_type = encode(payload)
        return self.send(body, content_type)


@contextmanager
def in_process_bot(workdir: Path, *, scheduler: bool = False, **overrides: Any) -> Iterator[Bot]:
    """The app `newsroom serve` runs (front door, Bolt, listeners on their pools) on SQLite in
    `workdir`, Slack faked, every log record written to `Bot.log` at DEBUG. `overrides` are
    settings; `scheduler` also runs the scheduler (its job sweep re-runs the inbox)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    log = io.StringIO()
    configure_logging("DEBUG", stream=log)
    try:
        with FakeSlack() as fake:
            given: dict[str, Any] = {
                "database_url": f"sqlite:///{workdir / 'bot.db'}",
                "slack_bot_token": "xoxb-1-2-abc",
                "slack_signing_secret": SECRET,
                "slack_api_base_url": fake.base_url,
                "post_interval": 0,
                "slack_retries": 0,
                "fetch_connect_timeout": 0.5,
                "fetch_total_timeout": 1.0,
            }
            settings = Settings(_env_file=None, **{**given, **overrides})
            services = build_services(settings)
            offload = Offload.from_settings(settings)
            client = WebClient(token="xoxb-1-2-abc", base_url=fake.base_url)
            app = create_app(settings, services, client=client, offload=offload)
            sweeper = start_scheduler(settings, services, app, offload) if scheduler else None
            try:
                yield Bot(bot_wsgi_app(app, services, settings), fake, services, offload, log)
            finally:
                if sweeper is not None:
                    sweeper.shutdown()
                offload.drain(5)
    finally:
        root.handlers[:], root.level = handlers, level
