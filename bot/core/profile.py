"""The profile of an article: the compact features the deduplicator compares.

A profile is computed once from the article (title and body) and stored with it, so matching a
new article against stored ones never re-reads their text. It holds:

- the article's most distinctive terms (stem hash, count, background weight), at most
  ``MAX_TERMS`` of them; a word of the title or of the lead (the body's first ``LEAD_WORDS``
  words) counts twice;
- its facts (numbers and quotations, in order) for spotting rewrites;
- a MinHash signature of its word shingles for spotting verbatim copies;
- a hash of its normalised text for exact copies;
- its title, whose fuzzy similarity to the other's each verdict carries.

``to_bytes``/``from_bytes`` pack the numeric parts into about 1.5 KB.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from bot.core import minhash
from bot.core.facts import fact_hashes, fact_keys
from bot.core.hashing import h64
from bot.core.text import match_tokens, normalize, term, words

MAX_TERMS = 96
# The top terms of an article that go into the candidate index (see ``index_terms``).
INDEX_TERMS = 16
# An article with fewer body words than this is compared as a headline ("short"): a title
# alone or with a link-preview snippet. A 20-word body is still an article.
SHORT_WORDS = 15
# The lead: news is written with the event first, so the first words of a body say what it is
# about, and they count twice, as the title's do. A headline, or a body without its title, is
# then compared with what the article leads with (FNC-1 accuracy 0.9792 to 0.9803, 0.9802
# held out; see docs/MEASURED.md).
LEAD_WORDS = 100
_WEIGHT_SCALE = 50.0  # background weights (0..5) are stored as uint8 in steps of 0.02

_TERM_DTYPE = np.dtype([("hash", "<i8"), ("tf", "u1"), ("bg", "u1")])
_HEADER = struct.Struct("<BHHHH")  # version, n_terms, n_facts, has_signature, n_words
_VERSION = 1


@dataclass(slots=True)
class Profile:
    """Compact, comparable features of one article."""

    title: str
    term_hashes: np.ndarray  # int64[n], sorted
    term_tf: np.ndarray  # uint8[n], term counts (title counted twice), capped at 255
    term_bg: np.ndarray  # float32[n], background distinctiveness of each term
    facts: list[int]
    signature: np.ndarray | None
    content_hash: str
    n_words: int
    published: datetime | None = None
    # Each term's commonest word by hash, for explanations (never a stem shown to people);
    # only on profiles built in this process.
    labels: dict[int, str] = field(default_factory=dict)
    # Every distinct weighted stem (hash), for document frequencies; not stored.
    vocabulary: frozenset[int] = frozenset()

    @property
    def is_short(self) -> bool:
        """A headline, a link preview or a stub: compared by its title terms."""
        return self.n_words < SHORT_WORDS

    def to_bytes(self) -> bytes:
        terms = np.empty(len(self.term_hashes), dtype=_TERM_DTYPE)
        terms["hash"] = self.term_hashes
        terms["tf"] = self.term_tf
        terms["bg"] = np.clip(np.rint(self.term_bg * _WEIGHT_SCALE), 0, 255)
        parts = [
            _HEADER.pack(
                _VERSION,
                len(terms),
                len(self.facts),
                self.signature is not None,
                min(self.n_words, 65535),
            ),
            terms.tobytes(),
            np.asarray(self.facts, dtype="<u4").tobytes(),
        ]
        if self.signature is not None:
            parts.append(self.signature.astype("<u4").tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        *,
        title: str,
        content_hash: str,
        published: datetime | None,
    ) -> Profile:
        version, n_terms, n_facts, has_sig, n_words = _HEADER.unpack_from(data)
        if version != _VERSION:
            raise ValueError(f"unknown profile version {version}")
        offset = _HEADER.size
        terms = np.frombuffer(data, dtype=_TERM_DTYPE, count=n_terms, offset=offset)
        offset += terms.nbytes
        facts = np.frombuffer(data, dtype="<u4", count=n_facts, offset=offset)
        offset += facts.nbytes
        signature = None
        if has_sig:
            signature = np.frombuffer(data, dtype="<u4", count=minhash.NUM_PERM, offset=offset)
        return cls(
            title=title,
            term_hashes=terms["hash"].astype(np.int64),
            term_tf=terms["tf"].copy(),
            term_bg=terms["bg"].astype(np.float32) / _WEIGHT_SCALE,
            facts=facts.tolist(),
            signature=signature,
            content_hash=content_hash,
            n_words=n_words,
            published=published,
        )

    def index_terms(self) -> list[int]:
        """The hashes of the article's most distinctive terms, for the candidate index."""
        strength = (1.0 + np.log(self.term_tf.astype(np.float32))) * self.term_bg
        top = np.argsort(-strength, kind="stable")[:INDEX_TERMS]
        return [int(self.term_hashes[i]) for i in top]


def content_hash(body_words: list[str], title_words: list[str]) -> str:
    """Hash of the normalised words of the text (of the title when there is no text)."""
    body = " ".join(body_words or title_words)
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def build_profile(title: str, text: str, published: datetime | None = None) -> Profile:
    """Compute the profile of an article from its title and body text."""
    title = normalize(title)
    text = normalize(text)
    # Terms, shingles and length by match tokens (words; character pairs in Chinese or
    # Japanese), the content hash by words as before, so stored hashes still match.
    body_words = match_tokens(text)
    title_words = match_tokens(title)
    word_counts = Counter(body_words)
    if len(body_words) >= SHORT_WORDS:
        word_counts.update(body_words[:LEAD_WORDS])
    for word in title_words:
        word_counts[word] += 2
    counts: dict[str, int] = {}
    bg: dict[str, float] = {}
    written: dict[str, tuple[int, str]] = {}  # each stem's commonest word, as shown to people
    for word, n in word_counts.items():
        stem, weight = term(word)
        if weight > 0.0:
            counts[stem] = counts.get(stem, 0) + n
            bg[stem] = max(bg.get(stem, 0.0), weight)
            if n > written.get(stem, (0, ""))[0]:
                written[stem] = (n, word)
    hashed = {stem: h64(stem) for stem in counts}
    ranked = sorted(counts, key=lambda s: -(1.0 + math.log(counts[s])) * bg[s])[:MAX_TERMS]
    ranked.sort(key=hashed.__getitem__)
    hashes = np.array([hashed[s] for s in ranked], dtype=np.int64)
    signature = minhash.signature(minhash.shingles(body_words))
    return Profile(
        title=title,
        term_hashes=hashes,
        term_tf=np.array([min(counts[s], 255) for s in ranked], dtype=np.uint8),
        term_bg=np.array([bg[s] for s in ranked], dtype=np.float32),
        facts=fact_hashes(fact_keys(text)),
        signature=signature,
        content_hash=content_hash(words(text), words(title)),
        n_words=len(body_words),
        published=published,
        labels={hashed[s]: written[s][1] for s in ranked},
        vocabulary=frozenset(hashed.values()),
    )
