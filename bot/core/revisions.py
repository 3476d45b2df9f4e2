"""Whether a page fetched again at its URL was revised, or only its furniture changed.

A page's text can change between two fetches without the article changing: a "Updated 10:32
GMT" or "3 hours ago" line, a share prompt, a "5 min read", a caption credit. The article was
revised when its words differ once such lines are left out of both texts. Whitespace,
punctuation and case never count (the words are compared, as the content hash does).
"""

from __future__ import annotations

import re

from bot.core.text import words

# A line at most this long (in words) may be furniture; longer lines are always the article's.
FURNITURE_WORDS = 12

# Short lines that are prompts and credits, whatever follows.
_PROMPT = re.compile(
    r"^\W*(?:share\b|advertisement\b|sponsored\b|read\s+more\b|related\b|comments?\b"
    r"|sign\s+up\b|subscribe\b|follow\s+us\b"
    r"|(?:photo|image|video|picture)s?\s*(?::|\bby\b|\bcredit\b)"
    r"|\d+\s*(?:min(?:ute)?s?)\s+(?:read|listen)\b)",
    re.IGNORECASE,
)
# A timestamp's label: what follows it must only say when.
_STAMP = re.compile(
    r"^\W*(?:last\s+)?(?:updated?|modified|edited|published|posted|first\s+published)\b\W*",
    re.IGNORECASE,
)
_AGO = re.compile(r"\b(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|days?)\s+ago\b", re.I)
# Words of a line that only says when: times, dates, zones, weekdays and months.
_WHEN_WORDS = frozenset(
    "am pm a.m p.m gmt utc bst cet cest est edt pst pdt et pt ist jst aest at on of the "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri "
    "sat sun january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec today yesterday".split()
)


def is_furniture(line: str) -> bool:
    """A short line that is page furniture: a timestamp ("Updated 10:32 GMT", "3 hours
    ago"), a share or subscribe prompt, a photo credit, a reading time."""
    found = words(line)
    if len(found) > FURNITURE_WORDS:
        return False
    if not found or _PROMPT.search(line):
        return True
    when = _AGO.sub(" ", _STAMP.sub(" ", line))
    return all(w.isdigit() or w in _WHEN_WORDS for w in words(when))


def article_words(text: str) -> list[str]:
    """The words of a text without its furniture lines."""
    return [w for line in text.splitlines() if not is_furniture(line) for w in words(line)]


def is_revised(earlier: str, later: str) -> bool:
    """Whether `later` revises `earlier` (the same page's text at two fetches): its words
    differ once furniture lines are left out of both."""
    return article_words(earlier) != article_words(later)
