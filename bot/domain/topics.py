"""The topics a support group can focus on, as stable codes (stored, and used in callback data).

Their translatable labels live in :mod:`bot.ui.labels`: the domain does not depend on i18n.
"""

from __future__ import annotations

from collections.abc import Iterable

TOPICS: tuple[str, ...] = (
    "depression",
    "bipolar",
    "anxiety",
    "psychosis",
    "trauma",
    "addiction",
    "caregivers",
    "other",
)


def topics_mask(codes: Iterable[str]) -> int:
    """A set of topics as one small number (bit i: ``TOPICS[i]``), compact enough for a button."""
    return sum(1 << index for index, code in enumerate(TOPICS) if code in set(codes))


def topics_from_mask(mask: int) -> tuple[str, ...]:
    """The topics of :func:`topics_mask`, in their canonical order; unknown bits are ignored."""
    return tuple(code for index, code in enumerate(TOPICS) if mask >> index & 1)
