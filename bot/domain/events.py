"""Workshops, seminars and social activities: the rules about a meeting's title and about
seminars open to everyone (pure: no I/O, no telegram).

A title is public (it shows on cards, in /events and in calendar files), so it follows the
rules of other public names (the alias rules, and the buddy relay's, which also know bare
domains such as bit.ly): one short line, no markup, and no way to reach a person.
"""

from __future__ import annotations

import enum
import unicodedata

from bot.domain.alias import contact_problem
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.off_platform import contact_details

MIN_TITLE_LENGTH = 3
MAX_TITLE_LENGTH = 80


class TitleProblem(enum.StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    MARKUP = "markup"
    CONTACT = "contact"


def check_title(text: str | None) -> str | TitleProblem:
    """A meeting title: one line of 3 to 80 characters, no markup, no contact details."""
    value = " ".join(unicodedata.normalize("NFKC", text or "").split())
    if sum(ch.isalnum() for ch in value) < MIN_TITLE_LENGTH:
        return TitleProblem.TOO_SHORT
    if len(value) > MAX_TITLE_LENGTH:
        return TitleProblem.TOO_LONG
    if any(ch in value for ch in "<>") or any(
        unicodedata.category(ch) in ("Cc", "Cf") for ch in value
    ):
        return TitleProblem.MARKUP
    if contact_problem(value) is not None or contact_details(value):
        return TitleProblem.CONTACT
    return value


def may_be_open(kind: MeetingKind) -> bool:
    """Only seminars (awareness, stigma reduction) are open to people who are not members."""
    return kind is MeetingKind.SEMINAR


def is_open_event(meeting: Meeting) -> bool:
    """Listed in /events, with guest seats for anyone signed up."""
    return meeting.open_to_all and may_be_open(meeting.kind)
