"""Thread replies and /newsroom answers as Block Kit: wording, escaping, counts, Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from bot.core.claims import Claim, ClaimPair
from bot.core.digest import Digest
from bot.core.vocabulary import Label, Relation
from bot.services.claims import ClaimGroup, StoredPair
from bot.services.compare import Comparison
from bot.views.blocks import MAX_BLOCKS, MAX_SECTION
from bot.views.digest import digest_messages
from bot.views.replies import (
    MAX_PAIRS_SHOWN,
    claims_message,
    compare_message,
    failure_message,
    flag_confirmation,
    home_view,
    story_message,
    verdict_message,
)
from storage.models import ClaimRow
from tests.views.test_digest import assert_within_slack_limits, heavy_day, seed_digest
from tests.views.test_terminal import _groups as terminal_groups

T0 = datetime(2024, 6, 20, 9, 0, tzinfo=UTC)


def _claim(surface: str, value: float, counted: str = "agreements") -> Claim:
    return Claim(
        kind="count",
        surface=surface,
        sentence=f"They signed {surface} {counted}.",
        low=value,
        high=value,
        value=value,
        counted=counted,
        counted_text=counted,
    )


def _stored(label: Label, a: str, b: str, n: int = 1, **kw: object) -> StoredPair:
    pair = ClaimPair(label, _claim(a, float(n)), _claim(b, float(n + 1)), 0.9)
    return StoredPair(pair, a_claim_id=10 + n, b_claim_id=20 + n, a_article_id=n, **kw)  # type: ignore[arg-type]


def _verdict(relation: Relation, pairs: list[StoredPair] = (), **kw: object):  # type: ignore[assignment]
    values: dict[str, object] = dict(
        relation=relation,
        title="Russia and Vietnam sign 12 agreements",
        url="https://example.com/a",
        matched_title="Putin in Hanoi",
        matched_url="https://example.org/b",
        score=0.71,
        signal="term similarity 0.42",
        story_id=3,
        story_articles=2,
        story_sources=2,
        claim_pairs=pairs,
    )
    values.update(kw)
    return verdict_message(**values)  # type: ignore[arg-type]


def _all_text(message) -> str:  # type: ignore[no-untyped-def]
    parts = [message.text]
    for block in message.blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [e.get("text", "") for e in block.get("elements", [])]
    return "\n".join(parts)


def test_each_relation_has_its_own_headline():
    assert _verdict(Relation.NEW_STORY).text == "New story: Russia and Vietnam sign 12 agreements"
    assert (
        _verdict(Relation.SAME_STORY).text == "Same story as Putin in Hanoi (2 independent sources)"
    )
    copy = _verdict(Relation.NEAR_DUPLICATE)
    assert copy.text == "A copy of Putin in Hanoi, not an independent source"
    assert "<https://example.org/b|Putin in Hanoi>" in copy.blocks[0]["text"]["text"]
    again = _verdict(Relation.DUPLICATE, first_post_link="https://slack.example/archives/C1/p1")
    assert again.text == "Already posted: Putin in Hanoi"
    assert "<https://slack.example/archives/C1/p1|" in again.blocks[0]["text"]["text"]


def test_a_revision_is_an_updated_version_with_its_changed_figures_counted():
    pairs = [_stored(Label.UPDATE, "12", "11", a_outlet="earlier version", a_url="https://x/a")]
    message = _verdict(
        Relation.REVISION, pairs, score=None, signal="same canonical URL, new text: version 2"
    )
    text = _all_text(message)
    assert message.text == ("Updated version of Putin in Hanoi, not a new source; 1 figure updated")
    assert ":pencil2: Updated version of <https://example.org/b|Putin in Hanoi>" in text
    assert "(2 independent sources)" in text and "version 2" in text and "score" not in text
    assert "↻ agreements: 12 (<https://x/a|earlier version>) → 11 (here)" in text
    assert "conflict" not in text


def test_no_score_or_threshold_is_shown_only_the_evidence_a_reader_weighs():
    assert "score" not in _all_text(_verdict(Relation.NEW_STORY, score=None))
    same = _all_text(
        _verdict(Relation.SAME_STORY, signal="term similarity 0.42 (threshold 0.20; shared: x)")
    )
    assert "0.71" not in same and "0.42" not in same and "threshold" not in same
    assert "story 3 · 2 articles, 2 independent sources" in same
    copy = _all_text(_verdict(Relation.NEAR_DUPLICATE, signal="copy of NPR: the same text"))
    assert "copy of NPR: the same text" in copy and "0.71" not in copy


def test_disputes_read_as_in_the_digest_and_are_counted_as_it_counts_them():
    ap = "<https://ap.example/x|AP>"
    pairs = [
        _stored(Label.CONFLICT, "12", "11", a_outlet="AP", a_url="https://ap.example/x"),
        _stored(Label.DIFFERENT_PERIOD, "$3.6bn", "$3.5bn", 2, a_outlet="NPR"),
        _stored(Label.AGREE, "2", "2", 3),
    ]
    message = _verdict(Relation.SAME_STORY, pairs)
    text = _all_text(message)
    assert message.text.endswith("; 1 conflict with earlier coverage")
    assert f"⚠ *agreements*: 12 ({ap}) vs 11 (here)" in text
    assert "• agreements: $3.6bn (NPR) vs $3.5bn (here) — different periods" in text
    assert f"{ap}: “They signed 12 agreements.”" in text  # what the conflict rests on
    assert ":white_check_mark:" not in text and ": 2 (" not in text  # agreements: no dispute
    assert "react with :triangular_flag_on_post: to this reply" in text


def test_two_pairs_of_one_quantity_are_one_conflict_as_in_the_digest():
    """ "12" and "at least a dozen" (AP) against this article's "11": two pairs, one conflict."""
    eleven = _claim("11", 11)
    pairs = [
        StoredPair(
            ClaimPair(Label.CONFLICT, _claim(value, 12), eleven, 0.9),
            a_claim_id=claim_id,
            b_claim_id=30,
            a_article_id=1,
            a_outlet="AP",
        )
        for claim_id, value in ((11, "12"), (12, "at least a dozen"))
    ]
    message = _verdict(Relation.SAME_STORY, pairs)
    assert message.text.endswith("; 1 conflict with earlier coverage")
    assert "⚠ *agreements*: 12 / at least a dozen (AP) vs 11 (here)" in _all_text(message)


def test_no_dispute_no_comparison_section():
    text = _all_text(_verdict(Relation.SAME_STORY, [_stored(Label.AGREE, "2", "2")]))
    assert "Compared with earlier coverage" not in text and "react with" not in text


def test_more_pairs_than_shown_point_to_the_claims_command():
    pairs = [_stored(Label.CONFLICT, str(n), str(n + 1), n) for n in range(MAX_PAIRS_SHOWN + 3)]
    text = _all_text(_verdict(Relation.SAME_STORY, pairs))
    assert text.count("⚠") == MAX_PAIRS_SHOWN
    assert "…and 3 more (`/newsroom claims 3`)" in text


def test_a_title_cannot_ping_the_channel_from_the_fallback_text():
    message = _verdict(Relation.NEW_STORY, title="Breaking <!channel> & more")
    assert message.text == "New story: Breaking &lt;!channel&gt; &amp; more"


def test_third_party_text_is_escaped_in_blocks():
    message = _verdict(
        Relation.NEAR_DUPLICATE, title="Q&A: <b>Tariffs</b>", url=None, signal="copy: a <b> & c"
    )
    blocks = _all_text(SimpleNamespace(text="", blocks=message.blocks))
    assert "Putin in Hanoi" in blocks and "a &lt;b&gt; &amp; c" in blocks
    assert "<b>" not in blocks


def test_failure_and_flag_messages_escape_what_they_quote():
    failure = failure_message("https://x.example/a", "refused: <private address>")
    assert failure.text == "Could not read https://x.example/a: refused: &lt;private address&gt;"
    assert "&lt;private address&gt;" in failure.blocks[0]["text"]["text"]
    flag = flag_confirmation("the figure <12>", "U123")
    assert "<@U123> flagged the figure &lt;12&gt; for review." in flag.blocks[0]["text"]["text"]


def test_compare_message_lists_each_pair_with_its_label():
    comparison = Comparison(
        "A & B",
        "C",
        Relation.NEAR_DUPLICATE,
        0.93,
        "rewrite: 100% of the figures",
        (ClaimPair(Label.CONFLICT, _claim("12", 12), _claim("11", 11), 0.9),),
    )
    message = compare_message(comparison)
    text = _all_text(message)
    assert message.text == "Compare: near duplicate"
    assert "*A:* A &amp; B" in text and "(score 0.93)" in text
    assert ":warning: conflict · agreements: 12 | 11" in text


def _row(id_: int, surface: str, article_id: int) -> SimpleNamespace:
    return SimpleNamespace(id=id_, surface=surface, article_id=article_id)


def _claim_row(id_: int, surface: str, **kw: object) -> ClaimRow:
    values: dict[str, object] = dict(
        id=id_, article_id=1, story_id=7, kind="date", surface=surface, sentence=surface,
        first_seen=datetime(2024, 6, 20, tzinfo=UTC),
    )  # fmt: skip
    values.update(kw)
    return ClaimRow(**values)


def test_claims_message_reads_like_the_digest():
    message = claims_message(7, terminal_groups())
    assert_within_slack_limits(message)
    text = _all_text(message)
    assert "⚠ *deals*: 12 (AP) vs 11 (002.txt)" in text
    assert (
        "• trade between Russia and Vietnam: $3.6 billion in 2023 (AP) vs $3.5bn in 2022 "
        "(002.txt) — different years"
    ) in text
    assert "different_period" not in text and "[conflict]" not in text
    assert "• 2023 (002.txt): “In 2023, the court issued a warrant.”" in text
    assert claims_message(5, []).text == "Story 5 has no claims yet."


def test_claims_message_of_a_heavy_story_fits_and_says_where_the_rest_is():
    rows = [
        _claim_row(i, f"{i} people", sentence=f"In town {i}, {i} people {'x' * 150} gathered.")
        for i in range(10, 1010)
    ]
    article = SimpleNamespace(
        id=1, title="T", outlet="AP", url=None, canonical_url=None, external_id=None
    )
    group = ClaimGroup("people", [(r, article) for r in rows], [])  # type: ignore[misc]
    message = claims_message(7, [group])
    assert_within_slack_limits(message)
    last = _all_text(message).splitlines()[-1]
    assert last.startswith("…and ") and last.endswith("`newsroom claims 7` on the command line")


def test_story_message_marks_copies_and_duplicates():
    story = SimpleNamespace(
        id=4, title="Putin in Hanoi", article_count=3, source_count=2, first_seen=T0
    )
    articles = [
        SimpleNamespace(
            url="https://a.example/1",
            canonical_url=None,
            title="One",
            outlet="AP",
            relation="new_story",
        ),
        SimpleNamespace(
            url=None,
            canonical_url="https://b.example/2",
            title="Two",
            outlet="NPR",
            relation="near_duplicate",
        ),
        SimpleNamespace(
            url="https://a.example/1",
            canonical_url=None,
            title="One, revised",
            outlet="AP",
            relation="revision",
            version=2,
        ),
    ]
    text = _all_text(story_message(story, articles))
    assert "3 articles · 2 independent sources · first seen 2024-06-20 09:00 UTC" in text
    assert "<https://b.example/2|Two> · NPR — copy, not an independent source" in text
    assert "<https://a.example/1|One, revised> · AP — updated version 2" in text
    assert "<https://a.example/1|One> · AP\n" in text  # the first version: no note


def test_home_view_stays_within_slack_limits_on_a_busy_day():
    busy = heavy_day(300)
    view = home_view(digest=busy, flagged=[], now=T0)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    for block in view["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION
    empty = home_view(digest=Digest(T0, T0, []), flagged=[], now=T0)
    texts = [b["text"]["text"] for b in empty["blocks"] if b["type"] == "section"]
    assert "No stories today yet." in texts and "No conflicts." in texts


def test_home_view_words_conflicts_and_stories_as_the_digest_does():
    digest = seed_digest()
    home = _all_text(
        SimpleNamespace(text="", blocks=home_view(digest=digest, flagged=[], now=T0)["blocks"])
    )
    [message] = digest_messages(digest)
    in_digest = _all_text(message)
    conflict = next(line for line in in_digest.splitlines() if line.startswith("⚠"))
    assert f"{conflict} · story 1" in home.splitlines()  # the digest's line, word for word
    assert "5 articles, 4 independent sources" in home
    assert "1 story, 1 conflict, 1 flagged claim" in home  # the digest's own counts
    assert "score" not in home and "threshold" not in home


def test_a_verdict_never_exceeds_the_block_limit():
    pairs = [_stored(Label.CONFLICT, "1" * 2000, "2" * 2000, n) for n in range(40)]
    message = _verdict(Relation.SAME_STORY, pairs)
    assert len(message.blocks) <= MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= MAX_SECTION for b in message.blocks if "text" in b)
