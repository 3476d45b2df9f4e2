"""The app factory, the poster's throttle and the log redaction, without a server."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner
from slack_sdk import WebClient

from bot.app import ConfigError, create_app
from bot.cli import main
from bot.logs import RedactSecrets
from bot.services import build_services
from bot.settings import Settings
from bot.slack import ChannelThrottle
from tests.fake_slack import FakeSlack


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        slack_bot_token="xoxb-1-2-abc",
        slack_signing_secret="s3cret",
    )


def test_create_app_makes_no_call_to_slack(settings):
    with FakeSlack() as fake:
        client = WebClient(token="xoxb-1-2-abc", base_url=fake.base_url)
        app = create_app(settings, build_services(settings), client=client)
        assert app.client is client
        assert fake.calls == []


def test_create_app_needs_the_token_and_the_secret(settings):
    services = build_services(settings)
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        create_app(settings.model_copy(update={"slack_signing_secret": None}), services)


def test_socket_mode_needs_an_app_token(settings, monkeypatch):
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["socket"])
    assert result.exit_code == 1
    assert "SLACK_APP_TOKEN" in result.output


def test_the_throttle_spaces_posts_per_channel():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    throttle = ChannelThrottle(1.0, clock=lambda: now[0], sleep=sleep)
    throttle.wait("C1")
    throttle.wait("C1")
    throttle.wait("C2")  # another channel does not wait
    throttle.wait("C1")
    assert slept == [1.0, 2.0]
    now[0] = 110.0
    throttle.wait("C1")
    assert slept == [1.0, 2.0]


def test_tokens_are_redacted_from_logs(caplog):
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("calling with %s", "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy")
        logger.info("app token xapp-1-A0-123-abc")
    assert "pdFZKV" not in caplog.text and "xapp-1-A0" not in caplog.text
    assert "xoxb-[redacted]" in caplog.text


def test_posts_outlast_a_run_of_5xx_and_429_and_go_out_once(settings):
    from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

    from bot.slack import SlackPoster, make_client
    from bot.views.blocks import SlackMessage, section

    message = SlackMessage("hello", [section("hello")])
    with FakeSlack() as fake:
        client = make_client(
            settings.model_copy(update={"slack_api_base_url": fake.base_url}),
            backoff=FixedValueRetryIntervalCalculator(0.01),  # the schedule, compressed
        )
        poster = SlackPoster(client, ChannelThrottle(0))
        fake.server_error_next("chat.postMessage", status=503, times=4)
        fake.server_error_next("chat.postMessage", status=500, times=2)
        assert poster("C1", message)
        fake.rate_limit_next("chat.postMessage", retry_after=0, times=2)
        assert poster("C1", message, "1718870400.000100")
        statuses = [c.status for c in fake.calls_to("chat.postMessage")]
        assert statuses == [503] * 4 + [500] * 2 + [200] + [429] * 2 + [200]
        assert len(fake.messages("C1")) == 2  # delayed, not lost, not duplicated
        fake.assert_clean()
