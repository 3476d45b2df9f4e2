"""Logging set-up: one format, and Slack tokens and secrets redacted from every record."""

from __future__ import annotations

import logging
import re

_SECRET = re.compile(r"\b(xox[abpers]|xapp)-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Replace anything shaped like a Slack token in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRET.search(message):
            record.msg, record.args = _SECRET.sub(r"\1-[redacted]", message), None
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecrets())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # slack_sdk logs request headers at DEBUG; keep it at INFO whatever the root level.
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, root.level))
    # APScheduler logs every job run at INFO; the scheduler logs what matters itself.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
