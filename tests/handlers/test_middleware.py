"""claim_event: each event is handled once, and only when the database can record it."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import Mock

import pytest
from slack_bolt import BoltContext, BoltResponse
from sqlalchemy.exc import OperationalError

from bot.services.events import EVENT, EventLog
from bot.services.jobs import JobQueue
from handlers.middleware import claim_event
from storage.db import open_inbox


def _body(event_id: object = "Ev0123ABCD", event: object = None) -> dict:
    event = {"type": "message", "channel": "C1"} if event is None else event
    return {"type": "event_callback", "event_id": event_id, "event": event}


def _claim(
    body, services, logger, retry: int | None = None, context: BoltContext | None = None
) -> tuple[object, Mock]:
    next_ = Mock(return_value="ran")
    context = BoltContext({"services": services}) if context is None else context
    if retry is not None:
        context["retry_num"] = retry
    return claim_event(body=body, context=context, next=next_, logger=logger), next_


def test_a_first_delivery_is_stored_as_a_job_then_handled(services, logger):
    services.events.claim.return_value = (True, 7)
    context = BoltContext({"services": services})
    body = _body()
    before = datetime.now(UTC)

    returned, next_ = _claim(body, services, logger, context=context)

    (event_id, stored), kwargs = services.events.claim.call_args
    assert (event_id, stored) == ("Ev0123ABCD", body)
    assert kwargs["to_run"] is True
    assert before <= kwargs["now"] <= datetime.now(UTC)
    next_.assert_called_once_with()
    assert returned == "ran"
    assert context["job_id"] == 7  # for bot.app.Offload to run the job and mark it done


def test_the_event_is_stored_before_the_listeners_run(services, logger):
    services.events.claim.return_value = (True, 7)
    context = BoltContext({"services": services})
    seen: list[object] = []
    next_ = Mock(
        side_effect=lambda: seen.append((services.events.claim.call_count, context.get("job_id")))
    )

    claim_event(body=_body(), context=context, next=next_, logger=logger)

    assert seen == [(1, 7)]


@pytest.mark.parametrize(
    "event",
    [
        pytest.param({"type": "channel_created"}, id="no listener"),
        pytest.param(
            {"type": ["message"]},
            id="type not a string",
        ),
        pytest.param("message", id="not a dict"),
        pytest.param({}, id="no type"),
    ],
)
def test_an_event_no_listener_takes_is_claimed_as_done(services, logger, event):
    services.events.claim.return_value = (True, None)
    context = BoltContext({"services": services})

    returned, next_ = _claim(_body(event=event), services, logger, context=context)

    assert services.events.claim.call_args.kwargs["to_run"] is False
    assert "job_id" not in context
    next_.assert_called_once_with()
    assert returned == "ran"


@pytest.mark.parametrize("event_type", ["message", "reaction_added", "reaction_removed"])
def test_events_with_a_listener_are_stored_to_run(services, logger, event_type):
    services.events.claim.return_value = (True, 3)

    _claim(_body(event={"type": event_type}), services, logger)

    assert services.events.claim.call_args.kwargs["to_run"] is True


def test_a_rerun_from_the_inbox_is_not_claimed_again(services, logger):
    context = BoltContext({"services": services, "job_id": 7})

    returned, next_ = _claim(_body(), services, logger, context=context)

    services.events.claim.assert_not_called()
    next_.assert_called_once_with()
    assert returned == "ran" and context["job_id"] == 7


def test_a_retried_delivery_is_acknowledged_without_running_listeners(services, logger):
    services.events.claim.return_value = (False, None)

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


def test_a_retried_delivery_runs_once_against_the_real_inbox(services, logger, tmp_path):
    engine = open_inbox(f"sqlite:///{tmp_path / 'inbox.db'}")
    queue = JobQueue(engine, owner="test")
    services.events = EventLog(queue)
    body = _body() | {"token": "legacy"}
    try:
        first, first_next = _claim(body, services, logger)
        second, second_next = _claim(body, services, logger, retry=1)

        assert first == "ran"
        first_next.assert_called_once_with()
        second_next.assert_not_called()
        assert isinstance(second, BoltResponse) and (second.status, second.body) == (200, "")
        (job,) = queue.take_due(kinds=[EVENT], now=datetime(2100, 1, 1, tzinfo=UTC))
        assert (job.key, job.payload) == ("Ev0123ABCD", _body())  # without the token
    finally:
        engine.dispose()
