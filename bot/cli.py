"""The `newsroom` command line: the same use cases as the Slack app."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.core.dedup import NO_STATS, CorpusStats
from bot.core.extract import ArticleDraft, ExtractionError, from_html, from_text, parse_time
from bot.core.urls import is_http_url
from bot.services import Services, build_services, make_fetcher, match_config
from bot.services.compare import compare_drafts
from bot.services.ingest import IngestError, IngestResult, fetch_draft
from bot.settings import Settings
from bot.startup import database_errors, load_settings
from bot.views.digest import digest_text

if TYPE_CHECKING:
    from bot.app import Offload

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}


class InputError(Exception):
    """An input that could not be read; str() is a one-line reason."""


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _services(ctx: click.Context, db: str | None) -> Services:
    with database_errors(
        db or _settings(ctx).database_url, setting="--db" if db else "DATABASE_URL"
    ):
        return build_services(_settings(ctx), database_url=db)


def _err(message: str) -> None:
    click.echo(message, err=True)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Newsroom monitoring: ingest article links, deduplicate them, group them into stories."""
    ctx.obj = load_settings()


# ingest ------------------------------------------------------------------------------------


def _expand(inputs: tuple[str, ...]) -> Iterator[str]:
    for item in inputs:
        path = Path(item)
        if not is_http_url(item) and path.is_dir():
            yield from sorted(
                str(p) for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES
            )
        else:
            yield item


def _draft_from_file(item: str) -> ArticleDraft:
    """An article from an HTML or text file; every failure is an InputError."""
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


def _ingest_one(services: Services, item: str) -> IngestResult:
    if is_http_url(item):
        return services.ingest.ingest_url(item)
    return services.ingest.ingest(_draft_from_file(item), external_id=Path(item).name)


def describe(result: IngestResult) -> str:
    """One readable line for an ingested article."""
    story = f"story {result.story_id} ({result.story_sources} independent sources)"
    matched = f'"{result.matched_title}"' if result.matched_title else ""
    if result.relation == "new_story":
        return f"new story {result.story_id}: {result.title}"
    if result.relation == "duplicate":
        where = result.matched_url or matched
        return f"duplicate of article {result.matched_id} {where} ({result.signal}); {story}"
    if result.relation == "near_duplicate":
        return (
            f"copy of article {result.matched_id} {matched}, not an independent source "
            f"({result.signal}); {story}"
        )
    return f"same story as article {result.matched_id} {matched} ({result.signal}); {story}"


def _jsonl_records(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, reason when the line is unusable)."""
    try:
        handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from exc
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


def _ingest_jsonl(services: Services, path: str) -> int:
    failures = 0
    done = 0
    for number, record, problem in _jsonl_records(path):
        record_id = record.get("id") if record else None
        if problem is None and record is not None:
            try:
                result = services.ingest.ingest_text(
                    str(record.get("text") or ""),
                    title=str(record.get("title") or "") or None,
                    url=record.get("url") or None,
                    published=parse_time(record.get("published")),
                    outlet=record.get("outlet"),
                    external_id=None if record_id is None else str(record_id),
                )
            except IngestError as exc:
                problem = f"line {number}: {exc}"
            else:
                click.echo(
                    json.dumps(
                        {
                            "id": record_id,
                            "article_id": result.article_id,
                            "story_id": result.story_id,
                            "relation": result.relation,
                            "matched_id": result.matched_external_id,
                            "score": None if result.score is None else round(result.score, 4),
                        }
                    )
                )
        if problem is not None:
            failures += 1
            _err(problem)
            click.echo(json.dumps({"id": record_id, "error": problem}))
        done += 1
        if done % 500 == 0:
            _err(f"{done} lines ingested")
    _err(f"{done} lines, {failures} failed")
    return failures


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("--jsonl", "jsonl", metavar="FILE", help="Ingest a JSONL batch ('-' for stdin).")
@click.option("--db", metavar="URL", help="Database URL (default: DATABASE_URL).")
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], jsonl: str | None, db: str | None) -> None:
    """Ingest articles from URLs, HTML or text files, folders, or a JSONL batch.

    Prints one line per input with its verdict. Example:

        newsroom ingest seeds/ https://example.com/news/story.html

    JSONL lines are {"id", "title", "text", "url"?, "published"?, "outlet"?}; the output is
    one JSON object per input line, in order:

        newsroom ingest --jsonl articles.jsonl > verdicts.jsonl
    """
    if not inputs and not jsonl:
        raise click.UsageError("give files, folders or URLs to ingest, or --jsonl FILE")
    services = _services(ctx, db)
    failures = 0
    if jsonl:
        failures += _ingest_jsonl(services, jsonl)
    for item in _expand(inputs):
        try:
            result = _ingest_one(services, item)
        except (InputError, IngestError) as exc:
            failures += 1
            click.echo(f"{item}: failed: {exc}")
            continue
        click.echo(f"{item}: {describe(result)}")
    if failures:
        ctx.exit(1)


# compare -----------------------------------------------------------------------------------


def _draft_from_record(side: Any) -> ArticleDraft:
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


def _draft_from_source(settings: Settings, source: str) -> ArticleDraft:
    if not is_http_url(source):
        return _draft_from_file(source)
    with make_fetcher(settings) as fetcher:
        try:
            return fetch_draft(fetcher, source)
        except IngestError as exc:
            raise InputError(str(exc)) from exc


def _read_only_stats(db: str | None) -> CorpusStats:
    """Document frequencies from an existing database, read only; none without --db."""
    if not db:
        return NO_STATS
    from sqlalchemy import inspect
    from sqlmodel import Session

    from storage import queries
    from storage.db import make_engine

    with database_errors(db, setting="--db"):
        engine = make_engine(db)
        found = inspect(engine).has_table("termstat")
    if not found:
        raise click.ClickException(f"no newsroom database at {db}")
    with Session(engine) as session:
        n_docs, _ = queries.document_frequencies(session=session, terms=[])
        df = queries.all_document_frequencies(session=session)
    return CorpusStats.of(n_docs, df)


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--pairs", metavar="FILE", help="JSONL of pairs to judge ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--db", metavar="URL", help="Read term statistics from this database.")
@click.pass_context
def compare(
    ctx: click.Context, sources: tuple[str, ...], pairs: str | None, as_json: bool, db: str | None
) -> None:
    """Judge how two articles relate, writing nothing to any database.

    Two files or URLs:

        newsroom compare seeds/000_95b775bc5eae5327.txt seeds/002_dc8434f2a39adf63.txt

    Or a JSONL file of pairs {"id", "a": {"title"?, "text"?, "url"?, "published"?}, "b": {...}},
    printing {"id", "relation", "score", "claim_pairs"} per line:

        newsroom compare --pairs pairs.jsonl
    """
    settings = _settings(ctx)
    stats = _read_only_stats(db)
    if pairs:
        failures = 0
        for number, record, problem in _jsonl_records(pairs):
            record_id = record.get("id") if record else None
            if record is not None and problem is None:
                try:
                    a = _draft_from_record(record.get("a"))
                    b = _draft_from_record(record.get("b"))
                except InputError as exc:
                    problem = f"line {number}: {exc}"
                else:
                    out = compare_drafts(a, b, config=match_config(settings), stats=stats)
                    out.pop("signal")
                    click.echo(json.dumps({"id": record_id, **out}))
            if problem is not None:
                failures += 1
                _err(problem)
                click.echo(json.dumps({"id": record_id, "error": problem}))
        if failures:
            ctx.exit(1)
        return
    if len(sources) != 2:
        raise click.UsageError("give two files or URLs, or --pairs FILE")
    try:
        a, b = (_draft_from_source(settings, s) for s in sources)
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    out = compare_drafts(a, b, config=match_config(settings), stats=stats)
    if as_json:
        click.echo(json.dumps({"a": sources[0], "b": sources[1], **out}))
        return
    click.echo(f"A: {a.title}\nB: {b.title}")
    click.echo(f"{out['relation']} (score {out['score']:.2f}): {out['signal']}")
    for pair in out["claim_pairs"]:
        click.echo(
            f"  {pair['label']:<16} {pair['quantity']}: {pair['a']['value']} | {pair['b']['value']}"
        )


# stories and demo --------------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def print_stories(services: Services, *, limit: int = 50) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    views = services.stories.recent(limit=limit)
    if not views:
        console.print("No stories yet.")
        return
    for view in views:
        story = view.story
        table = Table(
            title=(
                f"Story {story.id}: {story.title}\n"
                f"{story.article_count} articles, {story.source_count} independent sources, "
                f"{_when(story.first_seen)} to {_when(story.last_seen)}"
            ),
            title_justify="left",
        )
        table.add_column("id", justify="right")
        table.add_column("article")
        table.add_column("relation")
        table.add_column("evidence")
        for article in view.articles:
            relation = article.relation
            if article.matched_id is not None:
                relation += f" of {article.matched_id}"
            name = article.external_id or article.outlet or article.canonical_url or ""
            table.add_row(
                str(article.id), f"{article.title}\n[dim]{name}[/dim]", relation, article.signal
            )
        console.print(table)


@main.command()
@click.option("--db", metavar="URL", help="Database URL (default: DATABASE_URL).")
@click.option("--limit", default=50, show_default=True, help="How many stories, newest first.")
@click.pass_context
def stories(ctx: click.Context, db: str | None, limit: int) -> None:
    """List stories with their articles, relations and independent source counts.

    newsroom stories --db sqlite:///newsroom.db
    """
    print_stories(_services(ctx, db), limit=limit)


def seeds_dir() -> Path:
    """The sample articles: ./seeds when run from a checkout, else next to the package."""
    local = Path("seeds")
    return local if local.is_dir() else Path(__file__).resolve().parents[1] / "seeds"


def _claims_json(services: Services, story_id: int) -> list[dict[str, Any]]:
    groups = services.claims.story_groups(story_id)
    return [
        {
            "quantity": g.quantity,
            "claims": [
                {
                    "value": row.surface,
                    "sentence": row.sentence,
                    "article_id": article.id,
                    "source": article.outlet or article.external_id or article.url,
                    "attribution": row.attribution or None,
                    "period": row.period,
                    "new": row.is_new,
                }
                for row, article in g.claims
            ],
            "labels": [
                {
                    "label": label,
                    "a": a.surface,
                    "b": b.surface,
                    "a_article_id": a.article_id,
                    "b_article_id": b.article_id,
                }
                for label, a, b in g.labels
            ],
        }
        for g in groups
    ]


def print_claims(
    groups: list[dict[str, Any]], story_id: int, *, only_labelled: bool = False
) -> None:
    """Claims of a story grouped by quantity (see `_claims_json`), conflicts first."""
    if not groups:
        click.echo(f"Story {story_id} has no claims.")
        return
    for group in groups:
        if only_labelled and not any(lab["label"] != "agree" for lab in group["labels"]):
            continue
        labels = sorted({lab["label"] for lab in group["labels"]} - {"agree"}) or (
            ["agree"] if group["labels"] else ["single source"]
        )
        click.echo(f"{group['quantity']}  [{', '.join(labels)}]")
        for claim in group["claims"]:
            who = f" ({claim['attribution']})" if claim["attribution"] else ""
            click.echo(f"  {claim['value']:<32} {claim['source']}{who}")
        for lab in group["labels"]:
            if lab["label"] != "agree":
                click.echo(
                    f"    {lab['label']}: {lab['a']} (article {lab['a_article_id']}) vs "
                    f"{lab['b']} (article {lab['b_article_id']})"
                )


@main.command()
@click.argument("story_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--db", metavar="URL", help="Database URL (default: DATABASE_URL).")
@click.pass_context
def claims(ctx: click.Context, story_id: int, as_json: bool, db: str | None) -> None:
    """A story's claims grouped by quantity, with their sources and labels.

    newsroom claims 1 --json
    """
    services = _services(ctx, db)
    if as_json:
        click.echo(json.dumps(_claims_json(services, story_id), indent=2))
        return
    print_claims(_claims_json(services, story_id), story_id)


@main.command()
@click.option("--db-file", default="newsroom-demo.db", show_default=True, help="SQLite file.")
@click.pass_context
def demo(ctx: click.Context, db_file: str) -> None:
    """Ingest the sample articles into a fresh SQLite file and show what a newsroom sees.

    newsroom demo
    """
    for suffix in ("", "-wal", "-shm"):
        Path(db_file + suffix).unlink(missing_ok=True)
    services = _services(ctx, f"sqlite:///{db_file}")
    folder = seeds_dir()
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    click.echo(f"Ingesting {len(files)} articles from {folder}/ into {db_file}\n")
    for path in files:
        try:
            result = _ingest_one(services, str(path))
        except (InputError, IngestError) as exc:
            click.echo(f"{path.name}: failed: {exc}")
            continue
        click.echo(f"{path.name}: {describe(result)}")
    click.echo()
    print_stories(services)
    for view in services.stories.recent():
        assert view.story.id is not None
        click.echo(f"\nStory {view.story.id}: how the sources compare (agreements left out)")
        groups = _claims_json(services, view.story.id)
        print_claims(groups, view.story.id, only_labelled=True)
        click.echo("\nNew claims by article (claims no earlier article of the story made):")
        for group in _claims_json(services, view.story.id):
            for claim in group["claims"]:
                if claim["new"] and claim["article_id"] != view.articles[0].id:
                    click.echo(
                        f"  article {claim['article_id']}: {claim['value']} ({group['quantity']})"
                    )
    now = datetime.now(UTC)
    digest = services.digest.build(since=now - timedelta(hours=24), until=now)
    click.echo("\nThe digest a subscribed channel would receive:\n")
    click.echo(digest_text(digest))


# digest and Slack ---------------------------------------------------------------------------


@main.command("digest")
@click.option("--print", "to_print", is_flag=True, help="Print the digest (the default).")
@click.option("--channel", metavar="C", help="Start where this channel's last digest ended.")
@click.option("--since", metavar="ISO", help="Start of the window (default: 24 hours ago).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--db", metavar="URL", help="Database URL (default: DATABASE_URL).")
@click.pass_context
def digest_command(
    ctx: click.Context,
    to_print: bool,
    channel: str | None,
    since: str | None,
    as_json: bool,
    db: str | None,
) -> None:
    """Print the digest of what is new: stories, sources, claims, conflicts and flags.

    newsroom digest --print --since 2024-06-20T00:00:00Z
    """
    services = _services(ctx, db)
    now = datetime.now(UTC)
    if since:
        start = parse_time(since)
        if start is None:
            raise click.BadParameter(f"not an ISO date or time: {since}", param_hint="--since")
    elif channel:
        start = services.digest.window_start(channel, now)
    else:
        start = now - timedelta(hours=24)
    digest = services.digest.build(since=start, until=now)
    if as_json:
        click.echo(json.dumps(digest.to_json(), indent=2))
    else:
        click.echo(digest_text(digest))


def _slack_app(ctx: click.Context) -> tuple[Settings, Services, Any, Offload]:
    from bot.app import ConfigError, Offload, create_app
    from bot.logs import configure_logging

    settings = _settings(ctx)
    configure_logging()
    services = _services(ctx, None)
    offload = Offload()
    try:
        app = create_app(settings, services, offload=offload)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    return settings, services, app, offload


def _start_scheduler(settings: Settings, services: Services, app: Any) -> Any:
    from bot.app import app_poster
    from bot.scheduler import DigestScheduler

    scheduler = DigestScheduler(
        services.digest,
        app_poster(app, settings),
        events=services.events,
        sweep_seconds=settings.digest_sweep_seconds,
    )
    scheduler.start()
    return scheduler


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)  # waitress and Socket Mode's wait stop cleanly on SystemExit


def _run_bot(
    ctx: click.Context, *, no_scheduler: bool, run: Callable[[Any, Services], None]
) -> None:
    """Run the app with `run` until SIGTERM or Ctrl-C, then stop the scheduler and finish the
    events already acknowledged (Slack does not send them again), for at most
    NEWSROOM_SHUTDOWN_GRACE_SECONDS."""
    import logging

    settings, services, app, offload = _slack_app(ctx)
    scheduler = None if no_scheduler else _start_scheduler(settings, services, app)
    signal.signal(signal.SIGTERM, _stop)
    try:
        run(app, services)
    except KeyboardInterrupt:
        pass
    finally:
        log = logging.getLogger("newsroom")
        log.info("stopping: finishing the events already acknowledged")
        if scheduler is not None:
            scheduler.shutdown()
        unfinished = offload.drain(settings.shutdown_grace_seconds)
        if unfinished:
            log.warning("stopped with %d acknowledged events unfinished", unfinished)
        else:
            log.info("stopped")


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=3000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not post digests from this process.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_scheduler: bool) -> None:
    """Run the bot in HTTP mode: POST /slack/events and GET /health.

    On SIGTERM it stops taking requests and finishes the events it acknowledged.

    newsroom serve --port 3000
    """
    from bot.server import bot_wsgi_app
    from bot.server import serve as run_server

    def run(app: Any, services: Services) -> None:
        click.echo(f"newsroom: listening on http://{host}:{port}/slack/events", err=True)
        run_server(bot_wsgi_app(app, services, _settings(ctx)), host=host, port=port)

    _run_bot(ctx, no_scheduler=no_scheduler, run=run)


@main.command()
@click.option("--no-scheduler", is_flag=True, help="Do not post digests from this process.")
@click.pass_context
def socket(ctx: click.Context, no_scheduler: bool) -> None:
    """Run the bot in Socket Mode (needs SLACK_APP_TOKEN; no public URL needed).

    On SIGTERM it disconnects and finishes the events it acknowledged.

    SLACK_APP_TOKEN=xapp-... newsroom socket
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = _settings(ctx)
    if settings.slack_app_token is None:
        raise click.ClickException("set SLACK_APP_TOKEN (an xapp- token) for Socket Mode")
    token = settings.slack_app_token.get_secret_value()

    def run(app: Any, services: Services) -> None:
        handler = SocketModeHandler(app, token)
        try:
            handler.start()
        finally:
            handler.close()  # no new events while the acknowledged ones finish

    _run_bot(ctx, no_scheduler=no_scheduler, run=run)
