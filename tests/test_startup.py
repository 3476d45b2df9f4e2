"""Configuration errors at start-up: one line naming the setting, exit status 1, no traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.startup import mask_url
from tests.bot_process import free_port


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("DATABASE_URL", "NEWSROOM_POST_INTERVAL", "NEWSROOM_DIGEST_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'ok.db'}")

    def invoke(args: list[str], **env: str):
        result = CliRunner().invoke(main, args, env=env)
        lines = result.output.strip().splitlines()
        return result.exit_code, lines, result

    return invoke


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"NEWSROOM_POST_INTERVAL": "abc"}, "NEWSROOM_POST_INTERVAL: not a number: 'abc'"),
        ({"NEWSROOM_SLACK_RETRIES": "-1"}, "NEWSROOM_SLACK_RETRIES: must be at least 0: '-1'"),
        ({"NEWSROOM_ALLOW_PRIVATE_FETCH": "maybe"}, "NEWSROOM_ALLOW_PRIVATE_FETCH: not true or"),
        ({"NEWSROOM_DIGEST_TIMEZONE": "Mars/Olympus"}, "NEWSROOM_DIGEST_TIMEZONE: “Mars/Olympus”"),
        ({"NEWSROOM_DIGEST_TIME": "25:00"}, "NEWSROOM_DIGEST_TIME: “25:00” is not a time"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(run, env, expected):
    code, lines, result = run(["stories"], **env)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"Error: {expected}"), lines
    assert isinstance(result.exception, SystemExit)  # a click error, not a crash


def test_two_bad_settings_are_named_in_one_line(run):
    code, lines, _ = run(["stories"], NEWSROOM_POST_INTERVAL="abc", NEWSROOM_DIGEST_TIME="x")
    assert code == 1 and len(lines) == 1
    assert "NEWSROOM_POST_INTERVAL" in lines[0] and "NEWSROOM_DIGEST_TIME" in lines[0]


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["stories", "--db", "nonsense"], {}, "--db: not a database URL: 'nonsense'"),
        (["stories", "--db", "foo://x/y"], {}, "--db: no database driver for 'foo://x/y'"),
        (
            ["stories"],
            {"DATABASE_URL": "postgresql://u:hunter2@h:abc/db"},
            "DATABASE_URL: not a database URL: 'postgresql://u:***@h:abc/db'",
        ),
        (
            ["ingest", "missing.txt"],
            {"DATABASE_URL": "sqlite:////nonexistent/dir/x.db"},
            "DATABASE_URL: cannot",
        ),
        # A read-only command does not create a database: it names the missing file.
        (
            ["stories"],
            {"DATABASE_URL": "sqlite:////nonexistent/dir/x.db"},
            "no database at /nonexistent/dir/x.db (DATABASE_URL)",
        ),
        (["compare", "--db", "nonsense", "a", "b"], {}, "--db: not a database URL"),
    ],
)
def test_a_bad_database_url_is_one_line(run, args, env, expected):
    code, lines, _ = run(args, **env)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"Error: {expected}"), lines


def test_an_unreachable_database_is_one_line_with_the_password_masked(run):
    url = f"postgresql+psycopg://bob:hunter2@127.0.0.1:{free_port()}/newsroom"
    code, lines, _ = run(["stories"], DATABASE_URL=url)
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith("Error: DATABASE_URL: cannot open postgresql+psycopg://bob:***@")
    assert "hunter2" not in lines[0]


def test_mask_url():
    assert mask_url("postgresql://a:b@h/db") == "postgresql://a:***@h/db"
    assert mask_url("postgresql://a:b@h:x/db") == "postgresql://a:***@h:x/db"
    assert mask_url("sqlite:///x.db") == "sqlite:///x.db"
