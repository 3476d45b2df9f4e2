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
    NewClaimKey,
    PairRecord,
    StoryRecord,
    claim_tier,
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

    npr_trade = (
        "Bilateral trade between Russia and Vietnam totaled $3.6 billion in 2023, compared to "
        "$171 billion with China and $111 billion with America."
    )
    vn_trade = (
        "Trade between Vietnam and Russia stood at just $3.5bn in 2022 – far less than "
        "Vietnam’s $175bn trade with China and $123bn with the US."
    )
    sentences = {5: npr_trade, 6: vn_trade, 7: npr_trade, 8: vn_trade, 9: npr_trade, 10: vn_trade}
    periods = {5: 2023, 7: 2023, 9: 2023, 6: 2022, 8: 2022, 10: 2022}

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
            sentence=sentences.get(cid, f"They said {surface} {quantity}."),
            period=periods.get(cid),
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
        claim(16, 4, "fifth", "visit", kind="ordinal"),
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
    folded = {
        e.quantity: [(side.surface, side.period, side.article.name) for side in e.sides]
        for e in s.other_pairs
    }
    # Each trade figure is named by whom it is about, in its sentence's words, with its year.
    assert folded["bilateral trade between Russia and Vietnam"] == [
        ("$3.6 billion", 2023, "NPR"),
        ("$3.5bn", 2022, "Vietnam News"),
    ]
    assert folded["trade with China"] == [
        ("$171 billion", 2023, "NPR"),
        ("$175bn", 2022, "Vietnam News"),
    ]
    assert folded["trade with America"][1] == ("$123bn", 2022, "Vietnam News")
    arms = next(e for e in s.other_pairs if e.label == "different_scope")
    assert [side.quantity for side in arms.sides] == [
        "share of Vietnam's arms imports",
        "share of Vietnam’s defense arsenal",
    ]
    assert len(folded) == 4  # three trade figures and the arms share; agreeing years not shown


def test_seed_new_claims_earn_their_place():
    s = run(seed_inputs()).stories[0]
    # The agreements and trade figures are on their dispute lines, the year agrees and only
    # says when, "fifth" is an ordinal: the submarines are the one new figure left.
    assert [c.surface for c in s.new_claims] == ["six"]
    assert s.more_claims == 9  # the other new claims of the window, in `/newsroom claims 1`
    nothing = run(seed_inputs(), max_new_claims=0).stories[0]
    assert nothing.new_claims == () and nothing.more_claims == 10


def _key(cid: int, kind: str = "count", quantity: str = "people", **kw) -> NewClaimKey:
    values = dict(value=100.0, position=3, headline=False, first_seen=at(1))
    values.update(kw)
    return NewClaimKey(cid, 7, kind, quantity, **values)  # type: ignore[arg-type]


def test_claim_tiers_rank_disputed_then_corroborated_then_the_lead():
    lead = _key(1)
    assert claim_tier(lead, disputed=True, corroborated=False) == 0
    assert claim_tier(lead, disputed=False, corroborated=True) == 1
    assert claim_tier(lead, disputed=False, corroborated=False) == 2
    late = _key(2, position=40)
    assert claim_tier(late, disputed=False, corroborated=False) is None
    assert claim_tier(_key(3, position=40, headline=True), disputed=False, corroborated=False)
    for bare in (
        _key(4, "year", "year"),
        _key(5, "duration", "duration"),
        _key(6, "ordinal", "visit"),
        _key(7, "quote", "quote"),
        _key(8, "count", "count"),  # no name: nothing says what it counts
    ):
        assert claim_tier(bare, disputed=True, corroborated=True) is None, bare
    small = _key(9, value=2.0, quantity="reasons")
    assert claim_tier(small, disputed=False, corroborated=True) is None
    assert claim_tier(small, disputed=True, corroborated=False) == 0


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
    assert "different_scope" in text
    trade = next(e for e in data["stories"][0]["other_pairs"] if e["label"] == "different_period")
    assert [side["period"] for side in trade["sides"]] == [2023, 2022]


# --- the window ---------------------------------------------------------------------------


def test_first_new_claims_ranks_by_tier_leaves_repeats_out_and_counts_all():
    keys = [
        _key(1, "quote", "quote"),
        _key(2, position=12),  # the lead, later in it
        _key(3, position=2),  # the lead
        _key(4, quantity="tanks", position=30),  # past the lead: only if two sources say it
        _key(5, position=1, quantity="People"),  # the same figure as 2 and 3: a repeat
        _key(6, value=5.0, position=50),  # corroborated
        _key(7, "year", "year", first_seen=at(9)),
        NewClaimKey(8, 8, "money", "trade", 3.6e9, 0, False, at(5)),
    ]
    listed, stats = first_new_claims(keys, per_story=3, corroborated={4, 6})
    assert listed == [4, 6, 5, 8]  # story 7: the two corroborated, the lead's first; story 8
    assert stats == {7: (7, at(9)), 8: (1, at(5))}
    listed, _ = first_new_claims(keys, per_story=3)
    assert listed == [5, 8]  # 2 and 3 repeat 5's figure; 4 and 6 have no place alone
    assert first_new_claims([], per_story=10) == ([], {})


def test_first_new_claims_agrees_with_the_selection():
    """What the database layer pre-selects is what select_digest would list from all claims."""
    inputs = seed_inputs()
    extra = [
        ClaimRecord(c, 1, 104, "count", str(n), noun, True, at(5), position=p)
        for c, n, noun, p in ((20, 40, "soldiers", 2), (21, 30, "tanks", 3), (22, 9, "jets", 30))
    ]
    inputs["claims"] = [*inputs["claims"], *extra]
    new = [c for c in inputs["claims"] if c.is_new and SINCE < c.first_seen <= UNTIL]
    shown = {i for p in inputs["pairs"] if p.label != "agree" for i in (p.claim_a, p.claim_b)}
    keys = [
        NewClaimKey(
            c.id, c.story_id, c.kind, c.quantity, c.value, c.position, c.headline, c.first_seen
        )
        for c in new
    ]
    listed, _ = first_new_claims([k for k in keys if k.id not in shown], per_story=3)
    _, stats = first_new_claims(keys, per_story=0)
    full = run(inputs, max_new_claims=3)
    kept_ids = set(listed) | shown
    kept = dict(inputs, claims=[c for c in inputs["claims"] if c.id in kept_ids], flags=[])
    part = select_digest(**kept, since=SINCE, until=UNTIL, max_new_claims=3, new_claim_stats=stats)
    assert [c.id for c in part.stories[0].new_claims] == listed == [15, 20, 21]
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
    assert s.copies[0].article.name == "“Title 2”"  # no outlet, no URL: the title, quoted
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
