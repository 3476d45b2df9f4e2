"""Small Block Kit helpers shared by the views: message, blocks, mrkdwn escaping and links.

Slack refuses a message with more than 50 blocks, a section text over 3,000 characters or a
header over 150; the helpers shorten text with "…" rather than let a post fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_URL = 2000
ELLIPSIS = "…"

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One message to post: the notification/fallback text and its blocks."""

    text: str
    blocks: list[Block]


def escape(text: str) -> str:
    """Escape the three characters Slack mrkdwn reserves: ``&``, ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """Plain text cut to ``limit`` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def shorten_mrkdwn(text: str, limit: int) -> str:
    """Mrkdwn cut to ``limit`` characters without leaving half a link or half an entity."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    opened = cut.rfind("<")
    if opened > cut.rfind(">"):
        cut = cut[:opened]
    amp = cut.rfind("&")
    if amp > cut.rfind(";"):
        cut = cut[:amp]
    return cut.rstrip() + ELLIPSIS


def _safe_url(url: str) -> str | None:
    if len(url) > MAX_URL or not url.lower().startswith(("http://", "https://")):
        return None
    return (
        url.replace("&", "&amp;")
        .replace("<", "%3C")
        .replace(">", "%3E")
        .replace("|", "%7C")
        .replace(" ", "%20")
    )


def link(url: str | None, label: str) -> str:
    """``<url|label>`` with the label escaped, on one line, and no ``|`` or ``>`` left in it.

    A missing, over-long or non-http(s) URL gives the escaped label alone.
    """
    text = " ".join(escape(label.replace("|", " ")).split()) or "link"
    safe = _safe_url(url) if url else None
    return f"<{safe}|{text}>" if safe else text


def section(mrkdwn: str, *, block_id: str | None = None) -> Block:
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": shorten_mrkdwn(mrkdwn, MAX_SECTION) or " "},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def context(*mrkdwn: str) -> Block:
    elements = [
        {"type": "mrkdwn", "text": shorten_mrkdwn(t, MAX_SECTION) or " "}
        for t in mrkdwn[:MAX_CONTEXT_ELEMENTS]
    ]
    return {"type": "context", "elements": elements}


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": shorten(text, MAX_HEADER) or " ", "emoji": True},
    }


def divider() -> Block:
    return {"type": "divider"}


def pack(lines: list[str], limit: int = MAX_SECTION) -> list[str]:
    """Lines joined by newlines into as few texts of at most ``limit`` characters as can be."""
    texts: list[str] = []
    current = ""
    for line in lines:
        line = shorten_mrkdwn(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            texts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        texts.append(current)
    return texts
