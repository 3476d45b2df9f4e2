"""PostgreSQL restarted under the bot: events of that moment are not acknowledged (Slack
retries them), nothing is half-applied, and the bot reconnects on its own (pool pre-ping)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from storage.db import make_engine
from tests.bot_process import BotProcess
from tests.conftest import PG_URL, reset_postgres
from tests.fake_slack import FakeSlack
from tests.news_site import news_site
from tests.slack_payloads import link_message
from tests.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
]

DESK, REPORTER = "C0DESK0001", "U0REPORT01"


@pytest.fixture
def setup(tmp_path, seed_texts) -> Iterator[tuple[BotProcess, FakeSlack, TcpProxy, str]]:
    assert PG_URL
    engine = make_engine(PG_URL)
    reset_postgres(engine)
    engine.dispose()
    parts = urlsplit(PG_URL)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = (
        f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
    )
    proxied = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    with FakeSlack() as fake, news_site(seed_texts) as site:
        bot = BotProcess(
            database_url=proxied, slack_base_url=fake.base_url, workdir=tmp_path, scheduler=False
        )
        try:
            bot.wait_ready()
            yield bot, fake, proxy, site
        finally:
            bot.stop()
            proxy.close()


def _health(bot: BotProcess) -> int:
    try:
        with urllib.request.urlopen(f"{bot.base}/health", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_events_while_the_database_is_down_are_left_for_slack_to_retry(setup):
    bot, fake, proxy, site = setup
    first = link_message(
        channel=DESK, user=REPORTER, ts="1718870401.000100", url=f"{site}/world/000"
    )
    assert bot.send(first)[0] == 200
    fake.wait_for("chat.postMessage", timeout=20)

    proxy.down()  # PostgreSQL restarts: open connections drop, new ones are refused
    assert _health(bot) == 503
    during = link_message(
        channel=DESK, user=REPORTER, ts="1718870402.000100", url=f"{site}/world/001"
    )
    status, _ = bot.send(during)
    assert status == 503  # not acknowledged: Slack will deliver it again
    time.sleep(0.5)
    assert len(fake.calls_to("chat.postMessage")) == 1

    proxy.up()  # back: the pool reconnects without a restart of the bot
    deadline = time.monotonic() + 20
    while _health(bot) != 200:
        assert time.monotonic() < deadline, bot.output()
        time.sleep(0.2)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    assert bot.send(during, headers=retry)[0] == 200
    replies = fake.wait_for("chat.postMessage", count=2, timeout=20)
    assert replies[-1].params["text"].startswith("Same story as")
    assert bot.send(during, headers={"X-Slack-Retry-Num": "2"})[0] == 200  # handled once
    time.sleep(1.0)
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert json.loads(urllib.request.urlopen(f"{bot.base}/health").read()) == {"ok": True}
