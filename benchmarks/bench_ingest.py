"""End-to-end ingest throughput from HTML pages, on a fresh SQLite file (or PostgreSQL).

    python benchmarks/bench_ingest.py            # 300 pages
    python benchmarks/bench_ingest.py --quick    # 40 pages, for a smoke test
    python benchmarks/bench_ingest.py -n 1000 --seed 7
    python benchmarks/bench_ingest.py --revised 100   # then 100 revised pages, twice

Pages are built from the seed articles (seeds/*.txt): paragraphs shuffled across seeds, names
and numbers replaced per story (1-4 articles share a story's names, numbers and date), each page
with its own <title>, rel=canonical URL, og:site_name, article:published_time and some
navigation, cookie banner, related links and footer boilerplate.

Each page goes through ``IngestService.ingest_html(html, url=...)`` in one process, so
articles/s is per core. The same run is split into extraction (``bot.core.extract.from_html``),
profile (``bot.core.profile.build_profile``) and store+match (the rest) by timing wrappers
around the two functions as the service calls them. Baseline, same pages, same process:
``trafilatura.bare_extraction`` alone (fast=True, no comments): the floor any HTML ingest pays.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _bench_common import machine, percentiles_ms, table, verdict

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TARGET_ARTICLES_PER_S = 60.0
WARMUP_PAGES = 10

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_CAPITAL_RE = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUMBER_RE = re.compile(r"\d+")
_FIGURE_RE = re.compile(r"(?<![\w#])\d+\b")  # a number of the text, not of an entity (&#x27;)
_SYLLABLES = (
    "ka lo mi ren tas vor bel dun sha ti gor nek pri zu fa mar lin dos ter qui "
    "sel bra hon ul ves cam dro pen rik sto an el ov ia"
).split()
_OUTLETS = [
    ("The Daily Ledger", "dailyledger.example"),
    ("Northern Courier", "northerncourier.example"),
    ("Wire Review", "wirereview.example"),
    ("Metro Tribune", "metrotribune.example"),
    ("Coastal Herald", "coastalherald.example"),
    ("Capital Observer", "capitalobserver.example"),
    ("World Desk", "worlddesk.example"),
    ("Evening Post", "eveningpost.example"),
]
_NAV = ["Home", "World", "Politics", "Business", "Tech", "Science", "Opinion", "Sport", "Video"]
_FOOTER = [
    "About us",
    "Contact",
    "Privacy policy",
    "Terms of use",
    "Cookie settings",
    "Advertise with us",
    "Newsletters",
    "Careers",
]


def _invented_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def load_seeds() -> tuple[list[str], list[str]]:
    """(body paragraphs, short furniture lines) of the seed captures."""
    paragraphs: list[str] = []
    furniture: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            n = len(line.split())
            if n >= 20:
                paragraphs.append(line)
            elif 0 < n < 8 and not any(c.isdigit() for c in line):
                furniture.append(line)
    if not paragraphs:
        raise SystemExit(f"no seed paragraphs under {SEEDS}")
    return paragraphs, furniture


def proper_nouns(paragraphs: list[str]) -> list[str]:
    """Capitalised words used mid-sentence that are rare in English: names and places."""
    from wordfreq import zipf_frequency

    counts: Counter[str] = Counter()
    for paragraph in paragraphs:
        for match in _CAPITAL_RE.finditer(paragraph):
            start = match.start()
            if start >= 2 and paragraph[start - 2] not in ".!?":
                counts[match.group()] += 1
    return [w for w in counts if zipf_frequency(w.lower(), "en") < 4.5]


def _rename(pattern: re.Pattern[str], mapping: dict[str, str], text: str) -> str:
    return pattern.sub(lambda m: mapping[m.group()], text)


@dataclass(frozen=True)
class Page:
    url: str
    html: str


def build_pages(n: int, seed: int) -> list[Page]:
    """`n` distinct article pages, grouped into stories of 1-4 articles."""
    rng = random.Random(seed)
    paragraphs, furniture = load_seeds()
    names = proper_nouns(paragraphs)
    name_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len))) + r")\b")
    base = datetime(2024, 6, 1, 6, 0, tzinfo=UTC)
    pages: list[Page] = []
    story = 0
    while len(pages) < n:
        story += 1
        mapping = {name: _invented_name(rng) for name in names}
        numbers: dict[str, str] = {}

        def renumber(match: re.Match[str], numbers: dict[str, str] = numbers) -> str:
            digits = match.group()
            if digits not in numbers:
                low = 10 ** (len(digits) - 1) if len(digits) > 1 else 1
                numbers[digits] = str(rng.randint(low, 10 ** len(digits) - 1))
            return numbers[digits]

        day = base + timedelta(days=rng.uniform(0, 30))
        for _ in range(min(rng.choice((1, 1, 2, 2, 3, 4)), n - len(pages))):
            chosen = rng.sample(paragraphs, rng.randint(6, 12))
            body = [_NUMBER_RE.sub(renumber, _rename(name_re, mapping, p)) for p in chosen]
            first = body[0].split(". ")[0].split()
            title = " ".join(first[: rng.randint(8, 14)]).rstrip(".,;:")
            outlet, domain = rng.choice(_OUTLETS)
            slug = "-".join(w.lower() for w in _WORD_RE.findall(title)[:6])
            published = day + timedelta(hours=rng.uniform(-12, 36))
            url = f"https://www.{domain}/news/{published:%Y/%m}/{slug}-{len(pages)}.html"
            author = f"{_invented_name(rng)} {_invented_name(rng)}"
            pages.append(
                Page(
                    url=url + "?utm_source=slack&utm_medium=share",
                    html=_page_html(rng, title, body, url, outlet, author, published, furniture),
                )
            )
    return pages


def _page_html(
    rng: random.Random,
    title: str,
    body: list[str],
    canonical: str,
    outlet: str,
    author: str,
    published: datetime,
    furniture: list[str],
) -> str:
    e = html.escape
    nav = "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in _NAV)
    related = "".join(
        f'<li><a href="/news/related-{rng.randint(1, 99999)}.html">{e(line)}</a></li>'
        for line in rng.sample(furniture, min(4, len(furniture)))
    )
    footer = "".join(f'<li><a href="/{s.split()[0].lower()}">{s}</a></li>' for s in _FOOTER)
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in body)
    iso = published.isoformat(timespec="seconds")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(title)} | {e(outlet)}</title>
<link rel="canonical" href="{e(canonical)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="{e(outlet)}">
<meta property="og:title" content="{e(title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{e(canonical)}">
<meta property="article:published_time" content="{iso}">
<meta name="author" content="{e(author)}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"section": "news"}});</script>
</head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button>
<a href="/cookies">Manage preferences</a></div>
<header class="site-header"><a class="logo" href="/">{e(outlet)}</a>
<nav aria-label="Main"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form></header>
<main>
<article>
<h1>{e(title)}</h1>
<p class="byline">By <a rel="author" href="/authors/{rng.randint(1, 500)}">{e(author)}</a>
<time datetime="{iso}">{published:%B %d, %Y %H:%M} UTC</time></p>
<figure><img src="/img/{rng.randint(1, 10**6)}.jpg" alt="">
<figcaption>{e(rng.choice(furniture))}</figcaption></figure>
<div class="article-body">
{paragraphs}
</div>
<div class="share">Share this article: <a href="#">Facebook</a> <a href="#">X</a>
<a href="#">Email</a></div>
</article>
<aside class="related"><h3>More like this</h3><ul>{related}</ul></aside>
<section class="newsletter"><h3>Get the morning briefing</h3>
<p>Sign up for our newsletter.</p></section>
</main>
<footer><ul>{footer}</ul><p>&copy; 2024 {e(outlet)}. All rights reserved.</p></footer>
</body>
</html>
"""


class StageTimer:
    """Wraps a function so that the time spent in it adds up in `total`."""

    def __init__(self, fn: Callable[..., Any]):
        self.fn = fn
        self.total = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.total += time.perf_counter() - start


def revise(page: Page) -> Page:
    """The page with the first figure of its article body changed (one more), or a
    sentence added to a body without one."""
    head, rest = page.html.split('<div class="article-body">', 1)
    body, tail = rest.split("</div>", 1)
    changed = _FIGURE_RE.sub(lambda m: str(int(m.group()) + 1), body, count=1)
    if changed == body:
        changed += "<p>This article was updated with a statement from the ministry.</p>\n"
    return Page(url=page.url, html=f'{head}<div class="article-body">{changed}</div>{tail}')


def run(n: int, seed: int, database_url: str | None = None, revised: int = 0) -> dict[str, Any]:
    import trafilatura

    import bot.services.ingest as ingest_module
    from bot.core.dedup import MatchConfig
    from bot.services.ingest import IngestService
    from storage.db import open_database

    started = time.perf_counter()
    pages = build_pages(n + WARMUP_PAGES, seed)
    warmup, pages = pages[:WARMUP_PAGES], pages[WARMUP_PAGES:]
    build_s = time.perf_counter() - started
    mean_kb = sum(len(p.html.encode()) for p in pages) / len(pages) / 1024

    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        if database_url:  # a scratch PostgreSQL database: emptied first
            from sqlalchemy import text

            from storage.db import make_engine

            scratch = make_engine(database_url)
            with scratch.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            scratch.dispose()
        engine = open_database(database_url or f"sqlite:///{tmp}/ingest.db")
        service = IngestService(engine, MatchConfig(), None)
        # Warm-up on the same database: imports, wordfreq list, compiled statements.
        for page in warmup:
            service.ingest_html(page.html, url=page.url)

        extract = StageTimer(ingest_module.from_html)
        profile = StageTimer(ingest_module.build_profile)
        ingest_module.from_html = extract
        ingest_module.build_profile = profile
        try:
            times: list[float] = []
            relations: Counter[str] = Counter()
            for page in pages:
                start = time.perf_counter()
                result = service.ingest_html(page.html, url=page.url)
                times.append(time.perf_counter() - start)
                relations[result.relation] += 1
        finally:
            ingest_module.from_html = extract.fn
            ingest_module.build_profile = profile.fn
        # The same URLs again: `revised` pages with one figure changed (stored as their next
        # version), then the same revised pages again (already stored).
        again: dict[str, list[float]] = {"revision": [], "duplicate": []}
        for kind in again:
            for page in pages[:revised]:
                given = revise(page)
                start = time.perf_counter()
                result = service.ingest_html(given.html, url=given.url)
                again[kind].append(time.perf_counter() - start)
                relations[f"again: {result.relation}"] += 1
        engine.dispose()

    base_times: list[float] = []
    for page in pages:
        start = time.perf_counter()
        trafilatura.bare_extraction(
            page.html,
            url=page.url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            fast=True,
        )
        base_times.append(time.perf_counter() - start)

    return {
        "database": engine.dialect.name,
        "n": len(pages),
        "build_s": build_s,
        "mean_kb": mean_kb,
        "times": times,
        "extract": extract.total,
        "profile": profile.total,
        "relations": relations,
        "base_times": base_times,
        "again": again,
    }


def report(r: dict[str, Any]) -> bool:
    n, times, base = r["n"], r["times"], r["base_times"]
    total, base_total = sum(times), sum(base)
    rate, base_rate = n / total, n / base_total
    p50, p95, p99 = percentiles_ms(times)
    b50, b95, b99 = percentiles_ms(base)
    print(
        table(
            ["", "articles/s/core", "p50 ms", "p95 ms", "p99 ms", "mean ms"],
            [
                ["IngestService.ingest_html", rate, p50, p95, p99, total / n * 1e3],
                [
                    "baseline: trafilatura.bare_extraction",
                    base_rate,
                    b50,
                    b95,
                    b99,
                    base_total / n * 1e3,
                ],
            ],
            title=f"Ingest throughput: {n} HTML pages ({r['mean_kb']:.1f} KB each on average), "
            f"fresh {'PostgreSQL schema' if r['database'] == 'postgresql' else 'SQLite file'}, "
            "one process",
        )
    )
    print()
    store = total - r["extract"] - r["profile"]
    rows = [
        ["extraction (from_html)", r["extract"] / n * 1e3, r["extract"] / total * 100],
        ["  of which bare_extraction (baseline)", base_total / n * 1e3, base_total / total * 100],
        ["profile (build_profile)", r["profile"] / n * 1e3, r["profile"] / total * 100],
        ["store+match (the rest)", store / n * 1e3, store / total * 100],
        ["total", total / n * 1e3, 100.0],
    ]
    print(table(["stage", "mean ms/article", "% of time"], rows, title="Breakdown of the run"))
    if r["again"]["revision"]:
        rows = [["first ingest (the run above)", rate, p50, p95, p99, total / n * 1e3]]
        for kind, label in (
            ("revision", "same URL, one figure changed (a revision)"),
            ("duplicate", "the revised page again (a duplicate)"),
        ):
            taken = r["again"][kind]
            rows.append([label, len(taken) / sum(taken), *percentiles_ms(taken)])
            rows[-1].append(sum(taken) / len(taken) * 1e3)
        print()
        print(
            table(
                ["", "articles/s/core", "p50 ms", "p95 ms", "p99 ms", "mean ms"],
                rows,
                title=f"The same URLs again ({len(r['again']['revision'])} pages), same run",
            )
        )
    print()
    mix = ", ".join(f"{k} {v}" for k, v in sorted(r["relations"].items()))
    print(f"verdicts: {mix}")
    print(
        f"pages built in {r['build_s']:.1f} s (not timed); {WARMUP_PAGES} warm-up pages "
        "ingested first into the same database, not counted"
    )
    ok = rate >= TARGET_ARTICLES_PER_S
    print(f"target >= {TARGET_ARTICLES_PER_S:.0f} articles/s per core: {rate:.1f} -> {verdict(ok)}")
    print(machine())
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=300, help="pages to ingest (default 300)")
    parser.add_argument("--quick", action="store_true", help="a small run (40 pages)")
    parser.add_argument("--seed", type=int, default=20240620)
    parser.add_argument(
        "--db",
        metavar="URL",
        help="a scratch PostgreSQL database to ingest into instead (its public schema is emptied)",
    )
    parser.add_argument(
        "--revised",
        type=int,
        default=0,
        metavar="K",
        help="then ingest the first K pages again with one figure changed, then once more",
    )
    args = parser.parse_args(argv)
    n = 40 if args.quick else args.n
    report(run(n, args.seed, args.db, min(args.revised, n)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
