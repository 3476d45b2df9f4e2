"""The digest service: exactly once per channel and day, catch-up, DST, the seeds' digest.

Times are explicit datetimes; stored rows are stamped with chosen times after ingest.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from bot.core.schedule import last_occurrence, occurrence, parse_time_of_day, parse_timezone
from bot.services.digest import DigestService
from bot.services.flags import FlagService
from bot.views.blocks import SlackMessage
from bot.views.digest import render_digest
from storage.models import Article, ClaimPairRow, ClaimRow, DigestItem, DigestRun

T0 = datetime(2024, 6, 20, 12, 0, tzinfo=UTC)


class Recorder:
    """A poster that records messages (and can fail)."""

    def __init__(self, fail: int = 0):
        self.posts: list[tuple[str, SlackMessage, str | None]] = []
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self, channel: str, message: SlackMessage, thread_ts: str | None) -> str:
        with self.lock:
            if self.fail:
                self.fail -= 1
                raise RuntimeError("slack is down")
            self.posts.append((channel, message, thread_ts))
            return f"1718870400.{len(self.posts):06d}"


def _stamp(engine, when: datetime) -> None:
    """Pretend everything stored so far was stored at `when`."""
    with Session(engine) as session:
        session.execute(update(Article).values(fetched=when))
        session.execute(update(ClaimRow).values(first_seen=when))
        session.execute(update(ClaimPairRow).values(first_seen=when))
        session.commit()


@pytest.fixture
def digest(engine) -> DigestService:
    return DigestService(engine, FlagService(engine), default_time="09:00", default_tz="UTC")


@pytest.fixture
def seeded(engine, ingest_service, seed_texts):
    for name, text in seed_texts.items():
        ingest_service.ingest_text(text, external_id=name)
    _stamp(engine, T0)
    return engine


def test_the_seeds_digest_matches_the_gold_expectations(seeded, digest):
    built = digest.build(since=T0 - timedelta(hours=1), until=T0 + timedelta(hours=1))
    (story,) = built.stories
    assert (story.article_count, story.source_count) == (5, 4)
    assert len(story.new_sources) == 4 and len(story.copies) == 1
    (conflict,) = story.conflicts  # the agreements: 12 / at least a dozen vs 11
    values = " ".join(side.surface for side in conflict.sides)
    assert "12" in values and "at least a dozen" in values and "11" in values
    labels = {entry.label for entry in story.other_pairs}
    assert labels == {"different_period", "different_scope"}
    trade = [e for e in story.other_pairs if e.label == "different_period"]
    assert any("3.6" in s.surface for e in trade for s in e.sides)
    arms = [e for e in story.other_pairs if e.label == "different_scope"]
    assert any("80%" in s.surface for e in arms for s in e.sides)
    assert story.new_claims  # new claims are listed


def test_002_adds_no_claims_and_004_adds_new_ones(seeded, digest):
    with Session(seeded) as session:
        by_name = {a.external_id: a.id for a in session.exec(select(Article)).all()}
        claims = session.exec(select(ClaimRow)).all()
    new_by_article: dict[int, list[str]] = {}
    for c in claims:
        if c.is_new:
            new_by_article.setdefault(c.article_id, []).append(c.surface)
    assert by_name["002_dc8434f2a39adf63.txt"] not in new_by_article
    assert any("six" in s for s in new_by_article[by_name["004_ff89fc41d8bf9a9e.txt"]])


def test_one_post_per_channel_and_day_and_the_window_continues(seeded, digest):
    post = Recorder()
    digest.subscribe(channel="C1", at="09:00", timezone="Europe/London", user="U1")
    morning = datetime(2024, 6, 21, 8, 0, 30, tzinfo=UTC)  # 09:00:30 in London (BST)
    first = digest.run_due(channel="C1", now=morning, post=post, render=render_digest)
    assert first is not None and first.status == "posted" and first.period == "2024-06-21"
    again = digest.run_due(
        channel="C1", now=morning + timedelta(minutes=5), post=post, render=render_digest
    )
    assert again is not None and again.status == "already"
    parents = [p for p in post.posts if p[2] is None]
    assert len(parents) == 1
    with Session(seeded) as session:
        run = session.exec(select(DigestRun)).one()
        items = session.exec(select(DigestItem).where(DigestItem.run_id == run.id)).all()
    assert run.status == "posted" and run.posted_ts == "1718870400.000001"
    assert {i.kind for i in items} >= {"story", "article", "claim"}
    # The next day starts where this one ended: nothing new, so no post.
    next_day = digest.run_due(
        channel="C1", now=morning + timedelta(days=1), post=post, render=render_digest
    )
    assert next_day is not None and next_day.status == "empty"
    assert len([p for p in post.posts if p[2] is None]) == 1


def test_a_failed_post_is_retried_once_and_not_duplicated(seeded, digest):
    post = Recorder(fail=1)
    digest.subscribe(channel="C2", at="09:00", timezone="UTC", user=None)
    now = datetime(2024, 6, 21, 9, 0, tzinfo=UTC)
    assert digest.run_due(channel="C2", now=now, post=post, render=render_digest).status == "failed"
    assert (
        digest.run_due(
            channel="C2", now=now + timedelta(minutes=1), post=post, render=render_digest
        ).status
        == "posted"
    )
    assert (
        digest.run_due(
            channel="C2", now=now + timedelta(minutes=2), post=post, render=render_digest
        ).status
        == "already"
    )
    assert len([p for p in post.posts if p[2] is None]) == 1


def test_a_stale_claim_is_taken_over(seeded, digest, engine):
    digest.subscribe(channel="C3", at="09:00", timezone="UTC", user=None)
    now = datetime(2024, 6, 21, 9, 0, tzinfo=UTC)
    with Session(engine) as session:  # a replica claimed the run, then died before posting
        session.add(
            DigestRun(
                channel="C3",
                period="2024-06-21",
                since=T0 - timedelta(hours=1),
                until=now,
                status="claimed",
                claimed_at=now,
                attempts=1,
            )
        )
        session.commit()
    post = Recorder()
    assert (
        digest.run_due(
            channel="C3", now=now + timedelta(minutes=2), post=post, render=render_digest
        ).status
        == "already"
    )
    assert (
        digest.run_due(
            channel="C3", now=now + timedelta(minutes=11), post=post, render=render_digest
        ).status
        == "posted"
    )


def test_catch_up_after_downtime_posts_one_digest(seeded, digest):
    post = Recorder()
    digest.subscribe(channel="C4", at="09:00", timezone="UTC", user=None)
    day_one = datetime(2024, 6, 20, 9, 0, tzinfo=UTC)  # before the articles (T0 is 12:00)
    assert (
        digest.run_due(channel="C4", now=day_one, post=post, render=render_digest).status == "empty"
    )
    # Down for three days: the sweep at start posts one digest, for the latest day.
    back = datetime(2024, 6, 24, 9, 30, tzinfo=UTC)
    outcomes = digest.run_all_due(now=back, post=post, render=render_digest)
    assert [(o.status, o.period) for o in outcomes] == [("posted", "2024-06-24")]
    assert (
        digest.run_all_due(now=back + timedelta(minutes=1), post=post, render=render_digest) == []
    )
    assert len([p for p in post.posts if p[2] is None]) == 1


def test_an_empty_day_gives_no_post_unless_asked(engine, digest):
    post = Recorder()
    digest.subscribe(channel="C5", at="09:00", timezone="UTC", user=None)
    now = datetime(2024, 6, 21, 9, 0, tzinfo=UTC)
    assert digest.run_due(channel="C5", now=now, post=post, render=render_digest).status == "empty"
    assert post.posts == []


@pytest.mark.parametrize(
    ("zone", "day", "utc_hour"),
    [
        ("Europe/London", "2024-03-30", 9),  # GMT, the day before the change
        ("Europe/London", "2024-03-31", 8),  # BST from 01:00 that night
        ("Europe/London", "2024-10-27", 9),  # back to GMT
        ("America/New_York", "2024-03-09", 14),  # EST
        ("America/New_York", "2024-03-10", 13),  # EDT
        ("America/New_York", "2024-11-03", 14),  # EST again
    ],
)
def test_dst_changes_keep_the_local_time(zone, day, utc_hour):
    when = occurrence(
        datetime.fromisoformat(day).date(), parse_time_of_day("09:00"), parse_timezone(zone)
    )
    assert when.hour == utc_hour and when.minute == 0


def test_a_time_skipped_by_dst_moves_forward_and_still_runs_once():
    tz = parse_timezone("America/New_York")
    when = occurrence(datetime(2024, 3, 10).date(), parse_time_of_day("02:30"), tz)
    assert when == datetime(2024, 3, 10, 7, 30, tzinfo=UTC)  # 03:30 EDT
    day, instant = last_occurrence(parse_time_of_day("02:30"), tz, when + timedelta(minutes=1))
    assert day.isoformat() == "2024-03-10" and instant == when


def test_two_schedulers_racing_post_one_digest(seeded, digest, engine):
    """Many threads (as two replicas would) run the same due digest: one post."""
    digest.subscribe(channel="C6", at="09:00", timezone="UTC", user=None)
    post = Recorder()
    now = datetime(2024, 6, 21, 9, 0, 5, tzinfo=UTC)
    other = DigestService(engine, FlagService(engine), default_time="09:00", default_tz="UTC")
    barrier = threading.Barrier(6)

    def run(service: DigestService) -> None:
        barrier.wait()
        service.run_due(channel="C6", now=now, post=post, render=render_digest)

    threads = [threading.Thread(target=run, args=(s,)) for s in (digest, other) * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([p for p in post.posts if p[2] is None]) == 1


def test_building_leaves_the_collector_as_it_found_it(digest, seeded):
    import gc

    assert gc.isenabled()
    render_digest(digest.build(since=T0 - timedelta(hours=1), until=T0 + timedelta(hours=1)), False)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.freeze()  # someone else's frozen objects stay frozen
    try:
        frozen = gc.get_freeze_count()
        digest.build(since=T0 - timedelta(hours=1), until=T0 + timedelta(hours=1))
        # (objects freed meanwhile leave the permanent generation; an unfreeze would empty it)
        assert gc.isenabled() and gc.get_freeze_count() > 0.9 * frozen
    finally:
        gc.unfreeze()
    gc.disable()  # and a collector that was off stays off
    try:
        digest.build(since=T0 - timedelta(hours=1), until=T0 + timedelta(hours=1))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_revised_article_s_changed_figure_is_an_update_not_a_conflict(
    ingest_service, digest, seed_texts
):
    """NPR revising its 12 agreements to 11 at its URL: the digest lists the update, no
    longer the 12 against the others' 11, and counts no new source for the revision."""
    npr, vietnam = "000_95b775bc5eae5327.txt", "001_c412b43f50216ea0.txt"
    url = "https://npr.example/2024/06/20/putin-vietnam"
    ingest_service.ingest_text(seed_texts[npr], url=url, outlet="NPR")
    ingest_service.ingest_text(seed_texts[vietnam], url="https://vn.example/a", outlet="VN")
    now = datetime.now(UTC)
    before = digest.build(since=now - timedelta(hours=1), until=now + timedelta(hours=1))
    (story,) = before.stories
    assert any("12" in {s.surface for s in c.sides} for c in story.conflicts)
    revised = seed_texts[npr].replace("Of the 12 publicly", "Of the 11 publicly")
    between = datetime.now(UTC)
    assert ingest_service.ingest_text(revised, url=url, outlet="NPR").relation == "revision"
    now = datetime.now(UTC)
    built = digest.build(since=now - timedelta(hours=1), until=now + timedelta(hours=1))
    (story,) = built.stories
    assert (story.article_count, story.source_count) == (2, 2)
    assert len(story.new_sources) == 2 and not story.copies
    (update_entry,) = story.updates
    assert [p.value for p in update_entry.positions()] == ["12", "11"]
    assert not any("12" in {s.surface for s in c.sides} for c in story.conflicts)
    new_claims = [c.surface for c in story.new_claims]
    assert "12" not in new_claims and len(new_claims) == len(set(new_claims))
    # Since the revision alone: the update, and nothing announced again.
    (story,) = digest.build(since=between, until=now + timedelta(hours=1)).stories
    assert len(story.updates) == 1
    assert not story.new_claims and not story.new_sources and not story.conflicts
