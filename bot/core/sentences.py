"""Sentences of a news text, with their character offsets, and which ones are page furniture.

News captures mix prose with the lines a page carries around it (navigation, photo credits,
players, cookie banners). Every line break ends a sentence-unit, so a headline or a menu line
without final punctuation stands on its own; inside a line, a sentence ends at ``.``, ``!``,
``?`` or an ellipsis (with any closing quotes or brackets after it) followed by a word that
does not continue the sentence:

* a lower-case next word never starts a sentence (``"Is it?" she asked.``, ``e.g. the``);
* after a title or an initial (``Mr.``, ``Gen.``, ``St.``, ``Vladimir V. Putin``) or ``vs.``
  there is no break; after ``No.`` / a month (``Sept. 11``) none before a digit;
* after ambiguous abbreviations that may close a sentence (``U.S.``, ``Inc.``, ``Ltd.``,
  ``Jr.``, ``a.m.``, ``etc.``, a month before a word) the break is taken only when the next
  word usually opens a sentence (``The``, ``He``, ``But``...).

A line that only continues the previous one (it starts in lower case right after a single
line break, the previous line without final punctuation: a hard-wrapped paragraph) is joined
to it, and so is a dateline on a line of its own (``HANOI, Vietnam (AP) —``). A dateline
inside a line needs nothing: it has no final punctuation, so it opens the first sentence.

``Sentence.text`` is always ``text[start:end]`` of the input, whitespace-trimmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence-unit: its text as it stands and where it is in the input."""

    text: str
    start: int
    end: int


# A run of text between line breaks; stripped in Python.
_LINE_RE = re.compile(r"[^\r\n\u2028\u2029]+")
# A candidate end: terminal punctuation, any closing quotes/brackets, then whitespace.
_END_RE = re.compile(r"([.!?…]+)([\"'”’»)\]]*)\s+")
# The start of the next sentence: opening quotes/brackets, then a word or one character.
_NEXT_RE = re.compile(r"[\"'“‘«(\[]*([^\W\d_]+|\S)")
# A dateline alone on its line: "HANOI, Vietnam (AP) —", "WASHINGTON —".
_DATELINE_RE = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:,[\w .'’-]+)?\s*(?:\([\w .&-]+\))?\s*[—–-]+")
_TERMINAL = frozenset(".!?…:;\"'”’)]")
_OPENERS = "\"'“‘«(["

# Abbreviations after which a sentence never ends (before a capitalised word).
_NEVER = frozenset(
    """Mr Mrs Ms Mx Dr Prof Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl Pvt Brig Gov Sen Rep Reps
    Pres Supt Insp Det Rev Hon Fr Msgr Messrs Mme Mlle St Ste Mt Ft vs Vs VS v cf Rt""".split()
)
# Abbreviations before a number: "No. 10", "Art. 5", "Fig. 2", "p. 12".
_BEFORE_DIGIT = frozenset("No Nos no Art Fig Vol Ch Sec Para p pp Rs".split())
# Month abbreviations: "Sept. 11" never breaks; "in Jan. The ..." does.
_MONTHS = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
# Abbreviations that often close a sentence too: break only before a typical opener.
_SOMETIMES = frozenset(
    """Inc Ltd Co Corp Cos Jr Sr Bros LLC Plc plc etc al approx est Ave Blvd Rd""".split()
)
# Dotted acronyms that are never final ("e.g.", "i.e.").
_NEVER_DOTTED = frozenset({"e.g", "i.e", "E.g", "I.e", "viz", "cf"})
# Words that usually open a sentence; after an ambiguous abbreviation they signal a break.
_STARTERS = frozenset(
    """A An The This That These Those There Then Thus Their They Them He She It Its His Her
    We Our I In On At As After Before But And Or So Yet If When While Where Why What Who How
    However Meanwhile Still Also Now Some Many Most Other Others Such Officials Both Each
    Last Next Since For From Although Though Despite According One Two Three Mr Mrs Ms
    Asked Under Over Earlier Later Today Yesterday Instead""".split()
)


def split_sentences(text: str) -> list[Sentence]:
    """The sentence-units of `text`, in order, with offsets into it.

    >>> [s.text for s in split_sentences('Mr. Putin left. "Is it?" she asked.\\nPlay Live Radio')]
    ['Mr. Putin left.', '"Is it?" she asked.', 'Play Live Radio']
    """
    out: list[Sentence] = []
    for start, end in _blocks(text):
        _split_block(text, start, end, out)
    return out


def _blocks(text: str) -> list[tuple[int, int]]:
    """Stripped line spans, a soft-wrapped continuation or a lone dateline joined to its line."""
    blocks: list[tuple[int, int]] = []
    prev_join = False  # the last block may take the next line (it is a dateline)
    for m in _LINE_RE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        end = start + len(stripped)
        if blocks:
            prev_start, prev_end = blocks[-1]
            gap = text[prev_end:start]
            single_break = gap.count("\n") + gap.count("\r") - gap.count("\r\n") <= 1
            if prev_join or (
                single_break and stripped[0].islower() and text[prev_end - 1] not in _TERMINAL
            ):
                blocks[-1] = (prev_start, end)
                prev_join = False
                continue
        prev_join = len(stripped) < 80 and _DATELINE_RE.fullmatch(stripped) is not None
        blocks.append((start, end))
    return blocks


def _split_block(text: str, start: int, end: int, out: list[Sentence]) -> None:
    pos = start
    for m in _END_RE.finditer(text, start, end):
        nxt = m.end()
        if nxt >= end or not _breaks(text, m, pos, nxt):
            continue
        stop = m.end(2)
        out.append(Sentence(text[pos:stop], pos, stop))
        pos = nxt
    if pos < end:
        out.append(Sentence(text[pos:end], pos, end))


def _breaks(text: str, m: re.Match[str], sent_start: int, nxt: int) -> bool:
    """Whether the candidate end `m` really ends the sentence."""
    following = _NEXT_RE.match(text, nxt)
    if following is None:
        return True
    word = following.group(1)
    first = word[0]
    if first.islower() or first in "-–—,;:":  # "KANSAS CITY, Mo. — ..." is one sentence
        return False
    punct = m.group(1)
    if punct != ".":  # "!", "?", an ellipsis, or runs of them
        return True
    if m.group(2):  # said." Next
        return True
    dot = m.start()
    space = max(text.rfind(" ", sent_start, dot), text.rfind("\n", sent_start, dot))
    token = text[max(space + 1, sent_start) : dot].lstrip(_OPENERS)
    if not token:
        return True
    if token in _NEVER:
        return False
    if first.isdigit() and (token in _BEFORE_DIGIT or token in _MONTHS):
        return False
    if len(token) == 1 and token.isupper():  # an initial: "Vladimir V. Putin"
        return False
    if "." in token:  # U.S. / e.g. / a.m. / Ph.D.
        if token in _NEVER_DOTTED:
            return False
        return word in _STARTERS
    if token in _MONTHS or token in _SOMETIMES:
        return word in _STARTERS
    return True


# --- page furniture ------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Boilerplate that marks a line as furniture at any length.
_BOILERPLATE_RE = re.compile(
    r"your email address will not be published|required fields are marked"
    r"|\b(?:accept|consent|agree)\w*\b.{0,60}\bcookies?\b|\bcookies?\b.{0,80}"
    r"\b(?:consent|accept|browsing|navigation|experience|preferences|settings|policy)"
    r"|\bacceptez\b.{0,60}\bcookies\b|\bsign up for (?:our|the) \w*\s?newsletter"
    r"|\bsubscribe to (?:our|the) \w*\s?newsletter|\ball rights reserved\b|\bprint friendly\b"
    r"|\bclick here\b|\benable javascript\b|\bjavascript is disabled\b",
    re.IGNORECASE,
)
# One of these occurs in every match of _BOILERPLATE_RE (a cheap test before the regex).
_BOILERPLATE_KEYS = (
    "cookie", "email address", "required fields", "newsletter", "rights reserved",
    "print friendly", "click here", "javascript",
)  # fmt: skip
# Boilerplate that marks a short line (a few words) as furniture when it opens the line.
_SHORT_BOILERPLATE_RE = re.compile(
    r"(?:share(?: this| post| on| via)?|leave a (?:comment|reply)|comments?|more like this"
    r"|related(?: articles| stories| posts| content| coverage)?|read more|see also|advertisement"
    r"|scroll to top|back to top|source link|play live radio|listen|next up|copyright|©"
    r"|translate|follow us|newsletter|sign up|subscribe|log ?in|sign in|menu|home|skip to"
    r"|recommended|trending|most read|most popular|photo|image|video|watch|caption)\b",
    re.IGNORECASE,
)
# "Updated June 20, 2024 at 15:28 PM ET": a time stamp line.
_STAMP_RE = re.compile(r"(?:last )?(?:updated|published|posted|modified)\b", re.IGNORECASE)
# Words that make a short line read as a clause rather than a label.
_VERBISH = frozenset(
    """is are was were be been being has have had said says say will would can could may
    might must shall should did does do dies died killed""".split()
)
_SHORT_WORDS = 4
_SHORT_BOILERPLATE_WORDS = 8
_STAMP_WORDS = 14
# Longer than this, a line is only furniture if it carries unmistakable boilerplate.
_LONG_CHARS = 160


def is_furniture(sentence_text: str) -> bool:
    """Whether a sentence-unit is page furniture that should yield no claims.

    Conservative on purpose: a false positive loses a claim, a false negative only adds a
    line that has no numbers worth pairing. A line is furniture when

    * it has fewer than three letters, or is mostly digits and punctuation and short
      (``0:00 0:00``, ``12 | 3``);
    * it carries unmistakable boilerplate at any length (cookie consent in English or French,
      "your email address will not be published", newsletter sign-up, "all rights
      reserved", "print friendly", "click here");
    * it has at most eight words and opens with a menu/share/comment/credit word ("Share
      post:", "Leave a Comment", "More like this", "Copyright 2024 NPR", "Play Live Radio");
    * it is a short time stamp ("Updated June 20, 2024 at 15:28 PM ET");
    * it has at most four words, no digits, no final punctuation and no verb-like word
      ("Nhac Nguyen", "Pool photo via AP", "Available On Air Stations"). A four-word headline
      such as "Putin visits Hanoi" counts as furniture too: it carries no figure to pair.
    """
    text = sentence_text.strip()
    if not text:
        return True
    lowered = text.lower()
    if any(map(lowered.__contains__, _BOILERPLATE_KEYS)) and _BOILERPLATE_RE.search(text):
        return True
    if len(text) > _LONG_CHARS:  # a long line is prose, or boilerplate caught above
        return False
    words = _WORD_RE.findall(text)
    n_words = len(words)
    if n_words > _STAMP_WORDS:  # too many words for any rule below but the first
        return next(islice((ch for ch in text if ch.isalpha()), 2, None), None) is None
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 3:
        return True
    nonspace = len(text) - text.count(" ")
    if letters * 3 < nonspace and n_words <= 6:
        return True
    if n_words <= _SHORT_BOILERPLATE_WORDS and _SHORT_BOILERPLATE_RE.match(text.lstrip("[(\"'“‘")):
        return True
    has_digit = any(c.isdigit() for c in text)
    if n_words <= _STAMP_WORDS and has_digit and _STAMP_RE.match(text):
        return True
    if n_words <= _SHORT_WORDS and text[-1] not in ".!?…" and not has_digit:
        return not any(
            w.lower() in _VERBISH or (len(w) > 4 and w.endswith("ed") and w[0].islower())
            for w in words
        )
    return False
