"""post_once: a reply is posted once; a re-run finds its earlier reply; a passing failure goes
to the outbox and a refusal is dropped."""

from __future__ import annotations

from unittest.mock import Mock

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.services.outbox import PendingPost
from bot.views.blocks import SlackMessage
from handlers.posting import post_once

MARKER = {"event_id": "Ev0123ABCD", "link": "https://example.com/a"}
POST = PendingPost(channel="C1", text="New story", blocks=[], thread_ts="1.0", marker=MARKER)


def _error(status: int, error: str) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=status,
    )
    return SlackApiError("failed", response)


def _poster(**kw: object) -> Mock:
    poster = Mock(return_value="2.0", **kw)
    poster.find = Mock(return_value=None)
    return poster


def test_a_first_attempt_posts_without_reading_the_thread(services, logger):
    poster = _poster()

    assert post_once(POST, poster=poster, services=services, rerun=False, logger=logger) == "2.0"

    poster.find.assert_not_called()
    (channel, message, thread_ts), kwargs = poster.call_args
    assert (channel, thread_ts, kwargs) == ("C1", "1.0", {"marker": MARKER})
    assert message == SlackMessage(text="New story", blocks=[])


def test_a_rerun_that_finds_its_reply_posts_nothing(services, logger):
    poster = _poster()
    poster.find.return_value = "1.5"

    assert post_once(POST, poster=poster, services=services, rerun=True, logger=logger) == "1.5"

    assert poster.find.call_args.args == ("C1", "1.0", MARKER)
    poster.assert_not_called()


def test_a_rerun_that_finds_nothing_posts(services, logger):
    poster = _poster()

    assert post_once(POST, poster=poster, services=services, rerun=True, logger=logger) == "2.0"
    poster.assert_called_once()


def test_a_passing_failure_goes_to_the_outbox(services, logger):
    for failure in (_error(503, "service_unavailable"), _error(429, "ratelimited"), OSError()):
        services.outbox.reset_mock()
        poster = _poster(side_effect=failure)

        assert post_once(POST, poster=poster, services=services, rerun=False, logger=logger) is None

        assert services.outbox.defer.call_args.args == (POST,)


def test_a_refusal_is_logged_and_dropped(services, logger):
    poster = _poster(side_effect=_error(200, "channel_not_found"))

    assert post_once(POST, poster=poster, services=services, rerun=False, logger=logger) is None

    services.outbox.defer.assert_not_called()
    assert "channel_not_found" in logger.warning.call_args.args
