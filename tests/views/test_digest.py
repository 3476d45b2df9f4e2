"""The digest as Slack messages: Slack's limits hold on a heavy day, and text is escaped."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest

from bot.core.digest import (
    ArticleRecord,
    ClaimRecord,
    Digest,
    FlagRecord,
    PairRecord,
    StoryRecord,
    select_digest,
)
from bot.views.blocks import SlackMessage, escape, link
from bot.views.digest import digest_messages, digest_text, shown_text
from tests.core.test_digest import SINCE, UNTIL, seed_inputs

LONG = "The minister said that " + "the figures were disputed by several agencies " * 110


def heavy_day(n_stories: int = 500, seed: int = 7) -> Digest:
    """A day of ``n_stories`` busy stories: long titles, conflicts, claims, 5,000-char text."""
    rng = random.Random(seed)
    stories, articles, claims, pairs, flags = [], [], [], [], []
    aid = cid = pid = 0
    for sid in range(1, n_stories + 1):
        title = f"Story {sid}: " + " ".join(
            rng.choice(["Flood", "Vote", "Q&A", "Tariff <x>"]) for _ in range(60)
        )
        n_articles = rng.randint(2, 8)
        stories.append(
            StoryRecord(sid, title, SINCE, UNTIL, n_articles, rng.randint(1, n_articles))
        )
        story_articles = []
        for k in range(n_articles):
            aid += 1
            relation = "same_story" if k % 4 else "near_duplicate"
            url = f"https://outlet{aid}.example/news/{'x' * rng.choice([20, 300])}?a=1&b=2"
            outlet = f"Outlet {aid} " + "Daily " * rng.choice([1, 30])
            when = SINCE + timedelta(minutes=rng.randint(1, 1440))
            matched = story_articles[0] if relation == "near_duplicate" and story_articles else None
            articles.append(ArticleRecord(aid, sid, title, outlet, url, relation, matched, when))
            story_articles.append(aid)
        story_claims = []
        for k in range(rng.randint(5, 40)):
            cid += 1
            quote = k % 7 == 0
            surface = LONG if quote and k % 2 else f"{rng.randint(1, 999)} units"
            claims.append(
                ClaimRecord(
                    cid,
                    sid,
                    rng.choice(story_articles),
                    "quote" if quote else "count",
                    surface,
                    "quote" if quote else f"thing {k % 6} " + "counted " * rng.choice([1, 40]),
                    rng.random() < 0.5,
                    SINCE + timedelta(minutes=rng.randint(1, 1440)),
                )
            )
            story_claims.append(cid)
        for _ in range(rng.randint(0, 30)):
            pid += 1
            a, b = rng.sample(story_claims, 2)
            label = rng.choice(
                ["conflict", "conflict", "different_period", "different_scope", "update", "agree"]
            )
            pairs.append(
                PairRecord(pid, sid, a, b, label, SINCE + timedelta(minutes=rng.randint(1, 1440)))
            )
        for _ in range(rng.randint(0, 4)):
            flags.append(
                FlagRecord(
                    sid,
                    rng.choice(story_articles),
                    rng.choice([None, *story_claims]),
                    f"U{rng.randint(100, 130)}",
                    SINCE + timedelta(minutes=rng.randint(1, 1440)),
                )
            )
    return select_digest(
        stories=stories,
        articles=articles,
        claims=claims,
        pairs=pairs,
        flags=flags,
        since=SINCE,
        until=UNTIL,
    )


def texts_of(block: dict) -> list[str]:
    if block["type"] == "section":
        return [block["text"]["text"]]
    if block["type"] == "context":
        return [e["text"] for e in block["elements"]]
    if block["type"] == "header":
        return [block["text"]["text"]]
    return []


def story_ids(message: SlackMessage) -> list[int]:
    return [
        int(b["block_id"].removeprefix("story-"))
        for b in message.blocks
        if b.get("block_id", "").startswith("story-")
    ]


def assert_within_slack_limits(message: SlackMessage) -> None:
    assert message.text.strip()
    assert 0 < len(message.blocks) <= 50
    for block in message.blocks:
        assert block["type"] in {"header", "section", "context", "divider"}
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= 150
        elif block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        elif block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
    block_ids = [b["block_id"] for b in message.blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))


@pytest.fixture(scope="module")
def heavy() -> Digest:
    return heavy_day()


def test_a_heavy_day_fits_slack(heavy):
    assert len(heavy.stories) == 500
    messages = digest_messages(heavy)
    assert len(messages) > 1
    for m in messages:
        assert_within_slack_limits(m)
    seen = [sid for m in messages for sid in story_ids(m)]
    assert sorted(seen) == sorted(s.id for s in heavy.stories)  # each story exactly once
    assert seen == [s.id for s in heavy.stories]  # in rank order across the thread
    assert story_ids(messages[0]) == [s.id for s in heavy.stories[:5]]
    assert messages[0].blocks[0]["type"] == "header"
    assert "495 more stories in the thread" in str(messages[0].blocks[-1])
    shown = [shown_text(t) for m in messages for b in m.blocks for t in texts_of(b)]
    too_long = [line for t in shown for line in t.split("\n") if len(line) > 200]
    assert not too_long, too_long[:3]  # long names, values and many sources still fit a line


def test_long_items_are_cut_with_an_ellipsis_not_dropped(heavy):
    sections = [t for m in digest_messages(heavy) for b in m.blocks for t in texts_of(b)]
    assert any("…" in t for t in sections)
    texts = [m.text for m in digest_messages(heavy)]
    for t in sections + texts:  # no half link or half entity left by a cut
        assert t.count("<") == t.count(">")
        assert not re.search(r"&(?!amp;|lt;|gt;)", t)


def test_top_stories_in_rank_order_with_a_larger_top(heavy):
    messages = digest_messages(heavy, top=12)
    parent = story_ids(messages[0])
    assert parent == [s.id for s in heavy.stories[: len(parent)]]
    assert len(parent) >= 5  # as many of the top 12 as fit in 50 blocks
    for m in messages:
        assert_within_slack_limits(m)


def test_empty_digest_gives_no_message_or_one_line():
    empty = Digest(SINCE, UNTIL, [])
    assert digest_messages(empty) == []
    [message] = digest_messages(empty, nothing_new_line=True)
    assert message.text == "Nothing new since 20 Jun 2024 00:00 UTC."
    assert_within_slack_limits(message)
    assert digest_text(empty).startswith("Nothing new since")


# --- the seeds ----------------------------------------------------------------------------


def seed_digest() -> Digest:
    inputs = seed_inputs()
    flags = [
        FlagRecord(1, 100, 1, "U123", SINCE + timedelta(hours=6)),
        FlagRecord(1, 100, 1, "U456", SINCE + timedelta(hours=7)),
    ]
    return select_digest(**inputs, flags=flags, since=SINCE, until=UNTIL)


def test_seed_digest_message():
    [message] = digest_messages(seed_digest())
    assert_within_slack_limits(message)
    assert message.text == (
        "Newsroom digest, 20 Jun 00:00 – 21 Jun 2024 00:00 UTC: 1 story, 1 conflict, "
        "1 flagged claim"
    )
    texts = [t for b in message.blocks for t in texts_of(b)]
    body = "\n".join(texts)
    assert "5 articles, 4 independent sources" in body
    npr = "<https://www.npr.org/2024/06/20/putin-vietnam|NPR>"
    vn = "<https://vietnamnews.vn/politics/putin-visit|Vietnam News>"
    conflict = (
        f"⚠ *memorandums for cooperation*: 12 / at least a dozen ({npr}) vs 11 "
        f"({vn}, <https://thenorthlines.com/putin-asean|The Northlines>)"
    )
    assert conflict in body
    # The conflict first, then the sentences it rests on, then sources, differences, flags.
    order = [
        body.index(conflict),
        body.index(f"{npr}: “They said 12 agreements signed.”"),
        body.index("New sources: "),
        body.index(f"↳ <https://unnamed.example/putin-hanoi|unnamed.example> is a copy of {npr}"),
        body.index(
            f"• bilateral trade between Russia and Vietnam: $3.6 billion in 2023 ({npr}) "
            f"vs $3.5bn in 2022 ({vn}) — different years"
        ),
        body.index(f"🚩 12 ({npr}) — flagged by <@U123>, <@U456>"),
        body.index("*New figures*\n• six Kilo-class submarines ("),
        body.index("All its figures: `/newsroom claims 1`"),
        body.index("To flag a doubtful figure or article, react with :triangular_flag_on_post:"),
    ]
    assert order == sorted(order)
    assert "around 80% of Vietnam's arms imports" in body
    assert body.count("⚠") == 1
    assert all(len(shown_text(line)) <= 200 for t in texts for line in t.split("\n"))


def test_seed_digest_text_is_plain():
    text = digest_text(seed_digest())
    assert "<http" not in text and "*" not in text and "<@" not in text
    assert "   5 articles, 4 independent sources" in text
    assert (
        "! memorandums for cooperation: 12 / at least a dozen (NPR) vs 11 "
        "(Vietnam News, The Northlines)"
    ) in text
    assert "unnamed.example is a copy of NPR, not an independent source" in text
    assert (
        "trade with China: $171 billion in 2023 (NPR) vs $175bn in 2022 (Vietnam News) "
        "— different years"
    ) in text
    assert "figure 12 (NPR) — flagged by U123, U456" in text
    assert "- six Kilo-class submarines (The New York Times)" in text
    assert all(len(line) <= 200 for line in text.splitlines())


def test_printed_lines_keep_their_indentation_when_cut():
    """Without outlets or URLs, sources are named by their titles' first words: long lines,
    cut within 200 characters, each still under the heading it belongs to."""
    inputs = seed_inputs()
    inputs["articles"] = [
        a._replace(outlet=None, url=None, title="A" * 300) for a in inputs["articles"]
    ]
    inputs["claims"] = [
        c._replace(sentence=f"{c.surface} " + "word " * 80) for c in inputs["claims"]
    ]
    lines = digest_text(select_digest(**inputs, flags=[], since=SINCE, until=UNTIL)).splitlines()
    said = [line for line in lines if "word word" in line]
    assert said and all(line.startswith("       “AAA") and len(line) <= 200 for line in said)


def test_a_story_links_the_thread_where_it_was_first_posted():
    inputs = seed_inputs()
    thread = "https://slack.com/archives/C1/p1718870400000100"
    digest = select_digest(
        **inputs, flags=[], since=SINCE, until=UNTIL, threads={1: thread, 99: "x"}
    )
    [message] = digest_messages(digest)
    assert f"<{thread}|first posted here>" in str(message.blocks)
    assert f"First posted in Slack: {thread}" in digest_text(digest)
    assert "first posted" not in str(digest_messages(seed_digest())[0].blocks)


# --- escaping -----------------------------------------------------------------------------


def test_escape_and_link():
    assert escape("a & b <c> d") == "a &amp; b &lt;c&gt; d"
    assert link("https://x.example/?a=1&b=2", "A|B > C & D") == (
        "<https://x.example/?a=1&amp;b=2|A B &gt; C &amp; D>"
    )
    assert link(None, "<b>") == "&lt;b&gt;"
    assert link("javascript:alert(1)", "x") == "x"


def test_titles_are_escaped():
    inputs = seed_inputs()
    story = inputs["stories"][0]
    title = "Q&A: <Putin> & Lam sign deals > 10 | more"
    inputs["stories"] = [StoryRecord(story.id, title, story.first_seen, story.last_seen, 5, 4)]
    digest = select_digest(**inputs, flags=[], since=SINCE, until=UNTIL)
    [message] = digest_messages(digest)
    first = message.blocks[3]["text"]["text"]
    assert first.startswith(
        "*1. <https://www.npr.org/2024/06/20/putin-vietnam|"
        "Q&amp;A: &lt;Putin&gt; &amp; Lam sign deals &gt; 10 more>*"
    )
    replies = digest_messages(digest, top=0)
    assert "Q&amp;A: &lt;Putin&gt;" in replies[1].text
    assert "<Putin>" not in replies[1].text
