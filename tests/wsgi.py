"""Calling a WSGI application in-process with a hand-built environ, as waitress would."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


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
