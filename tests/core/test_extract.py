"""Extraction from HTML pages and plain-text captures."""

from __future__ import annotations

import html
import unicodedata
from datetime import UTC, datetime

import pytest

from bot.core.extract import (
    ExtractionError,
    from_html,
    from_text,
    guess_title,
    parse_time,
    word_count,
)
from tests.pages import article_page


def test_html_metadata_and_text(seed_texts):
    text = seed_texts["001_c412b43f50216ea0.txt"]
    page = article_page(
        text,
        canonical="https://news.example.com/world/putin-hanoi?utm_source=rss",
        site="Vietnam News",
        author="Rebecca Ratcliffe",
        published="2024-06-20T09:15:00+07:00",
    )
    draft = from_html(page, url="https://m.news.example.com/world/putin-hanoi/amp")
    assert draft.title == "Russia and Vietnam agree to strengthen ties during Putin state visit"
    assert draft.outlet == "Vietnam News"
    assert draft.author == "Rebecca Ratcliffe"
    assert draft.published == datetime(2024, 6, 20, 2, 15, tzinfo=UTC)
    assert draft.canonical_url == "https://news.example.com/world/putin-hanoi"
    assert "signed 11 memorandums" in draft.text
    assert "All rights reserved" not in draft.text
    assert "Business" not in draft.text.splitlines()


def test_page_without_an_article_is_refused():
    page = (
        "<html><head><title>Subscribe</title></head><body><p>Subscribe to read.</p></body></html>"
    )
    with pytest.raises(ExtractionError, match=r"too little text|no article"):
        from_html(page, url="https://paywall.example.com/a")


def test_garbage_is_refused_with_a_reason():
    with pytest.raises(ExtractionError):
        from_html("\x00\x01 not html at all", url=None)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (
            "000_95b775bc5eae5327.txt",
            "Putin signs numerous deals with Vietnam in a bid to shore up Russia's ties in Asia",
        ),
        (
            "001_c412b43f50216ea0.txt",
            "Russia and Vietnam agree to strengthen ties during Putin state visit",
        ),
        ("004_ff89fc41d8bf9a9e.txt", "Why Is Putin in Vietnam?"),
    ],
)
def test_title_of_a_capture_skips_page_furniture(seed_texts, name, title):
    assert guess_title(seed_texts[name]) == title


def test_text_needs_a_title_or_a_body():
    with pytest.raises(ExtractionError, match="empty"):
        from_text("  \n ", title="")
    assert from_text("", title="Headline only").title == "Headline only"


def test_text_with_a_bad_url_is_refused():
    with pytest.raises(ExtractionError, match="http"):
        from_text("some text here", url="ftp://example.com/a")


def test_parse_time():
    assert parse_time("2024-06-20") == datetime(2024, 6, 20, tzinfo=UTC)
    assert parse_time("2024-06-20T15:28:00Z") == datetime(2024, 6, 20, 15, 28, tzinfo=UTC)
    assert parse_time("June 20") is None
    assert parse_time(None) is None


def test_a_page_with_more_text_than_any_article_is_refused():
    from bot.core.extract import MAX_TEXT_CHARS

    page = "<html><body><p>" + "word " * (MAX_TEXT_CHARS // 4) + "</p></body></html>"
    with pytest.raises(ExtractionError, match="too much text for an article"):
        from_html(page, url="https://news.example/dump")
    with pytest.raises(ExtractionError, match="too much text for an article"):
        from_text("word " * (MAX_TEXT_CHARS // 4))


def test_a_parser_failing_on_odd_markup_is_a_reason_or_no_date(monkeypatch):
    """trafilatura and htmldate run lxml on untrusted markup, and lxml asserts on some of it:
    from_html gives a reason (ExtractionError) or an undated draft, never the parser's error."""
    import htmldate
    import trafilatura

    from bot.core.extract import _published

    def assert_fails(*args: object, **kwargs: object) -> None:
        raise AssertionError  # as lxml's html module does

    monkeypatch.setattr(trafilatura, "bare_extraction", assert_fails)
    with pytest.raises(ExtractionError, match="could not be parsed"):
        from_html("<html><body><p>text</p></body></html>")
    monkeypatch.undo()
    monkeypatch.setattr(htmldate, "find_date", assert_fails)
    assert _published("<html></html>", "2024-01-01", datetime(2024, 6, 1, tzinfo=UTC)) is None


def _body(text: str) -> list[str]:
    return [line for line in text.splitlines()[3:] if line.strip()]


_LEAD = (
    "Vladimir Putin left Hanoi with a dozen agreements and a promise of cheaper oil for "
    "Vietnam's refineries."
)


def _teaser_page(text: str, *, description: str, shown: bool, teaser_text: str = _LEAD) -> str:
    """A news page whose standfirst sits in a teaser block above the body (which
    trafilatura leaves out), with a meta description."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in _body(text))
    teaser = f'<div class="teaser-text"><p>{html.escape(teaser_text)}</p></div>' if shown else ""
    return (
        f"<html><head><title>Putin in Hanoi</title>"
        f'<meta property="og:description" content="{html.escape(description)}"></head>'
        f"<body><main><article><h1>Putin in Hanoi</h1>{teaser}{paragraphs}</article></main>"
        "<footer><p>All rights reserved.</p></footer></body></html>"
    )


def test_the_lead_the_page_shows_and_describes_itself_with_comes_first(seed_texts):
    text = seed_texts["001_c412b43f50216ea0.txt"]
    draft = from_html(_teaser_page(text, description=_LEAD, shown=True), url=None)
    assert draft.text.splitlines()[0] == _LEAD
    assert draft.text.count("Vladimir Putin left Hanoi") == 1
    assert "All rights reserved" not in draft.text


def test_a_description_the_page_does_not_show_is_not_article_text(seed_texts):
    text = seed_texts["001_c412b43f50216ea0.txt"]
    draft = from_html(_teaser_page(text, description=_LEAD, shown=False), url=None)
    assert "Vladimir Putin left Hanoi" not in draft.text
    # A description of a few words is a title, not a lead.
    title = "Putin leaves Hanoi"
    short = from_html(
        _teaser_page(text, description=title, shown=True, teaser_text=title), url=None
    )
    assert "Putin leaves Hanoi" not in short.text


def test_a_lead_already_in_the_body_is_not_repeated(seed_texts):
    text = seed_texts["001_c412b43f50216ea0.txt"]
    first = _body(text)[0]
    page = _teaser_page(text, description=first, shown=False)
    assert from_html(page, url=None).text.count(first) == 1


def test_decomposed_characters_are_composed_as_written():
    decomposed = unicodedata.normalize("NFD", "Die Gurtlänge wird geprüft, über zwölf Sitze.")
    draft = from_text(decomposed * 3)
    assert "Gurtlänge wird geprüft" in draft.text
    assert unicodedata.is_normalized("NFC", draft.text)


def test_words_of_scripts_written_without_spaces_are_counted():
    assert word_count("Putin signed 11 deals in Hanoi.") == 6
    assert word_count("子どもへの虐待をなくすための法律ができて") == 10
    japanese = (
        "子どもへの虐待をなくすための法律ができて、親が子どもを教育するために、"
        "たたいたり蹴ったりする体罰を禁止することになりました。"
    )
    page = (
        "<html><head><title>虐待をなくすための法律</title></head><body><article>"
        + "".join(f"<p>{japanese}</p>" for _ in range(2))
        + "</article></body></html>"
    )
    assert from_html(page, url=None).text.startswith("子どもへの虐待")
