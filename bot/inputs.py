"""What the command line reads: article files and folders, JSONL batches, and pair records.

Every failure is an ``InputError`` whose str() is a one-line reason, so a batch reports the
line or file it could not use and goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.core.extract import ArticleDraft, ExtractionError, from_html, from_text, parse_time
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


def draft_from_file(item: str) -> ArticleDraft:
    """An article from an HTML or text file."""
    path = Path(item)
    try:
        content = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {item}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {item}: {exc.strerror}") from exc
    try:
        if path.suffix.lower() in HTML_SUFFIXES:
            return from_html(content)
        return from_text(content)
    except ExtractionError as exc:
        raise InputError(str(exc)) from exc


def jsonl_records(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, reason when the line is unusable) for each non-blank
    line of a JSONL file ('-' for stdin); raises InputError when the file cannot be opened."""
    try:
        handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"line {number}: not JSON ({exc.msg})"
                continue
            if not isinstance(record, dict):
                yield number, None, f"line {number}: expected a JSON object"
                continue
            yield number, record, None


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
