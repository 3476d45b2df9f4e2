"""Digest selection: the window, the ranking, copies, conflicts grouped by quantity, flags."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime, timedelta

from bot.core import digest as digest_module
from bot.core.digest import (
    ArticleRecord,
    ClaimRecord,
    Digest,
    FlagRecord,
    PairRecord,
    StoryRecord,
    first_new_claims,
    select_digest,
)

SINCE = datetime(2024, 6, 20, tzinfo=UTC)
UNTIL = SINCE + timedelta(days=1)


def at(hours: float) -> datetime:
    """A time ``hours`` after the start of the window (negative: before it)."""
    return SINCE + timedelta(hours=hours)


def seed_inputs() -> dict[str, list]:
    """The five seed articles on Putin's visit to Hanoi, with the claim pairs of gold.json."""
    story = StoryRecord(1, "Putin signs deals in Vietnam", at(1), at(5), 5, 4)
    names = [
        ("NPR", "https://www.npr.org/2024/06/20/putin-vietnam", "same_story", None),
        ("Vietnam News", "https://vietnamnews.vn/politics/putin-visit", "same_story", None),
        (None, "https://unnamed.example/putin-hanoi", "near_duplicate", 100),
        ("The Northlines", "https://thenorthlines.com/putin-asean", "same_story", None),
        ("The New York Times", "https://www.nytimes.com/2024/06/20/why-putin", "same_story", None),
    ]
    articles = [
        ArticleRecord(
            100 + i,
            1,
            f"Article {i:03d} on Putin in Hanoi",
            outlet,
            url,
            "new_story" if i == 0 else relation,
            matched,
            at(1 + i),
        )
        for i, (outlet, url, relation, matched) in enumerate(names)
    ]

    def claim(
        cid: int, article: int, surface: str, quantity: str, *, new: bool = True, kind: str = ""
    ) -> ClaimRecord:
        kind = kind or ("percent" if "%" in surface or "percent" in surface else "count")
        return ClaimRecord(
            cid,
            1,
            100 + article,
            kind,
            surface,
            quantity,
            new,
            at(1 + article),
        )

    claims = [
        claim(1, 0, "12", "agreements signed"),
        claim(2, 0, "at least a dozen", "deals"),
        claim(3, 1, "11", "memorandums for cooperation", new=False),
        claim(4, 3, "11", "cooperation agreements", new=False),
        claim(5, 0, "$3.6 billion", "bilateral trade", kind="money"),
        claim(6, 1, "$3.5bn", "trade", new=False, kind="money"),
        claim(7, 0, "$171 billion", "trade with China", kind="money"),
        claim(8, 1, "$175bn", "trade with China", new=False, kind="money"),
        claim(9, 0, "$111 billion", "trade with America", kind="money"),
        claim(10, 1, "$123bn", "trade with the US", new=False, kind="money"),
        claim(11, 0, "around 80%", "share of Vietnam's arms imports"),
        claim(12, 4, "about 60 percent to 70 percent", "share of Vietnam’s defense arsenal"),
        claim(13, 0, "1950", "year", kind="year"),
        claim(14, 4, "1950", "year", new=False, kind="year"),
        claim(15, 4, "six", "Kilo-class submarines"),
        claim(16, 4, "fifth", "visit"),
    ]

    def pair(pid: int, a: int, b: int, label: str, article: int) -> PairRecord:
        return PairRecord(pid, 1, a, b, label, at(1 + article))

    pairs = [
        pair(1, 1, 3, "conflict", 1),
        pair(2, 5, 6, "different_period", 1),
        pair(3, 7, 8, "different_period", 1),
        pair(4, 9, 10, "different_period", 1),
        pair(5, 2, 4, "conflict", 3),
        pair(6, 3, 4, "agree", 3),
        pair(7, 11, 12, "different_scope", 4),
        pair(8, 13, 14, "agree", 4),
    ]
    return {"stories": [story], "articles": articles, "claims": claims, "pairs": pairs}


def run(
    inputs: dict[str, list],
    *,
    since: datetime = SINCE,
    until: datetime = UNTIL,
    max_new_claims: int = 10,
) -> Digest:
    """select_digest over ``inputs`` (missing kinds of rows are empty)."""
    full: dict[str, list] = {"stories": [], "articles": [], "claims": [], "pairs": [], "flags": []}
    full.update(inputs)
    return select_digest(**full, since=since, until=until, max_new_claims=max_new_claims)


def story(sid: int, sources: int = 1) -> StoryRecord:
    return StoryRecord(sid, f"Story {sid}", at(-48), at(-1), sources, sources)


def article(
    aid: int, sid: int, when: datetime, relation: str = "same_story", **kw
) -> ArticleRecord:
    return ArticleRecord(
        aid,
        sid,
        f"Title {aid}",
        kw.get("outlet", f"Outlet {aid}"),
        kw.get("url"),
        relation,
        kw.get("matched"),
        when,
    )


# --- the seeds ----------------------------------------------------------------------------


def test_seed_story_has_four_sources_and_names_the_copy():
    d = run(seed_inputs())
    assert [s.id for s in d.stories] == [1]
    s = d.stories[0]
    assert (s.article_count, s.source_count) == (5, 4)
    assert [a.outlet for a in s.new_sources] == [
        "NPR",
        "Vietnam News",
        "The Northlines",
        "The New York Times",
    ]
    assert len(s.copies) == 1
    copy = s.copies[0]
    assert copy.article.id == 102 and copy.article.name == "unnamed.example"
    assert copy.original is not None and copy.original.id == 100 and copy.original.name == "NPR"
    assert s.url == "https://www.npr.org/2024/06/20/putin-vietnam"


def test_seed_agreements_are_one_conflict():
    s = run(seed_inputs()).stories[0]
    assert len(s.conflicts) == 1
    entry = s.conflicts[0]
    assert entry.quantity == "memorandums for cooperation"  # the longest name in the group
    assert {(side.surface, side.article.outlet) for side in entry.sides} == {
        ("12", "NPR"),
        ("at least a dozen", "NPR"),
        ("11", "Vietnam News"),
        ("11", "The Northlines"),
    }
    positions = [(p.value, [a.outlet for a in p.sources]) for p in entry.positions()]
    assert positions == [
        ("12 / at least a dozen", ["NPR"]),
        ("11", ["Vietnam News", "The Northlines"]),
    ]
    assert s.updates == ()


def test_seed_periods_and_measures_are_folded_not_conflicts():
    s = run(seed_inputs()).stories[0]
    lines = [e.line() for e in s.other_pairs]
    assert "bilateral trade: $3.6 billion vs $3.5bn — different periods" in lines
    assert "trade with China: $171 billion vs $175bn — different periods" in lines
    assert (
        "share of Vietnam's arms imports / share of Vietnam’s defense arsenal: "
        "around 80% vs about 60 percent to 70 percent — different measures"
    ) in lines
    assert len(lines) == 4  # three trade figures and the arms share; agreeing years not shown
    assert all("1950" not in line for line in lines)


def test_seed_new_claims_exclude_those_an_earlier_article_made():
    s = run(seed_inputs()).stories[0]
    surfaces = [c.surface for c in s.new_claims]
    assert "six" in surfaces and "fifth" in surfaces
    assert "11" not in surfaces and "$3.5bn" not in surfaces
    assert s.more_claims == 0
    limited = run(seed_inputs(), max_new_claims=3).stories[0]
    assert len(limited.new_claims) == 3
    assert limited.more_claims == len(surfaces) - 3


def test_seed_items_name_what_the_digest_shows():
    items = set(run(seed_inputs()).items())
    assert ("story", 1) in items
    assert {i for kind, i in items if kind == "article"} == {100, 101, 102, 103, 104}
    assert {i for kind, i in items if kind == "pair"} == {1, 2, 3, 4, 5, 7}  # not the agreeing
    assert ("claim", 15) in items and ("claim", 3) not in items


def test_seed_digest_is_json():
    data = run(seed_inputs()).to_json()
    text = json.dumps(data)
    assert data["since"] == SINCE.isoformat()
    assert data["conflict_count"] == 1 and data["empty"] is False
    conflict = data["stories"][0]["conflicts"][0]
    assert conflict["positions"][0]["value"] == "12 / at least a dozen"
    assert "different measures" in text


# --- the window ---------------------------------------------------------------------------


def test_first_new_claims_lists_figures_before_quotes_in_order_and_counts_the_rest():
    keys = [
        (1, 7, True, at(1)),  # a quote, first of all
        (2, 7, False, at(4)),
        (3, 7, False, at(2)),
        (4, 7, True, at(3)),
        (5, 7, False, at(2)),  # same time as 3: the lower id first
        (6, 8, True, at(9)),
    ]
    listed, stats = first_new_claims(keys, per_story=3)
    assert listed == [3, 5, 2, 6]  # story 7: figures 3, 5, 2 (quotes left out); story 8: 6
    assert stats == {7: (5, at(4)), 8: (1, at(9))}
    listed, _ = first_new_claims(keys, per_story=5)
    assert listed[:5] == [3, 5, 2, 1, 4]
    assert first_new_claims([], per_story=10) == ([], {})


def test_first_new_claims_agrees_with_the_selection():
    """What the database layer pre-selects is what select_digest would list from all claims."""
    inputs = seed_inputs()
    new = [c for c in inputs["claims"] if c.is_new and SINCE < c.first_seen <= UNTIL]
    listed, stats = first_new_claims(
        [(c.id, c.story_id, c.kind == "quote", c.first_seen) for c in new], per_story=3
    )
    full = run(inputs, max_new_claims=3)
    kept = dict(inputs, claims=[c for c in inputs["claims"] if c.id in set(listed)], flags=[])
    part = select_digest(**kept, since=SINCE, until=UNTIL, max_new_claims=3, new_claim_stats=stats)
    assert [c.id for c in part.stories[0].new_claims] == listed
    assert part.stories[0].new_claims == full.stories[0].new_claims
    assert part.stories[0].more_claims == full.stories[0].more_claims > 0


def test_window_excludes_since_and_includes_until():
    inputs = {
        "stories": [story(1), story(2), story(3)],
        "articles": [
            article(1, 1, SINCE),  # at since: outside
            article(2, 2, UNTIL),  # at until: inside
            article(3, 3, UNTIL + timedelta(seconds=1)),  # after: outside
        ],
    }
    d = run(inputs)
    assert [s.id for s in d.stories] == [2]
    assert d.stories[0].last_activity == UNTIL


def test_rows_before_the_window_are_context_only():
    old_conflict = PairRecord(1, 1, 1, 2, "conflict", at(-5))
    claims = [
        ClaimRecord(1, 1, 1, "count", "10", "deaths", True, at(-6)),
        ClaimRecord(2, 1, 2, "count", "12", "deaths", False, at(-5)),
    ]
    inputs = {
        "stories": [story(1)],
        "articles": [article(1, 1, at(-6)), article(2, 1, at(-5))],
        "claims": claims,
        "pairs": [old_conflict],
        "flags": [FlagRecord(1, 1, 1, "U1", at(-1))],
    }
    assert run(inputs).empty


def test_a_new_pair_brings_the_whole_dispute_of_its_quantity():
    claims = [
        ClaimRecord(1, 1, 1, "count", "10", "deaths", True, at(-6)),
        ClaimRecord(2, 1, 2, "count", "12", "people killed", False, at(-5)),
        ClaimRecord(3, 1, 3, "count", "14", "deaths", False, at(2)),
    ]
    pairs = [
        PairRecord(1, 1, 1, 2, "conflict", at(-5)),
        PairRecord(2, 1, 2, 3, "conflict", at(2)),
        PairRecord(3, 1, 1, 3, "update", at(2)),
    ]
    inputs = {
        "stories": [story(1)],
        "articles": [article(1, 1, at(-6)), article(2, 1, at(-5)), article(3, 1, at(2))],
        "claims": claims,
        "pairs": pairs,
    }
    s = run(inputs).stories[0]
    assert len(s.conflicts) == 1
    assert s.conflicts[0].quantity == "people killed"
    assert [side.surface for side in s.conflicts[0].sides] == ["10", "12", "14"]
    assert [[side.surface for side in e.sides] for e in s.updates] == [["10", "14"]]


def test_duplicates_are_not_listed_and_select_nothing():
    inputs = {
        "stories": [story(1), story(2)],
        "articles": [article(1, 1, at(-30)), article(2, 1, at(3), "duplicate", matched=1)],
    }
    assert run(inputs).empty


def test_copies_name_their_original_and_are_not_sources():
    inputs = {
        "stories": [story(1)],
        "articles": [
            article(1, 1, at(-30), "new_story", outlet="AP", url="https://apnews.com/a"),
            article(2, 1, at(3), "near_duplicate", matched=1, outlet=None, url=None),
            article(3, 1, at(4), "near_duplicate", matched=99, outlet="Mirror"),
        ],
    }
    s = run(inputs).stories[0]
    assert s.new_sources == ()
    assert [(c.article.id, c.original.name if c.original else None) for c in s.copies] == [
        (2, "AP"),
        (3, "article 99"),  # the original is not among the inputs
    ]
    assert s.copies[0].article.name == "Title 2"
    assert s.url == "https://apnews.com/a"


# --- ranking ------------------------------------------------------------------------------


def test_ranking_sources_then_conflicts_then_flags_then_activity_then_id():
    stories = [story(1, 2), story(2, 5), story(3, 2), story(4, 2), story(5, 2), story(6, 2)]
    articles = [article(i, i, at(1)) for i in range(1, 7)]
    articles[4] = article(5, 5, at(9))  # story 5: latest activity among the ties
    claims = [
        ClaimRecord(1, 3, 3, "count", "1", "x", False, at(-2)),
        ClaimRecord(2, 3, 3, "count", "2", "x", False, at(1)),
    ]
    pairs = [PairRecord(1, 3, 1, 2, "conflict", at(1))]  # story 3: one conflict
    flags = [FlagRecord(4, 4, None, "U1", at(1)), FlagRecord(4, 4, None, "U2", at(1))]
    d = run(
        {"stories": stories, "articles": articles, "claims": claims, "pairs": pairs, "flags": flags}
    )
    assert [s.id for s in d.stories] == [2, 3, 4, 5, 1, 6]


# --- flags --------------------------------------------------------------------------------


def test_flags_group_users_per_target():
    claims = [ClaimRecord(7, 1, 1, "count", "12", "agreements", False, at(-10))]
    flags = [
        FlagRecord(1, 1, 7, "U123", at(1)),
        FlagRecord(1, 1, 7, "U456", at(2)),
        FlagRecord(1, 1, 7, "U123", at(3)),  # the same user again
        FlagRecord(1, 1, None, "U789", at(4)),  # the article itself
        FlagRecord(1, 1, 7, "U999", at(30)),  # after the window
    ]
    inputs = {
        "stories": [story(1)],
        "articles": [article(1, 1, at(-10))],
        "claims": claims,
        "flags": flags,
    }
    d = run(inputs)
    s = d.stories[0]
    assert [(f.target, f.users) for f in s.flags] == [
        ("12", ("U123", "U456")),
        ("Title 1", ("U789",)),
    ]
    assert s.flags[0].last_flagged == at(3)
    assert s.flag_count == 3
    assert (d.flagged_claims, d.flagged_articles) == (1, 1)


# --- the empty digest and the clock -------------------------------------------------------


def test_empty_digest():
    d = run({"stories": [story(1)]})
    assert d.empty and d.stories == []
    assert d.to_json()["stories"] == [] and d.to_json()["empty"] is True


def test_time_is_a_parameter():
    source = inspect.getsource(digest_module)
    for forbidden in ("now(", "today(", "utcnow", "time.time", "import time"):
        assert forbidden not in source
    inputs = seed_inputs()
    assert run(inputs) == run(inputs)
    # The same rows seen from a window far away give nothing: only the window decides.
    far = datetime(2090, 1, 1, tzinfo=UTC)
    assert run(inputs, since=far, until=far + timedelta(days=1)).empty


def test_agreeing_pairs_alone_select_nothing():
    claims = [
        ClaimRecord(1, 1, 1, "count", "3", "x", False, at(-3)),
        ClaimRecord(2, 1, 2, "count", "3", "x", False, at(-2)),
    ]
    inputs = {
        "stories": [story(1)],
        "claims": claims,
        "pairs": [PairRecord(1, 1, 1, 2, "agree", at(2))],
    }
    assert run(inputs).empty
