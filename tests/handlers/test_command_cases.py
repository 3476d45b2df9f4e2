"""Every /newsroom subcommand on a missing story, an empty database and a missing page: the
listener over the real services and database, its one response and that response's first line."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import Mock

import pytest
from slack_bolt import Ack, Respond

from bot.services import Services, build_services
from bot.settings import Settings
from handlers.commands import handle_newsroom
from handlers.parsing import SUBCOMMANDS
from storage.db import make_engine
from tests.conftest import PG_URL, reset_postgres
from tests.news_site import news_site

# subcommand -> (case, the text after /newsroom, the response's first line). {site} is a local
# news site serving the seeds (/world/000 ...) and a 404 elsewhere. A new subcommand in
# SUBCOMMANDS needs its entries here.
CASES: dict[str, list[tuple[str, str, str]]] = {
    "help": [("empty database", "help", "/newsroom commands")],
    "search": [("empty database", "search flood", "Search “flood”: nothing found.")],
    "story": [
        ("missing story", "story 99", "no story 99. Try /newsroom help"),
        (
            "missing story by link",
            "story <https://news.example/a|news.example/a>",
            "no story https://news.example/a. Try /newsroom help",
        ),
    ],
    "claims": [("missing story", "claims 99", "no story 99. Try /newsroom help")],
    "compare": [
        (
            "missing page",
            "compare {site}/world/nope {site}/world/000",
            "could not read an article: HTTP 404",
        ),
        (
            "site not answering",
            "compare http://127.0.0.1:9/a {site}/world/000",
            "could not read an article: could not connect to 127.0.0.1",
        ),
    ],
    "conflicts": [
        ("empty database", "conflicts", "Conflicts, last 24 hours: none."),
        ("empty database, week", "conflicts week", "Conflicts, last 7 days: none."),
    ],
    "flagged": [("empty database", "flagged", "Nothing is flagged.")],
    "digest": [
        ("empty database, preview", "digest preview", "Nothing new for the digest."),
        ("empty database, now", "digest now", "Nothing new since the last digest; nothing posted."),
    ],
    "subscribe": [("empty database", "subscribe", "Daily digest in #C1 at 09:00 UTC.")],
    "unsubscribe": [("empty database", "unsubscribe", "That channel was not subscribed.")],
    "status": [("empty database", "status", "Newsroom bot status")],
    "watch": [
        ("missing page", "watch {site}/world/nope", "cannot watch that: http://127.0.0.1:"),
        (
            "not a feed",
            "watch {site}/world/000",
            "cannot watch that: http://127.0.0.1:",
        ),
    ],
    "watching": [("empty database", "watching", "No feeds are watched.")],
    "unwatch": [
        (
            "missing feed",
            "unwatch https://x.example/rss.xml",
            "No watched feed is https://x.example/rss.xml.",
        )
    ],
    "alerts": [
        ("empty database, off", "alerts off", "This channel had no alerts."),
        ("empty database, on", "alerts conflicts", "Conflict alerts are on for this channel:"),
        (
            "unknown kind",
            "alerts loud",
            "`alerts` takes `conflicts` (alert this channel) or `off`. Try /newsroom help",
        ),
    ],
}


def test_every_subcommand_has_its_cases():
    assert set(CASES) == {usage.split()[0] for usage, _ in SUBCOMMANDS}


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
            ],
        ),
    ]
)
def empty_services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    """The real services over an empty, migrated database on each backend."""
    if request.param == "sqlite":
        # A copy of the migrated file: what build_services' migration would make of none.
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), tmp_path / "empty.db")
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        assert PG_URL
        url = PG_URL
        engine = make_engine(url)
        reset_postgres(engine)
        engine.dispose()
    # The pages come from a local site, on a loopback address the fetcher refuses by default;
    # no spacing between its requests (1 s each by default: `watch` of a page that is not a
    # feed looks at four addresses of its site before it answers), as in test_cli_feeds.
    settings = Settings(database_url=url, allow_private_fetch=True, feed_host_spacing_seconds=0)
    services = build_services(settings)
    yield services
    services.ingest.engine.dispose()


@pytest.fixture(scope="module")
def site(seed_texts: dict[str, str]) -> Iterator[str]:
    with news_site(seed_texts) as base:
        yield base


@pytest.mark.parametrize(
    ("text", "first"),
    [
        pytest.param(text, first, id=f"{name}: {case}")
        for name, cases in CASES.items()
        for case, text, first in cases
    ],
)
def test_subcommand_on_a_missing_story_database_or_page(empty_services, site, text, first):
    ack, respond, poster = Mock(spec=Ack), Mock(spec=Respond), Mock(return_value="1.2")
    logger = Mock(spec=logging.Logger)
    command = {"text": text.format(site=site), "channel_id": "C1", "user_id": "U1"}

    handle_newsroom(ack, command, respond, empty_services, poster, logger)

    ack.assert_called_once_with()
    assert respond.call_count == 1
    said = respond.call_args.kwargs
    assert said["response_type"] == "ephemeral"
    assert said["text"].splitlines()[0].startswith(first)
    assert said["blocks"]
    logger.exception.assert_not_called()  # a user's mistake, not a failure on our side
    poster.assert_not_called()  # nothing to post from an empty database
