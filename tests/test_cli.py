"""The `newsroom` command line, run in-process with click's runner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.conftest import SEEDS


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_every_command_has_help_with_an_example(runner):
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert f"newsroom {name}" in result.output, f"{name} --help shows no example"
        assert command.help


def test_ingest_folder_gives_one_verdict_per_file(runner):
    result = runner.invoke(main, ["ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 5
    assert "new story" in lines[0]
    assert "copy of article 1" in lines[2] and "not an independent source" in lines[2]
    assert "4 independent sources" in lines[4]


def test_ingest_reports_a_missing_file_and_goes_on(runner):
    result = runner.invoke(main, ["ingest", "nope.txt", str(SEEDS / "000_95b775bc5eae5327.txt")])
    assert result.exit_code == 1
    assert "nope.txt: failed: no such file: nope.txt" in result.output
    assert "new story 1" in result.output


def test_ingest_refuses_a_private_url_with_a_reason(runner):
    result = runner.invoke(main, ["ingest", "http://127.0.0.1:9/article"])
    assert result.exit_code == 1
    assert "refused" in result.output and "loopback" in result.output


def test_ingest_jsonl_keeps_order_and_reports_bad_lines(runner, tmp_path, seed_texts):
    names = sorted(seed_texts)
    records = [json.dumps({"id": n, "title": "", "text": seed_texts[n]}) for n in names]
    records.insert(2, "{not json")
    records.insert(4, json.dumps({"id": "empty", "title": "", "text": ""}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(records) + "\n")
    result = runner.invoke(main, ["ingest", "--jsonl", str(path)])
    assert result.exit_code == 1
    out = _lines(result.stdout)
    assert len(out) == 7
    assert [o["id"] for o in out] == [names[0], names[1], None, names[2], "empty", *names[3:]]
    assert "not JSON" in out[2]["error"] and "empty" in out[4]["error"]
    good = [o for o in out if "error" not in o]
    assert [o["relation"] for o in good] == [
        "new_story",
        "same_story",
        "near_duplicate",
        "same_story",
        "same_story",
    ]
    assert good[2]["matched_id"] == "000_95b775bc5eae5327.txt"
    assert len({o["story_id"] for o in good}) == 1
    assert all(
        set(o) == {"id", "article_id", "story_id", "relation", "matched_id", "score"} for o in good
    )


def test_compare_pairs_judges_each_pair_and_writes_nothing(runner, tmp_path, seed_texts):
    pairs = [
        {
            "id": 1,
            "a": {"text": seed_texts["000_95b775bc5eae5327.txt"]},
            "b": {"text": seed_texts["002_dc8434f2a39adf63.txt"]},
        },
        {
            "id": 2,
            "a": {"title": "Putin and To Lam sign deals in Hanoi"},
            "b": {"text": seed_texts["001_c412b43f50216ea0.txt"]},
        },
        {
            "id": 3,
            "a": {"title": "Storm floods farms in southern Brazil"},
            "b": {"text": seed_texts["001_c412b43f50216ea0.txt"]},
        },
        {
            "id": 4,
            "a": {"title": "A", "url": "https://x.example.com/a?utm_source=t"},
            "b": {"title": "B", "url": "https://x.example.com/a/"},
        },
        {"id": 5, "a": {"title": "only a"}},
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in pairs))
    result = runner.invoke(main, ["compare", "--pairs", str(path)])
    assert result.exit_code == 1  # pair 5 is malformed
    out = _lines(result.stdout)
    assert [o.get("relation") for o in out] == [
        "near_duplicate",
        "same_story",
        "unrelated",
        "duplicate",
        None,
    ]
    assert all(0.0 <= o["score"] <= 1.0 for o in out[:4])
    assert out[2]["claim_pairs"] == [] and out[3]["claim_pairs"] == []
    trade = [p for p in out[0]["claim_pairs"] if p["a"]["value"] == "$3.6 billion"]
    assert trade and trade[0]["label"] == "agree" and trade[0]["b"]["value"] == "$3.6 billion"
    assert set(trade[0]) == {"label", "quantity", "a", "b"}
    assert "Bilateral trade" in trade[0]["a"]["sentence"]
    assert "line 5" in out[4]["error"]
    assert not (tmp_path / "cli.db").exists()


def test_compare_two_files(runner):
    a, b = SEEDS / "000_95b775bc5eae5327.txt", SEEDS / "004_ff89fc41d8bf9a9e.txt"
    result = runner.invoke(main, ["compare", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert re.search(r"same_story \(score 0\.\d\d\): term similarity", result.output)
    result = runner.invoke(main, ["compare", "--json", str(a), str(b)])
    assert json.loads(result.output)["relation"] == "same_story"


def test_compare_calls_the_same_text_at_two_outlets_a_copy_as_ingest_does(runner, seed_texts):
    text = seed_texts["000_95b775bc5eae5327.txt"]
    pairs = [
        {"id": 1, "a": {"text": text, "url": "https://ap.example/a"}, "b": {"text": text}},
        {
            "id": 2,
            "a": {"text": text, "url": "https://ap.example/a"},
            "b": {"text": text, "url": "https://copies.example/a"},
        },
    ]
    result = runner.invoke(
        main, ["compare", "--pairs", "-"], input="\n".join(map(json.dumps, pairs))
    )
    assert result.exit_code == 0, result.output
    assert [o["relation"] for o in _lines(result.stdout)] == ["duplicate", "near_duplicate"]


def test_compare_needs_two_sources(runner):
    result = runner.invoke(main, ["compare", "one.txt"])
    assert result.exit_code == 2
    assert "two files or URLs" in result.output


def test_stories_lists_the_story(runner):
    runner.invoke(main, ["ingest", str(SEEDS)])
    result = runner.invoke(main, ["stories"])
    assert result.exit_code == 0
    assert "5 articles, 4 independent sources" in result.output
    assert "near_duplicate of 1" in result.output


def test_demo(runner, tmp_path):
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Story 1:" in result.output
    assert "5 articles, 4 independent sources" in result.output
    assert "002_dc8434f2a39adf63.txt: copy of article 1" in result.output
    assert (tmp_path / "newsroom-demo.db").exists()


def test_compare_fills_the_gold_claim_pairs(runner, gold):
    by_label: dict[str, set[tuple[str, str]]] = {}
    for a, b in (("000", "001"), ("000", "003"), ("000", "004")):
        name_a = next(p for p in SEEDS.glob(f"{a}_*.txt"))
        name_b = next(p for p in SEEDS.glob(f"{b}_*.txt"))
        result = runner.invoke(main, ["compare", "--json", str(name_a), str(name_b)])
        assert result.exit_code == 0, result.output
        for pair in json.loads(result.output)["claim_pairs"]:
            by_label.setdefault(pair["label"], set()).add((pair["a"]["value"], pair["b"]["value"]))
    assert ("12", "11") in by_label["conflict"]
    assert ("at least a dozen", "11") in by_label["conflict"]
    assert ("$3.6 billion", "just $3.5bn") in by_label["different_period"]
    assert ("around 80%", "about 60 percent to 70 percent") in by_label["different_scope"]
    assert ("1950", "1950") in by_label["agree"]


def test_claims_command(runner):
    runner.invoke(main, ["ingest", str(SEEDS)])
    result = runner.invoke(main, ["claims", "1"])
    assert result.exit_code == 0, result.output
    assert "[conflict]" in result.output and "12 (article 1) vs 11 (article 2)" in result.output
    data = json.loads(runner.invoke(main, ["claims", "1", "--json"]).output)
    labels = {lab["label"] for group in data for lab in group["labels"]}
    assert {"conflict", "different_period", "different_scope", "agree"} <= labels


def test_demo_shows_conflicts_and_new_claims(runner):
    result = runner.invoke(main, ["demo"])
    assert "publicly announced agreements  [conflict]" in result.output
    assert "different_period: $3.6 billion (article 1) vs just $3.5bn (article 2)" in result.output
    assert "article 5: six (Kilo-class submarines)" in result.output


def test_every_command_is_in_the_readme():
    from bot.cli import main

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    missing = [name for name in main.commands if f"newsroom {name}" not in readme]
    assert missing == []


def test_read_only_commands_refuse_a_missing_database_and_a_missing_story(runner, tmp_path):
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    for args in (["stories"], ["claims", "1"], ["digest"]):
        result = runner.invoke(main, [*args, "--db", missing])
        assert result.exit_code == 1, args
        assert result.output.splitlines()[0].startswith("Error: no database at "), args
        assert "newsroom-demo.db" in result.output
    assert not (tmp_path / "none.db").exists()  # nothing created
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    seed = str(SEEDS / "000_95b775bc5eae5327.txt")
    assert runner.invoke(main, ["ingest", seed, "--db", db]).exit_code == 0
    result = runner.invoke(main, ["claims", "7", "--db", db])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no story 7")
