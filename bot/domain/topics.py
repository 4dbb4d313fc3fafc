"""The topics a support group can focus on, as stable codes (stored, and used in callback data).

Their translatable labels live in :mod:`bot.ui.labels`: the domain does not depend on i18n.
"""

from __future__ import annotations

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
