"""Logging set-up: one format; Slack tokens and secrets redacted from every record; no request
body in any record; every record bounded in size."""

from __future__ import annotations

import logging
import re
import traceback
from typing import IO

_SECRET = re.compile(r"\b(xox[abpers]|xapp)-[A-Za-z0-9-]+")

MAX_MESSAGE = 2000  # characters of a record's message
MAX_TRACEBACK = 8000  # characters of a record's traceback (the end is kept: the failing frames)


class RedactSecrets(logging.Filter):
    """Replace anything shaped like a Slack token in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRET.search(message):
            record.msg, record.args = _SECRET.sub(r"\1-[redacted]", message), None
        return True


# Bolt's records that carry a request body, or parts of one, and what is kept of each.
_BOLT_BODY_RECORDS = (
    (re.compile(r"Invalid request signature detected", re.S), "Invalid request signature"),
    (re.compile(r"Unhandled request \(", re.S), "Unhandled request (no listener matched)"),
    (re.compile(r"A global middleware \((\w+)\) skipped", re.S), "A global middleware skipped"),
    (re.compile(r"Skipped self event", re.S), "Skipped self event"),
    (re.compile(r"Responding with status: (\d+)", re.S), "Responding with status {0}"),
    (
        re.compile(r"Responding with listener middleware's response .*status: (\d+)", re.S),
        "Responding with a listener middleware's response, status {0}",
    ),
    (re.compile(r"Failed to run a middleware", re.S), "Failed to run a middleware"),
    (re.compile(r"Failed to run listener function", re.S), "Failed to run listener function"),
)


_SLACK_LOGGERS = ("slack_bolt", "newsroom.slack")


class WithholdBodies(logging.Filter):
    """Keep request bodies out of Bolt's records.

    Bolt logs the body of a badly signed request at INFO, the fields of an unhandled one at
    WARNING, a skipped event and every response body (a url_verification challenge echoes the
    request) at DEBUG, and an error's message (which may quote the payload) with its
    traceback. Those records keep what they say happened, without the data; an exception
    logged by Bolt or a listener keeps its type and frames, not its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Bolt logs through the logger the app was given ("newsroom.slack") as well as its own.
        if not record.name.startswith(_SLACK_LOGGERS):
            return True
        message = str(record.msg)
        for pattern, kept in _BOLT_BODY_RECORDS:
            match = pattern.match(message)
            if match:
                record.msg, record.args = kept.format(*match.groups()), None
                break
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frames = "".join(traceback.format_tb(exc.__traceback__))
            record.exc_text = (
                f"Traceback (most recent call last):\n{frames}{type(exc).__name__} "
                "(message withheld: it may quote the request)"
            )
        return True


def _printable(text: str) -> str:
    """The text with lone surrogates escaped, so that any stream can write it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class BoundLength(logging.Filter):
    """Cut a record's message at `limit` characters (and its traceback at `traceback_limit`,
    keeping the end), saying how much was cut; escape lone surrogates."""

    def __init__(self, limit: int = MAX_MESSAGE, traceback_limit: int = MAX_TRACEBACK) -> None:
        super().__init__()
        self.limit = limit
        self.traceback_limit = traceback_limit

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: keep the format only
            message = str(record.msg)
        message = _printable(message)
        if len(message) > self.limit:
            cut = len(message) - self.limit
            message = f"{message[: self.limit]}... [{cut} characters cut]"
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            text = _printable(record.exc_text)
            if len(text) > self.traceback_limit:
                cut = len(text) - self.traceback_limit
                text = f"[{cut} characters cut]...\n{text[-self.traceback_limit :]}"
            record.exc_text = text
        return True


def configure_logging(level: str = "INFO", *, stream: IO[str] | None = None) -> None:
    handler = logging.StreamHandler(stream)
    for log_filter in (WithholdBodies(), RedactSecrets(), BoundLength()):
        handler.addFilter(log_filter)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # slack_sdk logs request headers at DEBUG; keep it at INFO whatever the root level.
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, root.level))
    # APScheduler logs every job run at INFO; the scheduler logs what matters itself.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
