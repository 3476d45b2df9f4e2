"""Extraction and dating on real saved pages, against trafilatura's and htmldate's defaults.

    python benchmarks/eval_pages.py                  # all of ../shared/eval/pages-dev
    python benchmarks/eval_pages.py --limit 200      # a quick look

Over `../shared/eval/pages-dev/` (see its README.md), in one run:

- body text: per page, the share of its `with` snippets found in the extracted text and the
  share of its `without` snippets absent, averaged over the pages (reported separately), for
  ``bot.core.extract.from_html`` and for ``trafilatura.extract`` with its defaults (and with
  ``fast=True``, the setting the project used before);
- publication day: exact-day accuracy of ``from_html`` against ``htmldate.find_date`` and
  trafilatura alone with their defaults, and how many placeholder dates (before 1990 or in the
  future) each gives;
- titles: on the pages whose <title> carries the site's name (og:site_name, or the host's
  name), the share of our titles without it, and of those losing no word of the page's own
  headline (og:title, else <h1>; words of the site's name aside);
- undated copies: for each dated page, the first half of its text served as a page without a
  date, ingested after all originals through ``IngestService`` (SQLite): the share that joins
  its original's story.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _bench_common import machine, table, verdict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DIR = ROOT.parent / "shared" / "eval" / "pages-dev"
_SPACE_RE = re.compile(r"\s+")
_SEP_RE = re.compile(r"\s+[|\-–—:·•»]+\s+|\s*[|•»]\s*")
_NON_ALNUM_RE = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip().casefold()


def snippet_scores(text: str, record: dict[str, Any]) -> tuple[float | None, float | None]:
    """(share of `with` found, share of `without` absent) for one page; None when empty."""
    body = squash(text)
    found = [squash(s) in body for s in record.get("with", [])]
    absent = [squash(s) not in body for s in record.get("without", [])]
    return (
        sum(found) / len(found) if found else None,
        sum(absent) / len(absent) if absent else None,
    )


def key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return _NON_ALNUM_RE.sub("", folded).removeprefix("the")


def site_keys(site_name: str | None, url: str) -> list[str]:
    """The site's name as og:site_name gives it, and the host's name ("newsnationnow")."""
    keys = [key(site_name)] if site_name and len(key(site_name)) >= 3 else []
    host = (re.sub(r"^https?://", "", url).split("/")[0]).lower()
    labels = [x for x in host.split(".") if x not in {"www", "m", "amp", "news", "edition"}]
    if len(labels) >= 2:
        core = labels[-2] if len(labels[-2]) > 3 or len(labels) < 3 else labels[-3]
        if len(key(core)) >= 3:
            keys.append(key(core))
    return keys


def carries_site(title: str, keys: list[str]) -> bool:
    """Whether a title's first or last part (at a separator) is the site's name."""
    parts = [p for p in _SEP_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return False
    for part in (parts[0], parts[-1]):
        k = key(part)
        for site in keys:
            if k and (k == site or (len(k) >= 4 and (site in k or k in site))):
                return True
    return False


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W_]+", text)}


def page_heads(page: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(<title>, og:title, <h1>, og:site_name) of a page, read with lxml."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(page)
    except Exception:
        return None, None, None, None

    def first(xpath: str) -> str | None:
        hits = tree.xpath(xpath)
        if not hits:
            return None
        value = hits[0] if isinstance(hits[0], str) else hits[0].text_content()
        return " ".join(str(value).split()) or None

    return (
        first("//title"),
        first("//meta[@property='og:title']/@content"),
        first("(//h1)[1]"),
        first("//meta[@property='og:site_name']/@content"),
    )


@dataclass
class Scores:
    with_: list[float] = field(default_factory=list)
    without: list[float] = field(default_factory=list)
    days_right: int = 0
    days_given: int = 0
    placeholders: int = 0
    seconds: float = 0.0

    def add_text(self, text: str, record: dict[str, Any]) -> None:
        a, b = snippet_scores(text, record)
        if a is not None:
            self.with_.append(a)
        if b is not None:
            self.without.append(b)

    def add_day(self, day: str | None, gold: str) -> None:
        if day is None:
            return
        self.days_given += 1
        self.days_right += day == gold
        if day < "1990-01-01" or day > (datetime.now(UTC) + timedelta(days=1)).strftime("%F"):
            self.placeholders += 1


def mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--no-copies", action="store_true", help="skip the undated-copy run")
    args = parser.parse_args()

    import htmldate
    import trafilatura

    from bot.core.extract import ExtractionError, from_html
    from bot.inputs import InputError, decode_text

    index = json.loads((args.dir / "index.json").read_text())
    if args.limit:
        index = index[: args.limit]
    now = datetime.now(UTC)
    ours, trafi, fast, hdate, trafi_date = Scores(), Scores(), Scores(), Scores(), Scores()
    dated_pages = [r for r in index if "date" in r]
    text_pages = [r for r in index if "with" in r or "without" in r]
    title_pages = title_clean = title_whole = 0
    title_misses: list[str] = []
    originals: list[tuple[str, str, Any]] = []  # (url, html, draft) of dated pages
    failed = 0
    for record in index:
        raw = (args.dir / record["file"]).read_bytes()
        url = record["url"]
        try:
            page = decode_text(raw, html=True)
        except InputError:
            page = raw.decode("utf-8", "replace")
        start = time.perf_counter()
        try:
            draft = from_html(page, url=url, now=now)
        except ExtractionError:
            draft = None
            failed += 1
        ours.seconds += time.perf_counter() - start
        if "date" in record:
            ours.add_day(
                draft.published.strftime("%F") if draft and draft.published else None,
                record["date"],
            )
            start = time.perf_counter()
            found = htmldate.find_date(raw, url=url)
            hdate.seconds += time.perf_counter() - start
            hdate.add_day(found, record["date"])
            meta = trafilatura.bare_extraction(raw, url=url, with_metadata=True)
            trafi_date.add_day(getattr(meta, "date", None), record["date"])
            if draft is not None and draft.published is not None:
                originals.append((url, page, draft))
        else:
            ours.add_text(draft.text if draft else "", record)
            start = time.perf_counter()
            trafi.add_text(trafilatura.extract(raw, url=url) or "", record)
            trafi.seconds += time.perf_counter() - start
            start = time.perf_counter()
            fast.add_text(trafilatura.extract(raw, url=url, fast=True) or "", record)
            fast.seconds += time.perf_counter() - start
        title, og_title, h1, og_site = page_heads(page)
        keys = site_keys(og_site, url)
        if title and draft is not None and carries_site(title, keys):
            title_pages += 1
            clean = not carries_site(draft.title, keys) and key(draft.title) not in keys
            title_clean += clean
            site_words = set().union(*(words(s) for s in [og_site or "", *keys]))
            lost = {
                name: (words(ref) - words(draft.title) - site_words) if ref else None
                for name, ref in (("og", og_title), ("h1", h1))
            }
            whole = any(v is not None and not v for v in lost.values()) or all(
                v is None for v in lost.values()
            )
            if og_title and carries_site(og_title, keys):  # og:title with the site's name too
                whole = whole or not (words(og_title) - words(draft.title) - site_words)
            title_whole += whole
            if not clean or not whole:
                title_misses.append(f"{title!r} -> {draft.title!r} (og {og_title!r}, h1 {h1!r})")

    n_text = len(text_pages)
    rows = [
        [
            "from_html (ours)",
            mean(ours.with_),
            mean(ours.without),
            f"{ours.seconds / max(1, len(index)) * 1e3:.1f}",
        ],
        [
            "trafilatura.extract defaults",
            mean(trafi.with_),
            mean(trafi.without),
            f"{trafi.seconds / max(1, n_text) * 1e3:.1f}",
        ],
        [
            "trafilatura.extract fast=True",
            mean(fast.with_),
            mean(fast.without),
            f"{fast.seconds / max(1, n_text) * 1e3:.1f}",
        ],
    ]
    print(machine())
    print(
        table(
            ["body text", "with found", "without absent", "ms/page"],
            rows,
            f"Body text, {n_text} pages",
        )
    )
    n_dated = len(dated_pages)
    rows = [
        [name, f"{s.days_right / max(1, n_dated):.1%}", s.days_given, s.placeholders]
        for name, s in (
            ("from_html (ours)", ours),
            ("htmldate.find_date defaults", hdate),
            ("trafilatura alone (defaults)", trafi_date),
        )
    ]
    print(
        table(
            ["publication day", "exact day", "dated", "placeholders"],
            rows,
            f"Publication day, {n_dated} pages",
        )
    )
    share = title_clean / max(1, title_pages)
    whole_share = title_whole / max(1, title_pages)
    print(
        table(
            ["titles", "value"],
            [
                ["pages whose <title> carries the site's name", title_pages],
                ["our title free of it", f"{share:.1%} {verdict(share >= 0.95)}"],
                ["no headline word lost (og:title/h1)", f"{whole_share:.1%}"],
            ],
            "Titles",
        )
    )
    for miss in title_misses[:15]:
        print("  miss:", miss)
    print(f"pages our extraction refused: {failed} of {len(index)}")
    if not args.no_copies and originals:
        joined, total = undated_copies(originals, now)
        print(
            table(
                ["undated copies", "value"],
                [
                    ["first half of a dated page, without a date", total],
                    [
                        "joined the original's story",
                        f"{joined / max(1, total):.1%} {verdict(joined == total)}",
                    ],
                ],
                "Undated copies",
            )
        )
    return 0


def undated_copies(originals: list[tuple[str, str, Any]], now: datetime) -> tuple[int, int]:
    """Ingest every dated original, then the first half of each as an undated page at another
    site; count the copies that join their original's story."""
    from bot.core.dedup import MatchConfig
    from bot.core.extract import ExtractionError
    from bot.services.ingest import IngestError, IngestService
    from storage.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{folder}/copies.db")
        service = IngestService(engine, MatchConfig())
        stories: dict[int, int] = {}
        for i, (url, page, _draft) in enumerate(originals):
            try:
                stories[i] = service.ingest_html(page, url=url).story_id
            except (IngestError, ExtractionError):
                continue
        joined = total = 0
        for i, (_url, _page, draft) in enumerate(originals):
            if i not in stories:
                continue
            lines = draft.text.splitlines()
            n_words = sum(len(line.split()) for line in lines)
            half, count = [], 0
            for line in lines:
                if count >= n_words / 2 and half:
                    break
                half.append(line)
                count += len(line.split())
            body = "\n".join(f"<p>{html_lib.escape(line)}</p>" for line in half)
            copy = (
                f"<html><head><title>{html_lib.escape(draft.title)}</title></head>"
                f"<body><article><h1>{html_lib.escape(draft.title)}</h1>{body}</article></body></html>"
            )
            try:
                result = service.ingest_html(copy, url=f"https://copies.example/{i}")
            except IngestError:
                continue
            total += 1
            joined += result.story_id == stories[i]
        engine.dispose()
    return joined, total


if __name__ == "__main__":
    sys.exit(main())
