"""The guard of tests/read_guard.py fails a run that opens files beside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

TESTS = """
import os
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / "shared"


def test_reads_inside_the_repository():
    assert Path("pyproject.toml").read_text()
    assert (Path(__file__).parent / "sub" / ".." / "pyproject.toml").read_text()


def test_reads_beside_it():
    assert (SHARED / "README.md").read_text()


def test_reads_beside_it_by_a_relative_path():
    os.close(os.open("../shared/README.md", os.O_RDONLY))
"""
COLLECTED = """
from pathlib import Path

NOTES = (Path(__file__).resolve().parents[1] / "shared" / "notes.txt").read_text()


def test_nothing():
    pass
"""


def _run_guarded(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.read_guard", "-p", "no:cacheprovider"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_reads_beside_the_repository_fail_the_run(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "README.md").write_text("beside the repository\n")
    (shared / "notes.txt").write_text("read at collection\n")
    repo = tmp_path / "newsroom"
    (repo / "sub").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    (repo / "test_reads.py").write_text(textwrap.dedent(TESTS))
    (repo / "test_collected.py").write_text(textwrap.dedent(COLLECTED))

    result = _run_guarded(repo)

    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "4 passed, 2 errors" in out  # the two that read beside it error at teardown
    assert "ERROR test_reads.py::test_reads_beside_it - Failed: opened files outside" in out
    assert "ERROR test_reads.py::test_reads_beside_it_by_a_relative_path" in out
    assert out.count(str(shared / "README.md")) >= 2
    assert "files opened outside the repository" in out
    assert str(shared / "notes.txt") in out


def test_a_clean_run_passes(tmp_path: Path) -> None:
    repo = tmp_path / "newsroom"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    (repo / "test_clean.py").write_text(
        "def test_clean():\n    assert open('pyproject.toml').read()\n"
    )

    result = _run_guarded(repo)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "files opened outside" not in result.stdout
