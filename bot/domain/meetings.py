"""Meetings and seats as plain data, and the rules about them (pure: no I/O, no telegram).

Seat rules: a meeting holds at most ``capacity`` people going; at most the group's
``trial_seats`` of them may be trial guests. Whoever cannot get a seat waits, first come first
served, and the first waiting person who fits is promoted when a seat frees. A person has at
most one active trial per group.

Input rules: typed start times (``2026-12-03 19:30`` in the group's timezone), the date and
time pickers, durations, join links and place texts, each refused with a reason code that the
UI turns into a kind message.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

# How far ahead occurrences of a repeating meeting exist as rows (and so can be joined,
# reminded of and shown on group cards): eight weeks, but never fewer than three occurrences.
HORIZON = timedelta(weeks=8)
MIN_UPCOMING = 3
# How long after a trial meeting its guest may still be asked whether to join.
FOLLOWUP_WINDOW = timedelta(days=7)
# A meeting may be scheduled at most this far ahead.
LATEST_START = timedelta(days=366)
PICKER_DAYS = 14
TIME_STEP_MINUTES = 15
FIRST_PICKER_TIME = time(6, 0)
LAST_PICKER_TIME = time(22, 0)
DURATIONS: tuple[int, ...] = (60, 90, 120, 150)
CAPACITY_CHOICES: tuple[int, ...] = (6, 8, 10, 12, 15, 20)
MIN_CAPACITY, MAX_CAPACITY = 2, 100
MAX_PLACE_LENGTH = 200
MAX_LINK_LENGTH = 300

# Typed times: "2026-12-03 19:30"; also "2026-12-03 19.30" (the Indonesian way of writing it).
_TYPED_START = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2})[:.](\d{2})\s*$")


class SeatKind(enum.StrEnum):
    MEMBER = "member"
    TRIAL = "trial"


class SeatStatus(enum.StrEnum):
    GOING = "going"
    NOT_GOING = "not_going"
    WAITLIST = "waitlist"
    CANCELLED = "cancelled"


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class MeetingKind(enum.StrEnum):
    """What a meeting is; only a seminar may be open to people who are not members."""

    SUPPORT = "support"
    WORKSHOP = "workshop"
    SEMINAR = "seminar"
    SOCIAL = "social"


@dataclass(frozen=True, slots=True)
class Meeting:
    """One occurrence of a series, as materialised in the ``meetings`` table."""

    id: int
    series_id: int
    group_id: int
    occurrence: int
    starts_at: datetime
    duration_minutes: int
    place: str | None
    join_link: str | None
    capacity: int
    status: MeetingStatus
    kind: MeetingKind = MeetingKind.SUPPORT
    title: str | None = None
    open_to_all: bool = False

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED

    def is_coming(self, now: datetime) -> bool:
        """Still on and not started: seats, RSVPs and reminders apply only to these."""
        return not self.is_cancelled and self.starts_at > now


@dataclass(frozen=True, slots=True)
class MeetingSeries:
    """A meeting as scheduled by a facilitator: one-off or repeating."""

    id: int
    group_id: int
    first_starts_at: datetime
    duration_minutes: int
    recurrence: str
    place: str | None
    join_link: str | None
    capacity: int
    cancelled_at: datetime | None


@dataclass(frozen=True, slots=True)
class Seat:
    """A person's place at one meeting (members' seats exist only once they answered)."""

    meeting_id: int
    member_id: int
    kind: SeatKind
    status: SeatStatus
    created_at: datetime

    @property
    def confirmed(self) -> bool:
        return self.status is SeatStatus.GOING


@dataclass(frozen=True, slots=True)
class SeatCounts:
    """How full a meeting is."""

    members_going: int = 0
    trials_going: int = 0
    waitlist: int = 0

    @property
    def going(self) -> int:
        return self.members_going + self.trials_going


@dataclass(frozen=True, slots=True)
class NewMeeting:
    """What a facilitator chose in /newmeeting, ready to be stored."""

    group_id: int
    first_starts_at: datetime
    duration_minutes: int
    recurrence: str
    place: str | None
    join_link: str | None
    capacity: int
    kind: MeetingKind = MeetingKind.SUPPORT
    title: str | None = None
    open_to_all: bool = False


@dataclass(frozen=True, slots=True)
class MeetingOverview:
    """A meeting with how full it is, for facilitators' lists and trial choices."""

    meeting: Meeting
    counts: SeatCounts


@dataclass(frozen=True, slots=True)
class FinishedTrial:
    """A trial guest of a meeting that has ended, not yet asked whether to join."""

    group_id: int
    member_id: int
    meeting_id: int


class Outcome(enum.Enum):
    """How a request about a meeting ended."""

    DONE = "done"
    REFUSED = "refused"  # not the caller's group (a forged or stale button)
    GONE = "gone"  # cancelled, over, or no such meeting
    GOING = "going"
    WAITLIST = "waitlist"
    NOT_GOING = "not_going"
    ALREADY = "already"  # an active trial in this group already
    NO_TRIALS = "no_trials"
    MEMBER = "member"  # already a member: no trial needed
    NOT_MEMBER = "not_member"
    BAD_TIME = "bad_time"
    JOINED = "joined"
    FULL = "full"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class PlannerReport:
    """What one meetings planner pass added."""

    occurrences: int = 0
    reminders: int = 0
    followups: int = 0


def has_room(kind: SeatKind, counts: SeatCounts, capacity: int, trial_seats: int) -> bool:
    """Whether one more person of ``kind`` fits; trial guests also need a free trial seat."""
    if counts.going >= capacity:
        return False
    return kind is SeatKind.MEMBER or counts.trials_going < trial_seats


def seats_left(counts: SeatCounts, capacity: int, trial_seats: int) -> tuple[int, int]:
    """(seats left, trial seats left) for a group card."""
    left = max(capacity - counts.going, 0)
    return left, min(left, max(trial_seats - counts.trials_going, 0))


def first_to_promote(
    waiting: Sequence[Seat], counts: SeatCounts, capacity: int, trial_seats: int
) -> Seat | None:
    """The longest-waiting person who now fits (a member may pass a trial guest who doesn't)."""
    for seat in sorted(waiting, key=lambda s: (s.created_at, s.member_id)):
        if seat.status is SeatStatus.WAITLIST and has_room(
            seat.kind, counts, capacity, trial_seats
        ):
            return seat
    return None


def occurrences_to_materialise(
    start_of: Callable[[int], datetime],
    *,
    repeating: bool,
    next_index: int,
    already_upcoming: int,
    now: datetime,
) -> list[tuple[int, datetime]]:
    """New (index, start) pairs so that the next eight weeks, and at least three occurrences,
    exist; occurrences that passed unseen (the bot was down) are never created late."""
    if not repeating:
        start = start_of(0)
        return [(0, start)] if next_index == 0 and start > now else []
    found: list[tuple[int, datetime]] = []
    index = next_index
    while True:
        start = start_of(index)
        if start > now + HORIZON and already_upcoming + len(found) >= MIN_UPCOMING:
            return found
        if start > now:
            found.append((index, start))
        index += 1


class TimeProblem(enum.StrEnum):
    MALFORMED = "malformed"
    PAST = "past"
    TOO_FAR = "too_far"


@dataclass(frozen=True, slots=True)
class TimeCheck:
    """A checked start time: the UTC instant, or why it cannot be used."""

    start: datetime | None = None
    problem: TimeProblem | None = None


def parse_typed_start(text: str, tz: str, now: datetime) -> TimeCheck:
    """A typed ``YYYY-MM-DD HH:MM`` in the group's timezone, checked against ``now``."""
    match = _TYPED_START.match(text or "")
    if match is None:
        return TimeCheck(problem=TimeProblem.MALFORMED)
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))
    except ValueError:  # 2026-02-30, 25:00 …
        return TimeCheck(problem=TimeProblem.MALFORMED)
    return check_start(local, now)


def check_start(start: datetime, now: datetime) -> TimeCheck:
    """A start must lie in the future and at most a year ahead."""
    if start <= now:
        return TimeCheck(problem=TimeProblem.PAST)
    if start - now > LATEST_START:
        return TimeCheck(problem=TimeProblem.TOO_FAR)
    return TimeCheck(start=start.astimezone(now.tzinfo))


def picker_dates(now: datetime, tz: str, days: int = PICKER_DAYS) -> list[date]:
    """Today (while start times are left on it) and the following days, as dates in the
    group's timezone."""
    today = now.astimezone(ZoneInfo(tz)).date()
    first = today if picker_times(today, tz, now) else today + timedelta(days=1)
    return [first + timedelta(days=offset) for offset in range(days)]


def picker_times(day: date, tz: str, now: datetime) -> list[time]:
    """Start times on ``day`` in 15-minute steps, leaving out those already past."""
    zone = ZoneInfo(tz)
    step = timedelta(minutes=TIME_STEP_MINUTES)
    moment = datetime.combine(day, FIRST_PICKER_TIME, tzinfo=zone)
    last = datetime.combine(day, LAST_PICKER_TIME, tzinfo=zone)
    times = []
    while moment <= last:
        if moment > now:
            times.append(moment.time())
        moment += step
    return times


def local_start(day: date, at: time, tz: str) -> datetime:
    """The instant of a wall-clock date and time in ``tz``."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz))


def monthly_week(start: datetime, tz: str) -> int:
    """Which weekday of its month a start is (1 = first … 5 = fifth), for the repeat label."""
    return (start.astimezone(ZoneInfo(tz)).day - 1) // 7 + 1


class TextProblem(enum.StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    MARKUP = "markup"
    NOT_HTTPS = "not_https"
    MALFORMED = "malformed"


def check_place(text: str | None) -> str | TextProblem:
    """A place description: one short line of real words, no markup."""
    value = " ".join((text or "").split())
    if not any(ch.isalnum() for ch in value):
        return TextProblem.EMPTY  # nothing typed, or only emoji and punctuation
    if len(value) > MAX_PLACE_LENGTH:
        return TextProblem.TOO_LONG
    if "<" in value or ">" in value or any(unicodedata.category(ch) == "Cc" for ch in value):
        return TextProblem.MARKUP
    return value


def check_join_link(text: str | None) -> str | TextProblem:
    """An ``https://`` link with a real host name (no spaces, no other schemes)."""
    value = (text or "").strip()
    if not value:
        return TextProblem.EMPTY
    if len(value) > MAX_LINK_LENGTH:
        return TextProblem.TOO_LONG
    if not value.lower().startswith("https://"):
        return TextProblem.NOT_HTTPS
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        return TextProblem.MALFORMED
    if (
        any(ch.isspace() for ch in value)
        or _has_control(value)
        or any(ch in value for ch in "<>\"'")
        or "." not in host
        or parts.username is not None
    ):
        return TextProblem.MALFORMED
    return value


def parse_capacity(text: str | None) -> int | None:
    """A typed number of seats within bounds, or None."""
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 3:
        return None
    number = int(value)
    return number if MIN_CAPACITY <= number <= MAX_CAPACITY else None


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value)
