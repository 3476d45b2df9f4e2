"""End to end: signed requests to a running `newsroom serve`, Slack faked on loopback.

The bot's WebClient talks to tests/fake_slack.py, which checks every call against Slack's
OpenAPI spec and Block Kit limits; articles come from a local news site built from the seeds.
The scenarios share one bot and run in file order, as a desk's day would: the seed links are
posted first, and the commands, flags and digests after them work on those stories.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot_process import BotProcess
from tests.fake_slack import BOT_USER_ID, FakeSlack
from tests.news_site import news_site
from tests.slack_payloads import (
    app_home_opened,
    edited_message,
    link_message,
    plain_message,
    reaction,
    shape,
    slash_command,
    unknown_fields,
)

pytestmark = pytest.mark.slow

DESK = "C0DESK0001"
REPORTER = "U0REPORT01"
EDITOR = "U0EDITOR01"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture(scope="module")
def site(seed_texts) -> Iterator[str]:
    with news_site(seed_texts) as base:
        yield base


@pytest.fixture(scope="module")
def bot(fake, tmp_path_factory) -> Iterator[BotProcess]:
    workdir = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{workdir / 'newsroom.db'}"
    with BotProcess(database_url=url, slack_base_url=fake.base_url, workdir=workdir) as process:
        yield process


@pytest.fixture(autouse=True)
def clean_fake(fake) -> Iterator[None]:
    fake.reset()
    yield
    fake.assert_clean()


def _ts(n: int) -> str:
    return f"{1718870400 + n}.{n:06d}"


def _replies(fake: FakeSlack, thread_ts: str) -> list[dict]:
    return [m for m in fake.messages(DESK) if m.get("thread_ts") == thread_ts]


def _wait_replies(fake: FakeSlack, thread_ts: str, count: int = 1, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = _replies(fake, thread_ts)
        if len(replies) >= count:
            return replies
        time.sleep(0.05)
    raise AssertionError(f"no reply in thread {thread_ts}: {fake.calls}")


def _command(bot: BotProcess, fake: FakeSlack, text: str, name: str, channel: str = DESK) -> dict:
    status, _ = bot.send(
        slash_command(text=text, channel=channel, user=EDITOR, response_url=fake.response_url(name))
    )
    assert status == 200
    for _ in range(200):
        found = [c for c in fake.calls_to("response_url") if c.response_name == name]
        if found:
            return found[0].params
        time.sleep(0.05)
    raise AssertionError(f"no response for /newsroom {text}")


def _text(params: dict) -> str:
    return params["text"] + "\n" + json.dumps(params.get("blocks", []), ensure_ascii=False)


def test_payloads_follow_slacks_shapes(site):
    assert (
        unknown_fields(
            link_message(channel=DESK, user=REPORTER, ts=_ts(0), url=site), shape("MessagePayload")
        )
        == []
    )
    assert (
        unknown_fields(
            reaction(added=True, channel=DESK, ts=_ts(0), user=EDITOR),
            shape("ReactionAddedPayload"),
        )
        == []
    )
    assert unknown_fields(app_home_opened(user=EDITOR), shape("AppHomeOpenedPayload")) == []


def test_health_and_url_verification(bot):
    import urllib.request

    with urllib.request.urlopen(f"{bot.base}/health") as response:
        assert json.loads(response.read()) == {"ok": True}
    status, body = bot.send(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    assert status == 200
    assert json.loads(body)["challenge"].startswith("3eZbrw1aBm2r")


def test_forged_and_stale_signatures_get_401(bot, fake, site):
    payload = link_message(channel=DESK, user=REPORTER, ts=_ts(1), url=f"{site}/world/000")
    assert bot.send(payload, secret="not-the-secret")[0] == 401
    assert bot.send(payload, timestamp=int(time.time()) - 600)[0] == 401
    time.sleep(0.5)
    assert fake.calls_to("chat.postMessage") == []


def test_seed_links_get_the_gold_verdicts_in_their_threads(bot, fake, site, gold):
    expected = {
        "000": "New story",
        "001": "Same story as",
        "002": "A copy of",
        "003": "Same story as",
        "004": "Same story as",
    }
    for n, (slug, verdict) in enumerate(expected.items(), start=10):
        ts = _ts(n)
        status, _ = bot.send(
            link_message(channel=DESK, user=REPORTER, ts=ts, url=f"{site}/world/{slug}")
        )
        assert status == 200
        (reply,) = _wait_replies(fake, ts)
        assert reply["text"].startswith(verdict), reply["text"]
        assert reply["unfurl_links"] is False
        if slug == "002":
            assert "not an independent source" in reply["text"]
            assert "Putin signs numerous deals" in reply["text"]  # names the AP report
    last = _replies(fake, _ts(14))[0]
    assert f"({gold['independent_sources']} independent sources)" in last["text"]
    # 001 names the conflict with the AP figure (12 agreements vs 11).
    first_conflict = _replies(fake, _ts(11))[0]
    assert "conflict" in first_conflict["text"]
    # 12 and "at least a dozen" against 11: two pairs, one conflict, as the digest counts it.
    assert first_conflict["text"].endswith("; 1 conflict with earlier coverage")
    assert "score" not in _text(first_conflict) and "threshold" not in _text(first_conflict)
    assert "11" in _text(first_conflict) and "12" in _text(first_conflict)

    # The same link again (with a tracking parameter): "already posted", with a permalink.
    ts = _ts(20)
    bot.send(link_message(channel=DESK, user=EDITOR, ts=ts, url=f"{site}/world/000?utm_source=x"))
    (reply,) = _wait_replies(fake, ts)
    assert reply["text"].startswith("Already posted")
    assert f"archives/{DESK}/p{_ts(10).replace('.', '')}" in _text(reply)


def test_a_failed_fetch_gets_a_short_reason(bot, fake, site):
    ts = _ts(30)
    bot.send(link_message(channel=DESK, user=REPORTER, ts=ts, url=f"{site}/paywall"))
    (reply,) = _wait_replies(fake, ts)
    assert reply["text"].startswith("Could not read")
    assert "too little text" in reply["text"]


def test_the_same_event_three_times_gets_one_reply(bot, fake, site):
    ts = _ts(40)
    payload = link_message(channel=DESK, user=REPORTER, ts=ts, url=f"{site}/world/003")
    for attempt in range(3):
        headers = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
        assert bot.send(payload, headers=headers if attempt else None)[0] == 200
    _wait_replies(fake, ts)
    time.sleep(1.0)
    assert len(_replies(fake, ts)) == 1


def test_edits_bots_and_plain_messages_are_ignored(bot, fake, site):
    bot.send(edited_message(channel=DESK, user=REPORTER, ts=_ts(50), url=f"{site}/world/004"))
    mine = link_message(channel=DESK, user=BOT_USER_ID, ts=_ts(51), url=f"{site}/world/004")
    bot.send(mine)
    bot.send(plain_message(channel=DESK, user=REPORTER, ts=_ts(52), text="morning all"))
    time.sleep(1.5)
    assert fake.calls_to("chat.postMessage") == []


def test_slash_subcommands(bot, fake, site):
    assert "search &lt;words&gt;" in _text(_command(bot, fake, "help", "help"))
    found = _text(_command(bot, fake, "search Putin Vietnam", "search"))
    assert "Putin" in found and "story 1" in found
    story = _text(_command(bot, fake, "story 1", "story"))
    assert "5 articles" in story and "4 independent sources" in story
    assert "copy, not an independent source" in story
    by_url = _text(_command(bot, fake, f"story <{site}/world/002>", "story-url"))
    assert "Story 1" in by_url
    claims = _text(_command(bot, fake, "claims 1", "claims"))
    # In the digest's words: the conflict, then the differences with their years or measures.
    assert "⚠ *publicly announced agreements*" in claims
    assert "different years" in claims and "different measures" in claims
    assert "different_period" not in claims and "different_scope" not in claims
    compare = _text(_command(bot, fake, f"compare {site}/world/000 {site}/world/002", "compare"))
    assert "near duplicate" in compare
    conflicts = _text(_command(bot, fake, "conflicts week", "conflicts"))
    assert "vs" in conflicts and "11" in conflicts
    assert "Nothing is flagged" in _text(_command(bot, fake, "flagged", "flagged"))
    status = _text(_command(bot, fake, "status", "status"))
    assert "articles: 6" in status or "articles: 5" in status
    preview = _text(_command(bot, fake, "digest preview", "preview"))
    assert "conflict" in preview
    for i, (bad, reason) in enumerate(
        [
            ("frobnicate", "unknown command"),
            ("conflicts year", "`conflicts` takes"),
            ("subscribe 25:00", "not a time of day"),
            ("subscribe #general", "not a channel mention"),
            ("subscribe 08:30 Mars/Olympus", "not an IANA timezone"),
            ("story 999", "no story 999"),
        ]
    ):
        answer = _command(bot, fake, bad, f"bad-{i}")
        assert reason in _text(answer), bad
        assert answer["response_type"] == "ephemeral"
        assert "What I can do" in _text(answer)


def test_flag_and_unflag_by_reaction(bot, fake, site):
    ts = _ts(60)
    bot.send(link_message(channel=DESK, user=REPORTER, ts=ts, url=f"{site}/world/001?x=1"))
    (_reply,) = _wait_replies(fake, ts)
    reply_ts = next(c for c in fake.calls_to("chat.postMessage")).response["ts"]
    fake.reset()
    for user in (EDITOR, REPORTER, EDITOR):  # the third is a repeated reaction
        bot.send(reaction(added=True, channel=DESK, ts=reply_ts, user=user))
    (confirmation,) = _wait_replies(fake, ts)
    assert "flagged" in confirmation["text"].lower()
    time.sleep(1.0)
    assert len(fake.calls_to("chat.postMessage")) == 1  # confirmed once
    flagged = _text(_command(bot, fake, "flagged", "flagged-1"))
    assert f"<@{EDITOR}>" in flagged and f"<@{REPORTER}>" in flagged
    for user in (EDITOR, REPORTER):
        bot.send(reaction(added=False, channel=DESK, ts=reply_ts, user=user))
    time.sleep(1.0)
    assert "Nothing is flagged" in _text(_command(bot, fake, "flagged", "flagged-2"))


def test_app_home(bot, fake):
    bot.send(app_home_opened(user=EDITOR))
    (call,) = fake.wait_for("views.publish")
    assert call.params["user_id"] == EDITOR
    view = call.params["view"]
    assert view["type"] == "home"
    text = json.dumps(view, ensure_ascii=False)
    assert "Open conflicts" in text and "Flagged" in text


def test_a_429_then_success_delivers_one_reply(bot, fake, site):
    fake.rate_limit_next("chat.postMessage", retry_after=1)
    ts = _ts(70)
    bot.send(link_message(channel=DESK, user=REPORTER, ts=ts, url=f"{site}/world/004?again=1"))
    (_reply,) = _wait_replies(fake, ts)
    statuses = [c.status for c in fake.calls_to("chat.postMessage")]
    assert statuses == [429, 200]


def test_not_in_channel_is_logged_not_crashed(bot, fake, site):
    fake.fail_next("chat.postMessage", "not_in_channel")
    ts = _ts(80)
    bot.send(link_message(channel=DESK, user=REPORTER, ts=ts, url=f"{site}/world/003?b=2"))
    fake.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert "not_in_channel" in bot.output()
    assert bot.process.poll() is None
    assert SECRET_FREE(bot.output())


def SECRET_FREE(log: str) -> bool:
    from tests.bot_process import BOT_TOKEN, SECRET

    return BOT_TOKEN not in log and SECRET not in log


def test_a_subscribed_channel_gets_one_digest(bot, fake):
    # Subscribe for a time that has just passed: the scheduler's sweep posts it (catch-up).
    now = time.gmtime(time.time() - 120)
    at = f"{now.tm_hour:02d}:{now.tm_min:02d}"
    answer = _text(_command(bot, fake, f"subscribe {at} UTC", "subscribe"))
    assert f"at {at} UTC" in answer
    (digest,) = fake.wait_for("chat.postMessage", timeout=15)
    assert "story" in digest.params["text"].lower()
    assert digest.params["channel"] == DESK
    time.sleep(3)  # three more sweeps
    parents = [m for m in fake.messages(DESK) if not m.get("thread_ts")]
    assert len(parents) == 1
    assert "Unsubscribed" in _text(_command(bot, fake, "unsubscribe", "unsubscribe"))


def test_digest_now_posts_and_records(bot, fake):
    politics = "C0POLIT001"  # a channel that never had a digest: the last 24 hours
    answer = _text(_command(bot, fake, "digest now", "now-1", channel=politics))
    assert "Posted the digest (1 story)" in answer
    (digest,) = [m for m in fake.messages(politics) if not m.get("thread_ts")]
    assert "1 conflict" in digest["text"]
    # The story links the thread on the desk where its first link was posted; how to flag.
    blocks = _text(digest)
    assert f"<https://slack.com/archives/{DESK}/p{_ts(10).replace('.', '')}|first posted here>" in (
        blocks
    )
    assert "To flag a doubtful figure or article, react with :triangular_flag_on_post:" in blocks
    # Recorded: the next one starts where this one ended, so there is nothing new to post.
    again = _text(_command(bot, fake, "digest now", "now-2", channel=politics))
    assert "Nothing new since the last digest" in again
    assert len([m for m in fake.messages(politics) if not m.get("thread_ts")]) == 1


def test_the_log_holds_no_token(bot):
    assert SECRET_FREE(bot.output())
    assert Path(bot.log).exists()


def test_hostile_pages_get_a_reason_and_the_bot_stays_responsive(bot, fake, site):
    import urllib.request

    reasons = {
        "nested": "no article text",
        "oneline": "too much text",
        "badbytes": "too little text",
        "gzip": "larger than",
    }
    for n, name in enumerate(reasons, start=90):
        bot.send(link_message(channel=DESK, user=REPORTER, ts=_ts(n), url=f"{site}/bomb/{name}"))
    # While those are fetched and parsed, the bot still answers at once.
    started = time.monotonic()
    with urllib.request.urlopen(f"{bot.base}/health", timeout=5) as response:
        assert response.status == 200
    assert "What I can do" in _text(_command(bot, fake, "help", "help-during-bombs"))
    assert time.monotonic() - started < 3.0
    for n, (name, reason) in enumerate(reasons.items(), start=90):
        (reply,) = _wait_replies(fake, _ts(n), timeout=60)
        assert reply["text"].startswith("Could not read"), name
        assert reason in reply["text"], (name, reply["text"])


def test_a_stopped_bot_finishes_the_events_it_acknowledged(fake, site, tmp_path):
    # Slack does not redeliver an acknowledged event: SIGTERM (a deploy, a scale-down) must
    # not drop the link whose page is still being fetched.
    url = f"sqlite:///{tmp_path / 'newsroom.db'}"
    with BotProcess(database_url=url, slack_base_url=fake.base_url, workdir=tmp_path) as bot:
        ts = _ts(90)
        slow = f"{site}/world/001?delay=2"
        assert bot.send(link_message(channel=DESK, user=REPORTER, ts=ts, url=slow))[0] == 200
        time.sleep(0.2)
        assert _replies(fake, ts) == []  # still fetching
        bot.process.send_signal(signal.SIGTERM)
        assert bot.process.wait(timeout=30) == 0
        (reply,) = _replies(fake, ts)
        assert reply["text"].startswith("New story")
        assert "stopped\n" in bot.output()
