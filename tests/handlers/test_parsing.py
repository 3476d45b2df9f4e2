"""Pure parsers of Slack payloads: links in messages, and the /newsroom command line."""

from __future__ import annotations

import pytest

from handlers.parsing import (
    MAX_LINKS,
    CommandError,
    is_handled_message,
    message_links,
    parse_command,
)


def _rich(*urls: str) -> list[dict]:
    return [
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_list",
                    "elements": [
                        {"type": "rich_text_section", "elements": [{"type": "link", "url": u}]}
                        for u in urls
                    ],
                }
            ],
        }
    ]


def test_links_come_from_rich_text_first_then_the_text():
    event = {"text": "<https://other.example/x>", "blocks": _rich("https://a.example/1")}
    assert message_links(event) == ["https://a.example/1"]
    assert message_links({"text": "see <https://b.example/2?a=1&amp;b=2|the story> now"}) == [
        "https://b.example/2?a=1&b=2"
    ]


def test_slack_links_duplicates_and_non_http_are_skipped():
    event = {
        "blocks": _rich(
            "https://acme.slack.com/archives/C1/p123",
            "mailto:desk@example.org",
            "https://a.example/1",
            "https://a.example/1",
            "https://files.slack-edge.com/x.png",
        )
    }
    assert message_links(event) == ["https://a.example/1"]


def test_at_most_five_links_are_handled():
    urls = [f"https://a.example/{i}" for i in range(9)]
    assert message_links({"blocks": _rich(*urls)}) == urls[:MAX_LINKS]


@pytest.mark.parametrize(
    ("event", "handled"),
    [
        ({"user": "U1", "channel": "C1"}, True),
        ({"user": "U1", "channel": "C1", "subtype": "thread_broadcast"}, True),
        ({"user": "U1", "channel": "C1", "subtype": "file_share"}, True),
        ({"user": "U1", "channel": "C1", "subtype": "message_changed"}, False),
        ({"user": "U1", "channel": "C1", "subtype": "message_deleted"}, False),
        ({"user": "U1", "channel": "C1", "subtype": "bot_message", "bot_id": "B1"}, False),
        ({"user": "U1", "channel": "C1", "bot_id": "B1"}, False),
        ({"user": "UBOT", "channel": "C1"}, False),
        ({"channel": "C1"}, False),
    ],
)
def test_which_messages_are_handled(event, handled):
    assert is_handled_message(event, "UBOT") is handled


def test_commands_parse():
    assert parse_command("").name == "help"
    assert parse_command("search Putin  Hanoi").args == ("Putin", "Hanoi")
    assert parse_command("story <https://a.example/1|a.example/1>").args == ("https://a.example/1",)
    assert parse_command("compare <https://a.example/1> https://b.example/2").args == (
        "https://a.example/1",
        "https://b.example/2",
    )
    assert parse_command("conflicts").args == ("today",)
    assert parse_command("DIGEST Preview").args == ("preview",)
    sub = parse_command("subscribe <#C0DESK0001|desk> 8:30 America/New_York")
    assert (sub.channel, sub.at, sub.timezone) == ("C0DESK0001", "8:30", "America/New_York")
    assert parse_command("unsubscribe").channel is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("launch", "unknown command"),
        ("search", "needs words"),
        ("story", "one story id"),
        ("compare https://a.example/1", "two article URLs"),
        ("compare ftp://a b", "two article URLs"),
        ("conflicts month", "`today`"),
        ("digest later", "`preview` or `now`"),
        ("help me", "takes no arguments"),
        ("subscribe #desk", "not a channel mention"),
        ("subscribe 08:30 UTC extra", "does not understand"),
    ],
)
def test_bad_commands_say_why(text, reason):
    with pytest.raises(CommandError, match=reason):
        parse_command(text)


def test_spellings_of_one_link_count_once():
    event = {
        "blocks": _rich(
            "https://a.example/x", "https://a.example/x/?utm_source=s", "https://a.example/y"
        )
    }
    assert message_links(event) == ["https://a.example/x", "https://a.example/y"]
