"""The progress chart's series: the 12-week window in the person's timezone, daily means,
the summary's figures, and when there is too little to draw."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.moods import MoodPoint
from bot.domain.progress import WINDOW_DAYS, DayValue, progress_series, window_start

# Tuesday 1 December 2026, 02:00 UTC: 09:00 in Jakarta (UTC+7), 11:00 in Jayapura (UTC+9).
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def at(text: str, score: int) -> MoodPoint:
    return MoodPoint(datetime.fromisoformat(text), score)


def test_the_window_is_twelve_weeks_ending_today_in_the_persons_zone() -> None:
    series = progress_series(NOW, "Asia/Jakarta", [], [])
    assert series.last_day == date(2026, 12, 1)
    assert series.first_day == date(2026, 12, 1) - timedelta(days=WINDOW_DAYS - 1)
    assert window_start(NOW, "Asia/Jakarta") == datetime(2026, 9, 8, 17, 0, tzinfo=UTC)


def test_points_outside_the_window_are_left_out() -> None:
    moods = [
        at("2026-09-08T16:59:59+00:00", 1),  # 23:59 WIB on 8 Sep: the day before the window
        at("2026-09-08T17:00:00+00:00", 2),  # 00:00 WIB on 9 Sep: its first moment
        at("2026-12-01T03:00:00+00:00", 5),  # an hour from now: not yet
    ]
    series = progress_series(NOW, "Asia/Jakarta", moods, [])
    assert series.moods == (DayValue(date(2026, 9, 9), 2),)


def test_moods_are_averaged_per_day_of_the_persons_timezone() -> None:
    # 14:30 and 16:30 UTC on 30 November: the same evening in Jakarta, but 16:30 UTC is
    # already 1 December in Jayapura.
    moods = [at("2026-11-30T14:30:00+00:00", 2), at("2026-11-30T16:30:00+00:00", 4)]
    jakarta = progress_series(NOW, "Asia/Jakarta", moods, [])
    jayapura = progress_series(NOW, "Asia/Jayapura", moods, [])
    assert jakarta.moods == (DayValue(date(2026, 11, 30), 3.0),)
    assert jayapura.moods == (DayValue(date(2026, 11, 30), 2), DayValue(date(2026, 12, 1), 4))


def test_the_summary_gives_the_latest_who5_and_its_change_and_mood_this_week_vs_before() -> None:
    who5 = [at("2026-11-01T12:00:00+00:00", 40), at("2026-11-29T12:00:00+00:00", 52)]
    moods = [
        at("2026-11-24T12:00:00+00:00", 1),  # 24 Nov: before this week (which starts 25 Nov)
        at("2026-11-25T12:00:00+00:00", 4),
        at("2026-11-30T12:00:00+00:00", 5),
    ]
    series = progress_series(NOW, "Asia/Jakarta", moods, who5)
    assert (series.latest_who5, series.who5_change) == (52, 12)
    assert (series.mood_this_week, series.mood_before) == (4.5, 1.0)
    assert series.drawable and series.point_count == 5


def test_fewer_than_two_points_make_no_chart() -> None:
    one = progress_series(NOW, "Asia/Jakarta", [at("2026-11-30T12:00:00+00:00", 3)], [])
    assert not one.drawable
    assert (one.latest_who5, one.who5_change, one.mood_before) == (None, None, None)
    # Two moods on the same day are one point of the chart.
    same_day = [at("2026-11-30T12:00:00+00:00", 3), at("2026-11-30T13:00:00+00:00", 4)]
    assert not progress_series(NOW, "Asia/Jakarta", same_day, []).drawable
    one_each = progress_series(
        NOW, "Asia/Jakarta", same_day[:1], [at("2026-11-30T12:00:00+00:00", 60)]
    )
    assert one_each.drawable and one_each.who5_change is None
