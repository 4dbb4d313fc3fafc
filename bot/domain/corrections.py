"""Whether a person's correction of a stored value applies, judged from the screen they chose it
on: buttons stay on old messages and arrive twice on a double tap, and a press must mean what
the person saw, never undo a later change."""

from __future__ import annotations

import enum
from typing import TypeVar

T = TypeVar("T")


class Correction(enum.Enum):
    SAVE = "save"  # a new value, chosen on a screen that shows what is stored
    UNCHANGED = "unchanged"  # what is stored, chosen where it is shown: nothing to write
    ALREADY = "already"  # stored since the screen was shown (a double tap): nothing to do
    OUT_OF_DATE = "out_of_date"  # the screen shows a value that has changed since


def judge_correction(stored: T, chosen: T, shown: T) -> Correction:
    """``shown``: the value stored when the screen with the choice was shown."""
    if chosen == stored:
        return Correction.UNCHANGED if shown == stored else Correction.ALREADY
    return Correction.SAVE if shown == stored else Correction.OUT_OF_DATE
