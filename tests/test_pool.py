"""FairPool (bot/pool.py): caps per key, and a capped task never holds a thread."""

from __future__ import annotations

import threading
import time

from bot.pool import FairPool


def test_a_stalled_site_does_not_hold_up_another():
    pool = FairPool(4, caps={"message": 2, "host": 2})
    release = threading.Event()
    running: list[str] = []
    lock = threading.Lock()

    def stall(name: str) -> str:
        with lock:
            running.append(name)
        release.wait(10)
        return name

    stalled = [
        pool.submit(lambda i=i: stall(f"slow{i}"), keys={"message": f"m{i // 5}", "host": "slow"})
        for i in range(40)
    ]
    time.sleep(0.2)
    assert pool.in_flight() == 2  # the site's cap, though 8 messages wait
    started = time.monotonic()
    quick = pool.submit(lambda: "quick", keys={"message": "other", "host": "fast"})
    assert quick.result(timeout=2) == "quick"
    assert time.monotonic() - started < 0.5
    release.set()
    assert sorted(f.result(timeout=10) for f in stalled) == sorted(f"slow{i}" for i in range(40))
    pool.shutdown()


def test_one_message_runs_at_most_its_cap():
    pool = FairPool(8, caps={"message": 2})
    peak, now = [0], [0]
    lock = threading.Lock()

    def work() -> None:
        with lock:
            now[0] += 1
            peak[0] = max(peak[0], now[0])
        time.sleep(0.05)
        with lock:
            now[0] -= 1

    futures = [pool.submit(work, keys={"message": "m"}) for _ in range(6)]
    for f in futures:
        f.result(timeout=5)
    assert peak[0] == 2
    pool.shutdown()


def test_an_exception_is_the_future_s_and_frees_the_slot():
    pool = FairPool(1, caps={})

    def boom() -> None:
        raise ValueError("no")

    failed = pool.submit(boom, keys={"host": "a"})
    assert isinstance(failed.exception(timeout=2), ValueError)
    assert pool.submit(lambda: 1, keys={"host": "a"}).result(timeout=2) == 1
    pool.shutdown()
