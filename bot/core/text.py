"""Words of a news text: tokens, stems and how distinctive each word is.

Distinctiveness comes from a background frequency list of written English (wordfreq's
"small" list, shipped inside its package, loaded once and lazily). A word that is rare in
English in general ("Hanoi", "Zarubezhneft") tells more about which story an article covers
than a common one ("said", "week"), and this works on a pair of texts alone, without a corpus.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache
from itertools import accumulate

import Stemmer

# A word: letters/digits joined by inner apostrophes or dots ("U.S.", "don't", "3.6").
# Hyphens split words, so "20-year-old" counts "20", "year" and "old". (Runs of letters and
# digits, each joining mark followed by another run: the same matches as a mark tested by a
# look-ahead at every character, found faster.)
_WORD_RE = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
_SPACE_RE = re.compile(r"\s+")
# Scripts written without spaces between words (Thai, Lao, Burmese, Khmer, Japanese kana,
# Chinese characters): to ``words`` a run of them is one token, a clause long.
_UNSPACED_RE = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)

# Zipf value (log10 of frequency per billion words) given to words missing from the list:
# the "small" list stops at about zipf 3, so anything absent is rarer than that.
_UNKNOWN_ZIPF = 2.5
# Words this common carry no topical weight at all.
_STOP_ZIPF = 6.0
_MAX_ZIPF = 7.0

# Function words that the frequency list scores as merely common; they never identify a story.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    says said say saying told tells according new news""".split()
)


@cache
def _frequencies() -> dict[str, float]:
    import wordfreq  # imported lazily: loading the list takes ~15 ms

    return wordfreq.get_frequency_dict("en", wordlist="small")


@cache
def _stemmer() -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer("english")
    stemmer.maxCacheSize = 50_000
    return stemmer


def normalize(text: str) -> str:
    """Unicode NFKC, curly quotes straightened, whitespace folded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE_RE.sub(" ", text).strip()


def _clean(token: str) -> str:
    if token.endswith("'s"):
        token = token[:-2]
    return token if token[:1].isdigit() else token.replace(".", "")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, possessive 's removed, dots dropped ("U.S." -> "us")."""
    return [word_of(t) for t in word_tokens(text)]


def word_tokens(text: str) -> list[str]:
    """The tokens ``words`` makes its words of, before ``word_of`` cleans each."""
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def word_of(token: str) -> str:
    """A token of ``word_tokens`` as ``words`` gives it: possessive 's removed, dots dropped."""
    return _clean(token) if ("'" in token or "." in token) else token


def word_spans(lowered: str) -> list[tuple[int, int, str]]:
    """The words of an already lower-cased text as ``words`` reads them, each with where it
    starts and ends (lower-casing a lower-cased text changes nothing, so ``words`` would find
    the same tokens at the same places)."""
    return list(zip(*word_places(lowered), strict=True))


# The word pattern as a group: splitting a text by it gives the text between words and the
# words by turns, in one call.
_WORD_SPLIT_RE = re.compile(f"({_WORD_RE.pattern})")


def word_places(lowered: str) -> tuple[list[int], list[int], list[str]]:
    """``word_spans`` as three lists: where each word starts, where it ends, and the word. The
    text is split once, and the places are the running sums of the pieces' lengths (about
    twice as fast as reading each match's start, end and word)."""
    pieces = _WORD_SPLIT_RE.split(lowered.replace("’", "'"))
    places = list(accumulate(map(len, pieces)))
    return places[0:-1:2], places[1::2], list(map(word_of, pieces[1::2]))


def unspaced_length(token: str) -> int:
    """How many characters of a token are of a script written without spaces."""
    return sum(len(run) for run in _UNSPACED_RE.findall(token))


def match_tokens(text: str) -> list[str]:
    """The units an article is matched by: its ``words``, with each run of a script written
    without spaces cut into overlapping pairs of characters ("児童相談所" -> "児童", "童相",
    "相談", "談所"), as search engines index Chinese and Japanese: a clause is then many
    tokens, as its words would be, and two texts share its pairs where they share its words."""
    out: list[str] = []
    for token in words(text):
        if not _UNSPACED_RE.search(token):
            out.append(token)
            continue
        at = 0
        for run in _UNSPACED_RE.finditer(token):
            if run.start() > at:
                out.append(token[at : run.start()])
            chars = run.group()
            out.extend(chars[i : i + 2] for i in range(max(1, len(chars) - 1)))
            at = run.end()
        if at < len(token):
            out.append(token[at:])
    return out


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case word (cached: a newsroom's vocabulary
    repeats)."""
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=200_000)
def weight(word: str) -> float:
    """How distinctive a lower-case word is, from 0 (function word) to about 4.5 (rare name).

    Numbers get a middling weight: a year or a count alone does not make a story.
    """
    if word in STOPWORDS or len(word) < 2:
        return 0.0
    if word[0].isdigit():
        return 1.5
    freq = _frequencies().get(word)
    zipf = math.log10(freq) + 9.0 if freq else _UNKNOWN_ZIPF
    zipf = min(zipf, _MAX_ZIPF)
    if zipf >= _STOP_ZIPF:
        return 0.0
    return _STOP_ZIPF - zipf


@lru_cache(maxsize=200_000)
def term(word: str) -> tuple[str, float]:
    """(stem, weight) of a lower-case word, cached: a newsroom's vocabulary repeats."""
    return str(_stemmer().stemWord(word)), weight(word)


def content_terms(text: str) -> list[tuple[str, float]]:
    """(stem, weight) for every word of `text` that carries weight, in order."""
    out = []
    for word in words(text):
        info = term(word)
        if info[1] > 0.0:
            out.append(info)
    return out


def as_written(word: str, texts: tuple[str, ...]) -> str:
    """`word` (as ``words`` reads it: lower case) as the first of `texts` that holds it writes
    it ("russia" -> "Russia", "iseas" -> "ISEAS"), or as it is when none does."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    for text in texts:
        found = pattern.search(text)
        if found is not None:
            return found.group()
    return word
