"""What a meeting is (support meeting, workshop, seminar, social activity) and its title, as every
meeting message shows them, and the "add to calendar" button those messages carry.

Titles are typed by facilitators: in texts they go through the translator (HTML-escaped); in
button labels, which Telegram shows as plain text, they go in as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.meetings import Meeting, MeetingKind
from bot.i18n import N_, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button

_KIND_NAMES = {
    MeetingKind.SUPPORT: N_("Support meeting"),
    MeetingKind.WORKSHOP: N_("Workshop"),
    MeetingKind.SEMINAR: N_("Seminar"),
    MeetingKind.SOCIAL: N_("Social activity"),
}
_KIND_ICONS = {
    MeetingKind.SUPPORT: "🤝",
    MeetingKind.WORKSHOP: "🛠",
    MeetingKind.SEMINAR: "🎤",
    MeetingKind.SOCIAL: "☕",
}


@dataclass(frozen=True)
class CalendarFile(CallbackData, prefix="mt:ics"):
    """Sends the meeting as an .ics document (bot/handlers/events.py)."""

    meeting_id: Natural


def kind_name(t: Translator, kind: MeetingKind) -> str:
    return t(_KIND_NAMES[kind])


def kind_label(t: Translator, kind: MeetingKind) -> str:
    """For buttons: "🎤 Seminar"."""
    return f"{_KIND_ICONS[kind]} {kind_name(t, kind)}"


def plain_name(t: Translator, meeting: Meeting) -> str:
    """Kind and title as plain text (button labels, calendar summaries): "Seminar: Stigma"."""
    name = kind_name(t, meeting.kind)
    return f"{name}: {meeting.title}" if meeting.title else name


def heading(t: Translator, meeting: Meeting) -> list[str]:
    """The line naming a meeting in a message; none for an untitled support meeting, so the
    messages of groups that only meet for support read as they always did."""
    if meeting.kind is MeetingKind.SUPPORT and not meeting.title:
        return []
    icon, name = _KIND_ICONS[meeting.kind], kind_name(t, meeting.kind)
    if meeting.title:
        return [t("{icon} {kind}: <b>{title}</b>", icon=icon, kind=name, title=meeting.title)]
    return [f"{icon} <b>{name}</b>"]


def calendar_row(t: Translator, meeting_id: int) -> list[Button]:
    return [(t("📅 Add to calendar"), CalendarFile(meeting_id))]
