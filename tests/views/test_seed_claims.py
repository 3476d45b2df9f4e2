"""The seeds' claims as `newsroom claims 1` prints them and `/newsroom claims 1` answers, each
seed ingested with its outlet and address (as in test_seed_digest): the digest's words."""

from __future__ import annotations

import re

import pytest

from bot.services.claims import ClaimGroup, ClaimService
from bot.views.replies import claims_message
from bot.views.terminal import claims_lines
from bot.views.words import shown_text
from tests.views.test_digest import assert_within_slack_limits, texts_of
from tests.views.test_seed_digest import SOURCES

# The labels' snake_case names, bracketed tags and scores: never in a reader's view.
_INTERNAL = re.compile(
    r"\b(?:different_period|different_scope|same_story|near_duplicate)\b"
    r"|\[(?:conflict|agree|update|single source)\]|\b0\.\d\d\b"
)


@pytest.fixture
def seed_groups(engine, ingest_service, seed_texts) -> list[ClaimGroup]:
    for name, text in seed_texts.items():
        outlet, url = SOURCES[name[:3]]
        ingest_service.ingest_text(text, url=url, outlet=outlet, external_id=name)
    return ClaimService(engine).story_groups(1)


def _slack_lines(groups: list[ClaimGroup]) -> list[str]:
    message = claims_message(1, groups)
    assert_within_slack_limits(message)
    return [line for b in message.blocks for t in texts_of(b) for line in shown_text(t).split("\n")]


@pytest.mark.parametrize("view", ["terminal", "slack"])
def test_the_seeds_claims_read_like_the_digest(seed_groups, view):
    lines = claims_lines(seed_groups, 1) if view == "terminal" else _slack_lines(seed_groups)
    text = "\n".join(lines)
    assert not _INTERNAL.search(text), _INTERNAL.search(text)
    assert max(len(line) for line in lines) <= 200
    # The conflict by outlet, before anything else.
    conflict = next(
        i for i, line in enumerate(lines) if "vs 11 (Vietnam News, The Northlines)" in line
    )
    assert "12 (NPR)" in lines[conflict] and "at least a dozen" in lines[conflict]
    assert not any("different years" in line for line in lines[:conflict])
    # Each period difference on one line, both years and both outlets on it.
    periods = [line for line in lines if line.endswith("different years")]
    assert len(periods) == 3
    for line in periods:
        assert re.search(
            r" in 2023 \(NPR\) vs .* in 2022 \(Vietnam News\) — different years$", line
        )
    assert any("trade between Russia and Vietnam: $3.6 billion in 2023" in p for p in periods)
    # The measures, each named.
    assert any(
        "around 80% of Vietnam's arms imports (NPR) vs about 60 percent to 70 percent of "
        "Vietnam’s defense arsenal (The New York Times) — different measures" in line
        for line in lines
    )
    # No source known by its file name: each seed has an outlet or a host.
    assert ".txt" not in text
    assert "unnamed.example" not in text or "(unnamed.example" in text
    # A figure with the words it counts, as written; a bare one with its sentence.
    assert any("six Kilo-class submarines (The New York Times)" in line for line in lines)
    assert not any(line.rstrip().endswith("(count)") for line in lines)
