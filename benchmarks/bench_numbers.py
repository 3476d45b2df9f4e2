"""Speed of ``find_quantities`` on the seed sentences, against an earlier revision in the same run.

The baseline is ``bot/core/numbers.py`` (or the ``bot/core/numbers/`` package) as it stood at
``--baseline`` (a git revision, default the merge base with main), loaded from ``git show``
into a throwaway package; both read the same sentences in alternating rounds, and the best
round of each is reported. The project needs claim extraction at >= 2,000 sentences/s.

    python benchmarks/bench_numbers.py [--baseline REV] [--rounds 7] [--repeat 20]
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _bench_common import machine, table, verdict

from bot.core.numbers import find_quantities
from bot.core.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
TARGET = 2000.0  # sentences per second


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def load_baseline(rev: str, into: Path) -> Callable[..., Any]:
    """``find_quantities`` as it stood at `rev`, imported from a copy under `into`."""
    package = into / "numbers_baseline"
    package.mkdir()
    files = _git("ls-tree", "-r", "--name-only", rev, "bot/core/").split()
    if "bot/core/numbers.py" in files:
        text = _git("show", f"{rev}:bot/core/numbers.py")
        (package / "__init__.py").write_text(text)
    else:
        for name in files:
            if name.startswith("bot/core/numbers/") and name.endswith(".py"):
                text = _git("show", f"{rev}:{name}").replace("bot.core.numbers", "numbers_baseline")
                (package / Path(name).name).write_text(text)
    sys.path.insert(0, str(into))
    module = importlib.import_module("numbers_baseline")
    return module.find_quantities  # type: ignore[no-any-return]


def seed_sentences() -> list[str]:
    return [
        s.text
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for s in split_sentences(path.read_text())
    ]


def rate(fn: Callable[..., Any], sentences: list[str], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        for sentence in sentences:
            fn(sentence)
    return len(sentences) * repeat / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rev = args.baseline or _git("merge-base", "HEAD", "main").strip()
    sentences = seed_sentences()
    with tempfile.TemporaryDirectory() as tmp:
        baseline = load_baseline(rev, Path(tmp))
        best = {"baseline": 0.0, "current": 0.0}
        for _ in range(args.rounds):
            best["baseline"] = max(best["baseline"], rate(baseline, sentences, args.repeat))
            best["current"] = max(best["current"], rate(find_quantities, sentences, args.repeat))
        found_before = sum(len(baseline(s)) for s in sentences)
    found_now = sum(len(find_quantities(s)) for s in sentences)
    print(machine())
    print(f"{len(sentences)} seed sentences, best of {args.rounds} rounds of {args.repeat} passes")
    print(
        table(
            ["find_quantities", "sentences/s", "quantities found"],
            [
                [f"baseline {rev[:10]}", best["baseline"], found_before],
                ["this tree", best["current"], found_now],
            ],
        )
    )
    print(f"target >= {TARGET:,.0f} sentences/s: {verdict(best['current'] >= TARGET)}")


if __name__ == "__main__":
    main()
