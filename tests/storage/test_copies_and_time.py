"""Time for matching: copies find their original whatever their dates."""

from __future__ import annotations

import re

from tests.news_site import OUTLETS
from tests.pages import article_page


def _undated(page: str) -> str:
    """The page without its date (nor the footer's copyright year, which htmldate's extensive
    search takes for 1 January of that year)."""
    page = re.sub(r'<meta property="article:published_time"[^>]*>', "", page)
    return re.sub(r"<footer>.*?</footer>", "", page, flags=re.S)


def _first_half(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    total = sum(len(line.split()) for line in lines)
    half, count = [], 0
    for line in lines:
        if count >= total / 2:
            break
        half.append(line)
        count += len(line.split())
    return "\n".join(half)


def test_an_undated_half_copy_of_an_old_article_joins_its_story(ingest_service, seed_texts):
    text = seed_texts["001_c412b43f50216ea0.txt"]
    old = article_page(text, published="2019-03-01T10:00:00+00:00", site="Vietnam News")
    original = ingest_service.ingest_html(old, url="https://vietnamnews.example/a")
    copy = _undated(article_page(_first_half(text), site="Copy Site"))
    result = ingest_service.ingest_html(copy, url="https://copies.example/b")
    assert result.story_id == original.story_id
    assert result.relation == "near_duplicate" and result.matched_id == original.article_id


def test_a_misdated_copy_keeps_its_original(ingest_service, seed_texts):
    text = seed_texts["003_c5d4984693481f97.txt"]
    original = ingest_service.ingest_html(
        article_page(text, site="The Northlines"), url="https://northlines.example/a"
    )
    misdated = article_page(text + "\nRepublished.", published="2024-09-01T00:00:00+00:00")
    result = ingest_service.ingest_html(misdated, url="https://elsewhere.example/b")
    assert result.story_id == original.story_id and result.relation == "near_duplicate"


def test_the_seeds_served_as_pages_make_one_story(ingest_service, seed_texts):
    """000 carries "Updated June 20, 2024" in its text, 002 no date at all."""
    stories = set()
    for name, text in sorted(seed_texts.items()):
        page = article_page(text, site=OUTLETS[name[:3]])
        if name.startswith("002"):
            page = _undated(page)
        result = ingest_service.ingest_html(page, url=f"https://{name[:3]}.example/world")
        stories.add(result.story_id)
    assert len(stories) == 1


def _share_of(text: str, share: float) -> str:
    """The first lines of a text, up to `share` of its words."""
    lines = [line for line in text.splitlines() if line.strip()]
    total = sum(len(line.split()) for line in lines)
    kept, count = [], 0
    for line in lines:
        if count >= total * share and kept:
            break
        kept.append(line)
        count += len(line.split())
    return "\n".join(kept)


def test_a_misdated_partial_copy_whose_bands_miss_finds_its_original(ingest_service, seed_texts):
    """A partial copy whose page gives a date years away (a date read from its text) and
    shares no shingle band with its original is still found: by its terms, outside the
    story window too."""
    from sqlmodel import Session

    from bot.core import minhash
    from bot.core.profile import build_profile
    from storage import queries

    text = seed_texts["004_ff89fc41d8bf9a9e.txt"]
    original = ingest_service.ingest_html(
        article_page(text, published="2019-03-01T10:00:00+00:00", site="First Outlet"),
        url="https://first.example/a",
    )
    part = _share_of(text, 0.4)
    copy = article_page(part, published="2023-11-20T08:00:00+00:00", site="Copy Site")
    profile = build_profile("", part, None)
    assert profile.signature is not None
    with Session(ingest_service.engine) as session:  # the bands alone miss it
        _exact, banded = queries.near_duplicates(
            session=session,
            content_hash=profile.content_hash,
            keys=minhash.band_keys(profile.signature),
            limit=20,
        )
    assert original.article_id not in banded
    result = ingest_service.ingest_html(copy, url="https://copies.example/c")
    assert result.story_id == original.story_id
    assert result.relation == "near_duplicate" and result.matched_id == original.article_id


_BRIDGE_JA = "\n".join(
    [
        "市議会は火曜日、老朽化した橋を来月から閉鎖することを賛成多数で決めました。",
        "橋は五十年前に造られ、去年の点検で柱にひびが見つかっていました。",
        "市は新しい橋の建設に約十二億円かかると見込んでいて、完成は三年後の予定です。",
        "住民の一部は、通勤や通学に時間がかかるようになると心配しています。",
        "市長は、安全を第一に考えた判断だと話し、迂回路のバスを増やすと説明しました。",
        "閉鎖の期間中、橋の両側には案内の看板が立てられ、警備員も配置されます。",
        "商店街の人たちは、客が減るのではないかと不安を口にしています。",
        "市は来週、住民に向けた説明会を開き、工事の計画を詳しく伝えることにしています。",
    ]
)
_FOOTBALL_JA = "\n".join(
    [
        "サッカーの代表チームは土曜日、海外の強豪と親善試合を行い、二対一で勝ちました。",
        "前半に先制を許しましたが、後半に若い選手が続けてゴールを決めて逆転しました。",
        "監督は、守備にはまだ課題があるものの、選手たちはよく走ったと話しました。",
        "次の試合は来月、国内のスタジアムで行われる予定で、チケットはすでに完売しています。",
    ]
)


def test_an_undated_half_copy_of_a_japanese_article_joins_its_story(ingest_service):
    """Japanese is written without spaces: matched by character pairs, the first half of a
    dated article, undated, is a partial copy of it, and an unrelated article is not."""
    old = article_page(_BRIDGE_JA, published="2019-03-01T10:00:00+00:00", site="市民新聞")
    original = ingest_service.ingest_html(old, url="https://shimin.example/a")
    copy = _undated(article_page(_first_half(_BRIDGE_JA), site="Copy Site"))
    result = ingest_service.ingest_html(copy, url="https://copies.example/ja")
    assert result.story_id == original.story_id
    assert result.relation == "near_duplicate" and result.matched_id == original.article_id
    other = _undated(article_page(_FOOTBALL_JA, site="スポーツ新聞"))
    unrelated = ingest_service.ingest_html(other, url="https://sports.example/ja")
    assert unrelated.relation == "new_story"


def _lead_share(text: str, share: float) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    total = sum(len(line.split()) for line in lines)
    kept, count = [], 0
    for line in lines:
        if count >= total * share:
            break
        kept.append(line)
        count += len(line.split())
    return "\n".join(kept)


def test_an_undated_short_copy_of_a_long_article_joins_its_story(ingest_service, seed_texts):
    """A copy of the first seventh of a long article shares at most a seventh of its
    shingles (a Jaccard similarity near 0.15), yet it is contained in it: a partial copy."""
    text = seed_texts["000_95b775bc5eae5327.txt"]
    old = article_page(text, published="2019-03-01T10:00:00+00:00", site="CNN")
    original = ingest_service.ingest_html(old, url="https://cnn.example/a")
    copy = _undated(article_page(_lead_share(text, 0.15), site="Copy Site"))
    result = ingest_service.ingest_html(copy, url="https://copies.example/short")
    assert result.story_id == original.story_id
    assert result.relation == "near_duplicate" and result.matched_id == original.article_id
