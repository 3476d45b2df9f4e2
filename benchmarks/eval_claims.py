"""Dev evaluation of claim extraction and conflict labels on FNC-1 train bodies.

    python benchmarks/eval_claims.py [--n 400] [--sample 30] [--seed 7] [--baseline REV]

Measures, on ../shared/eval/fnc1-train bodies:
  (a) recall: a copy of a body with one figure changed must yield a `conflict` for that figure,
      for each kind of edit: digits, a year, a number word, a qualified figure ("more than 50"
      to "more than 40"), a month;
  (b) false alarms: an identical copy, a copy with one sentence reworded, and the seeds' 002
      (a rewrite of 000 written by its outlet, not for this benchmark) must yield none;
  (c) conflicts reported between real pairs of same-story bodies (bodies linked to one headline
      with a related stance), a sample printed for reading by hand;
and the speed of claim extraction in sentences per second. `--baseline REV` runs the same
measures on the code of another revision (a temporary git worktree) and prints both.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# --code DIR measures another checkout's code with this file's edits (see --baseline).
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

from bot.core.claims import Claim, extract_claims  # noqa: E402
from bot.core.sentences import split_sentences  # noqa: E402

try:
    from bot.core.alignment import align
except ImportError:  # code from before the alignment module
    from bot.core.claims import align  # type: ignore[no-redef]

EVAL = ROOT.parent / "shared" / "eval" / "fnc1-train"
SEEDS = ROOT / "seeds"
ALARMS = {"conflict", "update"}
CHANGEABLE = {"count", "money", "percent", "distance", "weight", "duration", "age"}
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")

# Rewordings that keep every figure: function-word synonyms and clause moves.
_SYNONYMS = [
    (r"\bsaid\b", "stated"),
    (r"\bmore than\b", "over"),
    (r"\babout\b", "around"),
    (r"\bpeople\b", "individuals"),
    (r"\bbut\b", "however"),
    (r"\breported\b", "said"),
    (r"\bshowed\b", "revealed"),
    (r"\bbig\b", "large"),
]


def load_bodies() -> dict[str, str]:
    with open(EVAL / "train_bodies.csv", encoding="utf-8") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


def same_story_pairs(bodies: dict[str, str]) -> list[tuple[str, str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    with open(EVAL / "train_stances.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Stance"] != "unrelated":
                groups[row["Headline"]].add(row["Body ID"])
    pairs = set()
    for ids in groups.values():
        ordered = sorted(ids, key=int)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                pairs.add((a, b))
    return sorted(pairs)


def changed_value(digits: str, rng: random.Random) -> str:
    """A different figure, clearly incompatible (at least 20% and 2 units away)."""
    value = float(digits.replace(",", ""))
    factor = rng.choice([0.5, 0.6, 1.5, 2.0, 3.0])
    new = value * factor
    if abs(new - value) < 2:
        new = value + rng.choice([2, 3, 5])
    if "." in digits:
        return f"{new:.{len(digits.split('.')[1])}f}"
    text = str(round(new))
    return f"{int(text):,}" if "," in digits else text


def with_one_figure_changed(
    text: str, claims: list[Claim], rng: random.Random
) -> tuple[str, Claim, str] | None:
    """The text with one figure changed in place, the claim changed and its new surface."""
    candidates = [
        c
        for c in claims
        if c.kind in CHANGEABLE
        and c.low == c.high  # an exact figure: a changed bound may still be compatible
        and _DIGITS.search(c.surface)
        and c.sentence in text
    ]
    if not candidates:
        return None
    claim = rng.choice(candidates)
    digits = _DIGITS.search(claim.surface)
    assert digits is not None
    new_surface = (
        claim.surface[: digits.start()]
        + changed_value(digits.group(), rng)
        + claim.surface[digits.end() :]
    )
    new_sentence = claim.sentence.replace(claim.surface, new_surface, 1)
    return text.replace(claim.sentence, new_sentence, 1), claim, new_surface


_NUMBER_WORDS = "two three four five six seven eight nine ten eleven twelve".split()
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_QUALIFIED_RE = re.compile(
    r"\b(more than|at least|nearly|almost|about|around|up to|over|less than) (\d[\d,]*)\b"
)
_YEAR_RE = re.compile(r"\b(?:in|since|by|from) ((?:19|20)\d\d)\b")
_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r") (?=[a-z])")
_MONTH_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b(?= \d)")


def planted_edits(text: str, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(kind, new text, old value, new value): one figure changed in place, for each kind of
    edit the text allows (digits are `with_one_figure_changed`)."""
    edits = []
    for kind, pattern in (("year", _YEAR_RE), ("number word", _WORD_RE)):
        found = list(pattern.finditer(text))
        if found:
            m = rng.choice(found)
            old = m.group(1)
            if kind == "year":
                new = str(int(old) + rng.choice([-3, -2, -1, 1, 2]))
            else:
                new = rng.choice(
                    [
                        w
                        for w in _NUMBER_WORDS
                        if abs(_NUMBER_WORDS.index(w) - _NUMBER_WORDS.index(old)) >= 2
                    ]
                )
            edits.append((kind, text[: m.start(1)] + new + text[m.end(1) :], old, new))
    found = list(_QUALIFIED_RE.finditer(text))
    if found:
        m = rng.choice(found)
        value = int(m.group(2).replace(",", ""))
        if value >= 5:
            new_value = str(round(value * rng.choice([0.5, 0.7, 1.4, 2.0])))
            old, new = m.group(0), f"{m.group(1)} {new_value}"
            edits.append(("qualified", text[: m.start()] + new + text[m.end() :], old, new))
    found = list(_MONTH_RE.finditer(text))
    if found:
        m = rng.choice(found)
        old = m.group(1)
        new = _MONTHS[(_MONTHS.index(old) + rng.choice([1, 2, -1])) % 12]
        edits.append(("month", text[: m.start(1)] + new + text[m.end(1) :], old, new))
    return edits


def reworded(text: str, rng: random.Random) -> str | None:
    """The text with one sentence carrying a figure reworded, every figure kept."""
    sentences = [s.text for s in split_sentences(text) if _DIGITS.search(s.text)]
    rng.shuffle(sentences)
    for sentence in sentences:
        new = sentence
        for pattern, replacement in _SYNONYMS:
            new = re.sub(pattern, replacement, new, count=1)
        if new == sentence and ", " in sentence:
            head, tail = sentence.rstrip(".").split(", ", 1)
            new = f"{tail[:1].upper()}{tail[1:]}, {head[:1].lower()}{head[1:]}."
        if new != sentence:
            return text.replace(sentence, new, 1)
    return None


def _has(surface: str, value: str) -> bool:
    """Whether a claim's surface is the planted value (or holds it, or is held by it)."""
    surface, value = surface.lower(), value.lower()
    return value in surface or surface in value


def run_baseline(rev: str, argv: list[str]) -> None:
    """This script's measures on the code of `rev`, checked out in a temporary worktree."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), rev],
            check=True,
        )
        try:
            print(f"\n--- baseline: the code of {rev} ---")
            subprocess.run([sys.executable, __file__, *argv, "--code", str(tree)], check=True)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400, help="bodies for (a) and (b)")
    parser.add_argument("--sample", type=int, default=30, help="real conflicts to print")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet", action="store_true", help="do not print the sample")
    parser.add_argument("--baseline", metavar="REV", help="also measure the code of REV")
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        argv = [a for a in sys.argv[1:] if a not in ("--baseline", args.baseline)]
        print(f"--- this checkout ({CODE}) ---")
        main_measures(args)
        run_baseline(args.baseline, argv)
        return
    main_measures(args)


def main_measures(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    bodies = load_bodies()

    # Speed of extraction over every body.
    started = time.perf_counter()
    all_claims = {bid: extract_claims(text) for bid, text in bodies.items()}
    elapsed = time.perf_counter() - started
    n_sentences = sum(len(split_sentences(t)) for t in bodies.values())

    ids = sorted(bodies, key=int)
    rng.shuffle(ids)
    tried: Counter[str] = Counter()
    found: Counter[str] = Counter()
    identical_alarms = reworded_alarms = reworded_n = 0
    misses: list[tuple[str, str, str]] = []
    for bid in ids[: args.n]:
        text, claims = bodies[bid], all_claims[bid]
        if any(p.label in ALARMS for p in align(claims, claims)):
            identical_alarms += 1
        other = reworded(text, rng)
        if other is not None:
            reworded_n += 1
            if any(p.label in ALARMS for p in align(claims, extract_claims(other))):
                reworded_alarms += 1
        edits = []
        changed = with_one_figure_changed(text, claims, rng)
        if changed is not None:
            edits.append(("digits", changed[0], changed[1].surface, changed[2]))
        edits += planted_edits(text, rng)
        for kind, new_text, old, new in edits:
            tried[kind] += 1
            pairs = align(claims, extract_claims(new_text))
            if any(
                p.label == "conflict"
                and (
                    (_has(p.a.surface, old) and _has(p.b.surface, new))
                    # a changed year that dates a figure: the figure's conflict, on that sentence
                    or (kind == "year" and old in p.a.sentence and new in p.b.sentence)
                )
                for p in pairs
            ):
                found[kind] += 1
            else:
                misses.append((kind, old, new))
    seeds = {p.name[:3]: p.read_text() for p in SEEDS.glob("0*.txt")}
    rewrite_alarms = sum(
        p.label in ALARMS for p in align(extract_claims(seeds["000"]), extract_claims(seeds["002"]))
    )

    # Comparing two articles of 600-1,000 words: extraction of both and alignment.
    long = [t for t in bodies.values() if 600 <= len(t.split()) <= 1000]
    # Wall time, and this process's CPU time: on a shared machine other processes stretch the
    # first, hardly the second.
    # The alignment alone is timed too: at ingest an article's claims are extracted once and
    # then aligned with each earlier article of its story.
    timings, cpu, align_cpu = [], [], []
    for _ in range(200):
        first, second = rng.sample(long, 2)
        started, started_cpu = time.perf_counter(), time.process_time()
        claims_first, claims_second = extract_claims(first), extract_claims(second)
        extracted_cpu = time.process_time()
        align(claims_first, claims_second)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        align_cpu.append(time.process_time() - extracted_cpu)
    for measured in (timings, cpu, align_cpu):
        measured.sort()
    p95_ms = 1000 * timings[int(0.95 * len(timings))]
    p95_cpu_ms = 1000 * cpu[int(0.95 * len(cpu))]
    p95_align_ms = 1000 * align_cpu[int(0.95 * len(align_cpu))]

    real_pairs = same_story_pairs(bodies)
    conflicts = []
    for a, b in real_pairs:
        for pair in align(all_claims[a], all_claims[b]):
            if pair.label == "conflict":
                conflicts.append((a, b, pair))

    total_found, total_tried = sum(found.values()), sum(tried.values())
    rows = [
        ("claim extraction", f"{n_sentences / elapsed:,.0f} sentences/s", f"{n_sentences} sent."),
        ("comparing two 600-1,000-word articles, p95", f"{p95_ms:.1f} ms", "200 pairs"),
        ("    the same, CPU time of this process, p95", f"{p95_cpu_ms:.1f} ms", "200 pairs"),
        ("    of which aligning the claims, CPU p95", f"{p95_align_ms:.1f} ms", "200 pairs"),
        (
            "(a) one figure changed: recall",
            f"{total_found / max(total_tried, 1):.3f}",
            f"{total_found}/{total_tried}",
        ),
        *(
            (
                f"    {kind}",
                f"{found[kind] / max(tried[kind], 1):.3f}",
                f"{found[kind]}/{tried[kind]}",
            )
            for kind in ("digits", "year", "number word", "qualified", "month")
        ),
        ("(b) identical copies: false alarms", f"{identical_alarms / args.n:.3f}", f"of {args.n}"),
        (
            "(b) one sentence reworded: false alarms",
            f"{reworded_alarms / max(reworded_n, 1):.3f}",
            f"{reworded_alarms}/{reworded_n}",
        ),
        ("(b) seeds' 002, a rewrite of 000: alarms", f"{rewrite_alarms}", "pairs"),
        ("(c) real same-story pairs", f"{len(real_pairs)}", "body pairs"),
        ("(c) conflicts reported on them", f"{len(conflicts)}", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>22}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>22}  {note}")
    if misses and not args.quiet:
        print("\nSome misses of (a):")
        for kind, old, new in misses[:12]:
            print(f"  {kind}: {old!r} -> {new!r}")
    if conflicts and not args.quiet:
        print(f"\nA sample of {args.sample} conflicts on real same-story pairs, to read by hand:")
        for n, (a, b, pair) in enumerate(rng.sample(conflicts, min(args.sample, len(conflicts)))):
            values = f"{pair.a.surface} vs {pair.b.surface}"
            print(f"\n[{n + 1}] bodies {a} / {b}: {pair.quantity}: {values}")
            print(f"    A: {pair.a.sentence[:300]}")
            print(f"    B: {pair.b.sentence[:300]}")


if __name__ == "__main__":
    main()
