"""Texts and buttons of the weekly check-in's schedule in /settings: day, time, a pause, off.

Day and time buttons carry the value stored when their screen was shown (``shown``), so a
double tap or a press on an old message can be told from a change (bot.domain.corrections).
Pause, off and on judge by the stored state instead: pausing what is paused changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from babel.dates import get_day_names

from bot.domain.checkin_cadence import PAUSE_WEEKS, CheckinSchedule, next_prompt
from bot.i18n import N_, Html, Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, in_rows, inline
from bot.ui.menu import OpenSettings
from bot.ui.view import View

# The times offered as buttons (minutes of the day); any other can be typed.
TIME_CHOICES = (7 * 60, 12 * 60, 17 * 60, 19 * 60, 21 * 60)
# One label per pause offered (bot.domain.checkin_cadence.PAUSE_WEEKS): plain msgids, which
# the translations file can carry (it holds no plural forms).
PAUSE_LABELS = {1: N_("⏸ Pause 1 week"), 2: N_("⏸ Pause 2 weeks"), 4: N_("⏸ Pause 4 weeks")}


@dataclass(frozen=True)
class OpenCheckinSchedule(CallbackData, prefix="cs:open"):
    """The weekly check-in's screen (in /settings, and under each prompt)."""


@dataclass(frozen=True)
class CheckinDays(CallbackData, prefix="cs:days"):
    pass


@dataclass(frozen=True)
class SetCheckinDay(
    CallbackData,
    prefix="cs:setday",
    own_idempotence="says Already saved, or that the screen is out of date",
):
    weekday: Natural  # Monday = 0
    shown: Natural  # the day stored when the buttons were shown


@dataclass(frozen=True)
class CheckinTimes(CallbackData, prefix="cs:times"):
    pass


@dataclass(frozen=True)
class SetCheckinTime(
    CallbackData,
    prefix="cs:settime",
    own_idempotence="says Already saved, or that the screen is out of date",
):
    minute: Natural  # of the day
    shown: Natural  # the time stored when the buttons were shown


@dataclass(frozen=True)
class PauseCheckins(CallbackData, prefix="cs:pause"):
    weeks: Natural


@dataclass(frozen=True)
class StopCheckins(CallbackData, prefix="cs:stop"):
    pass


@dataclass(frozen=True)
class ResumeCheckins(CallbackData, prefix="cs:resume"):
    pass


def day_name(t: Translator, weekday: int) -> str:
    return str(get_day_names("wide", locale=t.locale)[weekday])


def time_label(t: Translator, minute_of_day: int, tz: str) -> str:
    return t.format_time(time(*divmod(minute_of_day, 60)), tz)


def schedule_line(
    t: Translator, schedule: CheckinSchedule, tz: str, now: datetime, *, in_group: bool
) -> Html:
    """One line for the settings screen: when the check-in comes, or why it does not."""
    if schedule.stopped_at is not None:
        return t("Weekly check-in: off")
    when = _when(t, schedule, tz)
    if schedule.paused_at(now):
        return t("Weekly check-in: paused until {date}", date=_resumes(t, schedule, tz, now))
    if not in_group:
        return t("Weekly check-in: {when}, once you have joined a group", when=when)
    return t("Weekly check-in: {when}", when=when)


def _when(t: Translator, schedule: CheckinSchedule, tz: str) -> Html:
    return t(
        "every {weekday} at {time} {zone}",
        weekday=day_name(t, schedule.weekday),
        time=time_label(t, schedule.minute_of_day, tz),
        zone=tz_abbreviation(tz),
    )


def _resumes(t: Translator, schedule: CheckinSchedule, tz: str, now: datetime) -> str:
    """The date of the first prompt after the pause."""
    first = next_prompt(schedule, tz, now)
    assert first is not None, "a paused schedule is not stopped"
    return t.format_date(first, tz, "EEEE, d MMMM")


def schedule_view(
    t: Translator,
    schedule: CheckinSchedule,
    tz: str,
    now: datetime,
    *,
    in_group: bool,
    note: str = "",
) -> View:
    """The weekly check-in's screen, after ``note`` (what just changed)."""
    lines = [
        t("<b>Weekly check-in</b>"),
        t(
            "Once a week, a few short questions about how you have been. If it doesn't suit "
            "you that week, one gentle reminder follows two days later, then nothing until the "
            "next week. You can also check in any time with /checkin."
        ),
        "",
        schedule_line(t, schedule, tz, now, in_group=in_group),
    ]
    rows: list[list[Button]] = [
        [(t("📅 Day"), CheckinDays()), (t("🕖 Time"), CheckinTimes())],
    ]
    if schedule.stopped_at is not None:
        rows.append([(t("▶️ Turn back on"), ResumeCheckins())])
    elif schedule.paused_at(now):
        rows.append([(t("▶️ Resume now"), ResumeCheckins())])
        rows.append([(t("⏹ Turn off"), StopCheckins())])
    else:
        rows.append([(t(PAUSE_LABELS[weeks]), PauseCheckins(weeks)) for weeks in PAUSE_WEEKS])
        rows.append([(t("⏹ Turn off"), StopCheckins())])
    rows.append([(t("◀ Back to settings"), OpenSettings())])
    text = "\n".join(lines)
    return (f"{note}\n\n{text}" if note else text), inline(rows)


def days_view(t: Translator, schedule: CheckinSchedule) -> View:
    monday_first = [
        (
            ("✅ " if day == schedule.weekday else "") + day_name(t, day),
            SetCheckinDay(day, schedule.weekday),
        )
        for day in range(7)
    ]
    rows = in_rows(monday_first, 4)
    rows.append([(t("◀ Back"), OpenCheckinSchedule())])
    return t("On which day would you like the weekly check-in?"), inline(rows)


def times_view(t: Translator, schedule: CheckinSchedule, tz: str, note: str = "") -> View:
    """The time buttons; a typed time works from here on."""
    choices = [
        (
            ("✅ " if minute == schedule.minute_of_day else "") + time_label(t, minute, tz),
            SetCheckinTime(minute, schedule.minute_of_day),
        )
        for minute in TIME_CHOICES
    ]
    rows = in_rows(choices, 3)
    rows.append([(t("◀ Back"), OpenCheckinSchedule())])
    text = t(
        "At what time ({zone})? Choose one, or type a time such as 20:30.",
        zone=tz_abbreviation(tz),
    )
    return (f"{note}\n\n{text}" if note else text), inline(rows)


def time_not_understood_text(t: Translator) -> str:
    return t(
        "I didn't quite catch that time. Please write it as hours and minutes, for example "
        "20:30 or 07:00, or choose one of the buttons."
    )


def paused_text(t: Translator) -> str:
    return t("⏸ Paused. Take the time you need.")


def stopped_text(t: Translator) -> str:
    return t("⏹ The weekly check-in is off. /checkin still works whenever you want it.")


def resumed_text(t: Translator) -> str:
    return t("▶️ The weekly check-in is on again.")
