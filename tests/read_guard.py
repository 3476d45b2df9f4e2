"""A pytest plugin that fails the run when a test opens a file beside the repository.

A fresh clone has nothing beside it, so a test that reads ``../shared`` passes here and fails
there. An audit hook (event ``open``) records every file opened under the repository's parent
folder but outside the repository (pytest's rootdir, the folder of pyproject.toml). A test that
opened one errors at teardown, naming the path; one opened outside a test (at collection, by a
session fixture) fails the run at the end of the session.

The hook sees every open of the process, so its hot path is a few string prefix checks; only a
path that may lie outside the repository is resolved. Not seen: files opened by subprocesses
(tests/e2e runs the bot as one), files reached through a symlink inside the repository, and
directory listings or stat calls.

tests/conftest.py loads it (``pytest_plugins``); ``pytest -p tests.read_guard`` loads it
elsewhere (tests/test_read_guard.py runs it on a fake repository).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

OUTSIDE_A_TEST = "outside a test (collection or a session fixture)"


class ReadGuard:
    """Records the files opened under ``root.parent`` but not under ``root``."""

    def __init__(self, root: Path) -> None:
        root = root.resolve()
        self.root = root
        self.test = OUTSIDE_A_TEST
        self.reads: list[tuple[str, str]] = []  # (test, resolved path), in the order opened
        self._inside = str(root) + os.sep
        self._parent = str(root.parent) + os.sep
        # A repository directly in the temporary folder (/tmp/newsroom) has pytest's own
        # temporary folders (/tmp/pytest-of-<user>) beside it: those are the tests' own files.
        temp = os.path.realpath(tempfile.gettempdir()) + os.sep
        self._pytest_temp = temp + "pytest-of-" if temp.startswith(self._parent) else None

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        """The audit hook: the hot path, called for every audit event of the process."""
        if event != "open":
            return
        path = args[0]
        if path.__class__ is not str:
            if isinstance(path, int) or path is None:  # a file descriptor
                return
            try:
                path = os.fsdecode(path)  # bytes or os.PathLike
            except TypeError:
                return
        if path.startswith(self._inside):
            if "/.." not in path:
                return
        elif path.startswith(os.sep) and not path.startswith(self._parent):
            return
        self._check(path)  # outside, a relative path, or one with ".." in it

    def _check(self, path: str) -> None:
        resolved = os.path.realpath(path)  # a relative path against the working directory
        if not resolved.startswith(self._parent) or resolved.startswith(self._inside):
            return
        if self._pytest_temp and resolved.startswith(self._pytest_temp):
            return
        self.reads.append((self.test, resolved))

    def outside_tests(self) -> list[tuple[str, str]]:
        """The reads no test was running for, once each."""
        return list(dict.fromkeys(read for read in self.reads if read[0] == OUTSIDE_A_TEST))


_guard: ReadGuard | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _guard
    if _guard is None:  # audit hooks cannot be removed: install one per process
        _guard = ReadGuard(config.rootpath)
        sys.addaudithook(_guard.audit)


@pytest.fixture(autouse=True)
def _no_reads_outside_the_repository(request: pytest.FixtureRequest) -> Iterator[None]:
    """Error at teardown when the test (or its fixtures) opened a file beside the repository."""
    guard = _guard
    assert guard is not None
    start = len(guard.reads)
    guard.test = request.node.nodeid
    yield
    guard.test = OUTSIDE_A_TEST
    paths = [path for _, path in guard.reads[start:]]
    if paths:
        listed = "\n".join(f"  {path}" for path in dict.fromkeys(paths))
        pytest.fail(
            f"opened files outside the repository ({guard.root}); a fresh clone has none:\n"
            f"{listed}",
            pytrace=False,
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _guard is not None and _guard.outside_tests() and session.exitstatus in (0, 5):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _guard is None or not (reads := _guard.outside_tests()):
        return
    terminalreporter.section("files opened outside the repository", red=True)
    terminalreporter.write_line(f"{OUTSIDE_A_TEST}; a fresh clone of {_guard.root} has none:")
    for _, path in reads:
        terminalreporter.write_line(f"  {path}")
