"""claim_event: each event is handled once, and only when the database can record it."""

from __future__ import annotations

from unittest.mock import Mock, call

import pytest
from slack_bolt import BoltContext, BoltResponse
from sqlalchemy.exc import OperationalError

from handlers.middleware import claim_event


def _body(event_id: object = "Ev0123ABCD") -> dict:
    return {"type": "event_callback", "event_id": event_id, "event": {"type": "message"}}


def _claim(body, services, logger, retry: int | None = None) -> tuple[object, Mock]:
    next_ = Mock(return_value="ran")
    context = BoltContext({"services": services})
    if retry is not None:
        context["retry_num"] = retry
    return claim_event(body=body, context=context, next=next_, logger=logger), next_


def test_a_first_delivery_is_claimed_then_handled(services, logger):
    services.events.claim.return_value = True

    returned, next_ = _claim(_body(), services, logger)

    assert services.events.claim.call_args == call("Ev0123ABCD")
    next_.assert_called_once_with()
    assert returned == "ran"


def test_a_retried_delivery_is_acknowledged_without_running_listeners(services, logger):
    services.events.claim.return_value = False

    returned, next_ = _claim(_body(), services, logger, retry=1)

    next_.assert_not_called()
    assert isinstance(returned, BoltResponse)
    assert (returned.status, returned.body) == (200, "")
    assert logger.info.call_args.args[1:] == ("Ev0123ABCD", 1)


def test_an_unreachable_database_answers_503_so_slack_retries(services, logger):
    services.events.claim.side_effect = OperationalError("SELECT 1", {}, Exception("refused"))

    returned, next_ = _claim(_body(), services, logger)

    next_.assert_not_called()
    assert isinstance(returned, BoltResponse) and returned.status == 503
    assert logger.warning.call_args.args[1:] == ("OperationalError", "Ev0123ABCD")


def test_other_errors_are_not_taken_for_an_unreachable_database(services, logger):
    services.events.claim.side_effect = RuntimeError("bug")

    with pytest.raises(RuntimeError):
        _claim(_body(), services, logger)


@pytest.mark.parametrize(
    "body",
    [
        {"type": "block_actions"},  # not an event
        {"command": "/newsroom", "text": "help"},  # a slash command
        _body(None),
        {"type": "event_callback"},
    ],
)
def test_requests_without_an_event_id_pass_through_unclaimed(services, logger, body):
    returned, next_ = _claim(body, services, logger)

    services.events.claim.assert_not_called()
    next_.assert_called_once_with()
    assert returned == "ran"


@pytest.mark.parametrize("event_id", ["", 42, "Ev\ud800", "x" * 500, ["Ev1"]])
def test_a_malformed_event_id_is_acknowledged_without_running_listeners(services, logger, event_id):
    returned, next_ = _claim(_body(event_id), services, logger)

    services.events.claim.assert_not_called()
    next_.assert_not_called()
    assert isinstance(returned, BoltResponse) and (returned.status, returned.body) == (200, "")
