"""The seeds' digest as an editor reads it (issue #18's targets), built from the five seed
articles ingested into a database, printed and as Block Kit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.core.digest import Digest
from bot.services.digest import DigestService
from bot.services.flags import FlagService
from bot.views.digest import digest_messages, digest_text, shown_text
from storage.models import Article, SlackPost
from tests.views.test_digest import assert_within_slack_limits, texts_of

# Where each seed was published, as a link posted in Slack would say (002 is an unnamed copy).
SOURCES = {
    "000": ("NPR", "https://www.npr.org/2024/06/20/putin-vietnam-deals"),
    "001": ("Vietnam News", "https://vietnamnews.vn/politics/putin-state-visit"),
    "002": (None, "https://unnamed.example/putin-hanoi"),
    "003": ("The Northlines", "https://thenorthlines.com/putin-asean"),
    "004": ("The New York Times", "https://www.nytimes.com/2024/06/20/world/asia/putin"),
}
THREAD_TS = "1718870400.000100"


@pytest.fixture
def seed_digest(engine, ingest_service, seed_texts) -> Digest:
    for name, text in seed_texts.items():
        outlet, url = SOURCES[name[:3]]
        ingest_service.ingest_text(text, url=url, outlet=outlet, external_id=name)
    with Session(engine) as session:
        first = session.exec(select(Article).order_by(Article.id)).first()  # type: ignore[arg-type]
        assert first is not None and first.id is not None
        session.add(
            SlackPost(
                channel="C0NEWS", ts=THREAD_TS, kind="link", story_id=first.story_id,
                article_id=first.id,
            )
        )  # fmt: skip
        session.commit()
    service = DigestService(engine, FlagService(engine), default_time="09:00", default_tz="UTC")
    now = datetime.now(UTC)
    return service.build(since=now - timedelta(hours=1), until=now + timedelta(hours=1))


def _views(digest: Digest) -> dict[str, list[str]]:
    """The lines a reader sees: of the terminal text, and of the blocks (links as labels)."""
    [message] = digest_messages(digest)
    assert_within_slack_limits(message)
    shown = [shown_text(t) for b in message.blocks for t in texts_of(b)]
    return {
        "text": digest_text(digest).splitlines(),
        "blocks": [line for t in shown for line in t.split("\n")],
    }


def _line(lines: list[str], *parts: str) -> str:
    found = [line for line in lines if all(p in line for p in parts)]
    assert found, f"no line with {parts}"
    return found[0]


@pytest.mark.parametrize("view", ["text", "blocks"])
def test_the_seeds_digest_reads_as_an_editor_needs(seed_digest, view):
    lines = _views(seed_digest)[view]
    # The agreements: 12 (NPR) against 11 (Vietnam News, The Northlines), one conflict.
    conflict = _line(lines, "12", "(NPR)", "vs 11 (Vietnam News, The Northlines)")
    assert "at least a dozen" in conflict
    assert sum("vs 11" in line for line in lines) == 1
    # What the conflict rests on, in the sources' own sentences (under it, when printed).
    _line(lines, "Vietnam News: “Lam and Putin signed 11 memorandums")
    npr = _line(lines, "NPR: “HANOI, Vietnam (AP) — Russian President Vladimir Putin signed")
    assert npr.endswith("…”")
    # Four independent sources; the copy named with whose copy it is.
    _line(lines, "5 articles, 4 independent sources")
    _line(lines, "unnamed.example is a copy of NPR, not an independent source")
    # Each trade difference on one line, with both years and both outlets.
    for who, ours, theirs in (
        ("between Russia and Vietnam", "$3.6 billion in 2023 (NPR)", "$3.5bn in 2022"),
        ("with China", "$171 billion in 2023 (NPR)", "$175bn in 2022 (Vietnam News)"),
        ("with America", "$111 billion in 2023 (NPR)", "$123bn in 2022 (Vietnam News)"),
    ):
        _line(lines, f"trade {who}: {ours} vs", theirs, "different years")
    _line(lines, "around 80% of Vietnam's arms imports (NPR) vs", "different measures")
    # The thread where the story was first posted, and how to flag.
    _line([line.lower() for line in lines], "first posted")
    _line(lines, "To flag a doubtful figure", ":triangular_flag_on_post:")
    assert all(len(line) <= 200 for line in lines)
    assert not any("score" in line or "threshold" in line for line in lines)


def test_the_seeds_digest_lists_at_most_three_new_figures_none_bare(seed_digest):
    (story,) = seed_digest.stories
    assert 0 < len(story.new_claims) <= 3
    assert story.more_claims > 0  # the rest: `/newsroom claims N`
    for claim in story.new_claims:
        assert claim.kind not in {"year", "date", "weekday", "ordinal", "duration", "quote"}
    shown = [(c.quantity.casefold(), c.surface) for c in story.new_claims]
    assert len(shown) == len(set(shown))  # no repeats
    disputed = {(s.article.id, s.surface) for e in story.conflicts for s in e.sides}
    assert not any((c.article.id, c.surface) in disputed for c in story.new_claims)
    text = digest_text(seed_digest)
    assert f"All its figures: newsroom claims {story.id}" in text


def _words(text: str) -> set[str]:
    """The words of a name, without the views' own wording of a percent ("share of")."""
    return set(re.findall(r"[\w’'-]+", text.casefold().replace("share of ", "")))


def test_every_name_shown_is_in_its_sentences_words_not_a_stem(seed_digest):
    (story,) = seed_digest.stories
    for entry in (*story.conflicts, *story.other_pairs):
        said = [s.sentence for s in entry.sides]
        assert all(said), entry
        if entry in story.conflicts:  # the name as one of its sources wrote it
            assert any(entry.quantity.casefold() in s.casefold() for s in said), entry.quantity
        words = set().union(*map(_words, said))
        assert _words(entry.quantity) <= words, entry.quantity  # every word written, no stem
        for side in entry.sides:
            assert _words(side.quantity) <= _words(side.sentence), side.quantity
    for claim in story.new_claims:
        assert claim.quantity.casefold() in claim.sentence.casefold(), claim.quantity
    assert story.thread == f"https://slack.com/archives/C0NEWS/p{THREAD_TS.replace('.', '')}"
