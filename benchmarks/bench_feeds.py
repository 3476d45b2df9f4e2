"""Feed polling at scale: N feeds (default 1,000) on N local sites, each on a loopback address
of its own (127.0.x.y: Linux routes all of 127.0.0.0/8 to lo), so the per-host spacing and the
connection pool see N hosts as they would N outlets.

    python benchmarks/bench_feeds.py                 # 1,000 feeds on a fresh SQLite file
    python benchmarks/bench_feeds.py -n 100          # a smoke test
    python benchmarks/bench_feeds.py --db postgresql+psycopg://postgres@127.0.0.1/bench_feeds

Cycles, each a `FeedService.sweep` over every feed (the time of the whole sweep):

- first look: every feed answers 200 with no items (validators stored);
- all 304: every feed answers 304 to the validators: the cycle a quiet hour costs;
- baseline, same run: the same feeds polled without validators (every one answers 200, is
  parsed, lists nothing new): what the 304s save;
- baseline, same run: fresh pages (built from the seeds, as benchmarks/bench_ingest.py
  builds them) ingested as pasted links (`IngestService.ingest_url`) on as many threads, no
  feed and no spacing: the ingest floor (run first, into the smaller database);
- 5 new items each: every feed lists 5 new pages of the same kind, each fetched and ingested.

The sites are ThreadingHTTPServers in this process, so their work shares the cores with the
poller's; on PostgreSQL (--db, a scratch database whose public schema is emptied) the server
shares them too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _bench_common import machine, table
from bench_ingest import build_pages

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests.*` is not installed: import it from the repo root
    sys.path.insert(0, str(ROOT))

from tests.feed_docs import Item, rss  # noqa: E402
from tests.feed_site import XML, Doc, FeedSite, start_site  # noqa: E402

T0 = datetime(2024, 6, 20, 8, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)


def host(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def open_engine(database_url: str | None, tmp: str) -> Any:
    from sqlalchemy import text

    from storage.db import make_engine, open_database

    if database_url:
        scratch = make_engine(database_url)
        with scratch.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        scratch.dispose()
    return open_database(database_url or f"sqlite:///{tmp}/feeds.db")


def requests(sites: list[FeedSite]) -> int:
    return sum(sum(s.requests.values()) for s in sites)


def run(n: int, items: int, threads: int, spacing: float, baseline_pages: int, db: str | None):
    from sqlalchemy import update
    from sqlmodel import Session

    from bot.core.dedup import MatchConfig
    from bot.fetch import Fetcher, FetchLimits
    from bot.services.feeds import FEED, FeedPolicy, FeedService, HostSpacing
    from bot.services.ingest import IngestService
    from bot.services.jobs import JobQueue
    from storage.models import Feed

    started = time.perf_counter()
    sites = [start_site(host(i), poll_interval=5.0) for i in range(n)]
    pages = build_pages(n * items + baseline_pages, 20240620)
    setup_s = time.perf_counter() - started
    rows: list[list[Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench_feeds_") as tmp:
        engine = open_engine(db, tmp)
        fetcher = Fetcher(FetchLimits(), allow_private=True)
        ingest = IngestService(engine, MatchConfig(), fetcher)
        service = FeedService(
            engine,
            ingest,
            JobQueue(engine),
            fetcher,
            policy=FeedPolicy(interval=INTERVAL, threads=threads, max_new_items=items),
            spacing=HostSpacing(spacing),
        )
        with Session(engine) as session:
            for i, site in enumerate(sites):
                site.routes["/rss"] = Doc(rss([], title=f"Outlet {i}"), XML, etag='"0"')
                session.add(Feed(url=site.url("/rss"), kind="rss", next_poll=T0, created=T0))
            session.commit()
        service.ensure_jobs(now=T0)

        def cycle(name: str, now: datetime) -> dict[str, Any]:
            before = requests(sites)
            t = time.perf_counter()
            swept = service.sweep(now=now)
            seconds = time.perf_counter() - t
            statuses = {p.status for p in swept.polls}
            stored = sum(p.stored for p in swept.polls)
            assert len(swept.polls) == n, (name, len(swept.polls))
            row = [
                name,
                len(swept.polls),
                requests(sites) - before,
                "/".join(sorted(statuses)),
                seconds,
                seconds / n * 1e3,
                stored,
                stored / seconds if stored else float("nan"),
            ]
            rows.append(row)
            return {"seconds": seconds, "stored": stored, "polls": swept.polls}

        cycle("first look (200, empty)", T0)
        quiet = cycle("all 304", T0 + INTERVAL)
        assert all(p.status == "not_modified" for p in quiet["polls"])
        with Session(engine) as session:
            session.execute(update(Feed).values(etag=None, last_modified=None))
            session.commit()
        cycle("baseline: no validators (200, nothing new)", T0 + 2 * INTERVAL)

        # Baseline: fresh pages as pasted links, on as many threads, first (into a smaller
        # database than the feed cycle then meets: the comparison favours the baseline).
        extra = pages[n * items :]
        urls = []
        for j, page in enumerate(extra):
            site = sites[j % n]
            site.routes[f"/pasted/{j}"] = Doc(page.html.encode())
            urls.append(site.url(f"/pasted/{j}"))
        before = requests(sites)
        t = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(ingest.ingest_url, urls))
        seconds = time.perf_counter() - t
        stored = sum(r.stored for r in results)
        rows.append(
            [
                "baseline: pasted links (ingest_url)",
                0,
                requests(sites) - before,
                "-",
                seconds,
                float("nan"),
                stored,
                stored / seconds,
            ]
        )
        for i, site in enumerate(sites):
            listed = []
            for k in range(items):
                page = pages[i * items + k]
                path = f"/story/{k}"
                site.routes[path] = Doc(page.html.encode())
                listed.append(Item(site.url(path), f"item {k}", guid=f"{i}-{k}", published=T0))
            site.routes["/rss"] = Doc(rss(listed, title=f"Outlet {i}"), XML, etag='"1"')
        busy = cycle(f"{items} new items each", T0 + 3 * INTERVAL)
        assert busy["stored"] == n * items, busy["stored"]

        backend = engine.dialect.name
        jobs = JobQueue(engine).counts(FEED)
        engine.dispose()
        fetcher.close()
    for site in sites:
        site.server.server_close()
    return rows, backend, setup_s, jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="feeds, one site each (default 1000)")
    parser.add_argument("--items", type=int, default=5, help="new items per feed (default 5)")
    parser.add_argument("--threads", type=int, default=4, help="feeds polled at once")
    parser.add_argument(
        "--spacing", type=float, default=0.05, help="per-host spacing, seconds (default 0.05)"
    )
    parser.add_argument(
        "--baseline-pages", type=int, default=300, help="pages of the pasted-link baseline"
    )
    parser.add_argument(
        "--db", metavar="URL", help="a scratch PostgreSQL database (its public schema is emptied)"
    )
    args = parser.parse_args(argv)
    rows, backend, setup_s, jobs = run(
        args.n, args.items, args.threads, args.spacing, args.baseline_pages, args.db
    )
    print(
        table(
            [
                "cycle",
                "feeds",
                "requests",
                "status",
                "seconds",
                "ms/feed",
                "ingested",
                "items/s",
            ],
            rows,
            title=(
                f"bench_feeds: {args.n:,} feeds on {args.n:,} loopback hosts, {backend}, "
                f"{args.threads} threads, per-host spacing {args.spacing:g} s "
                f"(sites and pages built in {setup_s:.1f} s)"
            ),
        )
    )
    print(f"feed jobs after the run: {jobs}")
    print(machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
