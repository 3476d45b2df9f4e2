"""Block Kit helpers: mrkdwn escaping, safe links, and Slack's size limits."""

from __future__ import annotations

from bot.views.blocks import (
    MAX_CONTEXT_ELEMENTS,
    MAX_HEADER,
    MAX_SECTION,
    context,
    escape,
    header,
    link,
    pack,
    section,
    shorten,
    shorten_mrkdwn,
)


def test_escape_replaces_the_three_reserved_characters():
    assert escape("a & <b> c") == "a &amp; &lt;b&gt; c"


def test_shorten_cuts_with_an_ellipsis_only_when_needed():
    assert shorten("short", 10) == "short"
    assert shorten("a" * 20, 10) == "a" * 9 + "…"


def test_shorten_mrkdwn_never_leaves_half_a_link_or_entity():
    cut = shorten_mrkdwn("see <https://example.com/a|the story> now", 20)
    assert cut == "see…" and len(cut) <= 20
    assert shorten_mrkdwn("fish &amp; chips", 8) == "fish…"


def test_link_escapes_its_label_and_refuses_unsafe_urls():
    assert link("https://x.example/a?b=1&c=2", "Q&A | <live>") == (
        "<https://x.example/a?b=1&amp;c=2|Q&amp;A &lt;live&gt;>"
    )
    assert link("javascript:alert(1)", "click") == "click"
    assert link(None, "") == "link"
    assert link("https://x.example/" + "a" * 3000, "long") == "long"


def test_blocks_respect_slack_limits():
    assert len(section("x" * 5000)["text"]["text"]) <= MAX_SECTION
    assert len(header("h" * 500)["text"]["text"]) <= MAX_HEADER
    assert len(context(*["c"] * 20)["elements"]) == MAX_CONTEXT_ELEMENTS
    assert section("")["text"]["text"] == " "  # Slack refuses an empty text


def test_pack_joins_lines_into_as_few_texts_as_fit():
    lines = ["x" * 999] * 7  # three lines and two newlines fit in 3,000 characters
    texts = pack(lines)
    assert len(texts) == 3 and all(len(t) <= MAX_SECTION for t in texts)
    assert "\n".join(texts).count("x") == 7 * 999
    assert pack([]) == []
