"""kill -9 of a `newsroom serve` replica at random moments during 100 link events (one
replica restarted each time on SQLite; two replicas on PostgreSQL, the killed one restarted
while the other goes on): every acknowledged event is answered, none twice.

The test plays Slack: each event is sent until it is acknowledged (a refused connection, a
timeout or a 503 is sent again, as Slack retries), and the replica is killed outright a few
times while the events before the kill are still being fetched, ingested or answered.
"""

from __future__ import annotations

import random
import time
import urllib.error
from collections import Counter
from collections.abc import Iterator

import pytest

from storage.db import make_engine
from tests.bot_process import BotProcess
from tests.conftest import PG_URL, reset_postgres
from tests.fake_slack import FakeSlack
from tests.news_site import news_site
from tests.slack_payloads import link_message

pytestmark = pytest.mark.slow

DESK = "C0DESK0001"
REPORTER = "U0REPORT01"
EVENTS = 100
INBOX_ENV = {
    "NEWSROOM_JOB_LEASE_SECONDS": "3",
    "NEWSROOM_JOB_SWEEP_SECONDS": "0.3",
    "NEWSROOM_JOB_RETRY_SECONDS": "0.3,1",
}


@pytest.fixture
def fakes(seed_texts) -> Iterator[tuple[FakeSlack, str]]:
    with FakeSlack() as fake, news_site(seed_texts) as site:
        yield fake, site


def _send_until_acknowledged(bot: BotProcess, payload: dict) -> None:
    for attempt in range(100):
        headers = {"X-Slack-Retry-Num": str(attempt)} if attempt else None
        try:
            status, _ = bot.send(payload, headers=headers)
        except (urllib.error.URLError, OSError):
            status = 0
        if status == 200:
            return
        time.sleep(0.1)
    raise AssertionError("an event was never acknowledged")


def _kill(bot: BotProcess) -> None:
    bot.process.kill()  # SIGKILL: no drain, no goodbye
    bot.process.wait()
    bot._log_file.close()


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
            ],
        ),
    ],
)
def test_killed_replicas_lose_no_acknowledged_link_and_answer_none_twice(fakes, tmp_path, backend):
    fake, site = fakes
    if backend == "sqlite":
        url, replicas = f"sqlite:///{tmp_path / 'newsroom.db'}", 1
    else:
        assert PG_URL
        engine = make_engine(PG_URL)
        reset_postgres(engine)
        engine.dispose()
        url, replicas = PG_URL, 2

    def start() -> BotProcess:
        return BotProcess(
            database_url=url, slack_base_url=fake.base_url, workdir=tmp_path, extra_env=INBOX_ENV
        ).wait_ready()

    rng = random.Random(16)
    kills = set(rng.sample(range(5, EVENTS - 5), 4))
    threads = [f"{1718871000 + i}.{i:06d}" for i in range(EVENTS)]
    bots = [start() for _ in range(replicas)]
    try:
        for i, ts in enumerate(threads):
            payload = link_message(
                channel=DESK, user=REPORTER, ts=ts, url=f"{site}/world/00{i % 5}?n={i}"
            )
            _send_until_acknowledged(bots[i % replicas], payload)
            if i in kills:
                time.sleep(rng.uniform(0.0, 0.3))  # the last events are still in flight
                victim = rng.randrange(replicas)
                _kill(bots[victim])
                bots[victim] = start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            answered = {m.get("thread_ts") for m in fake.messages(DESK)}
            if answered >= set(threads):
                break
            time.sleep(0.2)
        time.sleep(2.0)  # a second reply would arrive now
        replies = Counter(m.get("thread_ts") for m in fake.messages(DESK))
        missing = [ts for ts in threads if replies[ts] == 0]
        twice = {ts: n for ts, n in replies.items() if n > 1}
        assert missing == [], f"{len(missing)} acknowledged links never answered"
        assert twice == {}, f"answered more than once: {twice}"
        assert fake.calls_to("conversations.replies")  # re-runs looked before posting
        fake.assert_clean()
    finally:
        for bot in bots:
            bot.stop()
