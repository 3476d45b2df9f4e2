"""Settings for the fuzz tests: how many inputs each target gets, and a reproducible profile.

Every target gets 10,000 generated inputs (about 3.5 minutes for the directory on two cores,
well within CI's budget). NEWSROOM_FUZZ_EXAMPLES sets another number for every target, e.g.
`NEWSROOM_FUZZ_EXAMPLES=500 pytest tests/fuzz` for a quick look; `pytest -m "not slow"` skips
the fuzz tests altogether.

Runs are derandomized (the seed is a hash of the test) and use no example database, so CI sees
the same inputs on every run; change a strategy or upgrade Hypothesis and the inputs change.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES = int(os.environ.get("NEWSROOM_FUZZ_EXAMPLES", "10000"))

# Cost per input at 10,000 (generation included: Hypothesis builds structured inputs draw by
# draw): canonicalize ~1.3 ms, find_quantities ~1.5 ms, parse_command ~2.3 ms, message_links
# ~3.3 ms (nested Slack events), from_text ~1.8 ms, from_html ~10 ms (trafilatura).
TARGETS = (
    "canonicalize",
    "find_quantities",
    "parse_command",
    "message_links",
    "from_text",
    "from_html",
)


def examples(target: str) -> int:
    """How many inputs `target` gets in this run."""
    assert target in TARGETS, target
    return FUZZ_EXAMPLES


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
