"""`newsroom watch add|list|remove` and `newsroom poll`, in-process, against a local feed site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.feed_docs import Item, rss
from tests.feed_site import FeedSite, feed_site


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSROOM_ALLOW_PRIVATE_FETCH", "true")  # the site is on 127.0.0.1
    monkeypatch.setenv("NEWSROOM_FEED_HOST_SPACING_SECONDS", "0")
    return CliRunner()


@pytest.fixture
def site(seed_texts: dict[str, str]) -> Iterator[FeedSite]:
    with feed_site() as s:
        items = []
        for name in sorted(seed_texts)[:2]:
            url = s.page(f"/world/{name[:3]}", seed_texts[name], site=f"Outlet {name[:3]}")
            items.append(Item(url, name, guid=name))
        s.feed("/rss", rss(items, title="World"), etag='"1"')
        yield s


def test_watch_add_list_poll_and_remove(runner, site):
    added = runner.invoke(main, ["watch", "add", site.url("/rss"), "--channel", "C1"])
    assert added.exit_code == 0, added.output
    assert added.output.startswith(f"Watching World ({site.url('/rss')}), RSS feed, for #C1.")
    again = runner.invoke(main, ["watch", "add", site.url("/rss")])
    assert again.exit_code == 0 and again.output.startswith("Already watching World")

    polled = runner.invoke(main, ["poll", "--once"])
    assert polled.exit_code == 0, polled.output
    assert polled.output == f"{site.url('/rss')}: 2 new items, 2 stored\n"
    assert runner.invoke(main, ["poll", "--once"]).output == "No feed is due.\n"

    listed = runner.invoke(main, ["watch", "list"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[0] == "Watching 1 feed:"
    assert lines[1].startswith(f"  World ({site.url('/rss')}) (RSS feed, for #C1): 2 items")

    removed = runner.invoke(main, ["watch", "remove", site.url("/rss")])
    assert removed.exit_code == 0 and removed.output.startswith("Stopped watching World")
    gone = runner.invoke(main, ["watch", "remove", site.url("/rss")])
    assert gone.exit_code == 1 and gone.output == f"No watched feed is {site.url('/rss')}.\n"
    stories = runner.invoke(main, ["stories"])
    assert stories.exit_code == 0 and "2 articles" in stories.output  # the articles stay


def test_watch_add_refuses_what_it_cannot_watch_in_one_line(runner, site):
    for url, reason in [
        ("not-a-url", "Error: not an http(s) URL: not-a-url"),
        (site.url("/world/000"), "Error: cannot watch that: "),
        (site.url("/missing"), f"Error: cannot watch that: {site.url('/missing')}: HTTP 404"),
    ]:
        result = runner.invoke(main, ["watch", "add", url])
        assert result.exit_code == 1, url
        assert result.output.startswith(reason), result.output
        assert len(result.output.strip().splitlines()) == 1


def test_read_only_feed_commands_refuse_a_missing_database(runner, tmp_path):
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    for args in (["watch", "list"], ["watch", "remove", "https://e.com/rss"], ["poll", "--once"]):
        result = runner.invoke(main, [*args, "--db", missing])
        assert result.exit_code == 1, args
        assert result.output.startswith("Error: no database at "), args
    assert not (tmp_path / "none.db").exists()


def test_poll_exits_1_when_a_feed_fails(runner, site):
    added = runner.invoke(main, ["watch", "add", site.url("/rss")])
    assert added.exit_code == 0
    site.feed("/rss", b"not xml <", etag='"2"')  # broken after it was watched
    result = runner.invoke(main, ["poll", "--once"])
    assert result.exit_code == 1
    assert result.output.startswith(f"{site.url('/rss')}: failed: not")


def test_watch_commands_have_help_with_an_example(runner):
    for name in ("add", "list", "remove"):
        result = runner.invoke(main, ["watch", name, "--help"])
        assert result.exit_code == 0 and f"newsroom watch {name}" in result.output
