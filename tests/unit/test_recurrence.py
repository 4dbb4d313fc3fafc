"""Meeting series and reminder times: wall time kept per timezone, weekday-of-month, offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.recurrence import (
    InvalidOffsets,
    Recurrence,
    occurrence_start,
    occurrences_between,
    parse_offsets,
    reminder_times,
)

JAKARTA, MAKASSAR, JAYAPURA, BERLIN = (
    "Asia/Jakarta",
    "Asia/Makassar",
    "Asia/Jayapura",
    "Europe/Berlin",
)


def local(tz: str, *fields: int) -> datetime:
    """An aware UTC instant given as wall time in ``tz``."""
    return datetime(*fields, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def wall(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def series(first: datetime, recurrence: Recurrence, tz: str, count: int) -> list[datetime]:
    return [occurrence_start(first, recurrence, tz, i) for i in range(count)]


# ---------------------------------------------------------------- weekly and biweekly


def test_weekly_series_in_jakarta_keeps_19_00_across_the_new_year() -> None:
    first = local(JAKARTA, 2026, 12, 22, 19, 0)  # Tuesday 19:00 WIB = 12:00 UTC
    starts = series(first, Recurrence.WEEKLY, JAKARTA, 3)
    assert starts == [
        datetime(2026, 12, 22, 12, 0, tzinfo=UTC),
        datetime(2026, 12, 29, 12, 0, tzinfo=UTC),
        datetime(2027, 1, 5, 12, 0, tzinfo=UTC),
    ]
    assert all(s.tzinfo is UTC for s in starts)


def test_biweekly_series_in_makassar_skips_a_week() -> None:
    first = local(MAKASSAR, 2026, 12, 3, 19, 0)  # 11:00 UTC
    assert occurrence_start(first, Recurrence.BIWEEKLY, MAKASSAR, 2) == datetime(
        2026, 12, 31, 11, 0, tzinfo=UTC
    )


def test_weekly_series_in_berlin_keeps_wall_time_over_daylight_saving() -> None:
    first = local(BERLIN, 2027, 3, 22, 19, 0)  # CET, UTC+1
    second = occurrence_start(first, Recurrence.WEEKLY, BERLIN, 1)  # CEST from 28 March
    assert first.hour == 18 and second.hour == 17
    assert wall(second, BERLIN) == datetime(2027, 3, 29, 19, 0)


def test_a_wall_time_skipped_by_daylight_saving_moves_forward_by_the_gap() -> None:
    first = local(BERLIN, 2027, 3, 21, 2, 30)
    assert wall(occurrence_start(first, Recurrence.WEEKLY, BERLIN, 1), BERLIN) == datetime(
        2027, 3, 28, 3, 30
    )


def test_an_ambiguous_wall_time_takes_its_first_instance() -> None:
    first = local(BERLIN, 2027, 10, 24, 2, 30)
    repeated = occurrence_start(first, Recurrence.WEEKLY, BERLIN, 1)
    assert repeated == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST, not CET


# ---------------------------------------------------------------- monthly


def test_monthly_series_stays_on_the_second_tuesday() -> None:
    first = local(JAKARTA, 2026, 12, 8, 19, 0)  # 2nd Tuesday of December
    dates = [
        wall(s, JAKARTA).date().isoformat() for s in series(first, Recurrence.MONTHLY, JAKARTA, 4)
    ]
    assert dates == ["2026-12-08", "2027-01-12", "2027-02-09", "2027-03-09"]


def test_a_fifth_weekday_series_uses_the_last_one_in_shorter_months() -> None:
    first = local(JAKARTA, 2026, 12, 29, 19, 0)  # 5th Tuesday
    dates = [
        wall(s, JAKARTA).date().isoformat() for s in series(first, Recurrence.MONTHLY, JAKARTA, 5)
    ]
    # January and February 2027 have four Tuesdays; March and April have five.
    assert dates == ["2026-12-29", "2027-01-26", "2027-02-23", "2027-03-30", "2027-04-27"]


def test_a_series_on_the_31st_lands_on_the_last_same_weekday_of_february() -> None:
    first = local(MAKASSAR, 2027, 1, 31, 10, 0)  # 5th Sunday
    assert wall(occurrence_start(first, Recurrence.MONTHLY, MAKASSAR, 1), MAKASSAR) == datetime(
        2027, 2, 28, 10, 0
    )


def test_monthly_weekday_is_counted_in_local_time_in_jayapura() -> None:
    # 07:00 WIT on Monday 4 January is still Sunday in UTC: the local date must decide.
    first = local(JAYAPURA, 2027, 1, 4, 7, 0)
    assert first == datetime(2027, 1, 3, 22, 0, tzinfo=UTC)
    assert series(first, Recurrence.MONTHLY, JAYAPURA, 3) == [
        first,
        datetime(2027, 1, 31, 22, 0, tzinfo=UTC),  # Monday 1 February, 07:00 WIT
        datetime(2027, 2, 28, 22, 0, tzinfo=UTC),  # Monday 1 March
    ]


def test_monthly_series_crosses_many_years() -> None:
    first = local(JAKARTA, 2026, 12, 8, 19, 0)
    assert wall(occurrence_start(first, Recurrence.MONTHLY, JAKARTA, 25), JAKARTA) == datetime(
        2029,
        1,
        9,
        19,
        0,  # 2nd Tuesday of January 2029
    )


# ---------------------------------------------------------------- one-off and bad input


def test_a_one_off_meeting_has_only_occurrence_zero() -> None:
    first = local(JAKARTA, 2026, 12, 8, 19, 0)
    assert occurrence_start(first, Recurrence.ONCE, JAKARTA, 0) == first
    with pytest.raises(ValueError):
        occurrence_start(first, Recurrence.ONCE, JAKARTA, 1)


def test_negative_index_and_naive_times_are_refused() -> None:
    first = local(JAKARTA, 2026, 12, 8, 19, 0)
    with pytest.raises(ValueError):
        occurrence_start(first, Recurrence.WEEKLY, JAKARTA, -1)
    with pytest.raises(ValueError):
        occurrence_start(datetime(2026, 12, 8, 12), Recurrence.WEEKLY, JAKARTA, 0)
    with pytest.raises(ValueError):
        occurrences_between(first, Recurrence.WEEKLY, JAKARTA, datetime(2027, 1, 1), first)


# ---------------------------------------------------------------- occurrences_between

WEEKLY_FIRST = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # Tuesday 19:00 WIB


def test_between_includes_start_and_excludes_end() -> None:
    start = WEEKLY_FIRST + timedelta(weeks=2)
    end = WEEKLY_FIRST + timedelta(weeks=4)
    found = occurrences_between(WEEKLY_FIRST, Recurrence.WEEKLY, JAKARTA, start, end)
    assert found == [(2, start), (3, start + timedelta(weeks=1))]


def test_between_one_microsecond_after_an_occurrence_excludes_it() -> None:
    start = WEEKLY_FIRST + timedelta(weeks=1, microseconds=1)
    found = occurrences_between(
        WEEKLY_FIRST, Recurrence.WEEKLY, JAKARTA, start, start + timedelta(weeks=1)
    )
    assert found == [(2, WEEKLY_FIRST + timedelta(weeks=2))]


def test_between_a_window_before_the_series_starts_is_empty_or_starts_at_zero() -> None:
    before = WEEKLY_FIRST - timedelta(days=30)
    assert occurrences_between(WEEKLY_FIRST, Recurrence.WEEKLY, JAKARTA, before, WEEKLY_FIRST) == []
    found = occurrences_between(
        WEEKLY_FIRST, Recurrence.BIWEEKLY, JAKARTA, before, WEEKLY_FIRST + timedelta(days=15)
    )
    assert [index for index, _ in found] == [0, 1]


def test_between_monthly_matches_occurrence_start_over_two_years() -> None:
    first = local(JAYAPURA, 2026, 12, 31, 7, 0)  # 5th Thursday, and the UTC date is the 30th
    found = occurrences_between(
        first,
        Recurrence.MONTHLY,
        JAYAPURA,
        first + timedelta(days=200),
        first + timedelta(days=930),
    )
    expected = [
        (i, occurrence_start(first, Recurrence.MONTHLY, JAYAPURA, i))
        for i in range(40)
        if first + timedelta(days=200)
        <= occurrence_start(first, Recurrence.MONTHLY, JAYAPURA, i)
        < first + timedelta(days=930)
    ]
    assert found == expected and len(found) == 24


def test_between_a_one_off_meeting_yields_it_at_most_once() -> None:
    day = timedelta(days=1)
    once = Recurrence.ONCE
    assert occurrences_between(WEEKLY_FIRST, once, JAKARTA, WEEKLY_FIRST, WEEKLY_FIRST + day) == [
        (0, WEEKLY_FIRST)
    ]
    assert occurrences_between(WEEKLY_FIRST, once, JAKARTA, WEEKLY_FIRST - day, WEEKLY_FIRST) == []


# ---------------------------------------------------------------- reminders


def test_reminder_times_are_earliest_first() -> None:
    meeting = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    assert reminder_times(meeting, (60, 1440)) == [
        (1440, datetime(2026, 12, 7, 12, 0, tzinfo=UTC)),
        (60, datetime(2026, 12, 8, 11, 0, tzinfo=UTC)),
    ]
    assert reminder_times(meeting, ()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1440,60", (1440, 60)),
        (" 60 , 1440 ", (1440, 60)),
        ("10080", (10080,)),
        ("1,2,3,4,5", (5, 4, 3, 2, 1)),
    ],
)
def test_parse_offsets_accepts_distinct_minutes(text: str, expected: tuple[int, ...]) -> None:
    assert parse_offsets(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "0",
        "10081",
        "60,60",
        "60,,1440",
        "-5",
        "+60",
        "1e3",
        "1_000",
        "60;1440",
        "١٢",  # Arabic-Indic digits: int() would take them
        "1,2,3,4,5,6",
        "'; DROP TABLE groups; --",
        "<b>60</b>",
        "9" * 5000,
    ],
)
def test_parse_offsets_refuses_anything_else(text: str) -> None:
    with pytest.raises(InvalidOffsets):
        parse_offsets(text)


def test_invalid_offsets_is_a_value_error() -> None:
    assert issubclass(InvalidOffsets, ValueError)
