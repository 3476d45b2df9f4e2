"""Settings for the fuzz tests: how many inputs each target gets, and a reproducible profile.

Each target gets 10,000 generated inputs, except the three whose inputs cost the most: from_html
4,000 (trafilatura), message_links and parse_command 5,000 each (nested Slack events and
command lines, nearly all of it Hypothesis building them). At 10,000 these three alone took
5.3 of the suite's 14.5 minutes on a busy two-core machine (2026-12-03). NEWSROOM_FUZZ_EXAMPLES
sets one number for every target, e.g. `NEWSROOM_FUZZ_EXAMPLES=10000 pytest tests/fuzz` for the
full depth, `NEWSROOM_FUZZ_EXAMPLES=500` for a quick look; `pytest -m "not slow"` skips the fuzz
tests altogether.

Runs are derandomized (the seed is a hash of the test) and use no example database, so CI sees
the same inputs on every run; change a strategy or upgrade Hypothesis and the inputs change.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Cost per input at 10,000 (generation included: Hypothesis builds structured inputs draw by
# draw), measured on a busy two-core machine on 2026-12-03: canonicalize ~2.2 ms,
# find_quantities ~2.4-3.8 ms, parse_command ~6 ms, message_links ~10 ms, from_text ~3.4 ms,
# from_html ~15 ms.
DEFAULT_EXAMPLES = {
    "canonicalize": 10_000,
    "find_quantities": 10_000,
    "parse_command": 5_000,
    "message_links": 5_000,
    "from_text": 10_000,
    "from_html": 4_000,
}
TARGETS = tuple(DEFAULT_EXAMPLES)
_OVERRIDE = os.environ.get("NEWSROOM_FUZZ_EXAMPLES")


def examples(target: str) -> int:
    """How many inputs `target` gets in this run."""
    assert target in TARGETS, target
    return int(_OVERRIDE) if _OVERRIDE else DEFAULT_EXAMPLES[target]


settings.register_profile(
    "newsroom-fuzz",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def fuzz_settings(max_examples: int) -> settings:
    """The fuzz profile with `max_examples` (applied per test; the global profile is untouched)."""
    return settings(settings.get_profile("newsroom-fuzz"), max_examples=max_examples)


MAX_REASON = 200


def check_reason(exc: BaseException) -> None:
    """An error meant for a user: a non-empty single line, short enough to read."""
    reason = str(exc)
    assert reason.strip(), f"{type(exc).__name__} without a reason"
    assert len(reason) < MAX_REASON, f"reason of {len(reason)} characters: {reason[:80]!r}..."
    assert "\n" not in reason and "\r" not in reason, f"multi-line reason: {reason!r}"
