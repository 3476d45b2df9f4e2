"""Claims stored through ingest, on SQLite and PostgreSQL: the seed story's labels."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.services.claims import ClaimService
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
    assert {p["label"] for p in results["001"].claim_pairs} == {"conflict", "different_period"}


def test_claim_groups(ingest_service, seed_texts, engine):
    results = _ingest(ingest_service, seed_texts)
    groups = ClaimService(engine).story_groups(results["000"].story_id)
    first = groups[0]
    assert {label for label, _, _ in first.labels} == {"conflict", "agree"}  # 11 and 11 agree
    assert sorted(row.surface for row, _ in first.claims) == ["11", "11", "12", "at least a dozen"]
