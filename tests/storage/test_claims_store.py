"""Claims stored through ingest, on SQLite and PostgreSQL: the seed story's labels."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from bot.services.claims import ClaimService
from storage import queries
from storage.models import ClaimPairRow, ClaimRow


def _ingest(service, seed_texts):
    return {
        name[:3]: service.ingest_text(text, external_id=name) for name, text in seed_texts.items()
    }


def test_story_claims_reproduce_the_gold_labels(ingest_service, seed_texts, engine):
    results = _ingest(ingest_service, seed_texts)
    with Session(engine) as session:
        claims = {c.id: c for c in session.exec(select(ClaimRow)).all()}
        pairs = session.exec(select(ClaimPairRow)).all()
    labelled = {(claims[p.claim_a].surface, claims[p.claim_b].surface, p.label) for p in pairs}
    assert ("12", "11", "conflict") in labelled
    assert ("at least a dozen", "11", "conflict") in labelled
    assert ("$3.6 billion", "just $3.5bn", "different_period") in labelled
    assert ("around 80%", "about 60 percent to 70 percent", "different_scope") in labelled
    assert ("1950", "1950", "agree") in labelled
    # One quantity in conflict across the story.
    conflicts = {claims[p.claim_a].counted for p in pairs if p.label == "conflict"}
    assert len(conflicts) == 1
    # The copy adds no claims (no corroboration), 004 adds new ones.
    copy_id = results["002"].article_id
    assert not [c for c in claims.values() if c.article_id == copy_id]
    new_in_004 = {
        c.surface for c in claims.values() if c.article_id == results["004"].article_id and c.is_new
    }
    assert {"six", "fifth"} <= new_in_004
    # The reply for 001 names its conflicts with earlier coverage.
    assert {p.label for p in results["001"].claim_pairs} == {"conflict", "different_period"}


def test_claim_groups(ingest_service, seed_texts, engine):
    results = _ingest(ingest_service, seed_texts)
    groups = ClaimService(engine).story_groups(results["000"].story_id)
    first = groups[0]
    assert {p.label for p in first.labels} == {"conflict", "agree"}  # 11 and 11 agree
    assert sorted(row.surface for row, _ in first.claims) == ["11", "11", "12", "at least a dozen"]


def test_claim_and_pair_rows_are_written_as_given(ingest_service, seed_texts, engine):
    """Every column of a claim and of a pair reads back as it was given (NULL figures of a
    quote, booleans, UTC times), with ids in the order of the rows."""
    story = ingest_service.ingest_text(seed_texts["000_95b775bc5eae5327.txt"])
    seen = datetime(2024, 6, 20, 12, 30, 15, 250_000, tzinfo=UTC)
    common = {"article_id": story.article_id, "story_id": story.story_id, "first_seen": seen}
    figure = common | {
        "kind": "count", "surface": "12", "sentence": "They signed 12 agreements.", "low": 12.0,
        "high": 12.0, "value": 12.0, "unit": "", "counted": "agreement",
        "counted_text": "agreements", "period": 2024, "scope": "", "scope_text": "",
        "context": "sign", "attribution": "", "position": 3, "figure_index": 0,
        "predicate": "sign", "mentions": 1, "headline": True, "partial": False, "is_new": True,
    }  # fmt: skip
    quote = figure | {
        "kind": "quote", "surface": "“We agree”", "low": None, "high": None, "value": None,
        "period": None, "attribution": "Putin", "headline": False, "partial": True,
        "is_new": False,
    }  # fmt: skip
    with Session(engine) as session:
        ids = queries.add_claims(session=session, claims=[figure, quote])
        pair = {"story_id": story.story_id, "claim_a": ids[0], "claim_b": ids[1]}
        queries.add_claim_pairs(
            session=session, pairs=[pair | {"label": "agree", "score": 0.75, "first_seen": seen}]
        )
        session.commit()
    assert ids[0] < ids[1]
    with Session(engine) as session:
        rows = [session.get(ClaimRow, i) for i in ids]
        (stored_pair,) = session.exec(select(ClaimPairRow).where(ClaimPairRow.claim_a == ids[0]))
    for row, given in zip(rows, (figure, quote), strict=True):
        assert {name: getattr(row, name) for name in given} == given
    assert (stored_pair.claim_b, stored_pair.score, stored_pair.first_seen) == (ids[1], 0.75, seen)


def test_a_back_reference_is_stored_but_never_new(ingest_service, engine):
    text = (
        "Police arrested two men at the airport on Monday after a search of 40 bags. "
        "The two men were questioned for six hours before they were released without charge."
    )
    ingest_service.ingest_text(text, external_id="refs")
    with Session(engine) as session:
        rows = session.exec(select(ClaimRow)).all()
    by_surface = {(r.surface, r.unit): r.is_new for r in rows}
    assert by_surface[("two", "reference")] is False  # "the two men" refers back
    assert by_surface[("two", "")] is True
