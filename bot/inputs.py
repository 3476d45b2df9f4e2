"""What the command line reads: article files and folders, JSONL batches, and pair records.

Every failure is an ``InputError`` whose str() is a one-line reason, so a batch reports the
line or file it could not use and goes on. Files are refused before they are read when they are
too large (stat, then a bounded read), and bytes are decoded by what they are (UTF-8, the
page's declared charset, else charset-normalizer's detection), never with replacement
characters: binary files and undetectable encodings are refused.
"""

from __future__ import annotations

import json
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from bot.core.extract import ArticleDraft, ExtractionError, from_html, from_text, parse_time
from bot.core.pagemeta import plausible_time
from bot.core.urls import is_http_url

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}


class InputError(Exception):
    """An input that could not be read; str() is a one-line reason."""


def expand(inputs: tuple[str, ...]) -> Iterator[str]:
    """The inputs with each folder replaced by its article files, in name order."""
    for item in inputs:
        path = Path(item)
        if not is_http_url(item) and path.is_dir():
            yield from sorted(
                str(p) for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES
            )
        else:
            yield item


# A saved page or capture larger than this is not one article (the extracted text is capped at
# 300,000 characters; pages with their scripts and styles run to 1-2 MB).
MAX_FILE_BYTES = 5 * 1024 * 1024
# A JSONL line longer than this is refused unread (an article with its HTML, JSON-escaped).
MAX_LINE_BYTES = 2 * MAX_FILE_BYTES
# Control characters other than tab, newlines and form feed: text has almost none.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f") | {"\x7f"}
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def read_bounded(item: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file, refused before reading when it is not a regular file of at most
    `limit` bytes (stat first; the read is bounded too, for devices and growing files)."""
    path = Path(item)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {item}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {item}: {exc.strerror}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{item} is a folder")
    if info.st_size > limit:
        raise InputError(f"{item}: too large ({_size(info.st_size)}; at most {_size(limit)})")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {item}: {exc.strerror}") from exc
    if len(data) > limit:
        raise InputError(f"{item}: too large (more than {_size(limit)})")
    return data


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def decode_text(data: bytes, *, html: bool = False) -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark), else the charset an HTML page
    declares when the bytes decode under it (a page declaring UTF-8 may carry a stray bad
    byte or two), else what charset-normalizer detects. Binary data
    and bytes in no detectable encoding are refused (InputError)."""
    if not data.strip():
        raise InputError("empty file")
    text: str | None = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        match = _CHARSET_RE.search(data[:4096]) if html else None
        declared = match.group(1).decode("ascii").lower() if match else None
        if declared in {"utf-8", "utf8"}:
            # A UTF-8 page with a stray byte or two (a cut multi-byte character): the bytes
            # are UTF-8, and what cannot be read is marked, not re-read as another charset.
            replaced = data.decode("utf-8-sig", errors="replace")
            bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
            if bad <= 1 + len(data) // 5000:
                text = replaced
        elif declared is not None:
            try:
                text = data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            text = _detected(data)
    if _is_binary(text):
        raise InputError("not text: binary data (control characters)")
    return text


def _detected(data: bytes) -> str:
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data[:MAX_FILE_BYTES]))
    if not matches:
        raise InputError("not text: binary data or an unknown encoding")
    # Among the decodings that read as cleanly as the best one, the most common on the web:
    # a short French text in Latin-1 reads as cleanly in cp775, and coherence (a language
    # guess) would pick that.
    cleanest = min(m.chaos for m in matches)
    clean = [m for m in matches if m.chaos <= cleanest + 0.01]
    clean.sort(key=lambda m: _COMMON.index(m.encoding) if m.encoding in _COMMON else len(_COMMON))
    return str(clean[0])


# Encodings by how common they are on the web (after UTF-8), for ties between clean decodings.
_COMMON = [
    "utf_16",
    "utf_32",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1251",
    "cp1250",
    "shift_jis",
    "gb18030",
    "euc_kr",
    "big5",
    "cp1256",
    "cp1253",
    "cp1254",
    "iso8859_2",
    "koi8_r",
]


def _is_binary(text: str) -> bool:
    """More than one character in a thousand is a control character (or any NUL)."""
    sample = text[:100_000]
    if "\x00" in sample:
        return True
    controls = sum(1 for c in sample if c in _CONTROL)
    return controls > len(sample) / 1000


def draft_from_file(
    item: str, *, url: str | None = None, now: datetime | None = None
) -> ArticleDraft:
    """An article from an HTML or text file (saved from `url`, when given)."""
    path = Path(item)
    is_html = path.suffix.lower() in HTML_SUFFIXES
    content = decode_named(read_bounded(item), item, html=is_html)
    try:
        if is_html:
            return from_html(content, url=url, now=now)
        return from_text(content, url=url)
    except ExtractionError as exc:
        raise InputError(f"{item}: {exc}") from exc


def decode_named(data: bytes, item: str, *, html: bool) -> str:
    """decode_text with the file's name in the reason."""
    try:
        return decode_text(data, html=html)
    except InputError as exc:
        raise InputError(f"{item}: {exc}") from exc


def jsonl_records(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, reason when the line is unusable) for each non-blank
    line of a JSONL file ('-' for stdin); raises InputError when the file cannot be opened.
    Lines are read as bytes and decoded one by one, so a line that is not UTF-8 is one
    unusable line; a line longer than MAX_LINE_BYTES is refused without being held whole."""
    try:
        handle = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    return _records_of(handle)  # opened here, not at the first next(): the error comes now


def _records_of(handle: BinaryIO) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    with handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                    raw = handle.readline(MAX_LINE_BYTES)
                yield number, None, f"line {number}: too long (more than {_size(MAX_LINE_BYTES)})"
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                byte = raw[exc.start : exc.start + 1].hex()
                yield number, None, f"line {number}: not UTF-8 (byte 0x{byte} at {exc.start})"
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"line {number}: not JSON ({exc.msg})"
                continue
            except RecursionError:
                yield number, None, f"line {number}: not JSON (nested too deeply)"
                continue
            if not isinstance(record, dict):
                yield number, None, f"line {number}: expected a JSON object"
                continue
            yield number, record, None


def published_of(value: Any, *, now: datetime) -> datetime | None:
    """A record's `published`: an ISO date or date-time, or seconds since the epoch; None when
    absent. A value that is neither, or not a plausible publication time, is an InputError."""
    if value is None or value == "":
        return None
    when: datetime | None
    if isinstance(value, bool):
        when = None
    elif isinstance(value, int | float):
        try:
            when = datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            when = None
    elif isinstance(value, str):
        when = parse_time(value)
    else:
        when = None
    if when is None:
        raise InputError(
            f"published: {json.dumps(value)[:40]} is neither an ISO date nor epoch seconds"
        )
    if plausible_time(when, now=now) is None:
        raise InputError(
            f"published: {when.date().isoformat()} is not a plausible publication date "
            "(before 1990 or in the future)"
        )
    return when


def _string(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string")
    return value


def draft_from_jsonl(record: dict[str, Any], *, now: datetime) -> ArticleDraft:
    """The article of an ingest JSONL record: {"id", "title"?, "text"?, "html"?, "url"?,
    "published"?, "outlet"?}. With `html`, the page is extracted as if fetched from `url`;
    a given title, outlet or published time overrides the page's own."""
    url = _string(record, "url")
    html = _string(record, "html")
    title = _string(record, "title")
    outlet = _string(record, "outlet")
    published = published_of(record.get("published"), now=now)
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise InputError("text must be a string")
    try:
        if html is not None:
            if text:
                raise InputError("give text or html, not both")
            draft = from_html(html, url=url, now=now)
            return replace(
                draft,
                title=title or draft.title,
                outlet=outlet or draft.outlet,
                published=published or draft.published,
            )
        draft = from_text(text or "", title=title, url=url, published=published)
    except ExtractionError as exc:
        raise InputError(str(exc)) from exc
    return replace(draft, outlet=outlet) if outlet else draft


def draft_from_record(side: Any) -> ArticleDraft:
    """One side of a `compare --pairs` record: {"title"?, "text"?, "url"?, "published"?}."""
    if not isinstance(side, dict):
        raise InputError("each side must be an object with title, text, url or published")
    url = side.get("url") or None
    if url is not None and not isinstance(url, str):
        raise InputError("url must be a string")
    try:
        return from_text(
            str(side.get("text") or ""),
            title=str(side.get("title") or ""),
            url=url,
            published=parse_time(side.get("published")),
            find_title=False,
        )
    except ExtractionError as exc:
        raise InputError(str(exc)) from exc
