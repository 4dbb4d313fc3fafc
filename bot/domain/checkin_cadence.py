"""When a member's weekly check-in prompt comes, and which purpose it has (pure: no I/O).

A schedule is a weekday and a minute of the day in the member's own timezone (default Sunday
19:00, the column defaults of ``checkin_schedules``). Prompt times are computed per week from
the local wall time with zoneinfo, never by adding 7 x 24 hours in UTC, so a zone with
daylight saving keeps the prompt at the chosen hour on both sides of a change (Indonesia has
none, but members may live anywhere). A wall time a change skips resolves, as zoneinfo does
with ``fold=0``, to the instant an hour later on the wall; a repeated one to its first
occurrence.

Weeks are ISO weeks (Monday to Sunday) of the prompt's *local* date: the week key names the
prompt in dedupe keys, so one member has at most one prompt per week whatever they change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.questionnaires import Purpose

DEFAULT_WEEKDAY = 6  # Sunday (Monday = 0, as datetime.weekday() and the table count)
DEFAULT_MINUTE = 19 * 60  # 19:00
MINUTES_PER_DAY = 24 * 60
WEEK = timedelta(days=7)
# The one gentle nudge comes this long after the prompt went out, if nothing was answered.
NUDGE_AFTER = timedelta(hours=48)
# A check-in completed this shortly before a prompt answers that week's already (someone who
# used /checkin on Saturday is not asked again on Sunday): the prompt is skipped.
ANSWERED_RECENTLY = timedelta(days=3)
# A prompt the bot could not send on time (it was down, Telegram failed) still goes this late;
# later than that it is skipped: a "weekly" check-in a day late reads as a mistake.
PROMPT_GRACE = timedelta(hours=24)
# The same for the nudge, whose moment matters less than not nagging at night.
NUDGE_GRACE = timedelta(hours=12)
# Pauses offered in /settings, in weeks.
PAUSE_WEEKS = (1, 2, 4)

_WEEK_KEY = re.compile(r"(\d{4})-W(\d{2})")
_TYPED_TIME = re.compile(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*")


@dataclass(frozen=True, slots=True)
class CheckinSchedule:
    """A member's weekly prompt; the default one is what a member without a row has."""

    weekday: int = DEFAULT_WEEKDAY
    minute_of_day: int = DEFAULT_MINUTE
    # No prompt before this moment (UTC); a pause of N weeks skips exactly N prompts.
    paused_until: datetime | None = None
    # Set: no prompts at all until the member turns them back on.
    stopped_at: datetime | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        if not 0 <= self.minute_of_day < MINUTES_PER_DAY:
            raise ValueError("minute_of_day must be 0 to 1439")

    @property
    def time_of_day(self) -> time:
        return time(*divmod(self.minute_of_day, 60))

    def paused_at(self, moment: datetime) -> bool:
        return self.paused_until is not None and moment < self.paused_until

    @property
    def is_default(self) -> bool:
        """Nothing differs from the default: the member needs no stored row."""
        return self == CheckinSchedule()


def week_key(moment: datetime, tz: str) -> str:
    """The ISO year and week of ``moment``'s local date in ``tz``, e.g. ``2026-W49``."""
    year, week, _ = moment.astimezone(ZoneInfo(tz)).date().isocalendar()
    return f"{year}-W{week:02d}"


def prompt_in_week(schedule: CheckinSchedule, tz: str, week: str) -> datetime:
    """The prompt time (UTC) of ISO week ``week`` (as :func:`week_key` writes it)."""
    match = _WEEK_KEY.fullmatch(week)
    if match is None:
        raise ValueError(f"not a week key: {week!r}")
    day = date.fromisocalendar(int(match[1]), int(match[2]), schedule.weekday + 1)
    return _at(schedule, tz, day)


def next_prompt(
    schedule: CheckinSchedule, tz: str, after: datetime, *, after_week: str | None = None
) -> datetime | None:
    """The first prompt at or after ``after`` (and the end of any pause) in a week later than
    ``after_week`` (the last week already planned); None while prompts are stopped.

    ``after_week`` is what makes a schedule change safe: moving the day from Monday to Sunday
    after Monday's prompt went out finds this Sunday, in the same week, and goes on to next
    week's, so no week has two prompts.
    """
    if schedule.stopped_at is not None:
        return None
    start = max(after, schedule.paused_until) if schedule.paused_until else after
    local = start.astimezone(ZoneInfo(tz)).date()
    day = local + timedelta(days=schedule.weekday - local.weekday())
    while True:
        candidate = _at(schedule, tz, day)
        if candidate >= start and (after_week is None or week_key(candidate, tz) > after_week):
            return candidate
        day += WEEK


def _at(schedule: CheckinSchedule, tz: str, day: date) -> datetime:
    local = datetime.combine(day, schedule.time_of_day, tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def nudge_time(prompt_sent_at: datetime) -> datetime:
    """When the nudge goes if the prompt sent at ``prompt_sent_at`` is still unanswered."""
    return prompt_sent_at + NUDGE_AFTER


def paused_until(now: datetime, weeks: int) -> datetime:
    """The end of a pause of ``weeks`` weeks from ``now``: whatever the day, exactly that many
    weekly prompts fall inside it."""
    if weeks < 1:
        raise ValueError("a pause lasts at least one week")
    return now + weeks * WEEK


def week_after_joining(prompt_at: datetime, joined_at: datetime) -> int | None:
    """Which week after joining a group ``prompt_at`` falls in: week n holds the days
    7(n-1) to 7n-1 after ``joined_at``, counted in whole 24-hour days from the moment of
    joining (so the 1st week is days 0-6, the 4th week days 21-27, the 12th days 77-83).
    A weekly prompt lands in each such week exactly once while the schedule stays the same.
    None before joining."""
    if prompt_at < joined_at:
        return None
    return (prompt_at - joined_at) // WEEK + 1


def prompt_purpose(prompt_at: datetime, first_joined_at: datetime | None) -> Purpose:
    """``week4`` / ``week12`` when the prompt falls in the 4th / 12th week after the member
    first joined a group (:func:`week_after_joining`): the "after" points compared with the
    baseline; ``weekly`` otherwise (also for someone in no group, who is not prompted)."""
    week = week_after_joining(prompt_at, first_joined_at) if first_joined_at else None
    return {4: Purpose.WEEK4, 12: Purpose.WEEK12}.get(week or 0, Purpose.WEEKLY)


def parse_time_of_day(text: str) -> int | None:
    """A typed time such as ``20:30``, ``7:05`` or ``20.30`` (how Indonesians often write it)
    as a minute of the day; None for anything else."""
    match = _TYPED_TIME.fullmatch(text)
    return None if match is None else int(match[1]) * 60 + int(match[2])
