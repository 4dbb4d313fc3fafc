"""A person's progress over the last 12 weeks: WHO-5 scores and daily moods, by day in their
own timezone, and the figures the chart's text summary gives (pure; drawn in bot.ui).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.moods import MoodPoint

WINDOW_DAYS = 12 * 7  # the last 12 weeks, today included
WEEK_DAYS = 7  # "this week": today and the six days before
MIN_POINTS = 2  # fewer points than this make no chart worth drawing


@dataclass(frozen=True, slots=True)
class DayValue:
    day: date  # in the person's timezone
    value: float


@dataclass(frozen=True, slots=True)
class ProgressSeries:
    """What the chart draws and its summary says."""

    first_day: date
    last_day: date  # today
    who5: tuple[DayValue, ...]  # the last WHO-5 score of each day with one, 0-100
    moods: tuple[DayValue, ...]  # the mean mood of each day with one, 1-5

    @property
    def point_count(self) -> int:
        return len(self.who5) + len(self.moods)

    @property
    def drawable(self) -> bool:
        return self.point_count >= MIN_POINTS

    @property
    def latest_who5(self) -> int | None:
        return round(self.who5[-1].value) if self.who5 else None

    @property
    def who5_change(self) -> int | None:
        """The latest WHO-5 score minus the one before it (None with fewer than two)."""
        if len(self.who5) < 2:
            return None
        return round(self.who5[-1].value - self.who5[-2].value)

    @property
    def mood_this_week(self) -> float | None:
        """The mean of the daily moods of today and the six days before."""
        return _mean(p.value for p in self.moods if p.day > self.last_day - timedelta(WEEK_DAYS))

    @property
    def mood_before(self) -> float | None:
        """The mean of the daily moods of the window before this week."""
        return _mean(p.value for p in self.moods if p.day <= self.last_day - timedelta(WEEK_DAYS))


def window_start(now: datetime, tz: str) -> datetime:
    """The first instant of the window: midnight, in ``tz``, of its first day."""
    zone = ZoneInfo(tz)
    first = now.astimezone(zone).date() - timedelta(days=WINDOW_DAYS - 1)
    return datetime.combine(first, time(0), tzinfo=zone)


def progress_series(
    now: datetime, tz: str, moods: Iterable[MoodPoint], who5: Iterable[MoodPoint]
) -> ProgressSeries:
    """The window's series from moods (1-5) and WHO-5 scores (0-100, as a MoodPoint each) at
    any time; points outside the window (or in the future) are left out."""
    zone = ZoneInfo(tz)
    last = now.astimezone(zone).date()
    first = last - timedelta(days=WINDOW_DAYS - 1)

    def in_window(points: Iterable[MoodPoint]) -> list[tuple[date, datetime, int]]:
        local = ((p.at.astimezone(zone).date(), p.at, p.score) for p in points if p.at <= now)
        return sorted(item for item in local if first <= item[0] <= last)

    by_day: dict[date, list[int]] = defaultdict(list)
    for day, _, score in in_window(moods):
        by_day[day].append(score)
    latest: dict[date, int] = {day: score for day, _, score in in_window(who5)}  # sorted: last wins
    return ProgressSeries(
        first_day=first,
        last_day=last,
        who5=tuple(DayValue(day, score) for day, score in sorted(latest.items())),
        moods=tuple(
            DayValue(day, sum(scores) / len(scores)) for day, scores in sorted(by_day.items())
        ),
    )


def _mean(values: Iterable[float]) -> float | None:
    found: Sequence[float] = list(values)
    return sum(found) / len(found) if found else None
