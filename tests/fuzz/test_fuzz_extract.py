"""Fuzz tests for article extraction: hostile HTML and text give an ArticleDraft or an
ExtractionError with a one-line reason, never another exception.

from_html runs trafilatura, so it gets fewer inputs by default (see conftest.py). The bugs
found (fixed in 3c1647f) are kept as minimal regression cases in test_fuzz_regressions.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from bot.core.extract import (
    MIN_WORDS,
    ArticleDraft,
    ExtractionError,
    from_html,
    from_text,
    word_count,
)
from bot.core.urls import InvalidURL, canonicalize
from tests.fuzz.conftest import check_reason, examples, fuzz_settings
from tests.fuzz.strategies import any_url, hostile_text, html_documents, html_text, prose

pytestmark = pytest.mark.slow  # about 1.5 minutes together; -m "not slow" skips them


def check_draft(draft: ArticleDraft) -> None:
    assert isinstance(draft, ArticleDraft)
    assert isinstance(draft.title, str) and isinstance(draft.text, str)
    for line in draft.text.split("\n") if draft.text else []:
        assert line and line == " ".join(line.split()), f"unnormalised line {line!r}"
    if draft.canonical_url is not None:
        assert canonicalize(draft.canonical_url) == draft.canonical_url
    if draft.published is not None:
        assert draft.published.tzinfo is not None
        assert draft.published.utcoffset().total_seconds() == 0


@fuzz_settings(examples("from_html"))
@given(
    html=st.one_of(html_documents, html_documents, html_text),
    url=st.one_of(st.none(), any_url),
)
def test_from_html_gives_a_draft_or_a_reason(html: str, url: str | None) -> None:
    try:
        draft = from_html(html, url=url)
    except ExtractionError as exc:
        check_reason(exc)
        return
    event("extracted an article")  # shown by --hypothesis-show-statistics
    check_draft(draft)
    assert word_count(draft.text) >= MIN_WORDS
    assert draft.url == url


paragraphs = st.lists(st.one_of(prose, hostile_text, html_text), max_size=8).map("\n".join)


@fuzz_settings(examples("from_text"))
@given(
    text=st.one_of(paragraphs, hostile_text),
    title=st.one_of(st.none(), hostile_text, prose),
    url=st.one_of(st.none(), any_url),
    published=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
    find_title=st.booleans(),
)
def test_from_text_gives_a_draft_or_a_reason(
    text: str, title: str | None, url: str | None, published: datetime | None, find_title: bool
) -> None:
    try:
        draft = from_text(text, title=title, url=url, published=published, find_title=find_title)
    except ExtractionError as exc:
        check_reason(exc)
        return
    check_draft(draft)
    assert draft.url == url and draft.published == published
    if url:
        try:
            assert draft.canonical_url == canonicalize(url)
        except InvalidURL:  # pragma: no cover - from_text must have raised
            raise AssertionError(f"accepted an invalid link {url!r}") from None
