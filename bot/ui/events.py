"""/events: seminars open to everyone, their seats for visitors, and the calendar file's caption.
Buttons are area ``mt`` (meetings), answered by bot/handlers/events.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.groups import Group
from bot.domain.meetings import Meeting, MeetingOverview, seats_left
from bot.i18n import Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, inline
from bot.ui.meeting_kinds import calendar_row, heading, plain_name
from bot.ui.meeting_picker import short_when, when, when_in_group
from bot.ui.meetings import place_and_link
from bot.ui.view import View

LABEL_CHARS = 60


@dataclass(frozen=True)
class EventsList(CallbackData, prefix="mt:evlist"):
    pass


@dataclass(frozen=True)
class OpenEvent(CallbackData, prefix="mt:event"):
    meeting_id: Natural


@dataclass(frozen=True)
class ReserveSeat(CallbackData, prefix="mt:evseat"):
    meeting_id: Natural


def events_view(t: Translator, items: Sequence[tuple[MeetingOverview, Group]], tz: str) -> View:
    if not items:
        return t(
            "There are no open events coming up right now. Please look again soon, or find a "
            "group with /groups."
        ), None
    lines = [
        t("<b>Open events</b>: seminars anyone may come to (times in your timezone)."),
    ]
    rows: list[list[Button]] = []
    for overview, group in items:
        meeting = overview.meeting
        lines.append(
            t(
                "• {when} — {name} · <b>{group}</b>",
                when=short_when(t, meeting.starts_at, tz),
                name=plain_name(t, meeting),
                group=group.name,
            )
        )
        label = f"{short_when(t, meeting.starts_at, tz)} · {plain_name(t, meeting)}"
        rows.append([(label[:LABEL_CHARS], OpenEvent(meeting.id))])
    return "\n".join(lines), inline(rows)


def event_view(
    t: Translator, overview: MeetingOverview, group: Group, tz: str, *, show_link: bool
) -> View:
    meeting = overview.meeting
    left = seats_left(overview.counts, meeting.capacity, meeting.capacity)[0]
    lines = [
        *heading(t, meeting),
        t("With <b>{group}</b>", group=group.name),
        when_in_group(t, meeting.starts_at, group.timezone, tz),
        *place_and_link(t, meeting, show_link=show_link),
        t("Seats left: {n}", n=left) if left else t("Full: you can join the waitlist."),
        "",
        t("Open to everyone: you don't need to be a member of the group."),
    ]
    rows: list[list[Button]] = [
        [(t("🎟 Reserve a seat"), ReserveSeat(meeting.id))],
        calendar_row(t, meeting.id),
        [(t("« All events"), EventsList())],
    ]
    return "\n".join(lines), inline(rows)


def reserved_view(t: Translator, group: Group, meeting: Meeting, tz: str) -> View:
    lines = [
        t(
            "✅ You have a seat at {name} with <b>{group}</b> on {when}. I'll remind you "
            "beforehand.",
            name=plain_name(t, meeting),
            group=group.name,
            when=when(t, meeting.starts_at, tz),
        ),
        *place_and_link(t, meeting, show_link=True),
        t("Changed your mind? Cancel any time in /mymeetings."),
    ]
    return "\n\n".join(lines), inline([calendar_row(t, meeting.id)])


def reserve_refusal_text(t: Translator, outcome: str) -> str:
    texts = {
        "already": t("You already have a seat (or a waitlist place) here. See /mymeetings."),
        "member": t("You're a member of this group: answer in /mymeetings whether you're coming."),
        "waitlist": t(
            "It's full for now: you're on the waitlist, and I'll tell you if a seat frees."
        ),
    }
    return texts.get(
        outcome,
        t("That event has been cancelled, has already started, or is no longer open."),
    )


def calendar_caption(t: Translator) -> str:
    return t("📅 Open this file to add the meeting to your calendar.")


def calendar_sent_text(t: Translator) -> str:
    return t("The calendar file is just above.")
