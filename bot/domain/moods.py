"""The quick mood: its 1-5 scale, the tags a person may add, the note's limits, and how a
mood compares with the person's recent days (pure rules; labels live in bot.ui.mood).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)  # 1: very low … 5: very good

# What may have played a part, as stable keys (stored comma-separated in this order, and as
# bits of a mask in callback data).
TAGS: tuple[str, ...] = (
    "sleep",
    "energy",
    "anxiety",
    "loneliness",
    "hope",
    "stress",
    "health",
    "relationships",
    "work",
)

# A note is a few private words, not a diary: long enough for a thought, short enough for
# one message back in /mydata.
NOTE_MAX_CHARS = 500

# "Recent days": the moods recorded in the week before this one.
RECENT = timedelta(days=7)


class Comparison(enum.StrEnum):
    """How a mood compares with the mean of the person's moods of the week before it."""

    FIRST = "first"  # no mood before this one
    NONE_RECENT = "none_recent"  # earlier moods, but none in the week before
    MUCH_BETTER = "much_better"
    BETTER = "better"
    SAME = "same"
    HARDER = "harder"
    MUCH_HARDER = "much_harder"


# Half a step of the scale either way is "about the same"; a step and a half is "much".
_SAME_WITHIN = 0.5
_MUCH_FROM = 1.5


@dataclass(frozen=True, slots=True)
class MoodPoint:
    """One recorded mood, as the comparison and the progress chart need it."""

    at: datetime
    score: int


def tags_mask(keys: Iterable[str]) -> int:
    """A set of tags as one small number (bit i: ``TAGS[i]``), compact enough for a button."""
    chosen = set(keys)
    return sum(1 << index for index, key in enumerate(TAGS) if key in chosen)


def tags_from_mask(mask: int) -> tuple[str, ...]:
    """The tags of :func:`tags_mask`, in their fixed order; unknown bits are ignored."""
    return tuple(key for index, key in enumerate(TAGS) if mask >> index & 1)


def compare_with_recent(
    score: int, at: datetime, earlier: Sequence[MoodPoint], *, any_before: bool
) -> Comparison:
    """How ``score`` (recorded at ``at``) compares with the mean of the moods recorded in the
    week before it. ``earlier``: moods recorded before this one (older ones are ignored);
    ``any_before``: whether the person recorded any mood before this one at all."""
    recent = [point.score for point in earlier if at - RECENT <= point.at < at]
    if not recent:
        return Comparison.NONE_RECENT if any_before else Comparison.FIRST
    difference = score - sum(recent) / len(recent)
    if abs(difference) < _SAME_WITHIN:
        return Comparison.SAME
    if difference > 0:
        return Comparison.MUCH_BETTER if difference >= _MUCH_FROM else Comparison.BETTER
    return Comparison.MUCH_HARDER if -difference >= _MUCH_FROM else Comparison.HARDER


def offers_support(score: int, comparison: Comparison) -> bool:
    """Whether the reply offers next steps (grounding, crisis contacts): a low mood, or a day
    much harder than the person's recent ones."""
    return score <= 2 or comparison is Comparison.MUCH_HARDER


class NoteProblem(enum.Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def note_problem(text: str) -> NoteProblem | None:
    """Why a typed note cannot be kept as it is, or None."""
    if not text.strip():
        return NoteProblem.EMPTY
    if len(text) > NOTE_MAX_CHARS:
        return NoteProblem.TOO_LONG
    return None
