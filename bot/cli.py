"""The `newsroom` command line: the same use cases as the Slack app."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.core.dedup import MatchConfig
from bot.core.extract import ArticleDraft, parse_time
from bot.core.urls import is_http_url
from bot.core.vocabulary import Relation
from bot.inputs import (
    InputError,
    draft_from_file,
    draft_from_jsonl,
    draft_from_record,
    expand,
    jsonl_records,
)
from bot.services import Services, build_services, make_fetcher, match_config
from bot.services.compare import Comparison, compare_drafts, read_only_stats
from bot.services.feeds import WatchError
from bot.services.ingest import IngestError, IngestResult, fetch_draft
from bot.settings import Settings
from bot.startup import database_errors, load_settings
from bot.views.digest import digest_text, render_digest
from bot.views.feeds import alert_text, poll_line, unwatch_text, watch_text, watching_lines
from bot.views.replies import alerts_text
from bot.views.story_claims import story_claims
from bot.views.terminal import (
    claims_json,
    claims_lines,
    comparison_lines,
    describe,
    dispute_lines,
    figure_lines,
    print_stories,
    reader_pair_lines,
)

if TYPE_CHECKING:
    from slack_bolt import App


_DB = "newsroom.db"  # where the --db option keeps its value, in the context's shared meta


def _remember_db(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Keep `--db`, given before the command (`newsroom --db URL stories`) or after it
    (`newsroom stories --db URL`), in the meta every context of the invocation shares."""
    if value is None:
        return
    given = ctx.meta.get(_DB)
    if given is not None and given != value:
        raise click.UsageError(f"--db given twice: {given!r} and {value!r}")
    ctx.meta[_DB] = value


def database_option(f: Any) -> Any:
    """The one `--db` option: on the group, and accepted after the commands that use a
    database, for the scripts that put it there."""
    return click.option(
        "--db",
        metavar="URL",
        expose_value=False,
        callback=_remember_db,
        help="Database URL (default: DATABASE_URL).",
    )(f)


def verbose_option(f: Any) -> Any:
    """`-v`: the scores behind a verdict and the thresholds they are held to (a reader's
    view says the verdict in words)."""
    return click.option(
        "-v", "--verbose", is_flag=True, help="Show the scores and the thresholds they are held to."
    )(f)


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _db(ctx: click.Context) -> str | None:
    """The --db URL, if given."""
    db: str | None = ctx.meta.get(_DB)
    return db


def _services(ctx: click.Context, db: str | None = None) -> Services:
    db = db or _db(ctx)
    with database_errors(
        db or _settings(ctx).database_url, setting="--db" if db else "DATABASE_URL"
    ):
        return build_services(_settings(ctx), database_url=db)


def _missing_database(ctx: click.Context, url: str, setting: str) -> None:
    """A one-line error when `url` is a SQLite file that does not exist."""
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        raise click.ClickException(
            f"no database at {path} ({setting}); `make demo` writes newsroom-demo.db: "
            "try --db sqlite:///newsroom-demo.db"
        )


def _existing(ctx: click.Context, db: str | None = None) -> Services:
    """The services of a database that must exist already (the read-only commands): a
    missing SQLite file is a one-line error, not a new empty database."""
    db = db or _db(ctx)
    _missing_database(ctx, db or _settings(ctx).database_url, "--db" if db else "DATABASE_URL")
    return _services(ctx, db)


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url in (prefix, prefix + ":memory:"):
        return None
    return Path(url.removeprefix(prefix).split("?", 1)[0])


def _err(message: str) -> None:
    click.echo(message, err=True)


def _records(path: str) -> Any:
    """The JSONL records of `path` (see bot.inputs.jsonl_records); a file that cannot be
    opened is a one-line error."""
    try:
        return jsonl_records(path)
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
@database_option
@click.pass_context
def main(ctx: click.Context) -> None:
    """Newsroom monitoring: ingest article links, deduplicate them, group them into stories.

    Every command reads DATABASE_URL (or .env), or the database --db names, given before
    the command or after it:

    \b
        newsroom --db sqlite:///newsroom-demo.db stories
        newsroom stories --db sqlite:///newsroom-demo.db
    """
    ctx.obj = load_settings()


# ingest ------------------------------------------------------------------------------------


def _ingest_one(services: Services, item: str, url: str | None = None) -> IngestResult:
    if is_http_url(item):
        return services.ingest.ingest_url(item)
    draft = draft_from_file(item, url=url, now=datetime.now(UTC))
    return services.ingest.ingest(draft, external_id=Path(item).name)


def _ingest_jsonl(services: Services, records: Any) -> int:
    failures = 0
    done = 0
    for number, record, problem in records:
        record_id = record.get("id") if record else None
        if problem is None and record is not None:
            try:
                draft = draft_from_jsonl(record, now=datetime.now(UTC))
                result = services.ingest.ingest(
                    draft, external_id=None if record_id is None else str(record_id)
                )
            except (InputError, IngestError) as exc:
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
@click.option("--url", metavar="URL", help="The address a single saved page was fetched from.")
@verbose_option
@database_option
@click.pass_context
def ingest(
    ctx: click.Context, inputs: tuple[str, ...], jsonl: str | None, url: str | None, verbose: bool
) -> None:
    """Ingest articles from URLs, HTML or text files, folders, or a JSONL batch.

    Prints one line per input with its verdict (-v adds the scores and thresholds). Example:

    \b
        newsroom ingest seeds/ https://example.com/news/story.html

    A saved page with the address it came from (its canonical URL is then checked):

    \b
        newsroom ingest page.html --url https://example.com/news/story.html

    JSONL lines are {"id", "title"?, "text" or "html", "url"?, "published"?, "outlet"?}
    ("published": an ISO date or epoch seconds); the output is one JSON object per input
    line, in order, and a bad line gets a one-line reason while the batch goes on:

    \b
        newsroom ingest --jsonl articles.jsonl > verdicts.jsonl

    Files over 5 MB, binary files and text in no detectable encoding are refused unread or
    undecoded; an input with an id already stored (a JSONL "id", a file's name) is not
    stored again.
    """
    if not inputs and not jsonl:
        raise click.UsageError("give files, folders or URLs to ingest, or --jsonl FILE")
    items = list(expand(inputs))
    if url is not None:
        if len(items) != 1 or is_http_url(items[0]):
            raise click.UsageError("--url goes with one saved file")
        if not is_http_url(url):
            raise click.UsageError(f"--url must be an http(s) address, not {url!r}")
    records = _records(jsonl) if jsonl else None  # a missing file: an error before any write
    services = _services(ctx)
    failures = 0
    if records is not None:
        failures += _ingest_jsonl(services, records)
    for item in items:
        try:
            result = _ingest_one(services, item, url)
        except (InputError, IngestError) as exc:
            failures += 1
            click.echo(f"{item}: failed: {exc}")
            continue
        click.echo(f"{item}: {describe(result, verbose=verbose)}")
    if failures:
        ctx.exit(1)


# compare -----------------------------------------------------------------------------------


def _stats(ctx: click.Context) -> Any:
    """Document frequencies from an existing database, read only; none without --db."""
    db = _db(ctx)
    if not db:
        return read_only_stats(None)
    _missing_database(ctx, db, "--db")
    try:
        with database_errors(db, setting="--db"):
            return read_only_stats(db)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


def _draft_from_source(settings: Settings, source: str) -> ArticleDraft:
    if not is_http_url(source):
        return draft_from_file(source)
    with make_fetcher(settings) as fetcher:
        try:
            return fetch_draft(fetcher, source)
        except IngestError as exc:
            raise InputError(str(exc)) from exc


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--pairs", metavar="FILE", help="JSONL of pairs to judge ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Show the scores and the thresholds they are held to."
)
@database_option
@click.pass_context
def compare(
    ctx: click.Context, sources: tuple[str, ...], pairs: str | None, as_json: bool, verbose: bool
) -> None:
    """Judge how two articles relate, writing nothing to any database.

    Two files or URLs (-v adds the scores and thresholds):

    \b
        newsroom compare seeds/000_95b775bc5eae5327.txt seeds/002_dc8434f2a39adf63.txt

    Or a JSONL file of pairs {"id", "a": {"title"?, "text"?, "url"?, "published"?}, "b": {...}},
    printing {"id", "relation", "score", "claim_pairs"} per line:

    \b
        newsroom compare --pairs pairs.jsonl

    With --db, terms are weighted by that database's document frequencies (read only).
    """
    settings = _settings(ctx)
    stats = _stats(ctx)
    if pairs:
        failures = 0
        for number, record, problem in _records(pairs):
            record_id = record.get("id") if record else None
            if record is not None and problem is None:
                try:
                    a = draft_from_record(record.get("a"))
                    b = draft_from_record(record.get("b"))
                except InputError as exc:
                    problem = f"line {number}: {exc}"
                else:
                    out = compare_drafts(a, b, config=match_config(settings), stats=stats)
                    record = out.to_json()
                    record.pop("signal")
                    click.echo(json.dumps({"id": record_id, **record}))
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
        click.echo(json.dumps({"a": sources[0], "b": sources[1], **out.to_json()}))
        return
    if verbose:
        lines = comparison_lines(out)  # the verdict with its score, then the claim pairs
        _echo_lines([*lines[:3], *_threshold_lines(match_config(settings)), *lines[3:]])
        return
    _echo_lines(_reader_comparison_lines(out))


_RELATION_WORDS = {
    Relation.DUPLICATE: "B is the same article as A",
    Relation.NEAR_DUPLICATE: "B is a copy of A, not an independent source",
    Relation.SAME_STORY: "B is other coverage of A's story",
    Relation.UNRELATED: "B is not about A's story",
}


def _reader_comparison_lines(out: Comparison) -> list[str]:
    """The comparison in a reader's words: no score, no threshold (those are -v's)."""
    line = f"{out.relation}: {_RELATION_WORDS.get(out.relation, out.relation)}"
    if out.relation in (Relation.DUPLICATE, Relation.NEAR_DUPLICATE):
        kind = out.signal.split(":", 1)[0]  # "copy", "partial copy", "rewrite", "same text"
        line += f" ({kind})"
    elif out.shared_terms:
        line += f"; both name {', '.join(out.shared_terms)}"
    return [f"A: {out.a_title}", f"B: {out.b_title}", line, *reader_pair_lines(out.claim_pairs)]


def _threshold_lines(config: MatchConfig) -> list[str]:
    """The thresholds a verdict is held to (compare -v)."""
    return [
        "thresholds: same story "
        f"{config.same_story_long:g} (two articles), {config.same_story_mixed:g} "
        f"(headline and article), {config.same_story_short:g} (two headlines); copy "
        f"{config.near_dup_shingle_jaccard:.0%} of word sequences, rewrite "
        f"{config.near_dup_fact_containment:.0%} of figures and quotes",
    ]


# stories and demo --------------------------------------------------------------------------


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


@main.command()
@click.option("--limit", default=50, show_default=True, help="How many stories, newest first.")
@verbose_option
@database_option
@click.pass_context
def stories(ctx: click.Context, limit: int, verbose: bool) -> None:
    """List stories with their articles, relations and independent source counts (-v adds
    the scores behind each relation).

    \b
        newsroom stories --db sqlite:///newsroom-demo.db
    """
    print_stories(_existing(ctx).stories.recent(limit=limit), verbose=verbose)


def seeds_dir() -> Path:
    """The sample articles: ./seeds when run from a checkout, else next to the package."""
    local = Path("seeds")
    return local if local.is_dir() else Path(__file__).resolve().parents[1] / "seeds"


@main.command()
@click.argument("story_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@database_option
@click.pass_context
def claims(ctx: click.Context, story_id: int, as_json: bool) -> None:
    """A story's figures as the digest words them: conflicts by outlet with the sentences
    they rest on, differences of years or measures, updates, then every other figure (a
    date or a bare number with its sentence). --json gives each claim's fields and labels;
    a story that does not exist exits 1.

    \b
        newsroom claims 1
        newsroom claims 1 --json
    """
    services = _existing(ctx)
    if services.stories.find(str(story_id)) is None:
        raise click.ClickException(f"no story {story_id} (`newsroom stories` lists them)")
    groups = services.claims.story_groups(story_id)
    if as_json:
        click.echo(json.dumps(claims_json(groups), indent=2))
        return
    _echo_lines(claims_lines(groups, story_id))


def seed_sources(folder: Path) -> dict[str, dict[str, str | None]]:
    """Each seed file's outlet and address (``sources.json`` beside them), as a link posted
    in Slack would give them; none when the folder has no such file."""
    path = folder / "sources.json"
    if not path.is_file():
        return {}
    found = json.loads(path.read_text(encoding="utf-8"))
    return {name: v for name, v in found.items() if isinstance(v, dict)}


def _ingest_seed(services: Services, path: Path, source: dict[str, str | None]) -> IngestResult:
    """A seed file ingested as its outlet published it (its file name kept as its id)."""
    draft = draft_from_file(str(path), url=source.get("url"), now=datetime.now(UTC))
    if source.get("outlet"):
        draft = replace(draft, outlet=source["outlet"])
    return services.ingest.ingest(draft, external_id=path.name)


@main.command()
@click.option("--db-file", default="newsroom-demo.db", show_default=True, help="SQLite file.")
@verbose_option
@click.pass_context
def demo(ctx: click.Context, db_file: str, verbose: bool) -> None:
    """Ingest the sample articles into a fresh SQLite file and show what a newsroom sees
    (-v adds the scores behind each verdict).

    \b
        newsroom demo
        newsroom demo --db-file /tmp/demo.db
    """
    if _db(ctx) is not None:
        raise click.UsageError("demo writes a fresh file of its own: give --db-file, not --db")
    for suffix in ("", "-wal", "-shm"):
        Path(db_file + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{db_file}"
    with database_errors(url, setting="--db-file"):
        services = build_services(_settings(ctx), database_url=url)
    folder = seeds_dir()
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    sources = seed_sources(folder)
    click.echo(f"Ingesting {len(files)} articles from {folder}/ into {db_file}\n")
    for path in files:
        try:
            result = _ingest_seed(services, path, sources.get(path.name, {}))
        except (InputError, IngestError) as exc:
            click.echo(f"{path.name}: failed: {exc}")
            continue
        click.echo(f"{path.name}: {describe(result, verbose=verbose)}")
    click.echo()
    views = services.stories.recent()
    print_stories(views, verbose=verbose)
    for view in views:
        assert view.story.id is not None
        found = story_claims(services.claims.story_groups(view.story.id))
        click.echo(f"\nStory {view.story.id}: how the sources compare (agreements left out)")
        _echo_lines(dispute_lines(found) or ["  Its sources agree on every figure they share."])
        click.echo("\nNew figures by article (that no earlier article of the story gave):")
        _echo_lines(figure_lines(found, view.story.id, skip=view.articles[0].id) or ["  none"])
    now = datetime.now(UTC)
    digest = services.digest.build(since=now - timedelta(hours=24), until=now)
    click.echo("\nThe digest a subscribed channel would receive:\n")
    click.echo(digest_text(digest))


# digest and Slack ---------------------------------------------------------------------------


def _run_bot(ctx: click.Context, *, no_scheduler: bool, run: Any) -> None:
    """Run the Slack app until SIGTERM or Ctrl-C (see bot.lifecycle)."""
    from bot.app import ConfigError, require_slack_settings
    from bot.lifecycle import run_bot

    settings = _settings(ctx)
    try:
        require_slack_settings(settings)
        run_bot(settings, _services(ctx), no_scheduler=no_scheduler, run=run)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("digest")
@click.option("--channel", metavar="C", help="Start where this channel's last digest ended.")
@click.option("--since", metavar="ISO", help="Start of the window (default: 24 hours ago).")
@click.option("--json", "as_json", is_flag=True, help="Print the digest's records as JSON.")
@click.option(
    "--blocks",
    is_flag=True,
    help="Print the messages a channel would receive (text and Block Kit) as JSON.",
)
@database_option
@click.pass_context
def digest_command(
    ctx: click.Context, channel: str | None, since: str | None, as_json: bool, blocks: bool
) -> None:
    """Print the digest of what is new: stories, sources, claims, conflicts and flags.

    As text, for the last 24 hours or from a time on:

    \b
        newsroom digest
        newsroom digest --since 2024-06-20T00:00:00Z

    The messages a subscribed channel would receive next, as posted: a JSON list of
    {"text", "blocks"}, the parent message first, then its thread replies (paste the
    blocks of one into Slack's Block Kit Builder to see it):

    \b
        newsroom digest --blocks --channel C0123ABCD
    """
    if as_json and blocks:
        raise click.UsageError("--json or --blocks, not both")
    services = _existing(ctx)
    now = datetime.now(UTC)
    if since:
        start = parse_time(since)
        if start is None:
            raise click.BadParameter(f"not an ISO date or time: {since}", param_hint="--since")
    elif channel:
        start = services.digest.window_start(channel, now)
    else:
        start = now - timedelta(hours=24)
    digest = services.digest.build(since=start, until=now, channel=channel)
    if blocks:
        subscribed = {s.channel: s for s in services.digest.subscriptions()}
        sub = subscribed.get(channel) if channel else None
        messages = render_digest(digest, sub is not None and sub.nothing_new)
        click.echo(json.dumps([{"text": m.text, "blocks": m.blocks} for m in messages], indent=2))
        if not messages:
            _err("Nothing new: a channel would receive no digest.")
    elif as_json:
        click.echo(json.dumps(digest.to_json(), indent=2))
    else:
        click.echo(digest_text(digest))


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=3000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not post digests from this process.")
@database_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_scheduler: bool) -> None:
    """Run the bot in HTTP mode: POST /slack/events and GET /health.

    On SIGTERM it stops taking requests and finishes the events it acknowledged.

    \b
        newsroom serve --port 3000
    """
    from bot.server import bot_wsgi_app
    from bot.server import serve as run_server

    def run(app: App, services: Services) -> None:
        click.echo(f"newsroom: listening on http://{host}:{port}/slack/events", err=True)
        run_server(bot_wsgi_app(app, services, _settings(ctx)), host=host, port=port)

    _run_bot(ctx, no_scheduler=no_scheduler, run=run)


@main.command()
@click.option("--no-scheduler", is_flag=True, help="Do not post digests from this process.")
@database_option
@click.pass_context
def socket(ctx: click.Context, no_scheduler: bool) -> None:
    """Run the bot in Socket Mode (needs SLACK_APP_TOKEN; no public URL needed).

    On SIGTERM it disconnects and finishes the events it acknowledged.

    \b
        SLACK_APP_TOKEN=xapp-... newsroom socket
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = _settings(ctx)
    if settings.slack_app_token is None:
        raise click.ClickException("set SLACK_APP_TOKEN (an xapp- token) for Socket Mode")
    token = settings.slack_app_token.get_secret_value()

    def run(app: App, services: Services) -> None:
        handler = SocketModeHandler(app, token)
        try:
            handler.start()  # type: ignore[no-untyped-call]
        finally:
            # No new events while the acknowledged ones finish.
            handler.close()  # type: ignore[no-untyped-call]

    _run_bot(ctx, no_scheduler=no_scheduler, run=run)


# watched feeds ------------------------------------------------------------------------------


@main.group()
def watch() -> None:
    """Watch outlets' feeds: their new items are ingested like pasted links.

    \b
        newsroom watch add https://example.com/ --channel C0123ABCD
    """


@watch.command("add")
@click.argument("url")
@click.option("--channel", metavar="C", help="The channel whose digest the feed feeds.")
@database_option
@click.pass_context
def watch_add(ctx: click.Context, url: str, channel: str | None) -> None:
    """Watch a feed (RSS, Atom), a news sitemap, or a site page that names one.

    \b
        newsroom watch add https://example.com/rss.xml --channel C0123ABCD
    """
    if not is_http_url(url):
        raise click.ClickException(f"not an http(s) URL: {url}")
    services = _services(ctx)
    try:
        result = services.feeds.watch(url, channel=channel, now=datetime.now(UTC))
    except WatchError as exc:
        raise click.ClickException(f"cannot watch that: {exc}") from exc
    click.echo(watch_text(result))


@watch.command("list")
@database_option
@click.pass_context
def watch_list(ctx: click.Context) -> None:
    """The watched feeds, and those failing.

    \b
        newsroom watch list
    """
    _echo_lines(watching_lines(_existing(ctx).feeds.watching()))


@watch.command("remove")
@click.argument("url")
@database_option
@click.pass_context
def watch_remove(ctx: click.Context, url: str) -> None:
    """Stop watching a feed (by its URL, the site URL it was added by, or its id).

    \b
        newsroom watch remove https://example.com/rss.xml
    """
    removed = _existing(ctx).feeds.unwatch(url)
    click.echo(unwatch_text(removed, url))
    if removed is None:
        ctx.exit(1)


@main.command()
@click.option("--once", is_flag=True, help="One sweep of the feeds due, then exit.")
@database_option
@click.pass_context
def poll(ctx: click.Context, once: bool) -> None:
    """Poll the watched feeds that are due, without Slack (a feed failing again and again
    is reported here instead of in its channel).

    \b
        newsroom poll --once
    """
    services = _existing(ctx)
    failed = False
    swept = None
    try:
        while True:
            swept = services.feeds.sweep(now=datetime.now(UTC))
            for result in swept.polls:
                click.echo(poll_line(result))
                failed = failed or result.status == "failed"
            for alert in swept.alerts:
                _err(alert_text(alert))
            if once:
                break
            time.sleep(_settings(ctx).feed_sweep_seconds)
    except KeyboardInterrupt:
        pass
    if once and swept is not None and not swept.polls:
        click.echo("No feed is due.")
    if failed:
        ctx.exit(1)


# conflict alerts ----------------------------------------------------------------------------


@main.group()
def alerts() -> None:
    """A channel's real-time conflict alerts (as `/newsroom alerts conflicts|off` there).

    \b
        newsroom alerts conflicts C0123ABCD
    """


@alerts.command("conflicts")
@click.argument("channel")
@database_option
@click.pass_context
def alerts_conflicts(ctx: click.Context, channel: str) -> None:
    """Alert CHANNEL when a watched feed brings a conflict to a story posted there.

    \b
        newsroom alerts conflicts C0123ABCD
    """
    changed = _services(ctx).alerts.enable(channel=channel, user=None, now=datetime.now(UTC))
    click.echo(alerts_text(on=True, changed=changed, channel=channel))


@alerts.command("off")
@click.argument("channel")
@database_option
@click.pass_context
def alerts_off(ctx: click.Context, channel: str) -> None:
    """Stop CHANNEL's conflict alerts.

    \b
        newsroom alerts off C0123ABCD
    """
    changed = _existing(ctx).alerts.disable(channel=channel)
    click.echo(alerts_text(on=False, changed=changed, channel=channel))


@alerts.command("list")
@database_option
@click.pass_context
def alerts_list(ctx: click.Context) -> None:
    """The channels with conflict alerts on.

    \b
        newsroom alerts list
    """
    channels = _existing(ctx).alerts.channels()
    if not channels:
        click.echo("No channel has conflict alerts on.")
    for channel in channels:
        click.echo(f"#{channel}: conflict alerts on")
