"""The bot's vocabulary: how an article relates to stored coverage, and how two claims compare.

Both are ``StrEnum``s, so a member is its string: it is stored, printed and written to JSON as
the plain word (``"near_duplicate"``), and a word read back compares equal to its member.
"""

from __future__ import annotations

from enum import StrEnum


class Relation(StrEnum):
    """How an article relates to the coverage stored before it, strongest first."""

    DUPLICATE = "duplicate"  # the same page again: the same canonical URL or text
    NEAR_DUPLICATE = "near_duplicate"  # a syndicated copy or a rewrite: not a new source
    REVISION = "revision"  # the same page revised at its URL: its next version, not a new source
    SAME_STORY = "same_story"  # other coverage of the same event
    NEW_STORY = "new_story"  # the first article of its story (an article's relation only)
    UNRELATED = "unrelated"  # two articles about different events (a pair's verdict only)


# The relations of articles that are independent sources: copies, duplicates and revisions add
# none, so a copy never corroborates what it copies, nor a page its own earlier version.
INDEPENDENT = frozenset({Relation.NEW_STORY, Relation.SAME_STORY})


class Label(StrEnum):
    """How two claims about one quantity compare (see the claims annotation guide)."""

    CONFLICT = "conflict"  # the sources disagree on the figure
    DIFFERENT_PERIOD = "different_period"  # figures for different years
    DIFFERENT_SCOPE = "different_scope"  # figures of different wholes or measures
    UPDATE = "update"  # a running count revised upwards by later coverage
    AGREE = "agree"


# Labels of figures in dispute: the digest and the replies list the sources on each side.
DISPUTED = frozenset({Label.CONFLICT, Label.UPDATE})

# The reaction the bot's messages name when they say how to flag, when none is configured.
DEFAULT_FLAG_EMOJI = "triangular_flag_on_post"
