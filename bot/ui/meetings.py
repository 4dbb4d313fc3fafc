"""Texts and keyboards about meetings: facilitators' lists, trials, /mymeetings, attendance,
reminders and notices. Every view takes plain data and a translator; names of groups and
places are formatted in through the translator (HTML-escaped).

Their buttons are area ``mt``, answered by bot/handlers/meetings.py.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.domain.groups import Group
from bot.domain.meetings import (
    Meeting,
    Seat,
    SeatCounts,
    SeatKind,
    SeatStatus,
    TextProblem,
    TimeProblem,
)
from bot.domain.paging import page
from bot.i18n import Html, Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.groups import OpenCard, TrySession, nav_row
from bot.ui.keyboards import Button, inline
from bot.ui.meeting_kinds import CalendarFile, calendar_row, heading
from bot.ui.meeting_picker import (
    DayCode,
    StartCode,
    TimeCode,
    short_when,
    start_code,
    when,
    when_in_group,
)
from bot.ui.view import View

ALIASES_PER_PAGE = 10
GROUPS_PER_PAGE = 8
MEETINGS_PER_PAGE = 6  # /meetings: a week or two of a few groups, short enough to read


# --- buttons: facilitators ---------------------------------------------------------------------


@dataclass(frozen=True)
class FacilitatedMeetings(CallbackData, prefix="mt:list"):
    pass


@dataclass(frozen=True)
class MeetingsPage(CallbackData, prefix="mt:lpage"):
    page: Natural


@dataclass(frozen=True)
class OpenMeeting(CallbackData, prefix="mt:open"):
    meeting_id: Natural


@dataclass(frozen=True)
class AskCancel(CallbackData, prefix="mt:cancel"):
    meeting_id: Natural


@dataclass(frozen=True)
class ConfirmCancel(CallbackData, prefix="mt:cancelok"):
    meeting_id: Natural


@dataclass(frozen=True)
class AskCancelSeries(CallbackData, prefix="mt:cseries"):
    meeting_id: Natural


@dataclass(frozen=True)
class ConfirmCancelSeries(CallbackData, prefix="mt:cseriesok"):
    meeting_id: Natural


@dataclass(frozen=True)
class MoveMeeting(CallbackData, prefix="mt:move"):
    meeting_id: Natural


@dataclass(frozen=True)
class MoveDay(CallbackData, prefix="mt:mvd"):
    meeting_id: Natural
    day: DayCode


@dataclass(frozen=True)
class MoveTimesPage(CallbackData, prefix="mt:mvp"):
    meeting_id: Natural
    day: DayCode
    page: Natural


@dataclass(frozen=True)
class MoveTime(CallbackData, prefix="mt:mvt"):
    meeting_id: Natural
    day: DayCode
    time: TimeCode


@dataclass(frozen=True)
class ConfirmMove(CallbackData, prefix="mt:mvok"):
    meeting_id: Natural
    start: StartCode


@dataclass(frozen=True)
class AttendancePage(CallbackData, prefix="mt:att"):
    meeting_id: Natural
    page: Natural


@dataclass(frozen=True)
class ToggleAttendance(CallbackData, prefix="mt:atx"):
    meeting_id: Natural
    member_id: Natural
    page: Natural


@dataclass(frozen=True)
class SaveAttendance(CallbackData, prefix="mt:atsave"):
    meeting_id: Natural


# --- buttons: members and trials (also in reminders and notices) ------------------------------


class Reply(enum.StrEnum):
    YES = "y"
    NO = "n"


@dataclass(frozen=True)
class MyMeetings(CallbackData, prefix="mt:mine"):
    pass


@dataclass(frozen=True)
class Rsvp(
    CallbackData, prefix="mt:rsvp", own_idempotence="says the answer again; the buttons show it"
):
    meeting_id: Natural
    reply: Reply


@dataclass(frozen=True)
class AgendaRsvp(
    CallbackData, prefix="mt:arsvp", own_idempotence="says the answer again; the list shows it"
):
    """Going / not going in /mymeetings, which is drawn again with the answer."""

    meeting_id: Natural
    reply: Reply


@dataclass(frozen=True)
class TrialGroups(CallbackData, prefix="mt:tgroups"):
    page: Natural


@dataclass(frozen=True)
class PickTrial(CallbackData, prefix="mt:tpick"):
    meeting_id: Natural


@dataclass(frozen=True)
class ConfirmTrial(CallbackData, prefix="mt:tok"):
    meeting_id: Natural


@dataclass(frozen=True)
class CancelTrial(CallbackData, prefix="mt:tcancel"):
    meeting_id: Natural


@dataclass(frozen=True)
class TrialFollowup(CallbackData, prefix="mt:join"):
    """ "Would you like to join this group?" after a trial session."""

    group_id: Natural
    reply: Reply


# --- shared pieces ------------------------------------------------------------------------------


def place_and_link(t: Translator, meeting: Meeting, *, show_link: bool) -> list[str]:
    """Where to go; the join link only for a confirmed seat, else a hint how to get it."""
    lines: list[str] = []
    if meeting.place:
        lines.append(t("📍 {place}", place=meeting.place))
    if meeting.join_link and show_link:
        lines.append(t("🔗 Join online: {link}", link=meeting.join_link))
    elif meeting.join_link:
        lines.append(t("🔗 The join link appears here once your seat is confirmed."))
    return lines


def rsvp_row(t: Translator, meeting_id: int, going: bool | None = None) -> list[Button]:
    """Going / not going; once answered (``going``), the answer is ticked and the other one
    stays, to change one's mind."""
    return [
        (t("✓ I'm going") if going is True else t("✅ I'm going"), Rsvp(meeting_id, Reply.YES)),
        (t("✓ Not going") if going is False else t("❌ Not going"), Rsvp(meeting_id, Reply.NO)),
    ]


def rsvp_markup(t: Translator, meeting_id: int, going: bool) -> InlineKeyboardMarkup:
    """A reminder's keyboard once answered."""
    return inline([rsvp_row(t, meeting_id, going)])


def counts_text(t: Translator, counts: SeatCounts) -> str:
    """Who answered, leaving out what is zero ("" when nobody has)."""
    parts = []
    if counts.going:
        parts.append(t("{n} going", n=counts.going))
    if counts.trials_going:
        parts.append(t("{n} of them on trial", n=counts.trials_going))
    if counts.waitlist:
        parts.append(t("{n} waiting", n=counts.waitlist))
    return ", ".join(parts)


def refused_text(t: Translator) -> str:
    return t("Sorry, only this group's facilitators can do that.")


def gone_text(t: Translator) -> str:
    return t("That meeting has been cancelled, has already started, or no longer exists.")


# --- facilitators: /meetings -------------------------------------------------------------------


def not_facilitator_text(t: Translator) -> str:
    return t("This is for facilitators of a group. Coordinators can invite you to facilitate one.")


def meetings_list_view(
    t: Translator, items: Sequence[tuple[Meeting, SeatCounts, Group]], tz: str, page_index: int
) -> View:
    """One page of the coming meetings of the groups someone runs, in their own timezone."""
    if not items:
        return t("No upcoming meetings. Schedule one with /newmeeting."), None
    shown, has_prev, has_next = page(items, page_index, MEETINGS_PER_PAGE)
    lines = [t("<b>Upcoming meetings</b> (times in {zone})", zone=tz_abbreviation(tz)), ""]
    buttons: list[list[Button]] = []
    for meeting, counts, group in shown:
        moment = short_when(t, meeting.starts_at, tz)
        counted = counts_text(t, counts)
        lines.append(
            t("• {when} — <b>{group}</b>: {counts}", when=moment, group=group.name, counts=counted)
            if counted
            else t("• {when} — <b>{group}</b>", when=moment, group=group.name)
        )
        lines += [Html(f"  {line}") for line in heading(t, meeting)]
        buttons.append([(f"{moment} · {group.name}"[:60], OpenMeeting(meeting.id))])
    if nav := nav_row(t, MeetingsPage, page_index, has_prev, has_next):
        buttons.append(nav)
    return "\n".join(lines), inline(buttons)


def meeting_detail_view(
    t: Translator,
    meeting: Meeting,
    counts: SeatCounts,
    group: Group,
    tz: str,
    *,
    repeating: bool,
) -> View:
    lines = [
        t("<b>{group}</b>", group=group.name),
        *heading(t, meeting),
        when(t, meeting.starts_at, tz),
        counts_text(t, counts) or t("Nobody has said yet whether they're coming."),
        *place_and_link(t, meeting, show_link=True),
    ]
    rows: list[list[Button]] = [
        calendar_row(t, meeting.id),
        [(t("📅 Move this meeting"), MoveMeeting(meeting.id))],
        [(t("❌ Cancel this meeting"), AskCancel(meeting.id))],
    ]
    if repeating:
        rows.append([(t("❌ Cancel this and all later ones"), AskCancelSeries(meeting.id))])
    rows.append([(t("« All meetings"), FacilitatedMeetings())])
    return "\n".join(lines), inline(rows)


def confirm_cancel_view(
    t: Translator, meeting: Meeting, group: Group, tz: str, *, series: bool
) -> View:
    moment = when(t, meeting.starts_at, tz)
    if series:
        text = t(
            "Cancel the meeting of <b>{group}</b> on {when} and all later ones? Everyone expected "
            "will be told.",
            group=group.name,
            when=moment,
        )
        confirm: CallbackData = ConfirmCancelSeries(meeting.id)
    else:
        text = t(
            "Cancel the meeting of <b>{group}</b> on {when}? Everyone expected will be told.",
            group=group.name,
            when=moment,
        )
        confirm = ConfirmCancel(meeting.id)
    return text, inline(
        [
            [(t("Yes, cancel"), confirm)],
            [(t("No, keep it"), OpenMeeting(meeting.id))],
        ]
    )


def confirm_move_view(
    t: Translator, meeting: Meeting, group: Group, start: datetime, own_tz: str
) -> View:
    """The new time was picked in the group's timezone, so both times are shown in it too."""
    text = t(
        "Move the meeting of <b>{group}</b> from {old} to <b>{new}</b>? Everyone expected will be "
        "told, and their reminders will follow.",
        group=group.name,
        old=when_in_group(t, meeting.starts_at, group.timezone, own_tz),
        new=when_in_group(t, start, group.timezone, own_tz),
    )
    return text, inline(
        [
            [(t("Yes, move it"), ConfirmMove(meeting.id, start_code(start)))],
            [(t("No, keep it"), OpenMeeting(meeting.id))],
        ]
    )


# --- trials ------------------------------------------------------------------------------------


def trial_groups_view(t: Translator, groups: Sequence[Group], page_index: int) -> View:
    if not groups:
        return t("No group offers trial sessions right now. Please look again soon."), None
    shown, has_prev, has_next = page(groups, page_index, GROUPS_PER_PAGE)
    rows: list[list[Button]] = [[(g.name, TrySession(g.id))] for g in shown]
    nav = nav_row(t, TrialGroups, page_index, has_prev, has_next)
    if nav:
        rows.append(nav)
    text = t(
        "<b>Try a session</b>\n\nPick a group. A trial session is one meeting, with no commitment."
    )
    return text, inline(rows)


def trial_meetings_view(
    t: Translator, group: Group, meetings: Sequence[tuple[Meeting, int]], tz: str
) -> View:
    if not meetings:
        return (
            t(
                "<b>{group}</b> has no upcoming meetings yet. Please look again soon.",
                group=group.name,
            ),
            None,
        )
    rows = []
    for meeting, trial_left in meetings:
        label = short_when(t, meeting.starts_at, tz)
        if trial_left == 0:
            label = t("{when} (waitlist)", when=label)
        rows.append([(label, PickTrial(meeting.id))])
    text = t(
        "Upcoming meetings of <b>{group}</b> (times in your timezone). Which one would you like "
        "to try?",
        group=group.name,
    )
    return text, inline(rows)


def what_to_expect(t: Translator) -> str:
    return t(
        "<b>What to expect</b>\n"
        "• A peer group: people with lived experience, led by a trained peer facilitator.\n"
        "• No commitment: this is one session, and you decide afterwards.\n"
        "• You may just listen. It is OK not to share.\n"
        "• Group guidelines: what is said here stays here; one person speaks at a time; "
        "speak from your own experience.\n"
        "• It is peer support, not therapy or an emergency service. In a crisis, send /crisis."
    )


def trial_confirm_view(
    t: Translator, group: Group, meeting: Meeting, tz: str, *, waitlist: bool
) -> View:
    lines = [
        t(
            "Trial session with <b>{group}</b> on {when}.",
            group=group.name,
            when=when(t, meeting.starts_at, tz),
        ),
        what_to_expect(t),
    ]
    if waitlist:
        lines.append(
            t(
                "The trial seats are taken: you would join the waitlist and hear from me if one "
                "frees."
            )
        )
    label = t("Join the waitlist") if waitlist else t("✅ Sign me up")
    return "\n\n".join(lines), inline(
        [
            [(label, ConfirmTrial(meeting.id))],
            [(t("« Other meetings"), TrySession(group.id))],
        ]
    )


def trial_signed_up_text(t: Translator, group: Group, meeting: Meeting, tz: str) -> str:
    return "\n\n".join(
        [
            t(
                "✅ You have a trial seat with <b>{group}</b> on {when}. I'll remind you "
                "beforehand.",
                group=group.name,
                when=when(t, meeting.starts_at, tz),
            ),
            *place_and_link(t, meeting, show_link=True),
            t("Changed your mind? Cancel any time in /mymeetings."),
        ]
    )


def trial_waitlist_text(t: Translator, group: Group) -> str:
    return t(
        "You're on the waitlist for <b>{group}</b>. If a trial seat frees up, it's yours and I'll "
        "tell you right away.",
        group=group.name,
    )


def trial_refusal_text(t: Translator, outcome: str) -> str:
    texts = {
        "already": t("You already have a trial session planned with this group. See /mymeetings."),
        "member": t("You're already a member of this group: no trial needed. See /mymeetings."),
        "no_trials": t("This group does not offer trial sessions at the moment."),
    }
    return texts.get(outcome, gone_text(t))


# --- /mymeetings --------------------------------------------------------------------------------


def my_meetings_view(
    t: Translator, items: Sequence[tuple[Meeting, Seat | None, Group]], tz: str
) -> View:
    if not items:
        return t(
            "You have no upcoming meetings. Find a group with /groups or try one with /trial."
        ), None
    lines: list[str] = [t("<b>Your upcoming meetings</b> (times in your timezone)")]
    rows: list[list[Button]] = []
    for meeting, seat, group in items:
        confirmed = seat is not None and seat.confirmed
        lines += [
            "",
            t("<b>{group}</b> — {when}", group=group.name, when=when(t, meeting.starts_at, tz)),
            *heading(t, meeting),
        ]
        lines.append(_seat_line(t, seat))
        lines += place_and_link(t, meeting, show_link=confirmed)
        label = short_when(t, meeting.starts_at, tz)
        if seat is not None and seat.kind is SeatKind.TRIAL:
            rows.append([(t("Cancel trial · {when}", when=label), CancelTrial(meeting.id))])
        else:
            rows.append(
                [
                    (t("✅ {when}", when=label), AgendaRsvp(meeting.id, Reply.YES)),
                    (t("❌ {when}", when=label), AgendaRsvp(meeting.id, Reply.NO)),
                ]
            )
        rows.append([(t("📅 Add to calendar · {when}", when=label), CalendarFile(meeting.id))])
    return "\n".join(lines), inline(rows)


def _seat_line(t: Translator, seat: Seat | None) -> str:
    if seat is None:
        return t("You haven't said yet whether you're coming.")
    trial = seat.kind is SeatKind.TRIAL
    if seat.status is SeatStatus.GOING:
        return t("Trial session: your seat is confirmed.") if trial else t("You're going.")
    if seat.status is SeatStatus.WAITLIST:
        return t("You're on the waitlist.")
    return t("You're not going.")


def rsvp_answer_text(t: Translator, outcome: str) -> str:
    texts = {
        "going": t("✅ Noted: you're going. See you there!"),
        "not_going": t("Noted: you're not going this time. Thanks for letting us know."),
        "waitlist": t(
            "This meeting is full: you're on the waitlist and I'll tell you if a seat frees."
        ),
        "not_member": t("Only members of this group can answer for its meetings."),
    }
    return texts.get(outcome, gone_text(t))


# --- attendance ---------------------------------------------------------------------------------


def attendance_meetings_view(
    t: Translator, items: Sequence[tuple[Meeting, Group]], tz: str
) -> View:
    if not items:
        return t("No meetings in the last two weeks to mark attendance for."), None
    rows = [
        [
            (
                f"{short_when(t, m.starts_at, tz)} · {g.name}"[:60],
                AttendancePage(m.id, 0),
            )
        ]
        for m, g in items
    ]
    return t("<b>Attendance</b>\n\nWhich meeting?"), inline(rows)


def attendance_view(
    t: Translator,
    meeting: Meeting,
    group: Group,
    tz: str,
    people: Sequence[tuple[int, str]],
    present: frozenset[int],
    page_index: int,
) -> View:
    shown, has_prev, has_next = page(people, page_index, ALIASES_PER_PAGE)
    text = t(
        "<b>{group}</b>, {when}\nTick who came ({count} marked).",
        group=group.name,
        when=when(t, meeting.starts_at, tz),
        count=len(present),
    )
    rows: list[list[Button]] = [
        [
            (
                ("☑️ " if member_id in present else "⬜ ") + alias,
                ToggleAttendance(meeting.id, member_id, page_index),
            )
        ]
        for member_id, alias in shown
    ]
    nav = nav_row(t, lambda p: AttendancePage(meeting.id, p), page_index, has_prev, has_next)
    if nav:
        rows.append(nav)
    rows.append([(t("💾 Save"), SaveAttendance(meeting.id))])
    return text, inline(rows)


def attendance_saved_text(t: Translator, count: int) -> str:
    return t.plural("Saved: {n} person came.", "Saved: {n} people came.", count)


# --- reminders and notices (rendered by bot/notifications/meetings.py) -------------------------


def reminder_view(
    t: Translator,
    group: Group,
    meeting: Meeting,
    seat: Seat | None,
    tz: str,
    now: datetime,
) -> View:
    """A reminder says how soon, as of ``now`` (when it is sent): the hour-before one
    "today … in 1 hour", the day-before one "tomorrow"."""
    confirmed = seat is not None and seat.confirmed
    lines: list[str] = [
        _reminder_heading(t, group, meeting.starts_at, tz, now),
        *heading(t, meeting),
        *place_and_link(t, meeting, show_link=confirmed),
    ]
    if seat is not None and seat.kind is SeatKind.TRIAL and meeting.open_to_all:
        # A guest of an open seminar (bot.services.events), not on trial with the group.
        rows: list[list[Button]] = [[(t("Cancel my seat"), CancelTrial(meeting.id))]]
    elif seat is not None and seat.kind is SeatKind.TRIAL:
        lines.append(t("It's your trial session: you're welcome to just listen."))
        rows = [[(t("Cancel my trial"), CancelTrial(meeting.id))]]
    else:
        rows = [rsvp_row(t, meeting.id)]
    return "\n".join(lines), inline([*rows, calendar_row(t, meeting.id)])


def _reminder_heading(t: Translator, group: Group, start: datetime, tz: str, now: datetime) -> str:
    zone = ZoneInfo(tz)
    days_ahead = (start.astimezone(zone).date() - now.astimezone(zone).date()).days
    if days_ahead == 0:
        return t(
            "⏰ <b>Reminder</b>: <b>{group}</b> meets today at {time} {zone}, in {left}.",
            group=group.name,
            time=t.format_time(start, tz),
            zone=tz_abbreviation(tz),
            left=t.format_duration(start - now),
        )
    if days_ahead == 1:
        return t(
            "⏰ <b>Reminder</b>: <b>{group}</b> meets tomorrow, {when}.",
            group=group.name,
            when=when(t, start, tz),
        )
    return t(
        "⏰ <b>Reminder</b>: <b>{group}</b> meets {when}.",
        group=group.name,
        when=when(t, start, tz),
    )


def cancelled_view(t: Translator, group: Group, meeting: Meeting, tz: str, *, series: bool) -> View:
    moment = when(t, meeting.starts_at, tz)
    if series:
        text = t(
            "❌ The meetings of <b>{group}</b> from {when} on are cancelled. Your facilitator will "
            "share any news.",
            group=group.name,
            when=moment,
        )
    else:
        text = t(
            "❌ The meeting of <b>{group}</b> on {when} is cancelled.",
            group=group.name,
            when=moment,
        )
    return "\n".join([text, *heading(t, meeting)]), None


def moved_view(t: Translator, group: Group, meeting: Meeting, old: datetime, tz: str) -> View:
    text = t(
        "📅 The meeting of <b>{group}</b> has moved from {old} to <b>{new}</b>.",
        group=group.name,
        old=when(t, old, tz),
        new=when(t, meeting.starts_at, tz),
    )
    return "\n".join([text, *heading(t, meeting)]), inline([calendar_row(t, meeting.id)])


def promoted_view(t: Translator, group: Group, meeting: Meeting, tz: str) -> View:
    lines = [
        t(
            "🎉 A seat opened up: you have a place at <b>{group}</b> on {when}.",
            group=group.name,
            when=when(t, meeting.starts_at, tz),
        ),
        *heading(t, meeting),
        *place_and_link(t, meeting, show_link=True),
        t("Can't make it? Let us know in /mymeetings."),
    ]
    return "\n".join(lines), inline([calendar_row(t, meeting.id)])


def followup_view(t: Translator, group: Group) -> View:
    text = t(
        "Thank you for trying a session with <b>{group}</b> 🌱\n\nWould you like to join this "
        "group? If not, that's completely fine: I won't ask again.",
        group=group.name,
    )
    return text, inline(
        [
            [(t("Yes, I'd like to join"), TrialFollowup(group.id, Reply.YES))],
            [(t("No, thank you"), TrialFollowup(group.id, Reply.NO))],
        ]
    )


def followup_answer_view(t: Translator, outcome: str, group: Group | None) -> View:
    """The reply to "join this group?"; a full group points to its card, whose Join button
    stays open to them (nobody is told when a place frees, so the card is the way in)."""
    name = group.name if group else ""
    texts = {
        "joined": t("🎉 Welcome to <b>{group}</b>! Your meetings are in /mymeetings.", group=name),
        "full": t(
            "<b>{group}</b> is full right now, so I couldn't add you. When a place frees up, you "
            "can join with the button on its card. Please look again later.",
            group=name,
        ),
        "declined": t(
            "Thank you for letting us know. If you change your mind, you can still join from the "
            "group's card. You're always welcome to look at other groups with /groups."
        ),
        "member": t("You're already a member of <b>{group}</b>.", group=name),
        "already": t("You already answered this. Thank you!"),
    }
    keyboard = None
    if outcome == "full" and group is not None:
        keyboard = inline([[(t("👥 Open the group card"), OpenCard(group.id))]])
    return texts.get(outcome, gone_text(t)), keyboard


# --- input problems ----------------------------------------------------------------------------


def time_problem_text(t: Translator, problem: TimeProblem) -> Html:
    texts = {
        TimeProblem.MALFORMED: t(
            "I couldn't read that as a date and time. Please write it like the example below, "
            "or use the buttons."
        ),
        TimeProblem.PAST: t("That time has already passed. Please choose a time in the future."),
        TimeProblem.TOO_FAR: t("That is more than a year ahead. Please choose a nearer date."),
    }
    return texts[problem]


def place_problem_text(t: Translator, problem: TextProblem) -> Html:
    texts = {
        TextProblem.EMPTY: t("Please type the place in words, e.g. the venue and the city."),
        TextProblem.TOO_LONG: t("That's a bit long. Please keep the place under 200 characters."),
    }
    return texts.get(problem, t("Please type the place as plain text, without &lt; or &gt;."))


def link_problem_text(t: Translator, problem: TextProblem) -> Html:
    texts = {
        TextProblem.NOT_HTTPS: t("The join link must start with <code>https://</code>."),
        TextProblem.TOO_LONG: t(
            "That link is too long. Please send a shorter one (at most 300 characters)."
        ),
    }
    return texts.get(
        problem,
        t(
            "That doesn't look like a web link. Please send one like <code>https://meet.example.org/abc</code>."
        ),
    )
