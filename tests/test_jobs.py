"""The job queue (bot/services/jobs.py) on each backend: claims, leases, take-over, retries."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot.services.jobs import JobQueue
from storage.db import inbox_url_for, open_inbox

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


def _queue(engine, owner: str, **kw) -> JobQueue:
    return JobQueue(engine, owner=owner, lease=LEASE, retry_seconds=(1, 5), **kw)


def test_a_key_is_queued_once(engine):
    a = _queue(engine, "a")
    first = a.add(kind="slack_event", key="Ev01", payload={"n": 1}, now=T0)
    assert first is not None
    assert a.add(kind="slack_event", key="Ev01", payload={"n": 2}, now=T0) is None
    assert a.add(kind="slack_post", key="Ev01", payload={}, now=T0) is not None  # other kind
    assert a.counts("slack_event") == {"pending": 1}


def test_a_job_is_held_by_its_owner_until_the_lease_runs_out(engine):
    a, b = _queue(engine, "a"), _queue(engine, "b")
    job_id = a.add(kind="slack_event", key="Ev02", payload={"x": "é"}, now=T0)
    assert job_id is not None
    assert b.take_due(kinds=["slack_event"], now=T0 + LEASE / 2) == []
    taken = b.take_due(kinds=["slack_event"], now=T0 + LEASE * 2)
    assert [(j.id, j.payload) for j in taken] == [(job_id, {"x": "é"})]
    assert a.start(job_id, now=T0 + LEASE * 2) is None  # a lost it: it must not run it
    assert b.start(job_id, now=T0 + LEASE * 2) == 1
    b.done(job_id)
    assert b.take_due(kinds=["slack_event"], now=T0 + LEASE * 10) == []
    assert b.counts() == {"done": 1}


def test_a_failed_attempt_waits_its_step_then_gives_up(engine):
    a = _queue(engine, "a", max_attempts=3)
    job_id = a.add(kind="slack_event", key="Ev03", payload={}, now=T0)
    assert job_id is not None
    now = T0
    for attempt, step in ((1, 1), (2, 5)):
        assert a.start(job_id, now=now) == attempt
        assert a.retry_later(job_id, attempt=attempt, error="database is locked", now=now)
        assert a.take_due(kinds=["slack_event"], now=now + timedelta(seconds=step - 0.5)) == []
        now += timedelta(seconds=step)
        assert [j.id for j in a.take_due(kinds=["slack_event"], now=now)] == [job_id]
    assert a.start(job_id, now=now) == 3
    assert not a.retry_later(job_id, attempt=3, error="still locked", now=now)
    assert a.counts() == {"failed": 1}
    assert a.take_due(kinds=["slack_event"], now=now + timedelta(days=1)) == []
    assert a.prune(before=now + timedelta(days=1)) == 1


def test_concurrent_sweeps_take_each_job_once(engine):
    producer = _queue(engine, "p")
    ids = {
        producer.add(kind="slack_event", key=f"Ev{i:04d}", payload={}, now=T0) for i in range(40)
    }
    later = T0 + LEASE * 2
    taken: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def sweep(owner: str) -> None:
        queue = _queue(engine, owner)
        barrier.wait()
        for _ in range(5):
            jobs = queue.take_due(kinds=["slack_event"], now=later, limit=5)
            with lock:
                taken.extend(j.id for j in jobs)

    threads = [threading.Thread(target=sweep, args=(f"s{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == sorted(ids)  # each once, none twice


def test_the_sqlite_inbox_has_a_file_of_its_own(tmp_path):
    url = inbox_url_for(f"sqlite:///{tmp_path / 'newsroom.db'}")
    assert url == f"sqlite:///{tmp_path / 'newsroom.inbox.db'}"
    assert inbox_url_for("postgresql+psycopg://u@h/db") is None
    engine = open_inbox(url)
    assert _queue(engine, "a").add(kind="slack_event", key="Ev1", payload={}, now=T0)
    engine.dispose()
