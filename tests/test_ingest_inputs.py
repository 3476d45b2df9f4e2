"""Bad inputs to `newsroom ingest`: each gets a one-line reason, exit status 1, nothing
half-written; a JSONL batch goes on past its bad lines; ids are not stored twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session

from bot.cli import main
from storage import queries
from storage.db import open_database
from tests.conftest import SEEDS
from tests.pages import article_page

SEED_000 = SEEDS / "000_95b775bc5eae5327.txt"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def _articles(tmp_path: Path) -> int:
    engine = open_database(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        with Session(engine) as session:
            return queries.table_counts(session=session)["articles"]
    finally:
        engine.dispose()


def _refused(runner: CliRunner, tmp_path: Path, item: str, reason: str) -> None:
    result = runner.invoke(main, ["ingest", item])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{item}: failed: "), result.output
    assert reason in lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _articles(tmp_path) == 0


def test_dev_zero_is_refused_without_reading_it_all(runner, tmp_path):
    _refused(runner, tmp_path, "/dev/zero", "too large (more than 5.0 MB)")


def test_a_file_over_5_mb_is_refused_before_reading(runner, tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)  # sparse: its size says enough
    _refused(runner, tmp_path, str(big), "too large (6.0 MB; at most 5.0 MB)")


def test_a_program_is_refused_as_binary(runner, tmp_path):
    program = Path("/bin/ls")
    if not program.exists():
        pytest.skip("no /bin/ls")
    _refused(runner, tmp_path, str(program), "not text")


def test_random_bytes_are_refused(runner, tmp_path):
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(256)) * 200)
    _refused(runner, tmp_path, str(noise), "not text")


def test_an_empty_file_is_refused(runner, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    _refused(runner, tmp_path, str(empty), "empty file")


def test_utf16_and_latin1_files_are_read_as_what_they_are(runner, tmp_path):
    text = SEED_000.read_text(encoding="utf-8").replace("Vietnam", "Việt Nam", 1)
    utf16 = tmp_path / "utf16.txt"
    utf16.write_text(text, encoding="utf-16")
    latin1 = tmp_path / "latin1.txt"
    body = "Poutine à Hanoï : accords signés\n" + (
        "Le président russe a signé à Hanoï des accords économiques et énergétiques. " * 12
    )
    latin1.write_bytes(body.encode("latin-1"))
    result = runner.invoke(main, ["ingest", str(utf16), str(latin1)])
    assert result.exit_code == 0, result.output
    assert "Putin signs numerous deals with Việt Nam" in result.output
    assert "Poutine à Hanoï : accords signés" in result.output


def test_a_saved_page_with_its_url_is_deduplicated_by_canonical_url(runner, tmp_path):
    page = tmp_path / "page.html"
    url = "https://news.example.com/world/putin-hanoi"
    page.write_text(article_page(SEED_000.read_text(), canonical=url), encoding="utf-8")
    first = runner.invoke(main, ["ingest", str(page), "--url", url + "?utm_source=x"])
    assert first.exit_code == 0 and "new story" in first.output, first.output
    again = runner.invoke(
        main,
        ["ingest", "--jsonl", "-"],
        input=json.dumps({"id": "other", "html": page.read_text(), "url": url}),
    )
    assert "duplicate" in again.output, again.output
    assert _articles(tmp_path) == 1


def test_url_goes_with_one_saved_file(runner, tmp_path):
    result = runner.invoke(main, ["ingest", str(SEEDS), "--url", "https://example.com/a"])
    assert result.exit_code == 2 and "--url goes with one saved file" in result.output


def test_bad_jsonl_lines_get_a_reason_each_and_the_batch_goes_on(runner, tmp_path):
    text = SEED_000.read_text(encoding="utf-8")
    good = {"id": "a1", "title": "Putin in Hanoi", "text": text, "published": 1718870400}
    lines = [
        json.dumps(good).encode(),
        json.dumps({"id": "b", "text": text, "published": 10**20}).encode(),
        json.dumps({"id": "c", "text": text, "published": "0001-01-01T00:00:00Z"}).encode(),
        json.dumps({"id": "d", "text": text, "published": "last Tuesday"}).encode(),
        b'{"id": "e", "text": "caf\xe9 ' + b"word " * 30 + b'"}',
        b"not json",
        json.dumps({"id": "f", "text": 12}).encode(),
        json.dumps({"id": "g", "html": "<html><body><p>Subscribe</p></body></html>"}).encode(),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    result = runner.invoke(main, ["ingest", "--jsonl", str(batch)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a1", "b", "c", "d", None, None, "f", "g"]
    assert out[0]["relation"] == "new_story"
    errors = [o["error"] for o in out[1:]]
    assert errors[0].startswith("line 2: published: 1") and "epoch seconds" in errors[0]
    assert errors[1] == (
        "line 3: published: 0001-01-01 is not a plausible publication date "
        "(before 1990 or in the future)"
    )
    assert errors[2].startswith("line 4: published:")
    assert errors[3] == "line 5: not UTF-8 (byte 0xe9 at 24)"
    assert errors[4].startswith("line 6: not JSON")
    assert errors[5] == "line 7: text must be a string"
    assert errors[6].startswith("line 8: too little text")
    assert all("\n" not in e and "Traceback" not in e for e in errors)
    assert "8 lines, 7 failed" in result.stderr
    assert _articles(tmp_path) == 1


def test_records_with_an_id_are_not_stored_twice(runner, tmp_path):
    batch = tmp_path / "batch.jsonl"
    text = SEED_000.read_text(encoding="utf-8")
    batch.write_text(json.dumps({"id": "r1", "text": text}) + "\n", encoding="utf-8")
    first = runner.invoke(main, ["ingest", "--jsonl", str(batch)])
    again = runner.invoke(main, ["ingest", "--jsonl", str(batch)])
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    assert json.loads(again.stdout)["relation"] == "duplicate"
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps({"id": "r1", "text": text + "\nMore."}) + "\n")
    clash = runner.invoke(main, ["ingest", "--jsonl", str(changed)])
    assert clash.exit_code == 1
    assert json.loads(clash.stdout)["error"] == (
        "line 1: id 'r1' is already stored (article 1) with another text"
    )
    # A file's name is its id: ingesting the same file again stores nothing.
    for _ in range(2):
        result = runner.invoke(main, ["ingest", str(SEEDS / "001_c412b43f50216ea0.txt")])
        assert result.exit_code == 0, result.output
    assert _articles(tmp_path) == 2
