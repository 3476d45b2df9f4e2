"""The durable inbox and the outbox, in-process (front door, Bolt, pools, scheduler's sweep):
an event survives a locked database and a dead process, a failed post is posted later, no
link gets two replies, and stalling links do not delay anyone else."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from storage import slack_queries
from storage.models import Job
from tests.news_site import news_site
from tests.slack_payloads import link_message, reaction
from tests.wsgi import Bot, in_process_bot

DESK, SLOW = "C0DESK0001", "C0SLOW0001"
REPORTER, EDITOR = "U0REPORT01", "U0EDITOR01"
FAST_SWEEP = {"job_sweep_seconds": 0.2, "job_retry_seconds": [0.3], "allow_private_fetch": True}


@pytest.fixture
def site(seed_texts) -> Iterator[str]:
    with news_site(seed_texts) as base:
        yield base


def _replies(bot: Bot, channel: str, thread_ts: str) -> list[dict]:
    return [m for m in bot.fake.messages(channel) if m.get("thread_ts") == thread_ts]


def _wait(predicate, timeout: float, what: str) -> float:
    """Seconds until `predicate()` held; AssertionError after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"not within {timeout}s: {what}")


def _done(bot: Bot) -> bool:
    return set(bot.services.jobs.counts()) == {"done"}


def test_an_event_is_stored_before_the_ack_and_done_after(tmp_path, site):
    with in_process_bot(tmp_path, allow_private_fetch=True) as bot:
        payload = link_message(
            channel=DESK, user=REPORTER, ts="1718870401.000100", url=f"{site}/world/000"
        )
        assert bot.send_payload(payload).status == 200
        _wait(lambda: _done(bot), 10, "the event's job done")
        assert (tmp_path / "bot.inbox.db").exists()  # SQLite: the inbox has a file of its own
        reply = _replies(bot, DESK, "1718870401.000100")
        assert len(reply) == 1
        assert bot.fake.calls_to("chat.postMessage")[0].params["metadata"] == {
            "event_type": "newsroom_reply",
            "event_payload": {"event_id": payload["event_id"], "link": f"{site}/world/000"},
        }
        assert bot.send_payload(payload).status == 200  # Slack's retry: already handled
        time.sleep(0.5)
        assert len(bot.fake.calls_to("chat.postMessage")) == 1
        bot.fake.assert_clean()


def test_a_rerun_finds_its_earlier_reply_and_does_not_post_again(tmp_path, site):
    with in_process_bot(tmp_path, scheduler=True, **FAST_SWEEP) as bot:
        payload = link_message(
            channel=DESK, user=REPORTER, ts="1718870402.000100", url=f"{site}/world/001"
        )
        assert bot.send_payload(payload).status == 200
        _wait(lambda: _done(bot), 10, "the event's job done")
        # As if the process had died after posting, before marking the job done:
        with Session(bot.services.inbox_engine) as session:
            session.execute(
                update(Job)
                .where(col(Job.kind) == "slack_event")
                .values(
                    state="pending",
                    claimed_by="dead-replica",
                    lease_until=datetime.now(UTC) - timedelta(seconds=1),
                )
            )
            session.commit()
        _wait(lambda: bot.fake.calls_to("conversations.replies"), 10, "the thread read back")
        _wait(lambda: _done(bot), 10, "the re-run done")
        assert len(bot.fake.calls_to("chat.postMessage")) == 1
        bot.fake.assert_clean()


def test_a_write_lock_delays_the_link_and_loses_nothing(tmp_path, site):
    with in_process_bot(tmp_path, scheduler=True, sqlite_busy_timeout=0.3, **FAST_SWEEP) as bot:
        lock = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # another writer holds the file
        try:
            payload = link_message(
                channel=DESK, user=REPORTER, ts="1718870403.000100", url=f"{site}/world/002"
            )
            started = time.monotonic()
            assert bot.send_payload(payload).status == 200
            assert time.monotonic() - started < 1.0  # the inbox is not behind the lock
            time.sleep(3.0)
            assert bot.fake.calls_to("chat.postMessage") == []
            assert "database is locked" in bot.log.getvalue() or "OperationalError" in (
                bot.log.getvalue()
            )
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        waited = _wait(
            lambda: _replies(bot, DESK, "1718870403.000100"), 10, "the reply after the lock"
        )
        assert waited < 3.0
        time.sleep(1.0)
        assert len(bot.fake.calls_to("chat.postMessage")) == 1
        assert _done(bot)
        bot.fake.assert_clean()


def test_a_reply_slack_will_not_take_is_posted_later(tmp_path, site):
    with in_process_bot(tmp_path, scheduler=True, **FAST_SWEEP) as bot:
        bot.fake.server_error_next("chat.postMessage", times=3)  # the first post and 2 retries
        payload = link_message(
            channel=DESK, user=REPORTER, ts="1718870404.000100", url=f"{site}/world/003"
        )
        assert bot.send_payload(payload).status == 200
        _wait(lambda: _replies(bot, DESK, "1718870404.000100"), 15, "the reply from the outbox")
        _wait(lambda: _done(bot), 5, "the outbox job done")
        assert len(bot.fake.messages()) == 1
        reply_ts = bot.fake.calls_to("chat.postMessage")[-1].response["ts"]
        with Session(bot.services.ingest.engine) as session:
            about = slack_queries.message_posts(session=session, channel=DESK, ts=reply_ts)
        assert about and about[0].kind == "reply"  # flags on the late reply work
        assert "queued to post later" in bot.log.getvalue()


@pytest.mark.slow
def test_stalling_links_do_not_delay_another_channel_or_a_reaction(tmp_path, site, seed_texts):
    with (
        news_site(seed_texts) as stalling,
        in_process_bot(
            tmp_path, allow_private_fetch=True, fetch_total_timeout=30, post_interval=0
        ) as bot,
    ):
        for m in range(8):  # 8 messages x 5 links that answer after 8 s
            urls = [f"{stalling}/world/00{j}?delay=8&m={m}" for j in range(5)]
            payload = link_message(channel=SLOW, user=REPORTER, ts=f"1718870500.{m:06d}", url="")
            payload["event"].pop("blocks", None)
            payload["event"]["text"] = " ".join(f"<{u}>" for u in urls)
            started = time.monotonic()
            assert bot.send_payload(payload).status == 200
            assert time.monotonic() - started < 1.0
        time.sleep(0.5)
        payload = link_message(
            channel=DESK, user=REPORTER, ts="1718870405.000100", url=f"{site}/world/004"
        )
        assert bot.send_payload(payload).status == 200
        answered = _wait(lambda: _replies(bot, DESK, "1718870405.000100"), 5, "the other link")
        assert bot.fake.messages(SLOW) == []  # the stalls are still in flight
        flag = reaction(added=True, channel=DESK, ts="1718870405.000100", user=EDITOR)
        assert bot.send_payload(flag).status == 200
        confirmed = _wait(
            lambda: len(_replies(bot, DESK, "1718870405.000100")) == 2, 1.0, "the flag's reply"
        )
        print(f"other channel's link answered in {answered:.2f}s, flag in {confirmed:.2f}s")


def test_an_event_no_listener_takes_is_claimed_as_done(tmp_path, site):
    with in_process_bot(tmp_path, scheduler=True, **FAST_SWEEP) as bot:
        payload = link_message(channel=DESK, user=REPORTER, ts="1718870406.000100", url=site)
        payload["event"] = {"type": "member_joined_channel", "user": EDITOR, "channel": DESK}
        assert bot.send_payload(payload).status in (200, 404)  # Bolt: no listener
        assert bot.services.jobs.counts() == {"done": 1}
        assert bot.send_payload(payload).status == 200  # a retry: already claimed
        time.sleep(0.5)
        assert {c.method for c in bot.fake.calls} <= {"auth.test"}  # Bolt authorizes


def test_the_bot_s_own_message_is_done_without_a_reply(tmp_path, site):
    with in_process_bot(tmp_path, scheduler=True, **FAST_SWEEP) as bot:
        payload = link_message(
            channel=DESK, user="U0BOT0001", ts="1718870407.000100", url=f"{site}/world/000"
        )
        payload["event"]["bot_id"] = "B0BOT0001"
        assert bot.send_payload(payload).status == 200
        _wait(lambda: _done(bot), 5, "the bot's own message done")
        assert bot.fake.calls_to("chat.postMessage") == []
