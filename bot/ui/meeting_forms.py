"""Texts and keyboards of /newmeeting (area ``nm``) and /poll_time (area ``tp``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain.groups import Group
from bot.domain.meetings import (
    CAPACITY_CHOICES,
    DURATIONS,
    MAX_CAPACITY,
    MIN_CAPACITY,
    Meeting,
    monthly_week,
)
from bot.domain.recurrence import Recurrence
from bot.domain.time_polls import ChatPoll, PollResults, PollTarget, TimePoll
from bot.i18n import N_, Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, in_rows, inline
from bot.ui.meeting_picker import (
    TIMES_PER_PAGE,
    DayCode,
    StartCode,
    TimeCode,
    date_view,
    day_code,
    short_when,
    start_code,
    time_buttons,
    time_code,
    time_view,
    when,
    when_in_group,
)
from bot.ui.view import View

MAX_POLL_OPTIONS = 5
MIN_POLL_OPTIONS = 2


# --- buttons: /newmeeting (area nm) ------------------------------------------------------------


@dataclass(frozen=True)
class ChooseMeetingGroup(CallbackData, prefix="nm:group"):
    group_id: Natural


@dataclass(frozen=True)
class MeetingDay(CallbackData, prefix="nm:date"):
    day: DayCode


@dataclass(frozen=True)
class MeetingDays(CallbackData, prefix="nm:dates"):
    """Back to the days (« Change the time)."""


@dataclass(frozen=True)
class MeetingTimesPage(CallbackData, prefix="nm:tpage"):
    page: Natural


@dataclass(frozen=True)
class MeetingTime(CallbackData, prefix="nm:time"):
    time: TimeCode


@dataclass(frozen=True)
class MeetingDuration(CallbackData, prefix="nm:dur"):
    minutes: Natural


@dataclass(frozen=True)
class MeetingRepeat(CallbackData, prefix="nm:rep"):
    recurrence: Recurrence


@dataclass(frozen=True)
class MeetingCapacity(CallbackData, prefix="nm:cap"):
    capacity: Natural


@dataclass(frozen=True)
class ScheduleMeeting(CallbackData, prefix="nm:ok"):
    pass


@dataclass(frozen=True)
class DiscardMeeting(CallbackData, prefix="nm:no"):
    pass


@dataclass(frozen=True)
class ScheduleAt(CallbackData, prefix="nm:at"):
    """A time from a poll's results: /newmeeting for the group, with the start filled in."""

    group_id: Natural
    start: StartCode


# --- buttons: /poll_time (area tp) -------------------------------------------------------------


@dataclass(frozen=True)
class ChoosePollGroup(CallbackData, prefix="tp:group"):
    group_id: Natural


@dataclass(frozen=True)
class NewPoll(CallbackData, prefix="tp:new"):
    """ "Propose new times" under a poll's results, which end the conversation: this starts it
    again, for the group."""

    group_id: Natural


@dataclass(frozen=True)
class PollDay(CallbackData, prefix="tp:date"):
    day: DayCode


@dataclass(frozen=True)
class PollDays(CallbackData, prefix="tp:dates"):
    """Back to the days (« Other day)."""


@dataclass(frozen=True)
class PollTimesPage(CallbackData, prefix="tp:tpage"):
    page: Natural


@dataclass(frozen=True)
class PollTime(CallbackData, prefix="tp:time"):
    time: TimeCode


@dataclass(frozen=True)
class SendPoll(CallbackData, prefix="tp:send"):
    pass


@dataclass(frozen=True)
class SendPollTo(CallbackData, prefix="tp:to"):
    """Where to ask, for a group with a linked chat (the chat is the group's, never named
    here)."""

    where: PollTarget


@dataclass(frozen=True)
class EndPoll(CallbackData, prefix="tp:end"):
    """ "End the poll" under its results (the poll in the group chat is stopped too)."""

    poll_id: Natural


# "first Thursday of the month" and so on, by the week number of the day in its month.
_NTH = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"), 5: N_("last")}


@dataclass(frozen=True, slots=True)
class Summary:
    start: datetime
    duration: int
    recurrence: str
    place: str | None
    link: str | None
    capacity: int


def use_buttons_hint(t: Translator) -> str:
    return t("Please use the buttons below (or /cancel to stop).")


def group_choice_view(
    t: Translator,
    groups: Sequence[Group],
    choose: Callable[[int], CallbackData] = ChooseMeetingGroup,
) -> View:
    rows = [[(g.name, choose(g.id))] for g in groups]
    return t("For which group?"), inline(rows)


def date_step_view(t: Translator, group: Group, days: Sequence[date]) -> View:
    heading = t("📅 New meeting for <b>{group}</b>.", group=group.name)
    return date_view(t, heading, days, group.timezone, lambda d: MeetingDay(day_code(d)))


def time_step_view(
    t: Translator, day: date, tz: str, times: Sequence[time], page_index: int
) -> View:
    page_index = min(page_index, max(len(times) - 1, 0) // TIMES_PER_PAGE)
    rows = time_buttons(
        t,
        times,
        page_index,
        lambda at: MeetingTime(time_code(at)),
        MeetingTimesPage,
    )
    return time_view(t, day, tz, rows, MeetingDays())


def duration_view(t: Translator, start: datetime, tz: str, own_tz: str) -> View:
    text = t(
        "📅 <b>{when}</b>\n\nHow long will the meeting be?",
        when=when_in_group(t, start, tz, own_tz),
    )
    buttons = [
        (t("{minutes} min", minutes=minutes), MeetingDuration(minutes)) for minutes in DURATIONS
    ]
    return text, inline([*in_rows(buttons, 4), [(t("« Change the time"), MeetingDays())]])


def repeat_label(t: Translator, recurrence: str, start: datetime, tz: str) -> str:
    weekday = t.format_date(start, tz, "EEEE")
    labels = {
        "once": t("Just once"),
        "weekly": t("Every week on {weekday}", weekday=weekday),
        "biweekly": t("Every two weeks on {weekday}", weekday=weekday),
        "monthly": t(
            "Every month on the {nth} {weekday}",
            nth=t(_NTH[monthly_week(start, tz)]),
            weekday=weekday,
        ),
    }
    return labels[recurrence]


def repeat_view(t: Translator, start: datetime, tz: str) -> View:
    rows = [[(repeat_label(t, r, start, tz), MeetingRepeat(r))] for r in Recurrence]
    return t("Does it repeat?"), inline(rows)


def place_prompt(t: Translator) -> str:
    return t(
        "📍 Where do you meet? Type the place, e.g. <i>Community hall, Jl. Merdeka 5, Makassar</i>."
    )


def link_prompt(t: Translator) -> str:
    return t(
        "🔗 Send the join link for the online meeting (it must start with https://). Only people "
        "with a confirmed seat will see it."
    )


def capacity_view(t: Translator) -> View:
    buttons = [(str(n), MeetingCapacity(n)) for n in CAPACITY_CHOICES]
    text = t(
        "👥 How many people can take part at most? Tap a number or type one between {low} and "
        "{high}.",
        low=MIN_CAPACITY,
        high=MAX_CAPACITY,
    )
    return text, inline(in_rows(buttons, 6))


def capacity_problem_text(t: Translator) -> str:
    return t(
        "Please send a whole number between {low} and {high}, e.g. 12.",
        low=MIN_CAPACITY,
        high=MAX_CAPACITY,
    )


def summary_view(
    t: Translator, group: Group, summary: Summary, own_tz: str, extra: Sequence[str] = ()
) -> View:
    """The meeting to confirm, in the group's timezone (and the facilitator's own, if other);
    ``extra`` lines (kind and title) come last."""
    tz = group.timezone
    lines: list[str] = [
        t("<b>New meeting for {group}</b>", group=group.name),
        t("📅 {when}", when=when_in_group(t, summary.start, tz, own_tz)),
        t("⏱ {minutes} minutes", minutes=summary.duration),
        t("🔁 {repeat}", repeat=repeat_label(t, summary.recurrence, summary.start, tz)),
    ]
    if summary.place:
        lines.append(t("📍 {place}", place=summary.place))
    if summary.link:
        lines.append(t("🔗 {link}", link=summary.link))
    lines += [t("👥 Up to {n} people", n=summary.capacity), *extra, "", t("Schedule it?")]
    return "\n".join(lines), inline(
        [
            [(t("✅ Schedule"), ScheduleMeeting())],
            [(t("« Change the time"), MeetingDays()), (t("✖️ Discard"), DiscardMeeting())],
        ]
    )


def scheduled_text(t: Translator, group: Group, meetings: Sequence[Meeting], own_tz: str) -> str:
    if not meetings:
        return t("Sorry, this group can no longer take meetings.")
    lines: list[str] = [
        t(
            "✅ Scheduled for <b>{group}</b>. Members will be reminded. Coming dates:",
            group=group.name,
        )
    ]
    lines += [f"• {when_in_group(t, m.starts_at, group.timezone, own_tz)}" for m in meetings[:5]]
    lines.append(t("See and change them with /meetings."))
    return "\n".join(lines)


def discarded_text(t: Translator) -> str:
    return t("Okay, nothing was scheduled.")


# --- /poll_time -------------------------------------------------------------------------------


def poll_group_choice_view(t: Translator, groups: Sequence[Group]) -> View:
    return group_choice_view(t, groups, ChoosePollGroup)


def poll_results_view(
    t: Translator,
    group: Group,
    poll: TimePoll,
    results: PollResults,
    chat_poll: ChatPoll | None,
    tz: str,
) -> View:
    """The answers so far, with the times in the facilitator's own timezone ``tz``: the
    private answers, and apart from them the anonymous counts of the group chat's poll."""
    lines: list[str] = [t("<b>Time poll for {group}</b>", group=group.name)]
    if results.asked_privately or chat_poll is None:
        lines.append(
            t.plural("{n} member answered so far.", "{n} members answered so far.", results.voters)
        )
        lines += _option_counts(t, poll.options, results.counts, tz)
    if chat_poll is not None:
        lines += ["", *_chat_poll_lines(t, poll, chat_poll, tz, results.asked_privately > 0)]
    if poll.closed_at is not None:
        lines += ["", t("This poll has ended.")]
    rows: list[list[Button]] = [
        [
            (
                t("📅 Schedule {when}", when=short_when(t, start, tz)),
                ScheduleAt(group.id, start_code(start)),
            )
        ]
        for start in poll.options
    ]
    if poll.closed_at is None:
        rows.append([(t("🏁 End the poll"), EndPoll(poll.id))])
    rows.append([(t("🗳 Propose new times"), NewPoll(group.id))])
    return "\n".join(lines), inline(rows)


def _option_counts(
    t: Translator, options: Sequence[datetime], counts: Sequence[int], tz: str
) -> list[str]:
    return [
        t("• {when}: {count}", when=when(t, start, tz), count=count)
        for start, count in zip(options, counts, strict=True)
    ]


def _chat_poll_lines(
    t: Translator, poll: TimePoll, chat_poll: ChatPoll, tz: str, also_private: bool
) -> list[str]:
    if not chat_poll.posted:
        # Due in a moment, or never (unlinked, or the bot removed, before it could be posted).
        return [t("💬 The poll has not been posted in the group chat (yet).")]
    lines: list[str] = [t("💬 Voted in the group chat (anonymously): {n}", n=chat_poll.voters)]
    if also_private:
        lines.append(
            t(
                "These votes are counted apart from the private answers above: one person may "
                "have answered both ways."
            )
        )
    # Counts as Telegram last reported them; none yet is none for every time.
    counts = chat_poll.counts if len(chat_poll.counts) == len(poll.options) else None
    return lines + _option_counts(t, poll.options, counts or [0] * len(poll.options), tz)


def poll_pick_view(
    t: Translator, group: Group, days: Sequence[date], chosen: Sequence[datetime], own_tz: str
) -> View:
    lines: list[str] = [
        t("🗳 <b>Time poll for {group}</b>", group=group.name),
        t(
            "Propose {low} to {high} times; each member gets a poll to tick the ones that suit "
            "them.",
            low=MIN_POLL_OPTIONS,
            high=MAX_POLL_OPTIONS,
        ),
    ]
    if chosen:
        lines.append(t("Chosen so far:"))
        lines += [f"• {when_in_group(t, start, group.timezone, own_tz)}" for start in chosen]
    extra: list[list[Button]] = []
    if len(chosen) >= MIN_POLL_OPTIONS:
        extra.append([(t("📨 Send the poll"), SendPoll())])
    if len(chosen) >= MAX_POLL_OPTIONS:
        return "\n".join(lines), inline(extra)
    return date_view(
        t,
        "\n".join(lines),
        days,
        group.timezone,
        lambda d: PollDay(day_code(d)),
        extra,
    )


def poll_time_view(
    t: Translator, day: date, tz: str, times: Sequence[time], page_index: int
) -> View:
    page_index = min(page_index, max(len(times) - 1, 0) // TIMES_PER_PAGE)
    rows = time_buttons(
        t,
        times,
        page_index,
        lambda at: PollTime(time_code(at)),
        PollTimesPage,
    )
    return time_view(t, day, tz, rows, PollDays())


def poll_question(t: Translator, group: Group) -> str:
    return t("Which times suit you for the next meeting of {group}?", group=group.name)


def poll_option(t: Translator, start: datetime, tz: str) -> str:
    return (
        f"{t.format_date(start, tz, 'EEE d MMM')}, {t.format_time(start, tz)} {tz_abbreviation(tz)}"
    )


def poll_where_view(t: Translator, chat_title: str) -> View:
    text = t(
        "Where should I ask? In the group chat <b>{title}</b> the poll is anonymous: everyone "
        "sees only how many chose each time.",
        title=chat_title,
    )
    return text, inline(
        [
            [(t("🔒 Privately to each member"), SendPollTo(PollTarget.PRIVATE))],
            [(t("💬 In the group chat"), SendPollTo(PollTarget.CHAT))],
            [(t("Both"), SendPollTo(PollTarget.BOTH))],
        ]
    )


def poll_in_chat_text(t: Translator) -> str:
    return t(
        "💬 The poll will be posted in the group chat in a moment. Send /poll_time again to see "
        "the votes."
    )


def poll_ended_text(t: Translator) -> str:
    return t("🏁 The poll has ended; its results stay in /poll_time.")


def poll_already_ended_toast(t: Translator) -> str:
    return t("This poll has already ended.")


def poll_sent_text(t: Translator, sent: int) -> str:
    return t.plural(
        "📨 The poll went to {n} member. Send /poll_time again to see the answers.",
        "📨 The poll went to {n} members. Send /poll_time again to see the answers.",
        sent,
    )


def poll_duplicate_text(t: Translator) -> str:
    return t("That time is already on the list.")
