"""The weekly questionnaire and the instruments it asks: why a sitting was asked."""

from __future__ import annotations

from enum import StrEnum


class Purpose(StrEnum):
    """Why a questionnaire was asked (``questionnaires.purpose``)."""

    BASELINE = "baseline"  # the first one: offered after sign-up and on joining a group
    WEEKLY = "weekly"  # the weekly prompt
    WEEK4 = "week4"  # the 4th week after joining a group
    WEEK12 = "week12"  # the 12th week after joining a group
    SELF = "self"  # started by the person (/checkin)
