"""The README and .env.example against the code: settings, the manifest, the commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import AliasChoices

from bot.settings import Settings
from handlers.parsing import SUBCOMMANDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
ENV_EXAMPLE = (ROOT / ".env.example").read_text()
EXAMPLE_URL = "https://newsroom.example.org"


def _env_names() -> dict[str, str]:
    """Each setting's field name by the variable that sets it."""
    names = {}
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        env = alias.choices[0] if isinstance(alias, AliasChoices) else f"NEWSROOM_{name.upper()}"
        names[str(env)] = name
    return names


def _example_lines() -> dict[str, str]:
    """VARIABLE -> value for each `VARIABLE=value` line of .env.example, commented or not."""
    found = re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=(.*)$", ENV_EXAMPLE, flags=re.MULTILINE)
    return dict(found)


def test_the_readme_opens_with_the_two_commands_for_a_fresh_machine():
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in first_block.splitlines()] == [
        "make demo",
        "make test",
    ]
    assert README.index("make demo") < README.index("## ")


def test_every_setting_is_in_the_readme_and_in_env_example():
    names = _env_names()
    missing_readme = [env for env in names if f"`{env}`" not in README]
    examples = _example_lines()
    missing_example = [env for env in names if env not in examples]
    unknown = [env for env in examples if env not in names]
    assert (missing_readme, missing_example, unknown) == ([], [], [])


def test_env_example_shows_each_default(monkeypatch: pytest.MonkeyPatch):
    names = _env_names()
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for env, value in _example_lines().items():
        default: Any = getattr(defaults, names[env])
        if default is None:
            continue  # tokens and the inbox: the example is a placeholder
        monkeypatch.setenv(env, value)
        shown = getattr(Settings(_env_file=None), names[env])  # type: ignore[call-arg]
        monkeypatch.delenv(env)
        assert shown == default, f"{env}={value} in .env.example; the default is {default!r}"


def test_env_example_sets_nothing_until_uncommented():
    assert not re.findall(r"^[A-Z][A-Z0-9_]+=", ENV_EXAMPLE, flags=re.MULTILINE)


def _paths_with(node: Any, value: str, path: str = "") -> list[str]:
    """The dotted paths (with [i] for list items) of the strings in `node` starting with value."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _paths_with(v, value, f"{path}.{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _paths_with(v, value, f"{path}[{i}]")]
    return [path.lstrip(".")] if isinstance(node, str) and node.startswith(value) else []


def test_the_readme_names_every_place_of_the_manifest_url():
    manifest = json.loads((ROOT / "manifest.json").read_text())
    places = _paths_with(manifest, EXAMPLE_URL)
    assert len(places) == 3
    connect = README.split("## Connect to Slack", 1)[1].split("\n## ", 1)[0]
    assert "the three places" in connect
    assert [p for p in places if f"`{p}`" not in connect] == []


def test_every_slash_subcommand_is_in_the_readme():
    table = README.split("`/newsroom` answers only", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([a-z]+)", table, flags=re.MULTILINE)
    assert documented == [usage.split()[0] for usage, _ in SUBCOMMANDS]


def test_the_readme_shows_each_sample_and_links_its_file():
    for name, file in (
        ("thread_reply", "thread_replies.md"),
        ("digest", "digest.md"),
        ("app_home", "app_home.md"),
    ):
        excerpt = README.split(f"<!-- sample:{name} -->\n", 1)[1].split("<!-- /sample -->")[0]
        assert excerpt.startswith("> "), f"no {name} sample: run benchmarks/render_samples.py"
        assert f"(docs/samples/{file})" in README
        assert (ROOT / "docs" / "samples" / file).exists()
        assert f"](docs/samples/{name}.png)" in README  # the picture, drawn from its HTML


def test_the_readme_links_resolve():
    targets = re.findall(r"\]\(((?!https?://)[^)#]+)\)", README)
    assert targets
    assert [t for t in targets if not (ROOT / t).exists()] == []
