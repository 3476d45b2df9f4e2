"""Faults: a batch ingest killed with SIGKILL loses nothing it acknowledged, leaves nothing
half-written, and the next run resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from storage.models import Article, ClaimRow, Story

pytestmark = pytest.mark.slow


def _batch(seed_texts: dict[str, str], path: Path, n: int) -> None:
    """n articles: the seeds with a changed lead and a number, each under its own URL."""
    texts = list(seed_texts.values())
    with path.open("w") as out:
        for i in range(n):
            body = f"Dispatch {i}: officials counted {i * 7 + 3} delegates.\n" + texts[i % 5]
            record = {
                "id": f"wire-{i}",
                "title": f"Report {i} from Hanoi",
                "text": body,
                "url": f"https://wire.example/{i}",
                "published": f"2024-06-{1 + i % 28:02d}T10:00:00Z",
            }
            out.write(json.dumps(record) + "\n")


def _ingest(url: str, batch: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", "--jsonl", str(batch), "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def _consistent(engine) -> tuple[int, int]:
    """Every story's counts match its rows; claims only for independent articles."""
    with Session(engine) as session:
        for story in session.exec(select(Story)).all():
            articles = session.exec(select(Article).where(Article.story_id == story.id)).all()
            independent = [a for a in articles if a.relation in ("new_story", "same_story")]
            assert story.article_count == len(articles) > 0
            assert story.source_count == len(independent)
        copies_with_claims = session.exec(
            select(func.count())
            .select_from(ClaimRow)
            .join(Article, Article.id == ClaimRow.article_id)
            .where(Article.relation.in_(("near_duplicate", "duplicate")))  # type: ignore[attr-defined]
        ).one()
        assert copies_with_claims == 0
        n_articles = session.exec(select(func.count()).select_from(Article)).one()
        counted = session.execute(text("SELECT df FROM termstat WHERE term = 0")).scalar()
        assert (counted or 0) == n_articles  # document frequencies: one per stored article
        stories = session.exec(select(func.count()).select_from(Story)).one()
    return n_articles, stories


def test_kill_9_mid_batch_loses_nothing_acknowledged(engine, seed_texts, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    batch = tmp_path / "batch.jsonl"
    _batch(seed_texts, batch, 60)

    process = _ingest(url, batch)
    assert process.stdout is not None
    acknowledged = []
    for line in process.stdout:
        acknowledged.append(json.loads(line))
        if len(acknowledged) == 15:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    stored, _ = _consistent(engine)
    assert stored >= len(acknowledged)
    with Session(engine) as session:
        for ack in acknowledged:
            article = session.get(Article, ack["article_id"])
            assert article is not None and article.external_id == ack["id"]

    # The next run resumes: what was stored is recognised by its URL, the rest is added.
    rerun = _ingest(url, batch)
    out, _ = rerun.communicate(timeout=300)
    verdicts = [json.loads(line) for line in out.splitlines()]
    assert rerun.returncode == 0 and len(verdicts) == 60
    first = {a["id"]: a["article_id"] for a in acknowledged}
    for v in verdicts:
        if v["id"] in first:
            assert v["relation"] == "duplicate" and v["article_id"] == first[v["id"]]
    stored, _ = _consistent(engine)
    assert stored == 60
