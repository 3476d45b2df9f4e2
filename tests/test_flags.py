"""FlagService on a real database: one confirmation per message, also across re-runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.services.flags import FlagService
from storage import slack_queries
from storage.models import Flag, FlagNotice, SlackPost

NOW = datetime(2026, 6, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def reply(engine, ingest_service, seed_texts) -> SlackPost:
    """The bot's thread reply about a stored article, in channel C1 at ts 100.2."""
    result = ingest_service.ingest_text(next(iter(seed_texts.values())), title="Seed")
    post = SlackPost(
        channel="C1",
        ts="100.2",
        thread_ts="100.1",
        kind="reply",
        story_id=result.story_id,
        article_id=result.article_id,
    )
    with Session(engine) as session:
        slack_queries.add_posts(session=session, posts=[post])
        session.commit()
        session.refresh(post)
    return post


def _flag(service: FlagService, *, user: str = "U1", now: datetime = NOW, rerun: bool = False):
    return service.flag(
        channel="C1", ts="100.2", user=user, reaction="warning", now=now, rerun=rerun
    )


def _count(engine, table) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_the_first_flag_is_confirmed_and_a_second_persons_is_not(engine, reply):
    service = FlagService(engine)

    first = _flag(service)
    second = _flag(service, user="U2", now=NOW + timedelta(minutes=1))

    assert (first.flagged, first.confirm, first.thread_ts) == (True, True, "100.1")
    assert (second.flagged, second.confirm) == (True, False)
    assert _count(engine, Flag) == 2


def test_a_rerun_of_the_first_flag_confirms_again(engine, reply):
    # The first run committed the flag and its notice, then died before posting: the re-run
    # must still confirm (the handler reads the thread back before posting).
    service = FlagService(engine)
    _flag(service)

    rerun = _flag(service, now=NOW + timedelta(seconds=30), rerun=True)

    assert (rerun.flagged, rerun.confirm, rerun.thread_ts) == (True, True, "100.1")
    assert (_count(engine, Flag), _count(engine, FlagNotice)) == (1, 1)


def test_a_rerun_after_a_crash_between_flag_and_notice_confirms(engine, reply):
    with Session(engine) as session:
        slack_queries.add_flag(
            session=session,
            flag=Flag(channel="C1", ts="100.2", user="U1", reaction="warning", created=NOW),
        )
        session.commit()

    rerun = _flag(FlagService(engine), now=NOW + timedelta(seconds=30), rerun=True)

    assert rerun.confirm
    assert (_count(engine, Flag), _count(engine, FlagNotice)) == (1, 1)


def test_a_rerun_of_a_later_flag_stays_quiet(engine, reply):
    service = FlagService(engine)
    _flag(service)
    _flag(service, user="U2", now=NOW + timedelta(minutes=1))

    rerun = _flag(service, user="U2", now=NOW + timedelta(minutes=2), rerun=True)

    assert (rerun.flagged, rerun.confirm) == (True, False)


def test_a_flag_removed_and_added_again_is_not_confirmed_twice(engine, reply):
    service = FlagService(engine)
    _flag(service)
    assert service.unflag(channel="C1", ts="100.2", user="U1", reaction="warning")

    again = _flag(service, now=NOW + timedelta(minutes=5))

    assert (again.flagged, again.confirm) == (True, False)


def test_the_same_reaction_again_outside_a_rerun_is_a_quiet_no_op(engine, reply):
    service = FlagService(engine)
    _flag(service)

    again = _flag(service, now=NOW + timedelta(seconds=5))

    assert (again.flagged, again.confirm) == (False, False)
    assert (_count(engine, Flag), _count(engine, FlagNotice)) == (1, 1)
