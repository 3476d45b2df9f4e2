"""Slash-command ack latency of a real `newsroom serve` under concurrent signed requests.

    python benchmarks/bench_slack_ack.py                       # SQLite, 200 requests, 50 clients
    python benchmarks/bench_slack_ack.py --requests 1000 --concurrency 50
    python benchmarks/bench_slack_ack.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Set-up: a fake Slack Web API (tests/fake_slack.py), a local news site serving the seed articles
(tests/news_site.py) and one `newsroom serve` subprocess (tests/bot_process.py) on
a fresh SQLite file in a temp dir, or on a PostgreSQL schema of its own (created for the run and
dropped after: the test database is shared, so its public schema is left alone). The five seed
links are ingested first through signed link-message events, and the five thread replies
awaited, so that `/newsroom search` finds articles.

Timed: N signed `/newsroom help` and `/newsroom search Putin Vietnam` slash commands
(alternating), sent by C client threads with one persistent HTTP/1.1 connection each, each thread
sending its next request when the previous one is answered (C requests in flight). The ack is
the time from sending a request to its HTTP response: Bolt answers 200 once the listener called
ack(), before the command's answer goes to the response_url. The full answer is the time from
sending to the response_url post arriving at the fake. Signing and encoding are done before the
clock starts.

Baseline in the same run, against the same server and with the same concurrency: N `GET /health`
requests, which go through waitress and the WSGI app but not Bolt (the floor of the HTTP stack;
the health check also runs `SELECT 1` on the database, a round trip on PostgreSQL).

Then link events under a batch ingest (issue #16: ack p99 was 3.79 s and 1 link in 300 lost
while a batch ingest wrote to the same SQLite file): L signed link-message events (each a new
message, so each must be answered in its thread) sent by the same clients first with the
database idle, then while `newsroom ingest --jsonl` writes B generated articles to the same
database from another process, with the slash commands alternating among them. Printed: the
acks of each, how many links were answered once, twice or never, and whether the ingest was
still running when the last request was acknowledged.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _bench_common import machine, percentiles_ms, table, verdict

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `tests.*` is not installed: import it from the repo root
    sys.path.insert(0, str(ROOT))

TARGET_ACK_P99_MS = 100.0
TARGET_UNDER_INGEST_P99_MS = 1000.0
DESK = "C0DESK0001"
REPORTER = "U0REPORT01"
EDITOR = "U0EDITOR01"
COMMANDS = ("help", "search Putin Vietnam")
INGEST_TIMEOUT_S = 120.0
ANSWER_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 30.0


def _ts(n: int) -> str:
    return f"{1718870400 + n}.{n:06d}"


# Fake Slack that stamps when each response_url post arrived --------------------------------


def timed_fake() -> Any:
    from tests.fake_slack import RESPONSE_URL, Call, FakeSlack

    class TimedFakeSlack(FakeSlack):
        """FakeSlack that also records perf_counter() at each response_url post, by name."""

        def __init__(self) -> None:
            super().__init__()
            self.arrived: dict[str, float] = {}

        def _record(self, call: Call, problems: list[str]) -> None:
            if call.method == RESPONSE_URL and call.response_name is not None:
                self.arrived.setdefault(call.response_name, time.perf_counter())
            super()._record(call, problems)

        def wait_answers(self, names: set[str], timeout: float) -> set[str]:
            """Block until every name got its response_url post; return the missing ones."""
            with self._changed:
                self._changed.wait_for(lambda: names <= self.arrived.keys(), timeout)
                return names - self.arrived.keys()

    return TimedFakeSlack()


# Database -------------------------------------------------------------------------------------


@contextmanager
def database(url: str | None, workdir: Path) -> Iterator[tuple[str, str]]:
    """(database URL for the bot, description): a fresh SQLite file or a PostgreSQL schema."""
    if url is None:
        yield f"sqlite:///{workdir / 'newsroom.db'}", "SQLite, fresh file in a temp dir"
        return
    if url.startswith("sqlite"):
        yield url, f"SQLite, {url}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    # A schema of our own on the shared test database: fresh for this run, dropped after, and
    # no DROP SCHEMA public under whoever else is running tests there.
    schema = f"bench_slack_ack_{os.getpid()}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield (
            scoped.render_as_string(hide_password=False),
            f"PostgreSQL, schema {schema} of {make_url(url).render_as_string()} (dropped after)",
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


# Load -----------------------------------------------------------------------------------------


@dataclass
class Prepared:
    """One request, encoded and signed before the clock starts."""

    kind: str
    name: str  # response_url name ("" for health)
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]


@dataclass
class Result:
    kind: str
    name: str
    status: int  # -1 when the request failed without an HTTP response
    sent: float
    acked: float
    error: str = ""


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    began: float = 0.0
    wall: float = 0.0

    def times(self, kind: str | None = None) -> list[float]:
        return [
            r.acked - r.sent
            for r in self.results
            if r.status == 200 and (kind is None or r.kind == kind)
        ]

    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status != 200]


def command_request(fake: Any, index: int, prefix: str) -> Prepared:
    from tests.bot_process import SECRET
    from tests.slack_payloads import encode, signed, slash_command

    text = COMMANDS[index % len(COMMANDS)]
    name = f"{prefix}{index:06d}"
    payload = slash_command(
        text=text, channel=DESK, user=EDITOR, response_url=fake.response_url(name)
    )
    body, content_type = encode(payload)
    headers = {"Content-Type": content_type, **signed(body, SECRET)}
    return Prepared(text.split()[0], name, "POST", "/slack/events", body, headers)


def run_load(port: int, requests: list[Prepared], concurrency: int) -> Run:
    """Send `requests` from `concurrency` threads, one keep-alive connection each."""
    jobs: queue.SimpleQueue[Prepared] = queue.SimpleQueue()
    for request in requests:
        jobs.put(request)
    run = Run()
    lock = threading.Lock()
    threads = min(concurrency, len(requests))
    start = threading.Barrier(threads + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        conn.connect()
        mine = []
        start.wait()
        while True:
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                break
            sent = time.perf_counter()
            try:
                conn.request(job.method, job.path, body=job.body, headers=job.headers)
                response = conn.getresponse()
                response.read()
                acked = time.perf_counter()
                mine.append(Result(job.kind, job.name, response.status, sent, acked))
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                acked = time.perf_counter()
                mine.append(Result(job.kind, job.name, -1, sent, acked, repr(exc)))
                conn.close()  # http.client reconnects on the next request
        conn.close()
        with lock:
            run.results.extend(mine)

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    run.began = time.perf_counter()
    for worker in workers:
        worker.join()
    run.wall = time.perf_counter() - run.began
    return run


def ingest_seeds(bot: Any, fake: Any, site: str, seeds: list[Path]) -> float:
    """Send the seed links one by one, each after the previous thread reply; seconds taken."""
    from tests.slack_payloads import link_message

    began = time.perf_counter()
    for n, path in enumerate(seeds):
        ts = _ts(n)
        url = f"{site}/world/{path.name[:3]}"
        payload = link_message(channel=DESK, user=REPORTER, ts=ts, url=url)
        status, body = bot.send(payload)
        if status != 200:
            raise RuntimeError(f"link message {path.name}: HTTP {status} {body[:200]!r}")
        deadline = time.monotonic() + INGEST_TIMEOUT_S
        while not any(m.get("thread_ts") == ts for m in fake.messages(DESK)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no thread reply for {path.name}:\n{bot.output()[-3000:]}")
            time.sleep(0.02)
    return time.perf_counter() - began


def commands(fake: Any, n: int, prefix: str) -> list[Prepared]:
    return [command_request(fake, i, prefix) for i in range(n)]


def link_requests(site: str, n: int, first: int) -> list[Prepared]:
    """`n` signed link-message events, each a new message (its ts names its thread)."""
    from tests.bot_process import SECRET
    from tests.slack_payloads import encode, link_message, signed

    prepared = []
    for i in range(first, first + n):
        ts = _ts(1000 + i)
        url = f"{site}/world/00{i % 5}?n={i}"
        body, content_type = encode(link_message(channel=DESK, user=REPORTER, ts=ts, url=url))
        headers = {"Content-Type": content_type, **signed(body, SECRET)}
        prepared.append(Prepared("link", ts, "POST", "/slack/events", body, headers))
    return prepared


def batch_file(path: Path, n: int) -> Path:
    """A JSONL batch of `n` distinct articles made of seed paragraphs."""
    import json
    import random

    rng = random.Random(16)
    paragraphs = [
        line.strip()
        for seed in sorted((ROOT / "seeds").glob("0*.txt"))
        for line in seed.read_text().splitlines()
        if len(line.split()) >= 20
    ]
    with path.open("w") as out:
        for i in range(n):
            body = rng.sample(paragraphs, min(6, len(paragraphs)))
            text = f"Dispatch {i} from desk {rng.randint(1, 10**6)}. " + "\n\n".join(body)
            record = {"id": f"batch-{i}", "title": f"Batch article {i}", "text": text}
            out.write(json.dumps(record) + "\n")
    return path


def interleave(a: list[Prepared], b: list[Prepared]) -> list[Prepared]:
    out: list[Prepared] = []
    for i in range(max(len(a), len(b))):
        out.extend(x[i] for x in (a, b) if i < len(x))
    return out


def wait_links(fake: Any, threads: set[str], timeout: float) -> Counter[str]:
    """Wait until every thread got a reply (or `timeout`); replies per thread."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if threads <= {m.get("thread_ts") for m in fake.messages(DESK)}:
            break
        time.sleep(0.1)
    time.sleep(1.0)  # a second reply would arrive now
    return Counter(m.get("thread_ts") for m in fake.messages(DESK) if m.get("thread_ts") in threads)


# Report ---------------------------------------------------------------------------------------


def row(label: str, seconds: list[float]) -> list[object]:
    p50, p95, p99 = percentiles_ms(seconds)
    return [label, len(seconds), p50, p95, p99, max(seconds) * 1e3 if seconds else float("nan")]


def problem_lines(log: str, limit: int = 6) -> list[str]:
    """Warnings and errors of the serve log, grouped by message with digits masked."""
    counts: Counter[str] = Counter()
    for line in log.splitlines():
        if " WARNING " in line or " ERROR " in line:
            message = line.split(" ", 2)[-1]  # without the date and time
            counts[re.sub(r"\d+", "N", message)[:160]] += 1
    shown = [f"  {n:>5} x {message}" for message, n in counts.most_common(limit)]
    if len(counts) > limit:
        shown.append(f"  ... and {len(counts) - limit} other messages")
    return shown


def found_articles(text: str) -> int:
    """How many articles a search answer lists ("Search “…”: 4 articles"; 0 for nothing)."""
    match = re.search(r": (\d+) articles?\b", text)
    return int(match.group(1)) if match else 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="slash commands (and GETs)")
    parser.add_argument("--concurrency", type=int, default=50, help="client threads")
    parser.add_argument("--warmup", type=int, default=20, help="untimed commands sent first")
    parser.add_argument(
        "--database-url", help="database URL (default: a fresh SQLite file in a temp dir)"
    )
    parser.add_argument("--links", type=int, default=300, help="link events per phase")
    parser.add_argument("--batch", type=int, default=3000, help="articles the batch ingests")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1:
        parser.error("--requests and --concurrency must be at least 1")

    from tests.bot_process import BotProcess
    from tests.news_site import news_site

    started = time.perf_counter()
    seeds = sorted((ROOT / "seeds").glob("0*.txt"))
    seed_texts = {p.name: p.read_text() for p in seeds}
    errors: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench_slack_ack_") as tmp,
        timed_fake() as fake,
        news_site(seed_texts) as site,
        database(args.database_url, Path(tmp)) as (url, backend),
        BotProcess(database_url=url, slack_base_url=fake.base_url, workdir=Path(tmp)) as bot,
    ):
        ingest_s = ingest_seeds(bot, fake, site, seeds)

        # Warm-up (untimed): first imports, pooled database connections, Bolt's first auth.
        warm = run_load(bot.port, commands(fake, args.warmup, "warm"), args.concurrency)
        fake.wait_answers({r.name for r in warm.results if r.status == 200}, ANSWER_TIMEOUT_S)

        health_requests = [Prepared("health", "", "GET", "/health", None, {})] * args.requests
        health = run_load(bot.port, health_requests, args.concurrency)
        prepared = commands(fake, args.requests, "cmd")
        pid = bot.process.pid
        cpu_before, own_before = cpu_seconds(pid), time.process_time()
        acks = run_load(bot.port, prepared, args.concurrency)
        answered = {r.name for r in acks.results if r.status == 200}
        missing = fake.wait_answers(answered, ANSWER_TIMEOUT_S)
        bot_cpu = cpu_seconds(pid) - cpu_before
        own_cpu = time.process_time() - own_before
        phase_s = time.perf_counter() - acks.began
        sent_at = {r.name: r.sent for r in acks.results}
        full = [
            fake.arrived[name] - sent_at[name] for name in sorted(answered) if name in fake.arrived
        ]
        search_names = {p.name for p in prepared if p.kind == "search"}
        found = Counter(
            found_articles(call.params.get("text", ""))
            for call in fake.calls_to("response_url")
            if call.response_name in search_names
        )

        # Link events: idle, then during a batch ingest into the same database.
        idle_links = link_requests(site, args.links, 0)
        idle = run_load(bot.port, idle_links, args.concurrency)
        idle_replies = wait_links(fake, {p.name for p in idle_links}, ANSWER_TIMEOUT_S)
        busy_links = link_requests(site, args.links, args.links)
        busy_commands = commands(fake, args.links, "busy")
        batch = batch_file(Path(tmp) / "batch.jsonl", args.batch)
        ingest = subprocess.Popen(
            [sys.executable, "-m", "bot", "ingest", "--jsonl", str(batch), "--db", url],
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3.0)  # imports done, writing
        busy = run_load(bot.port, interleave(busy_links, busy_commands), args.concurrency)
        ingest_running = ingest.poll() is None
        busy_replies = wait_links(fake, {p.name for p in busy_links}, ANSWER_TIMEOUT_S)
        ingest.wait()
        log = bot.output()
        violations = fake.violations

    for label, run in (("warm-up", warm), ("health", health), ("command", acks)):
        for failure in run.failures()[:5]:
            errors.append(f"{label} {failure.kind}: HTTP {failure.status} {failure.error}")
        if len(run.failures()) > 5:
            errors.append(f"{label}: {len(run.failures()) - 5} more failures")
    if missing:
        errors.append(f"{len(missing)} acked commands got no response_url answer")
    if found[0]:
        errors.append(f"{found[0]} search answers found no article (were the seeds ingested?)")

    all_acks = acks.times()
    rows = [
        row("help ack", acks.times("help")),
        row("search ack", acks.times("search")),
        row("all acks", all_acks),
        row("health (baseline)", health.times()),
        row("full answer via response_url", full),
    ]
    print(
        table(
            ["", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"],
            rows,
            title=(
                f"/newsroom ack latency: {args.requests} signed commands (help and search "
                f"alternating), {args.concurrency} clients with a keep-alive connection each, "
                f"{backend}"
            ),
        )
    )
    print()
    print(
        f"throughput: commands {len(acks.results) / acks.wall:,.0f}/s "
        f"({acks.wall:.2f} s), health {len(health.results) / health.wall:,.0f}/s "
        f"({health.wall:.2f} s); seeds ingested in {ingest_s:.1f} s; "
        f"{args.warmup} warm-up commands first; `newsroom serve` (scheduler on)"
    )
    listed = ", ".join(f"{n} x {k} articles" for k, n in sorted(found.items()))
    print(f"search answers: {listed or 'none'}")
    print(
        f"CPU from the first command sent to the last answer ({phase_s:.2f} s): bot process "
        f"{bot_cpu:.2f} s ({bot_cpu / args.requests * 1e3:.1f} ms per command), this process "
        f"(clients and fake Slack) {own_cpu:.2f} s; {os.cpu_count()} CPUs"
    )
    if violations:
        print(f"fake Slack recorded {len(violations)} API violations, e.g. {violations[0]}")
    if problems := problem_lines(log):
        print("warnings and errors in the serve log:")
        print("\n".join(problems))
    ack_p99 = percentiles_ms(all_acks)[2]
    print(
        f"target: ack p99 <= {TARGET_ACK_P99_MS:g} ms: {ack_p99:.1f} ms -> "
        f"{verdict(ack_p99 <= TARGET_ACK_P99_MS).lower()}"
    )
    link_rows = [
        row("link event ack, database idle", idle.times("link")),
        row("link event ack, during batch ingest", busy.times("link")),
        row("command ack, during batch ingest", busy.times("help") + busy.times("search")),
    ]
    print()
    print(
        table(
            ["", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"],
            link_rows,
            title=(
                f"link events: {args.links} idle, then {args.links} with {args.links} commands "
                f"while `newsroom ingest --jsonl` writes {args.batch} articles to the same "
                f"database ({'still running at the last ack' if ingest_running else 'ENDED EARLY'})"
            ),
        )
    )
    for label, replies, sent in (
        ("idle", idle_replies, idle_links),
        ("during ingest", busy_replies, busy_links),
    ):
        lost = sum(replies[p.name] == 0 for p in sent)
        twice = sum(replies[p.name] > 1 for p in sent)
        print(
            f"links {label}: {len(sent) - lost - twice} answered once, {twice} twice, {lost} lost"
        )
    busy_p99 = percentiles_ms(busy.times())[2]
    print(
        f"target: ack p99 <= {TARGET_UNDER_INGEST_P99_MS:g} ms during a batch ingest: "
        f"{busy_p99:.1f} ms -> {verdict(busy_p99 <= TARGET_UNDER_INGEST_P99_MS).lower()}"
    )
    print(f"{machine()}; total {time.perf_counter() - started:.0f} s")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
