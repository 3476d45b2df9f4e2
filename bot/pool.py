"""A bounded thread pool that is fair between messages, channels and sites.

Fetching a link can take as long as the fetch timeout. On a plain pool, a few messages full of
links to one stalling site would take every thread and every other link would queue behind
them. Here each task names its keys (the message, the channel, the site), and at most
`caps[name]` tasks with the same key run at once; a task over a cap waits in a queue without
holding a thread, and the first waiting task that fits starts as soon as a thread is free.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class _Task:
    fn: Callable[[], Any]
    keys: tuple[tuple[str, str], ...]
    future: Future[Any]


class FairPool:
    def __init__(self, threads: int, *, caps: Mapping[str, int], name: str = "newsroom-link"):
        self.threads = threads
        self.caps = dict(caps)
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._waiting: list[_Task] = []
        self._running = 0
        self._held: Counter[tuple[str, str]] = Counter()

    def submit(self, fn: Callable[[], Any], *, keys: Mapping[str, str]) -> Future[Any]:
        """Run `fn` when a thread is free and no cap of `keys` is full."""
        task = _Task(fn, tuple(sorted(keys.items())), Future())
        with self._lock:
            self._waiting.append(task)
            ready = self._ready()
        self._start(ready)
        return task.future

    def in_flight(self) -> int:
        with self._lock:
            return self._running

    def shutdown(self) -> None:
        """Cancel what has not started; running tasks finish on their own."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for task in waiting:
            task.future.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _fits(self, task: _Task) -> bool:
        return all(self._held[key] < self.caps.get(key[0], self.threads) for key in task.keys)

    def _ready(self) -> list[_Task]:
        """Take the waiting tasks that can start now (under the lock), oldest first."""
        ready = []
        for task in list(self._waiting):
            if self._running >= self.threads:
                break
            if self._fits(task):
                self._waiting.remove(task)
                self._running += 1
                self._held.update(task.keys)
                ready.append(task)
        return ready

    def _start(self, tasks: list[_Task]) -> None:
        for task in tasks:
            self._executor.submit(self._run, task)

    def _run(self, task: _Task) -> None:
        try:
            if task.future.set_running_or_notify_cancel():
                try:
                    task.future.set_result(task.fn())
                except BaseException as exc:
                    task.future.set_exception(exc)
        finally:
            with self._lock:
                self._running -= 1
                self._held.subtract(task.keys)
                self._held += Counter()  # drop the keys that reached zero
                ready = self._ready()
            self._start(ready)
