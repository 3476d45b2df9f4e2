"""Dev evaluation of claim extraction and conflict labels on FNC-1 train bodies.

    python benchmarks/eval_claims.py [--n 400] [--sample 30] [--seed 7]

Measures, on ../shared/eval/fnc1-train bodies:
  (a) recall: a copy of a body with one figure changed must yield a `conflict` for that figure;
  (b) false alarms: an identical copy, and a copy with one sentence reworded, must yield none;
  (c) conflicts reported between real pairs of same-story bodies (bodies linked to one headline
      with a related stance), a sample printed for reading by hand;
and the speed of claim extraction in sentences per second.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.claims import Claim, align, extract_claims  # noqa: E402
from bot.core.sentences import split_sentences  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "fnc1-train"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400, help="bodies for (a) and (b)")
    parser.add_argument("--sample", type=int, default=30, help="real conflicts to print")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet", action="store_true", help="do not print the sample")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bodies = load_bodies()

    # Speed of extraction over every body.
    started = time.perf_counter()
    all_claims = {bid: extract_claims(text) for bid, text in bodies.items()}
    elapsed = time.perf_counter() - started
    n_sentences = sum(len(split_sentences(t)) for t in bodies.values())

    ids = sorted(bodies, key=int)
    rng.shuffle(ids)
    tried = found = 0
    identical_alarms = reworded_alarms = reworded_n = 0
    misses: list[tuple[Claim, str]] = []
    for bid in ids[: args.n]:
        text, claims = bodies[bid], all_claims[bid]
        if any(p.label in ALARMS for p in align(claims, claims)):
            identical_alarms += 1
        other = reworded(text, rng)
        if other is not None:
            reworded_n += 1
            if any(p.label in ALARMS for p in align(claims, extract_claims(other))):
                reworded_alarms += 1
        changed = with_one_figure_changed(text, claims, rng)
        if changed is None:
            continue
        new_text, claim, new_surface = changed
        tried += 1
        pairs = align(claims, extract_claims(new_text))
        if any(
            p.label == "conflict" and p.a.surface == claim.surface and p.b.surface == new_surface
            for p in pairs
        ):
            found += 1
        else:
            misses.append((claim, new_surface))

    real_pairs = same_story_pairs(bodies)
    conflicts = []
    for a, b in real_pairs:
        for pair in align(all_claims[a], all_claims[b]):
            if pair.label == "conflict":
                conflicts.append((a, b, pair))

    rows = [
        ("claim extraction", f"{n_sentences / elapsed:,.0f} sentences/s", f"{n_sentences} sent."),
        ("(a) one figure changed: recall", f"{found / max(tried, 1):.3f}", f"{found}/{tried}"),
        ("(b) identical copies: false alarms", f"{identical_alarms / args.n:.3f}", f"of {args.n}"),
        (
            "(b) one sentence reworded: false alarms",
            f"{reworded_alarms / max(reworded_n, 1):.3f}",
            f"{reworded_alarms}/{reworded_n}",
        ),
        ("(c) real same-story pairs", f"{len(real_pairs)}", "body pairs"),
        ("(c) conflicts reported on them", f"{len(conflicts)}", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>22}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>22}  {note}")
    if misses and not args.quiet:
        print("\nSome misses of (a):")
        for claim, new in misses[:8]:
            print(f"  {claim.surface!r} -> {new!r}: {claim.sentence[:140]}")
    if conflicts and not args.quiet:
        print(f"\nA sample of {args.sample} conflicts on real same-story pairs, to read by hand:")
        for n, (a, b, pair) in enumerate(rng.sample(conflicts, min(args.sample, len(conflicts)))):
            values = f"{pair.a.surface} vs {pair.b.surface}"
            print(f"\n[{n + 1}] bodies {a} / {b}: {pair.quantity}: {values}")
            print(f"    A: {pair.a.sentence[:300]}")
            print(f"    B: {pair.b.sentence[:300]}")


if __name__ == "__main__":
    main()
