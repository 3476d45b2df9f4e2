"""/newsroom: the listener acks first, parses, calls one service and responds ephemerally."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import Mock, call

import pytest
from slack_bolt import Ack, Respond

from bot.core.schedule import ScheduleError
from bot.core.vocabulary import Relation
from bot.services.compare import Comparison
from bot.services.digest import RunOutcome
from bot.services.ingest import IngestError
from bot.services.stories import StoryView
from bot.views.blocks import SlackMessage
from bot.views.digest import render_digest
from bot.views.replies import help_message
from handlers.commands import handle_newsroom, run_command
from handlers.parsing import SUBCOMMANDS, Command, CommandError
from storage.models import Story, Subscription

SEEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _command(text: object = None, **extra: object) -> dict:
    payload = {"command": "/newsroom", "channel_id": "C1", "user_id": "U1", **extra}
    if text is not None:
        payload["text"] = text
    return payload


def _run(services, poster, logger, text: object = None, **extra: object) -> tuple[Mock, Mock]:
    ack, respond = Mock(spec=Ack), Mock(spec=Respond)
    handle_newsroom(
        ack=ack,
        command=_command(text, **extra),
        respond=respond,
        services=services,
        poster=poster,
        logger=logger,
    )
    ack.assert_called_once_with()
    return ack, respond


def _said(respond: Mock) -> list[str]:
    """The text of each ephemeral response, asserting every one is ephemeral."""
    for c in respond.call_args_list:
        assert c.kwargs["response_type"] == "ephemeral"
    return [c.kwargs["text"] for c in respond.call_args_list]


def _story(story_id: int = 3) -> Story:
    return Story(
        id=story_id,
        title="Flood in Hanoi",
        first_seen=SEEN,
        last_seen=SEEN,
        article_count=2,
        source_count=1,
    )


def test_ack_comes_before_the_service_and_the_response(services, poster, logger):
    order = Mock()
    ack, respond = Mock(spec=Ack), Mock(spec=Respond)
    order.attach_mock(ack, "ack")
    order.attach_mock(respond, "respond")
    order.attach_mock(services.stories, "stories")
    services.stories.search.return_value = []

    handle_newsroom(ack, _command("search flood"), respond, services, poster, logger)

    assert [c[0] for c in order.mock_calls] == ["ack", "stories.search", "respond"]


@pytest.mark.parametrize("text", [None, "", "   ", "help", "HELP"])
def test_no_text_or_help_answers_with_the_help(services, poster, logger, text):
    _, respond = _run(services, poster, logger, text)

    expected = help_message(SUBCOMMANDS)
    assert respond.call_args == call(
        text="/newsroom commands", blocks=expected.blocks, response_type="ephemeral"
    )


def test_an_unknown_subcommand_answers_with_help_and_the_reason(services, poster, logger):
    _, respond = _run(services, poster, logger, "frobnicate now")

    problem = "unknown command `frobnicate`"
    assert respond.call_args == call(
        text=f"{problem}. Try /newsroom help",
        blocks=help_message(SUBCOMMANDS, problem=problem).blocks,
        response_type="ephemeral",
    )
    assert services.stories.method_calls == [] and services.digest.method_calls == []
    logger.exception.assert_not_called()


def test_a_malformed_subcommand_says_what_it_needs(services, poster, logger):
    _, respond = _run(services, poster, logger, "search")

    assert _said(respond) == [
        "`search` needs words to look for, e.g. `search Putin Hanoi`. Try /newsroom help"
    ]
    services.stories.search.assert_not_called()


@pytest.mark.parametrize("text", [42, ["search", "flood"], {"text": "help"}])
def test_text_of_the_wrong_type_answers_with_the_help(services, poster, logger, text):
    _, respond = _run(services, poster, logger, text)

    assert _said(respond) == ["/newsroom commands"]
    assert services.stories.method_calls == []
    logger.exception.assert_not_called()


def test_search_passes_the_words_and_lists_what_it_found(services, poster, logger):
    services.stories.search.return_value = []

    _, respond = _run(services, poster, logger, "search Flood Hanoi")

    assert services.stories.search.call_args == call(["Flood", "Hanoi"])
    assert _said(respond) == ["Search “Flood Hanoi”: nothing found."]


def test_story_by_id_shows_the_story(services, poster, logger):
    services.stories.find.return_value = StoryView(_story(), [])

    _, respond = _run(services, poster, logger, "story 3")

    assert services.stories.find.call_args == call("3")
    assert _said(respond) == ["Story 3: Flood in Hanoi"]


def test_story_by_link_unwraps_slacks_angle_brackets(services, poster, logger):
    services.stories.find.return_value = None

    _, respond = _run(services, poster, logger, "story <https://news.example/a|news.example/a>")

    assert services.stories.find.call_args == call("https://news.example/a")
    assert _said(respond) == ["no story https://news.example/a. Try /newsroom help"]


def test_claims_of_a_story_reads_its_groups(services, poster, logger):
    services.stories.find.return_value = StoryView(_story(7), [])
    services.claims.story_groups.return_value = []

    _, respond = _run(services, poster, logger, "claims 7")

    assert services.claims.story_groups.call_args == call(7)
    assert _said(respond) == ["Story 7 has no claims yet."]


def test_claims_of_no_story_answers_with_help(services, poster, logger):
    services.stories.find.return_value = None

    _, respond = _run(services, poster, logger, "claims 99")

    assert _said(respond) == ["no story 99. Try /newsroom help"]
    services.claims.story_groups.assert_not_called()


def test_compare_passes_both_urls(services, poster, logger):
    services.ingest.compare_urls.return_value = Comparison(
        "A", "B", Relation.SAME_STORY, 0.5, "shared terms", ()
    )

    _, respond = _run(services, poster, logger, "compare https://a.example/1 <https://b.example/2>")

    assert services.ingest.compare_urls.call_args == call(
        "https://a.example/1", "https://b.example/2"
    )
    assert _said(respond) == ["Compare: same story"]


def test_compare_that_cannot_fetch_says_why(services, poster, logger):
    services.ingest.compare_urls.side_effect = IngestError("HTTP 404")

    _, respond = _run(services, poster, logger, "compare https://a.example/1 https://b.example/2")

    assert _said(respond) == ["could not read an article: HTTP 404. Try /newsroom help"]
    logger.exception.assert_not_called()


@pytest.mark.parametrize(
    ("text", "days", "title"),
    [("conflicts", 1, "Conflicts, last 24 hours"), ("conflicts week", 7, "Conflicts, last 7 days")],
)
def test_conflicts_reads_pairs_since_a_day_or_a_week(services, poster, logger, text, days, title):
    services.stories.pairs.return_value = []
    before = datetime.now(UTC)

    _, respond = _run(services, poster, logger, text)

    since = services.stories.pairs.call_args.kwargs["since"]
    assert services.stories.pairs.call_args.kwargs["limit"] == 20
    assert before - timedelta(days=days) <= since <= datetime.now(UTC) - timedelta(days=days)
    assert _said(respond) == [f"{title}: none."]


def test_flagged_lists_the_flags(services, poster, logger):
    services.flags.flagged.return_value = []

    _, respond = _run(services, poster, logger, "flagged")

    assert services.flags.flagged.call_args == call()
    assert _said(respond) == ["Nothing is flagged."]


def test_digest_preview_responds_with_at_most_five_messages(services, poster, logger, monkeypatch):
    digest = object()
    services.digest.preview.return_value = digest
    rendered = Mock(return_value=[SlackMessage(f"part {i}", []) for i in range(7)])
    monkeypatch.setattr("handlers.commands.digest_messages", rendered)

    _, respond = _run(services, poster, logger, "digest preview")

    assert services.digest.preview.call_args.kwargs["channel"] == "C1"
    assert rendered.call_args == call(digest)
    assert _said(respond) == [f"part {i}" for i in range(5)]
    services.digest.run.assert_not_called()
    poster.assert_not_called()


def test_an_empty_digest_preview_says_nothing_is_new(services, poster, logger, monkeypatch):
    monkeypatch.setattr("handlers.commands.digest_messages", Mock(return_value=[]))

    _, respond = _run(services, poster, logger, "digest preview")

    assert _said(respond) == ["Nothing new for the digest."]


@pytest.mark.parametrize(
    ("outcome", "said"),
    [
        (RunOutcome("posted", "p", stories=1), "Posted the digest (1 story)."),
        (RunOutcome("posted", "p", stories=3), "Posted the digest (3 stories)."),
        (RunOutcome("empty", "p"), "Nothing new since the last digest; nothing posted."),
        (
            RunOutcome("failed", "p", error="not_in_channel"),
            "Could not post the digest: not_in_channel",
        ),
        (RunOutcome("already", "p"), "A digest is already being posted."),
    ],
)
def test_digest_now_runs_a_manual_period_with_the_poster(services, poster, logger, outcome, said):
    services.digest.run.return_value = outcome

    _, respond = _run(services, poster, logger, "digest now")

    kwargs = services.digest.run.call_args.kwargs
    assert kwargs["channel"] == "C1" and kwargs["post"] is poster
    assert kwargs["render"] is render_digest  # the channel's Block Kit, from the views
    assert kwargs["until"] == kwargs["now"]
    assert kwargs["period"] == f"manual {kwargs['now'].isoformat()}"
    assert _said(respond) == [said]


def test_subscribe_a_mentioned_channel_at_a_time_and_zone(services, poster, logger):
    services.digest.subscribe.return_value = Subscription(
        channel="C9", at="08:30", timezone="Europe/London"
    )

    _, respond = _run(services, poster, logger, "subscribe <#C9|news> 08:30 Europe/London")

    assert services.digest.subscribe.call_args == call(
        channel="C9", at="08:30", timezone="Europe/London", user="U1"
    )
    assert _said(respond) == ["Daily digest in #C9 at 08:30 Europe/London."]
    blocks = respond.call_args.kwargs["blocks"]
    assert "<#C9>" in blocks[0]["text"]["text"]  # a mention, not the raw id


def test_subscribe_defaults_to_this_channel(services, poster, logger):
    services.digest.subscribe.return_value = Subscription(channel="C1", at="08:00", timezone="UTC")

    _run(services, poster, logger, "subscribe")

    assert services.digest.subscribe.call_args == call(
        channel="C1", at=None, timezone=None, user="U1"
    )


def test_subscribe_with_a_bad_timezone_says_why(services, poster, logger):
    services.digest.subscribe.side_effect = ScheduleError("unknown timezone Mars/Base")

    _, respond = _run(services, poster, logger, "subscribe 08:30 Mars/Base")

    assert _said(respond) == ["unknown timezone Mars/Base. Try /newsroom help"]


@pytest.mark.parametrize(
    ("removed", "said"), [(True, "Unsubscribed."), (False, "That channel was not subscribed.")]
)
def test_unsubscribe(services, poster, logger, removed, said):
    services.digest.unsubscribe.return_value = removed

    _, respond = _run(services, poster, logger, "unsubscribe <#C5>")

    assert services.digest.unsubscribe.call_args == call(channel="C5")
    assert _said(respond) == [said]


def test_status_shows_counts_subscriptions_and_backend(services, poster, logger):
    services.stories.counts.return_value = {"stories": 2}
    services.digest.subscriptions.return_value = []

    _, respond = _run(services, poster, logger, "status")

    assert _said(respond) == ["Newsroom bot status"]
    blocks = str(respond.call_args.kwargs["blocks"])
    assert "stories: 2" in blocks and "database: sqlite" in blocks


def test_a_service_failure_is_logged_and_answered(services, poster, logger):
    services.stories.search.side_effect = RuntimeError("database gone")

    _, respond = _run(services, poster, logger, "search flood")

    assert _said(respond) == ["Sorry, that failed on our side; the error is logged."]
    assert logger.exception.call_args.args[1] == "search flood"


def test_run_command_refuses_a_command_it_does_not_know(services, poster):
    with pytest.raises(CommandError, match="unknown command `bogus`"):
        run_command(Command("bogus"), _command(), services, poster, now=SEEN)
