"""When a meeting series happens and when its reminders go out (pure time arithmetic).

A series keeps its *local wall time* in the group's timezone: a 19:00 meeting stays at 19:00
for the people attending it, whatever the UTC offset does (Indonesia has no daylight saving
time, but a group abroad may). Every function takes and returns timezone-aware datetimes;
results are in UTC, the form the database stores.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# A reminder at most a week ahead: beyond that it reminds of nothing.
MAX_OFFSET_MINUTES = 7 * 24 * 60
# More reminders than this per meeting would feel like spam.
MAX_REMINDERS = 5
# Longer input cannot be a valid list of at most MAX_REMINDERS offsets; refused before parsing.
_MAX_OFFSETS_TEXT = 100


class Recurrence(StrEnum):
    ONCE = "once"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


_PERIOD_DAYS = {Recurrence.WEEKLY: 7, Recurrence.BIWEEKLY: 14}


class InvalidOffsets(ValueError):
    """Reminder offsets text that is not a list of distinct whole minutes in range."""


def occurrence_start(
    first_start_utc: datetime, recurrence: Recurrence, tz: str, index: int
) -> datetime:
    """Start (aware, UTC) of occurrence ``index`` of a series; index 0 is the first meeting.

    MONTHLY repeats on the same weekday of the month as the first meeting (the 2nd Tuesday
    stays the 2nd Tuesday); a series on a 5th weekday falls on the last such weekday in months
    that have no 5th. A wall time that does not exist on a day (skipped by a daylight-saving
    change) is moved forward by the gap; an ambiguous one takes its first instance.
    """
    _require_aware(first_start_utc)
    if index < 0:
        raise ValueError("occurrence index must not be negative")
    if recurrence is Recurrence.ONCE and index != 0:
        raise ValueError("a one-off meeting has only occurrence 0")
    zone = ZoneInfo(tz)
    first_local = first_start_utc.astimezone(zone)
    day = _occurrence_date(first_local.date(), recurrence, index)
    # Combining date and wall time, then attaching the zone, keeps the wall time; zoneinfo
    # picks the offset in force on that day.
    local = datetime.combine(day, first_local.time().replace(tzinfo=None), tzinfo=zone)
    return local.astimezone(UTC)


def occurrences_between(
    first_start_utc: datetime,
    recurrence: Recurrence,
    tz: str,
    start: datetime,
    end: datetime,
) -> list[tuple[int, datetime]]:
    """(index, start in UTC) of every occurrence with ``start <= t < end``, in order."""
    _require_aware(first_start_utc, start, end)
    if recurrence is Recurrence.ONCE:
        return [(0, first_start_utc.astimezone(UTC))] if start <= first_start_utc < end else []
    found: list[tuple[int, datetime]] = []
    index = _index_before(first_start_utc, recurrence, start)
    while (moment := occurrence_start(first_start_utc, recurrence, tz, index)) < end:
        if moment >= start:
            found.append((index, moment))
        index += 1
    return found


def reminder_times(
    meeting_start: datetime, offsets_minutes: Sequence[int]
) -> list[tuple[int, datetime]]:
    """(offset, send time) for each offset in minutes before the meeting, earliest first."""
    _require_aware(meeting_start)
    return sorted(
        ((offset, meeting_start - timedelta(minutes=offset)) for offset in offsets_minutes),
        key=lambda pair: pair[1],
    )


def parse_offsets(text: str) -> tuple[int, ...]:
    """``"1440,60"`` -> ``(1440, 60)``: distinct minutes in 1..10080, largest first.

    Raises:
        InvalidOffsets: empty, not whole numbers, out of range, repeated, or too many.
    """
    if len(text) > _MAX_OFFSETS_TEXT:
        raise InvalidOffsets("too long")
    parts = [part.strip() for part in text.split(",")]
    # isascii: int() would also accept other scripts' digits, "+60" or "1_000".
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise InvalidOffsets("offsets must be whole minutes separated by commas")
    offsets = [int(part) for part in parts]
    if not all(1 <= offset <= MAX_OFFSET_MINUTES for offset in offsets):
        raise InvalidOffsets(f"offsets must be between 1 and {MAX_OFFSET_MINUTES} minutes")
    if len(set(offsets)) != len(offsets):
        raise InvalidOffsets("offsets must be distinct")
    if len(offsets) > MAX_REMINDERS:
        raise InvalidOffsets(f"at most {MAX_REMINDERS} reminders")
    return tuple(sorted(offsets, reverse=True))


def _occurrence_date(first: date, recurrence: Recurrence, index: int) -> date:
    if recurrence is Recurrence.ONCE:
        return first
    if recurrence is Recurrence.MONTHLY:
        return _same_weekday_of_month(first, index)
    return first + timedelta(days=_PERIOD_DAYS[recurrence] * index)


def _same_weekday_of_month(first: date, months_later: int) -> date:
    """The date ``months_later`` months on that is the same n-th weekday as ``first``."""
    year, month0 = divmod(first.year * 12 + first.month - 1 + months_later, 12)
    month = month0 + 1
    nth = (first.day - 1) // 7 + 1
    first_weekday, days_in_month = calendar.monthrange(year, month)
    day = 1 + (first.weekday() - first_weekday) % 7 + 7 * (nth - 1)
    if day > days_in_month:  # only a 5th weekday can overflow: take the last one instead
        day -= 7
    return date(year, month, day)


def _index_before(first: datetime, recurrence: Recurrence, start: datetime) -> int:
    """An occurrence index at or before the first one >= ``start`` (a safe place to scan from).

    Estimated from elapsed time with one step of slack, which covers daylight-saving shifts
    (hours) and months of different lengths.
    """
    elapsed_days = (start - first).days
    if recurrence is Recurrence.MONTHLY:
        estimate = elapsed_days // 31
    else:
        estimate = elapsed_days // _PERIOD_DAYS[recurrence]
    return max(0, estimate - 1)


def _require_aware(*moments: datetime) -> None:
    if any(moment.tzinfo is None for moment in moments):
        raise ValueError("naive datetime: times must be timezone-aware")
