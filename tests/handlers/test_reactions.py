"""Flag reactions: a flag emoji on a message about an article or claim flags it, once."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import call

import pytest
from slack_bolt import BoltContext
from slack_sdk.errors import SlackApiError

from bot.services.flags import FlagOutcome
from bot.services.outbox import PendingPost
from bot.settings import Settings
from bot.slack import marker_of
from bot.views.replies import flag_confirmation
from handlers.reactions import handle_reaction_added, handle_reaction_removed

BOT = "UBOT"
CONTEXT = BoltContext({"bot_user_id": BOT})
EVENT_ID = "Ev0456EFGH"
BODY = {"type": "event_callback", "event_id": EVENT_ID}


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, flag_reactions=["triangular_flag_on_post", "warning"])


def _event(reaction: str = "warning", **fields: object) -> dict:
    item = {"type": "message", "channel": "C1", "ts": "100.2"}
    return {"type": "reaction_added", "user": "U1", "reaction": reaction, "item": item} | fields


def _added(
    event, services, settings, poster, logger, *, body: dict = BODY, attempt: int | None = None
) -> None:
    context = BoltContext({"bot_user_id": BOT})
    if attempt is not None:
        context["job_attempt"] = attempt
    handle_reaction_added(
        event=event,
        body=body,
        context=context,
        services=services,
        settings=settings,
        poster=poster,
        logger=logger,
    )


def test_a_first_flag_is_recorded_and_confirmed_in_the_thread(services, settings, poster, logger):
    services.flags.flag.return_value = FlagOutcome(
        flagged=True, confirm=True, thread_ts="100.1", what="“Flood in Hanoi”"
    )
    before = datetime.now(UTC)

    _added(_event(), services, settings, poster, logger)

    kwargs = services.flags.flag.call_args.kwargs
    assert {k: v for k, v in kwargs.items() if k != "now"} == {
        "channel": "C1",
        "ts": "100.2",
        "user": "U1",
        "reaction": "warning",
        "rerun": False,
    }
    assert before <= kwargs["now"] <= datetime.now(UTC)
    assert poster.call_args == call(
        "C1",
        flag_confirmation("“Flood in Hanoi”", "U1"),
        "100.1",
        marker={"event_id": EVENT_ID},
    )
    poster.find.assert_not_called()  # a first attempt does not read the thread back


def test_a_flag_already_confirmed_posts_nothing(services, settings, poster, logger):
    services.flags.flag.return_value = FlagOutcome(flagged=True, confirm=False, thread_ts="100.1")

    _added(_event("triangular_flag_on_post"), services, settings, poster, logger)

    assert services.flags.flag.call_count == 1
    poster.assert_not_called()


def test_a_flag_on_a_message_about_nothing_is_left_quietly(services, settings, poster, logger):
    # Any person's message may get a flag emoji; the service finds it is about no article.
    services.flags.flag.return_value = FlagOutcome(flagged=False, confirm=False)

    _added(
        _event(item={"type": "message", "channel": "C1", "ts": "55.5"}),
        services,
        settings,
        poster,
        logger,
    )

    assert services.flags.flag.call_args.kwargs["ts"] == "55.5"
    poster.assert_not_called()


def test_a_confirmation_slack_refuses_is_logged(services, settings, poster, logger):
    services.flags.flag.return_value = FlagOutcome(flagged=True, confirm=True, thread_ts="100.1")
    poster.side_effect = SlackApiError("no", {"ok": False, "error": "not_in_channel"})

    _added(_event(), services, settings, poster, logger)

    assert logger.warning.call_args.args[-1] == "not_in_channel"
    services.outbox.defer.assert_not_called()


def test_a_confirmation_that_fails_for_a_while_goes_to_the_outbox(
    services, settings, poster, logger
):
    services.flags.flag.return_value = FlagOutcome(
        flagged=True, confirm=True, thread_ts="100.1", what="“Flood in Hanoi”"
    )
    poster.side_effect = ConnectionResetError("reset")
    before = datetime.now(UTC)

    _added(_event(), services, settings, poster, logger)

    (post,), kwargs = services.outbox.defer.call_args
    message = flag_confirmation("“Flood in Hanoi”", "U1")
    assert post == PendingPost(
        channel="C1",
        text=message.text,
        blocks=message.blocks,
        thread_ts="100.1",
        marker=marker_of(EVENT_ID),
        about=None,
    )
    assert before <= kwargs["now"] <= datetime.now(UTC)


def test_a_rerun_that_finds_its_earlier_confirmation_does_not_post_again(
    services, settings, poster, logger
):
    services.flags.flag.return_value = FlagOutcome(flagged=True, confirm=True, thread_ts="100.1")
    poster.find.return_value = "100.7"

    _added(_event(), services, settings, poster, logger, attempt=2)

    assert services.flags.flag.call_args.kwargs["rerun"] is True
    assert poster.find.call_args == call("C1", "100.1", marker_of(EVENT_ID))
    poster.assert_not_called()


def test_a_rerun_that_finds_no_earlier_confirmation_posts_it(services, settings, poster, logger):
    services.flags.flag.return_value = FlagOutcome(flagged=True, confirm=True, thread_ts="100.1")
    poster.find.return_value = None

    _added(_event(), services, settings, poster, logger, attempt=2)

    assert poster.find.call_count == 1
    assert poster.call_args.kwargs == {"marker": marker_of(EVENT_ID)}


def test_without_an_event_id_the_marker_names_the_flag(services, settings, poster, logger):
    services.flags.flag.return_value = FlagOutcome(flagged=True, confirm=True, thread_ts="100.1")

    _added(_event(), services, settings, poster, logger, body={})

    assert poster.call_args.kwargs["marker"] == marker_of("flag/C1/100.2/U1")


@pytest.mark.parametrize(
    "event",
    [
        _event("thumbsup"),  # not a flag emoji
        _event(user=BOT),  # our own reaction
        _event(user=None),
        _event(item={"type": "file", "file": "F1"}),
        _event(item={"type": "message", "ts": "100.2"}),  # no channel
        _event(item={"type": "message", "channel": "C1"}),  # no ts
        _event(item=None),
        {"type": "reaction_added"},
        pytest.param(
            _event(item="not a dict"),
        ),
    ],
)
def test_other_reactions_and_incomplete_payloads_are_ignored(
    services, settings, poster, logger, event
):
    _added(event, services, settings, poster, logger)
    handle_reaction_removed(event=event, context=CONTEXT, services=services, settings=settings)

    assert services.flags.method_calls == []
    poster.assert_not_called()
    poster.find.assert_not_called()


def test_the_flag_reactions_come_from_settings(services, poster, logger):
    settings = Settings(_env_file=None, flag_reactions=["eyes"])
    services.flags.flag.return_value = FlagOutcome(flagged=False, confirm=False)

    _added(_event("warning"), services, settings, poster, logger)
    _added(_event("eyes"), services, settings, poster, logger)

    assert [c.kwargs["reaction"] for c in services.flags.flag.call_args_list] == ["eyes"]


def test_removing_a_flag_unflags(services, settings):
    handle_reaction_removed(
        event=_event(type="reaction_removed"), context=CONTEXT, services=services, settings=settings
    )

    assert services.flags.unflag.call_args == call(
        channel="C1", ts="100.2", user="U1", reaction="warning"
    )
    services.flags.flag.assert_not_called()
