"""The front door: what a request to /slack/events must pass before Bolt parses it.

In order, each check before anything reads further:

1. the body is at most `max_body` bytes (1 MB): a larger Content-Length is refused 413 without
   reading a byte, and a body without one (or chunked) is read only up to the bound;
2. the timestamp is a number within five minutes of the clock, and the signature is the
   HMAC-SHA256 of `v0:{timestamp}:{body}` under the signing secret (compared in constant
   time), else 401;
3. the body is UTF-8 and parses the way Bolt parses it (JSON, a form, or a form carrying a JSON
   `payload`) into an object, else 400;
4. a slash command or interaction is claimed by its signature (bot/services/replays.py): the
   same signed request again, while its signature verifies, is answered 200 with an empty body
   and reaches no listener. Events are not claimed here: Slack signs each retry afresh, so the
   signature does not identify an event, and each event id is claimed already
   (handlers/middleware.py);
5. Bolt gets the verified bytes (a fresh `wsgi.input`); anything it raises is answered 400.

No request body, nor any part of one, is logged; each refusal is one short line.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

from slack_bolt import BoltResponse
from slack_bolt.request.internals import parse_body
from sqlalchemy.exc import SQLAlchemyError

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

MAX_BODY = 1024 * 1024  # Slack's payloads are a few KB; a message's text at most 40,000 chars
SIGNATURE_LIFETIME = 5 * 60  # seconds either side of the clock, as Slack's own SDKs accept
_READ_CHUNK = 64 * 1024
# Payload types Slack does not send twice on purpose and that carry no id of their own.
_UNCLAIMED_TYPES = {"event_callback", "url_verification", "ssl_check", "app_rate_limited"}

log = logging.getLogger("newsroom.front_door")


class RequestClaims(Protocol):
    def claim(self, signature: str, *, expires: datetime, now: datetime) -> bool: ...


class Refused(Exception):
    """A request answered without reaching Bolt: the status line and a short reason."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def read_body(environ: dict[str, Any], limit: int) -> bytes:
    """At most `limit` bytes of the request body; raises Refused (413, 400) otherwise."""
    stream = environ.get("wsgi.input")
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    if stream is None:
        return b""
    if declared and not chunked:
        if not declared.isdigit() or len(declared) > 20:
            raise Refused("400 Bad Request", "Content-Length is not a number")
        length = int(declared)
        if length > limit:
            raise Refused("413 Content Too Large", f"Content-Length {length} over {limit}")
        return _read(stream, length, limit)
    body = _read(stream, limit + 1, limit)
    if len(body) > limit:
        raise Refused("413 Content Too Large", f"body over {limit} bytes")
    return body


def _read(stream: Any, wanted: int, limit: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < wanted:
        chunk = stream.read(min(_READ_CHUNK, wanted - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def check_signature(
    body: bytes, timestamp: str, signature: str, *, secret: bytes, now: float, lifetime: int
) -> int:
    """The request's timestamp when its signature is Slack's; raises Refused (401) otherwise."""
    if not timestamp:
        raise Refused("401 Unauthorized", "no X-Slack-Request-Timestamp")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise Refused("401 Unauthorized", "X-Slack-Request-Timestamp is not a number")
    stamp = int(timestamp)
    if abs(now - stamp) > lifetime:
        raise Refused("401 Unauthorized", f"timestamp {int(now - stamp)} s from the clock")
    if not signature:
        raise Refused("401 Unauthorized", "no X-Slack-Signature")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()
    given = signature.encode("latin-1", "replace")
    if not hmac.compare_digest(expected.encode(), given):
        raise Refused("401 Unauthorized", "bad signature")
    return stamp


def parse_payload(body: bytes, content_type: str | None) -> dict[str, Any]:
    """The payload as Bolt will parse it; raises Refused (400) unless it is an object."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("400 Bad Request", "body is not UTF-8") from None
    kind = content_type.split(";")[0].strip() if content_type else None
    try:
        payload = parse_body(text, kind)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise Refused("400 Bad Request", f"body does not parse ({type(exc).__name__})") from None
    if not isinstance(payload, dict):
        raise Refused("400 Bad Request", f"payload is a {type(payload).__name__}, not an object")
    return payload


def _claimed(payload: dict[str, Any]) -> bool:
    """Whether this kind of request is claimed by its signature (see the module's doc)."""
    kind = payload.get("type")
    return not (isinstance(kind, str) and kind in _UNCLAIMED_TYPES)


def _answer(
    start_response: StartResponse, status: str, body: bytes = b"", exc_info: Any = None
) -> list[bytes]:
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    if exc_info is None:
        start_response(status, headers)
    else:  # the inner app may have started its response already
        start_response(status, headers, exc_info)
    return [body]


def where(error: BaseException) -> str:
    """Where an exception was raised (file:line in function), for a log line without data."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} in {frame.name}"


class FrontDoor:
    """A WSGI wrapper that lets only bounded, signed, parseable requests through to `inner`."""

    def __init__(
        self,
        inner: WSGIApp,
        *,
        signing_secret: str,
        claims: RequestClaims | None = None,
        max_body: int = MAX_BODY,
        lifetime: int = SIGNATURE_LIFETIME,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.inner = inner
        self._secret = signing_secret.encode()
        self.claims = claims
        self.max_body = max_body
        self.lifetime = lifetime
        self.clock = clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            body = read_body(environ, self.max_body)
            stamp = check_signature(
                body,
                str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")).strip(),
                str(environ.get("HTTP_X_SLACK_SIGNATURE", "")).strip(),
                secret=self._secret,
                now=self.clock(),
                lifetime=self.lifetime,
            )
            payload = parse_payload(body, environ.get("CONTENT_TYPE"))
        except Refused as refused:
            log.info("refused %s: %s", refused.status.split()[0], refused.reason)
            return _answer(start_response, refused.status, refused.reason.encode())
        if self.claims is not None and _claimed(payload):
            signature = str(environ.get("HTTP_X_SLACK_SIGNATURE", "")).strip()
            now = self.clock()
            try:
                first = self.claims.claim(
                    signature,
                    expires=datetime.fromtimestamp(stamp + self.lifetime, UTC),
                    now=datetime.fromtimestamp(now, UTC),
                )
            except SQLAlchemyError as exc:
                log.warning("database unavailable (%s); request refused 503", type(exc).__name__)
                return _answer(start_response, "503 Service Unavailable", b"retry later")
            if not first:
                log.info("replayed request ignored (signature already seen)")
                return _answer(start_response, "200 OK")
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        try:
            return list(self.inner(environ, start_response))
        except Exception as exc:
            log.error("malformed payload: %s at %s; answered 400", type(exc).__name__, where(exc))
            return _answer(start_response, "400 Bad Request", b"malformed payload", sys.exc_info())


def bolt_error(error: Exception, logger: logging.Logger) -> BoltResponse:
    """Bolt's error handler: a bounded line without the payload, and 400 rather than 500.

    What raises inside Bolt's dispatch (a matcher or middleware meeting a field of the wrong
    type) is a payload the bot cannot handle; listeners run after the acknowledgement, and a
    database outage is answered 503 by the middleware that meets it."""
    log.error("request not handled: %s at %s; answered 400", type(error).__name__, where(error))
    return BoltResponse(status=400, body="malformed payload")
