"""The `newsroom` command line, run in-process with click's runner."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
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


def _examples(help_text: str) -> list[str]:
    """The lines of the paragraphs marked ``\\b`` (kept as written) in a docstring."""
    examples: list[str] = []
    for paragraph in help_text.split("\n\n"):
        lines = paragraph.strip().splitlines()
        if lines and lines[0].strip() == "\b":
            examples += [line.strip() for line in lines[1:]]
    return examples


@pytest.mark.parametrize("name", [None, *main.commands])
def test_help_shows_the_examples_as_written(runner, name):
    command = main if name is None else main.commands[name]
    examples = _examples(command.help or "")
    assert any(e.startswith("newsroom ") or " newsroom " in e for e in examples), name
    result = runner.invoke(main, ["--help"] if name is None else [name, "--help"])
    assert result.exit_code == 0
    shown = {line.strip() for line in result.output.splitlines()}
    for example in examples:
        assert example in shown, f"{name} --help re-wrapped {example!r}"


def test_db_is_one_option_given_before_or_after_the_command(runner, tmp_path):
    db = f"sqlite:///{tmp_path / 'one.db'}"
    seed = str(SEEDS / "000_95b775bc5eae5327.txt")
    assert runner.invoke(main, ["--db", db, "ingest", seed]).exit_code == 0
    before = runner.invoke(main, ["--db", db, "stories"])
    after = runner.invoke(main, ["stories", "--db", db])
    assert before.exit_code == after.exit_code == 0
    assert "Story 1:" in before.output and before.output == after.output
    assert not (tmp_path / "cli.db").exists()  # DATABASE_URL was not used
    twice = runner.invoke(main, ["--db", db, "stories", "--db", "sqlite:///other.db"])
    assert twice.exit_code == 2
    assert "--db given twice" in twice.output
    demo = runner.invoke(main, ["--db", db, "demo"])
    assert demo.exit_code == 2 and "give --db-file, not --db" in demo.output


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
    verdict = result.output.splitlines()[2]
    assert verdict.startswith("same_story: B is other coverage of A's story; both name ")
    assert "Vietnamese" in verdict and "vietnamese" not in verdict  # as the articles write it
    assert not re.search(r"score|threshold|similarity|\d", result.output.split("\n  ")[0])
    result = runner.invoke(main, ["compare", "--json", str(a), str(b)])
    assert json.loads(result.output)["relation"] == "same_story"


def test_compare_verbose_shows_the_score_and_the_thresholds(runner):
    a, b = SEEDS / "000_95b775bc5eae5327.txt", SEEDS / "004_ff89fc41d8bf9a9e.txt"
    result = runner.invoke(main, ["compare", "-v", str(a), str(b)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.match(r"same_story \(score 0\.\d\d\): term similarity 0\.\d\d \(threshold", lines[2])
    assert lines[3].startswith("thresholds: same story 0.2 (two articles), 0.078 (headline")
    copy = runner.invoke(main, ["compare", str(a), str(SEEDS / "002_dc8434f2a39adf63.txt")])
    assert copy.output.splitlines()[2] == (
        "near_duplicate: B is a copy of A, not an independent source (rewrite)"
    )


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
    assert "copy of 1" in result.output
    assert "near_duplicate" not in result.output and "similarity" not in result.output
    verbose = runner.invoke(main, ["stories", "-v"]).output
    assert "term similarity" in verbose and "threshold" in verbose


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


# What no reader's view shows: the labels' and relations' snake_case names, scores, thresholds.
_INTERNAL = re.compile(
    r"\b(?:different_period|different_scope|same_story|near_duplicate|new_story)\b"
    r"|\[(?:conflict|agree|update)\]|similarity|threshold|\b0\.\d\d\b"
)
_DEMO_DB = ["--db", "sqlite:///newsroom-demo.db"]


def test_claims_command(runner):
    runner.invoke(main, ["ingest", str(SEEDS)])
    result = runner.invoke(main, ["claims", "1"])
    assert result.exit_code == 0, result.output
    assert not _INTERNAL.search(result.output), _INTERNAL.search(result.output)
    # Without outlets or addresses, a source is the first words of its title, quoted.
    assert "12 (“Putin signs numerous deals with…”) vs 11 (“Russia and Vietnam agree to…”" in (
        result.output
    )
    data = json.loads(runner.invoke(main, ["claims", "1", "--json"]).output)
    labels = {lab["label"] for group in data for lab in group["labels"]}
    assert {"conflict", "different_period", "different_scope", "agree"} <= labels
    fields = {"value", "kind", "sentence", "article_id", "source", "attribution", "period", "new"}
    assert all(fields <= set(c) for group in data for c in group["claims"])


def test_claims_of_the_demo_read_like_the_digest(runner):
    runner.invoke(main, ["demo"])
    result = runner.invoke(main, ["claims", "1", *_DEMO_DB])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not _INTERNAL.search(result.output), _INTERNAL.search(result.output)
    assert max(len(line) for line in lines) <= 200
    # Conflicts first, by outlet, with the sentences they rest on.
    assert lines[0] == "Conflicts:"
    assert lines[1] == (
        "  ! publicly announced agreements: at least a dozen / 12 (NPR) vs 11 (Vietnam News, "
        "The Northlines)"
    )
    assert lines[3].startswith("      Vietnam News: “Lam and Putin signed 11 memorandums")
    # Each period difference on one line, with both years and outlets.
    assert (
        "  trade between Russia and Vietnam: $3.6 billion in 2023 (NPR) vs just $3.5bn in 2022 "
        "(Vietnam News) — different years"
    ) in lines
    trade = [line for line in lines if line.startswith("  trade ")]
    assert len(trade) == 3 and all("in 2023 (NPR)" in t and "in 2022 (" in t for t in trade)
    assert any(line.endswith("(The New York Times) — different measures") for line in lines)
    # The other figures: a named one in its article's words, a bare one with its sentence.
    assert "  six Kilo-class submarines (The New York Times)" in lines
    salute = next(line for line in lines if line.startswith("  21 "))
    assert "21-gun salute" in salute
    assert not any(line.endswith("(count)") for line in lines)


def test_demo_reads_as_an_editor_needs(runner):
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert not _INTERNAL.search(out), _INTERNAL.search(out)
    compare = out.split("how the sources compare", 1)[1].split("The digest a subscribed", 1)[0]
    lines = compare.splitlines()
    assert "  ! publicly announced agreements: at least a dozen / 12 (NPR) vs 11 (Vietnam News, " \
        "The Northlines)" in lines  # fmt: skip
    assert "  trade with China: $171 billion in 2023 (NPR) vs $175bn in 2022 (Vietnam News) — " \
        "different years" in lines  # fmt: skip
    # New figures by the digest's ranking: named, in their words; no unnamed "21 (count)".
    figures = [f for f in compare.split("New figures by article", 1)[1].splitlines()[1:] if f]
    assert "  ten Southeast Asian countries (The Northlines)" in figures
    listed = figures[:-1]  # the last line tallies the others ("and 21 other figures")
    assert not any(" 21 " in f or "thousands" in f or "(count)" in f for f in listed)
    assert figures[-1].startswith("  and ") and figures[-1].endswith("newsroom claims 1")
    # The seeds with their outlets: the copy known by its host, as in the digest samples.
    assert "unnamed.example is a copy of NPR, not an independent source" in out
    # Scores and thresholds only with -v.
    verbose = runner.invoke(main, ["demo", "-v"]).output
    assert "term similarity" in verbose and "threshold" in verbose


def test_ingest_says_the_verdict_in_words_and_the_score_with_v(runner):
    result = runner.invoke(main, ["ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    same = next(line for line in result.output.splitlines() if "/001_" in line)
    assert "001_c412b43f50216ea0.txt: same story as article 1 “Putin signs" in same
    assert same.endswith("; story 1: 2 articles, 2 independent sources")
    assert not _INTERNAL.search(result.output), _INTERNAL.search(result.output)
    # The copy's evidence is words a reader can weigh: it stays.
    assert "rewrite: 100% of the figures and quotes" in result.output
    fresh = runner.invoke(
        main, ["--db", "sqlite:///v.db", "ingest", "-v", str(SEEDS)]
    ).output.splitlines()
    assert "(term similarity 0." in fresh[1] and "threshold" in fresh[1]


def _readme_commands() -> list[list[str]]:
    """The command lines of the README's Command line section, as words (comments cut)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].split() for line in block.splitlines()]


def test_every_command_is_in_the_readme():
    lines = _readme_commands()
    assert all(words[0] == "newsroom" for words in lines)
    shown = set()
    for words in lines:
        rest = words[1:]
        if rest[:1] == ["--db"]:  # the group's option
            rest = rest[2:]
        shown.add(rest[0])
    assert shown == set(main.commands)


def test_the_readme_command_lines_parse(runner):
    """Each command line of the README is accepted as written (its --help, so nothing runs)."""
    for words in _readme_commands():
        result = runner.invoke(main, [*words[1:], "--help"])
        assert result.exit_code == 0, (words, result.output)


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


def test_digest_blocks_prints_the_messages_a_channel_would_receive(runner, tmp_path):
    db = f"sqlite:///{tmp_path / 'digest.db'}"
    assert runner.invoke(main, ["--db", db, "ingest", str(SEEDS)]).exit_code == 0
    result = runner.invoke(main, ["--db", db, "digest", "--blocks"])
    assert result.exit_code == 0, result.output
    messages = json.loads(result.stdout)
    assert messages and all(set(m) == {"text", "blocks"} for m in messages)
    parent = messages[0]
    assert parent["blocks"][0]["type"] == "header"
    assert parent["blocks"][0]["text"]["text"].startswith("Newsroom digest")
    assert "Putin" in json.dumps(parent["blocks"])
    assert all(len(m["blocks"]) <= 50 for m in messages)
    assert {b["type"] for m in messages for b in m["blocks"]} <= {
        "header",
        "section",
        "context",
        "divider",
        "actions",
    }
    # The text view is the same digest.
    text = runner.invoke(main, ["--db", db, "digest"]).output
    assert text.startswith("Newsroom digest, ") and "Putin" in text


def test_digest_blocks_for_a_channel_starts_after_its_last_digest(runner, tmp_path):
    from bot.services import build_services
    from bot.settings import Settings
    from bot.views.digest import render_digest

    db = f"sqlite:///{tmp_path / 'digest.db'}"
    assert runner.invoke(main, ["--db", db, "ingest", str(SEEDS)]).exit_code == 0
    fresh = json.loads(
        runner.invoke(main, ["--db", db, "digest", "--blocks", "--channel", "C1"]).stdout
    )
    assert fresh  # no digest yet: the last 24 hours
    services = build_services(Settings(database_url=db))
    now = datetime.now(UTC)
    outcome = services.digest.run(
        channel="C1",
        period="test",
        until=now,
        now=now,
        post=lambda channel, message, thread: "1700000000.000100",
        render=render_digest,
    )
    assert outcome.status == "posted"
    result = runner.invoke(main, ["--db", db, "digest", "--blocks", "--channel", "C1"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "Nothing new: a channel would receive no digest." in result.stderr
    other = runner.invoke(main, ["--db", db, "digest", "--blocks", "--channel", "C2"])
    assert json.loads(other.stdout) == fresh


def test_digest_takes_one_output_format_and_no_print_flag(runner, tmp_path):
    db = f"sqlite:///{tmp_path / 'digest.db'}"
    assert runner.invoke(main, ["--db", db, "ingest", str(SEEDS)]).exit_code == 0
    both = runner.invoke(main, ["--db", db, "digest", "--json", "--blocks"])
    assert both.exit_code == 2 and "--json or --blocks, not both" in both.output
    gone = runner.invoke(main, ["--db", db, "digest", "--print"])
    assert gone.exit_code == 2 and "No such option '--print'" in gone.output


# Every command on a missing story, an empty database and a missing file ---------------------

A_SEED = str(SEEDS / "000_95b775bc5eae5327.txt")
B_SEED = str(SEEDS / "001_c412b43f50216ea0.txt")
NO_DB = "Error: no database at "

# command -> (case, arguments, exit status, the first line of the output starts with). In the
# arguments, {missing} is a SQLite file that does not exist, {empty} a migrated database with
# nothing in it and {one} a database holding one story. A new command needs its entries here.
CASES: dict[str, list[tuple[str, list[str], int, str]]] = {
    "ingest": [
        ("missing file", ["--db", "{empty}", "ingest", "nope.txt"], 1, "nope.txt: failed: no such"),
        (
            "missing JSONL file",
            ["--db", "{missing}", "ingest", "--jsonl", "nope.jsonl"],
            1,
            "Error: cannot read nope.jsonl: No such file or directory",
        ),
        ("missing database: created", ["--db", "{missing}", "ingest", A_SEED], 0, "/"),
    ],
    "compare": [
        ("missing file", ["compare", "nope.txt", A_SEED], 1, "Error: no such file: nope.txt"),
        (
            "missing pairs file",
            ["compare", "--pairs", "nope.jsonl"],
            1,
            "Error: cannot read nope.jsonl",
        ),
        ("missing database", ["--db", "{missing}", "compare", A_SEED, B_SEED], 1, NO_DB),
        ("empty database", ["--db", "{empty}", "compare", A_SEED, B_SEED], 0, "A: Putin signs"),
    ],
    "stories": [
        ("missing database", ["--db", "{missing}", "stories"], 1, NO_DB),
        ("empty database", ["--db", "{empty}", "stories"], 0, "No stories yet."),
    ],
    "claims": [
        ("missing database", ["--db", "{missing}", "claims", "1"], 1, NO_DB),
        ("empty database", ["--db", "{empty}", "claims", "1"], 1, "Error: no story 1 "),
        ("missing story", ["--db", "{one}", "claims", "7"], 1, "Error: no story 7 "),
    ],
    "digest": [
        ("missing database", ["--db", "{missing}", "digest"], 1, NO_DB),
        ("missing database, blocks", ["--db", "{missing}", "digest", "--blocks"], 1, NO_DB),
        ("empty database", ["--db", "{empty}", "digest"], 0, "Nothing new since "),
        ("empty database, blocks", ["--db", "{empty}", "digest", "--blocks"], 0, "[]"),
        ("empty database, JSON", ["--db", "{empty}", "digest", "--json"], 0, "{"),
    ],
    "demo": [
        (
            "missing folder",
            ["demo", "--db-file", "nowhere/demo.db"],
            1,
            "Error: --db-file: cannot open sqlite:///nowhere/demo.db",
        ),
    ],
    "serve": [
        (
            "no Slack tokens",
            ["--db", "{empty}", "serve"],
            1,
            "Error: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET",
        ),
        ("missing database, no tokens", ["--db", "{missing}", "serve"], 1, "Error: set SLACK_"),
    ],
    "watch": [
        ("missing database", ["--db", "{missing}", "watch", "list"], 1, NO_DB),
        ("empty database", ["--db", "{empty}", "watch", "list"], 0, "No feeds are watched."),
        (
            "missing feed",
            ["--db", "{empty}", "watch", "remove", "https://x.example/rss.xml"],
            1,
            "No watched feed is https://x.example/rss.xml.",
        ),
        ("not a URL", ["--db", "{empty}", "watch", "add", "nope"], 1, "Error: not an http(s) URL"),
        ("missing database, remove", ["--db", "{missing}", "watch", "remove", "x"], 1, NO_DB),
    ],
    "alerts": [
        ("missing database", ["--db", "{missing}", "alerts", "list"], 1, NO_DB),
        ("empty database", ["--db", "{empty}", "alerts", "list"], 0, "No channel has conflict"),
        (
            "empty database, off",
            ["--db", "{empty}", "alerts", "off", "C0123ABCD"],
            0,
            "#C0123ABCD had no alerts.",
        ),
        (
            "empty database, on",
            ["--db", "{empty}", "alerts", "conflicts", "C0123ABCD"],
            0,
            "Conflict alerts are on for #C0123ABCD:",
        ),
        ("no channel", ["--db", "{empty}", "alerts", "conflicts"], 2, "Usage: main alerts"),
    ],
    "poll": [
        ("missing database", ["--db", "{missing}", "poll", "--once"], 1, NO_DB),
        ("empty database", ["--db", "{empty}", "poll", "--once"], 0, "No feed is due."),
    ],
    "socket": [
        ("no app token", ["--db", "{empty}", "socket"], 1, "Error: set SLACK_APP_TOKEN"),
        ("missing database", ["--db", "{missing}", "socket"], 1, "Error: set SLACK_APP_TOKEN"),
    ],
}


def test_every_command_has_its_failure_cases():
    assert set(CASES) == set(main.commands)


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty migrated database and one holding one story, built once and copied per test."""
    from storage.db import make_engine, migrate

    folder = tmp_path_factory.mktemp("databases")
    empty, one = folder / "empty.db", folder / "one.db"
    for path in (empty, one):
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
        engine.dispose()
    result = CliRunner().invoke(main, ["--db", f"sqlite:///{one}", "ingest", A_SEED])
    assert result.exit_code == 0, result.output
    return {"empty": empty, "one": one}


@pytest.mark.parametrize(
    ("args", "status", "first"),
    [
        pytest.param(args, status, first, id=f"{name}: {case}")
        for name, cases in CASES.items()
        for case, args, status, first in cases
    ],
)
def test_command_on_a_missing_story_database_or_file(
    runner, monkeypatch, tmp_path, databases, args, status, first
):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    urls = {"missing": f"sqlite:///{tmp_path / 'missing.db'}"}
    for name, path in databases.items():
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        urls[name] = f"sqlite:///{copy}"
    result = runner.invoke(main, [arg.format(**urls) for arg in args])
    assert result.exit_code == status, result.output
    assert result.output.splitlines()[0].startswith(first), result.output
    assert "Traceback" not in result.output
    # Only a command that succeeds in writing creates a database.
    assert (tmp_path / "missing.db").exists() == ("{missing}" in args and status == 0)


def test_compare_names_the_figures_in_the_digests_words(runner):
    a, b = SEEDS / "000_95b775bc5eae5327.txt", SEEDS / "001_c412b43f50216ea0.txt"
    result = runner.invoke(main, ["compare", str(a), str(b)])
    assert result.exit_code == 0, result.output
    pairs = result.output.splitlines()[3:]
    assert "  conflict: publicly announced agreements: at least a dozen / 12 (A) vs 11 (B)" in pairs
    assert any(
        "$3.6 billion in 2023 (A) vs just $3.5bn in 2022 (B) — different years" in p for p in pairs
    )
    labels = re.compile(r"\b(agree|conflict |different_period|different_scope|score)\b")
    assert not any(labels.search(p) for p in pairs)
