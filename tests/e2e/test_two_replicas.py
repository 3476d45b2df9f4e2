"""Two `newsroom serve` replicas on one PostgreSQL: retried events, the same link from two
channels at once, two reports of one new event at once, and two schedulers: one effect each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from storage.db import make_engine
from storage.models import Article, DigestRun, Story
from tests.bot_process import BotProcess
from tests.conftest import PG_URL, reset_postgres
from tests.fake_slack import FakeSlack
from tests.news_site import news_site
from tests.slack_payloads import link_message, slash_command

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
]

DESK, WORLD = "C0DESK0001", "C0WORLD001"
REPORTER = "U0REPORT01"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, seed_texts) -> Iterator[tuple[list[BotProcess], FakeSlack, str]]:
    assert PG_URL
    engine = make_engine(PG_URL)
    reset_postgres(engine)
    engine.dispose()
    workdir = tmp_path_factory.mktemp("replicas")
    with FakeSlack() as fake, news_site(seed_texts) as site:
        # Both start at once on an empty database: migrations must not collide.
        bots = [
            BotProcess(database_url=PG_URL, slack_base_url=fake.base_url, workdir=workdir)
            for _ in range(2)
        ]
        try:
            for bot in bots:
                bot.wait_ready()
            yield bots, fake, site
        finally:
            for bot in bots:
                bot.stop()


def _count(model: type) -> int:
    assert PG_URL
    engine = make_engine(PG_URL)
    try:
        with Session(engine) as session:
            return int(session.exec(select(func.count()).select_from(model)).one())
    finally:
        engine.dispose()


def _at_once(*calls) -> None:
    barrier = threading.Barrier(len(calls))

    def run(call) -> None:
        barrier.wait()
        call()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _settle(fake: FakeSlack, count: int, seconds: float = 20.0) -> None:
    fake.wait_for("chat.postMessage", count=count, timeout=seconds)
    time.sleep(1.0)  # anything extra would arrive now


def test_two_reports_of_a_new_event_at_once_open_one_story(replicas):
    (a, b), fake, site = replicas
    fake.reset()
    _at_once(
        lambda: a.send(
            link_message(
                channel=DESK, user=REPORTER, ts="1718870401.000100", url=f"{site}/world/000"
            )
        ),
        lambda: b.send(
            link_message(
                channel=DESK, user=REPORTER, ts="1718870402.000100", url=f"{site}/world/001"
            )
        ),
    )
    _settle(fake, 2)
    assert _count(Story) == 1
    texts = sorted(m["text"][:10] for m in fake.messages(DESK))
    assert texts == ["New story:", "Same story"]
    fake.assert_clean()


def test_a_retried_event_to_both_replicas_gets_one_reply(replicas):
    (a, b), fake, site = replicas
    fake.reset()
    payload = link_message(
        channel=DESK, user=REPORTER, ts="1718870403.000100", url=f"{site}/world/003"
    )
    _at_once(
        lambda: a.send(payload),
        lambda: b.send(payload),
        lambda: a.send(payload, headers={"X-Slack-Retry-Num": "1"}),
    )
    _settle(fake, 1)
    assert len(fake.calls_to("chat.postMessage")) == 1
    fake.assert_clean()


def test_the_same_link_from_two_channels_at_once_is_one_article(replicas):
    (a, b), fake, site = replicas
    fake.reset()
    before = _count(Article)
    _at_once(
        lambda: a.send(
            link_message(
                channel=DESK, user=REPORTER, ts="1718870404.000100", url=f"{site}/world/004"
            )
        ),
        lambda: b.send(
            link_message(
                channel=WORLD,
                user=REPORTER,
                ts="1718870404.000200",
                url=f"{site}/world/004?utm_source=twitter",
            )
        ),
    )
    _settle(fake, 2)
    assert _count(Article) == before + 1
    replies = {m["channel"]: m["text"] for m in fake.messages()}
    assert set(replies) == {DESK, WORLD}  # each channel is answered in its own thread
    assert sum(t.startswith("Already posted") for t in replies.values()) == 1
    fake.assert_clean()


def test_two_schedulers_post_one_digest(replicas):
    (a, _b), fake, _site = replicas
    fake.reset()
    past = time.gmtime(time.time() - 120)
    at = f"{past.tm_hour:02d}:{past.tm_min:02d}"
    status, _ = a.send(
        slash_command(
            text=f"subscribe {at} UTC",
            channel=DESK,
            user=REPORTER,
            response_url=fake.response_url("sub"),
        )
    )
    assert status == 200
    fake.wait_for("chat.postMessage", timeout=20)
    time.sleep(3.0)  # both replicas sweep every second
    parents = [m for m in fake.messages(DESK) if not m.get("thread_ts")]
    assert len(parents) == 1
    assert _count(DigestRun) == 1
    fake.assert_clean()
