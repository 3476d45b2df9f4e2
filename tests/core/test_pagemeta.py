"""What a page says about itself: plausible dates, titles without the site, bylines as names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.extract import from_html
from bot.core.pagemeta import clean_author, clean_title, plausible_time
from tests.pages import article_page

NOW = datetime(2024, 6, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (datetime(2024, 6, 20, 15, 28, tzinfo=UTC), True),
        (datetime(1, 1, 1, tzinfo=UTC), False),  # "0001-01-01T00:00:00Z"
        (datetime(1970, 1, 1, tzinfo=UTC), False),  # the epoch
        (datetime(1989, 12, 31, tzinfo=UTC), False),
        (datetime(1990, 1, 1, tzinfo=UTC), True),
        (NOW + timedelta(hours=23), True),
        (NOW + timedelta(days=2), False),
        (datetime(2024, 6, 20), True),  # naive: taken as UTC
    ],
)
def test_plausible_time(value, kept):
    assert (plausible_time(value, now=NOW) is not None) == kept


def test_placeholder_date_is_refused_for_the_page_date(seed_texts):
    page = article_page(seed_texts["001_c412b43f50216ea0.txt"]).replace(
        '<meta property="article:published_time" content="2024-06-20T15:28:00+00:00">',
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "0001-01-01T00:00:00Z"}</script>'
        '<meta property="article:published_time" content="2024-06-20T15:28:00+00:00">',
    )
    draft = from_html(page, url="https://news.example.com/a", now=NOW)
    assert draft.published == datetime(2024, 6, 20, 15, 28, tzinfo=UTC)


def test_a_date_in_the_future_is_refused(seed_texts):
    page = article_page(seed_texts["001_c412b43f50216ea0.txt"], published="2031-01-01T00:00:00Z")
    published = from_html(page, url="https://news.example.com/a", now=NOW).published
    assert published is None or published <= NOW + timedelta(days=1)  # another date on the page


@pytest.mark.parametrize(
    ("title", "site", "host", "headlines", "clean"),
    [
        ("Storm hits Manila - News Nation", None, "newsnationnow.com", (), "Storm hits Manila"),
        ("Storm hits Manila | The Paradigm", "The Paradigm", None, (), "Storm hits Manila"),
        ("BBC News - Storm hits Manila", "BBC News", "bbc.co.uk", (), "Storm hits Manila"),
        ("Storm hits Manila - World - Example News", "Example News", None, (), "Storm hits Manila"),
        (
            "Biden - Trump debate: what we learned | CNN",
            "CNN",
            "cnn.com",
            ("Biden - Trump debate: what we learned",),
            "Biden - Trump debate: what we learned",
        ),
        # A headline is never cut: no part names the site, so the title stays whole.
        ("Paris - a city in crisis", "Le Monde", "lemonde.fr", (), "Paris - a city in crisis"),
        (
            "Why Is Putin in Vietnam?",
            "The New York Times",
            "nytimes.com",
            (),
            "Why Is Putin in Vietnam?",
        ),
        # The page's own headline, when the title is it plus furniture.
        (
            "Putin signs deals in Hanoi | Asia | NPR",
            "NPR",
            "npr.org",
            ("Putin signs deals in Hanoi",),
            "Putin signs deals in Hanoi",
        ),
    ],
)
def test_clean_title(title, site, host, headlines, clean):
    assert clean_title(title, site_names=[site], host=host, headlines=headlines) == clean


def test_a_page_title_loses_its_site_name_but_no_headline_word(seed_texts):
    page = article_page(seed_texts["001_c412b43f50216ea0.txt"], site="Vietnam News")
    draft = from_html(page, url="https://vietnamnews.example/a", now=NOW)
    assert draft.title == "Russia and Vietnam agree to strengthen ties during Putin state visit"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Phil Helsel is a reporter for NBC News.", "Phil Helsel"),
        (
            "Detroit News wire services Published 10:02 a.m. ET June 20, 2024",
            "Detroit News wire services",
        ),
        ("By Jane Doe and John Roe, Staff Writers", "Jane Doe; John Roe"),
        ("By RICHARD ROTH, Senior Correspondent", "RICHARD ROTH"),
        ("Jane Doe @janedoe jane@example.com", "Jane Doe"),
        ("Updated", None),
        ("Jane Reporter", "Jane Reporter"),
        (None, None),
    ],
)
def test_clean_author(raw, names):
    assert clean_author(raw) == names
