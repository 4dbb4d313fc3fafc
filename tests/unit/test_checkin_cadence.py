"""The weekly check-in cadence: prompt times in each member's timezone, week keys, pauses,
stops, schedule changes mid-week, the nudge and the purpose of a week's prompt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkin_cadence import (
    CheckinSchedule,
    next_prompt,
    nudge_time,
    parse_time_of_day,
    paused_until,
    prompt_in_week,
    prompt_purpose,
    week_after_joining,
    week_key,
)
from bot.domain.questionnaires import Purpose

JAKARTA, JAYAPURA, BERLIN = "Asia/Jakarta", "Asia/Jayapura", "Europe/Berlin"
DEFAULT = CheckinSchedule()
# Tuesday 1 December 2026, 09:00 WIB; the week's Sunday is 6 December (ISO week 49).
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def local(tz: str, *fields: int) -> datetime:
    return datetime(*fields, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def test_the_default_is_sunday_at_seven_in_the_evening_in_each_members_own_zone() -> None:
    assert next_prompt(DEFAULT, JAKARTA, NOW) == utc(2026, 12, 6, 12, 0)  # 19:00 WIB
    assert next_prompt(DEFAULT, JAYAPURA, NOW) == utc(2026, 12, 6, 10, 0)  # 19:00 WIT
    assert DEFAULT.is_default


def test_the_next_prompt_is_at_or_after_the_moment_and_rolls_over_to_next_week() -> None:
    sunday = utc(2026, 12, 6, 12, 0)
    assert next_prompt(DEFAULT, JAKARTA, sunday) == sunday
    assert next_prompt(DEFAULT, JAKARTA, sunday + timedelta(seconds=1)) == sunday + timedelta(7)
    # Monday 00:30 WIB is still Sunday 17:30 UTC: the local week is the one that counts.
    monday_early = local(JAKARTA, 2026, 12, 7, 0, 30)
    assert next_prompt(DEFAULT, JAKARTA, monday_early) == utc(2026, 12, 13, 12, 0)


def test_week_keys_follow_the_local_date() -> None:
    assert week_key(utc(2026, 12, 6, 12, 0), JAKARTA) == "2026-W49"
    # Sunday 23:30 UTC is Monday 06:30 in Jakarta: the next ISO week there.
    assert week_key(utc(2026, 12, 6, 23, 30), JAKARTA) == "2026-W50"
    assert week_key(utc(2026, 12, 6, 23, 30), "UTC") == "2026-W49"
    # New Year: 31 December 2026 is a Thursday, so it belongs to 2026's week 53.
    assert week_key(utc(2027, 1, 3, 12, 0), JAKARTA) == "2026-W53"
    assert prompt_in_week(DEFAULT, JAKARTA, "2026-W53") == utc(2027, 1, 3, 12, 0)


def test_a_prompt_at_midnight_keeps_its_local_week() -> None:
    late = CheckinSchedule(weekday=6, minute_of_day=23 * 60 + 30)
    prompt = next_prompt(late, JAYAPURA, NOW)
    assert prompt == local(JAYAPURA, 2026, 12, 6, 23, 30)
    assert week_key(prompt, JAYAPURA) == "2026-W49"
    early = CheckinSchedule(weekday=0, minute_of_day=0)
    assert next_prompt(early, JAKARTA, NOW) == local(JAKARTA, 2026, 12, 7, 0, 0)


def test_daylight_saving_keeps_the_wall_time() -> None:
    # Europe/Berlin moves to summer time on Sunday 28 March 2027 at 02:00.
    before = next_prompt(DEFAULT, BERLIN, utc(2027, 3, 21, 0, 0))
    after = next_prompt(DEFAULT, BERLIN, before + timedelta(minutes=1))
    assert before == utc(2027, 3, 21, 18, 0)  # 19:00 CET
    assert after == utc(2027, 3, 28, 17, 0)  # 19:00 CEST: 6 days 23 hours later
    skipped = CheckinSchedule(weekday=6, minute_of_day=2 * 60 + 30)
    assert next_prompt(skipped, BERLIN, utc(2027, 3, 27, 0, 0)) == utc(2027, 3, 28, 1, 30)


def test_a_week_already_planned_is_never_planned_again() -> None:
    sunday = utc(2026, 12, 6, 12, 0)
    assert next_prompt(DEFAULT, JAKARTA, NOW, after_week="2026-W49") == sunday + timedelta(7)
    # Monday's prompt went out; the member moves the day to Sunday: next week's Sunday.
    monday = CheckinSchedule(weekday=0)
    sent = next_prompt(monday, JAKARTA, utc(2026, 11, 30, 0, 0))
    assert sent == local(JAKARTA, 2026, 11, 30, 19, 0)
    assert week_key(sent, JAKARTA) == "2026-W49"
    assert next_prompt(DEFAULT, JAKARTA, sent, after_week="2026-W49") == sunday + timedelta(7)


def test_a_schedule_change_mid_week_applies_from_now() -> None:
    # Tuesday 09:00: moving to Wednesday 07:00 gives tomorrow's prompt, the same week.
    wednesday = CheckinSchedule(weekday=2, minute_of_day=7 * 60)
    assert next_prompt(wednesday, JAKARTA, NOW) == local(JAKARTA, 2026, 12, 2, 7, 0)
    # Moving to Monday 19:00 (already past this week) gives next week's Monday, not a late one.
    monday = CheckinSchedule(weekday=0)
    assert next_prompt(monday, JAKARTA, NOW) == local(JAKARTA, 2026, 12, 7, 19, 0)


@pytest.mark.parametrize(
    ("weeks", "first"),
    [(1, utc(2026, 12, 13, 12, 0)), (2, utc(2026, 12, 20, 12, 0)), (4, utc(2027, 1, 3, 12, 0))],
)
def test_a_pause_of_n_weeks_skips_exactly_n_prompts(weeks: int, first: datetime) -> None:
    paused = CheckinSchedule(paused_until=paused_until(NOW, weeks))
    assert next_prompt(paused, JAKARTA, NOW) == first
    assert paused.paused_at(NOW) and not paused.paused_at(paused_until(NOW, weeks))
    with pytest.raises(ValueError):
        paused_until(NOW, 0)


def test_a_stopped_schedule_has_no_prompt() -> None:
    stopped = CheckinSchedule(stopped_at=NOW)
    assert next_prompt(stopped, JAKARTA, NOW) is None
    assert not stopped.is_default


def test_the_nudge_comes_48_hours_after_the_prompt() -> None:
    assert nudge_time(utc(2026, 12, 6, 12, 0)) == utc(2026, 12, 8, 12, 0)


def test_the_4th_and_12th_week_after_joining_are_follow_up_points() -> None:
    joined = utc(2026, 11, 1, 5, 0)
    assert week_after_joining(joined, joined) == 1
    assert week_after_joining(joined + timedelta(days=20, hours=23), joined) == 3
    assert week_after_joining(joined + timedelta(days=21), joined) == 4
    assert week_after_joining(joined + timedelta(days=27, hours=23), joined) == 4
    assert week_after_joining(joined + timedelta(days=28), joined) == 5
    assert week_after_joining(joined - timedelta(seconds=1), joined) is None
    assert prompt_purpose(joined + timedelta(days=24), joined) is Purpose.WEEK4
    assert prompt_purpose(joined + timedelta(days=80), joined) is Purpose.WEEK12
    assert prompt_purpose(joined + timedelta(days=84), joined) is Purpose.WEEKLY
    assert prompt_purpose(joined + timedelta(days=3), joined) is Purpose.WEEKLY
    assert prompt_purpose(joined, None) is Purpose.WEEKLY


def test_exactly_one_weekly_prompt_lands_in_the_4th_week() -> None:
    joined = local(JAYAPURA, 2026, 11, 4, 20, 15)  # a Wednesday evening
    prompt, purposes = joined, []
    for _ in range(14):
        prompt = next_prompt(DEFAULT, JAYAPURA, prompt + timedelta(seconds=1))
        purposes.append(prompt_purpose(prompt, joined))
    assert purposes.count(Purpose.WEEK4) == 1 and purposes.count(Purpose.WEEK12) == 1
    assert purposes.index(Purpose.WEEK4) == 3 and purposes.index(Purpose.WEEK12) == 11


@pytest.mark.parametrize(
    ("text", "minute"),
    [("20:30", 1230), ("7:05", 425), ("07.05", 425), (" 00:00 ", 0), ("23:59", 1439)],
)
def test_typed_times(text: str, minute: int) -> None:
    assert parse_time_of_day(text) == minute


@pytest.mark.parametrize("text", ["24:00", "7", "19:60", "jam 7", "7pm", "", "19:5"])
def test_typed_times_that_are_not_times(text: str) -> None:
    assert parse_time_of_day(text) is None


def test_a_schedule_refuses_impossible_values() -> None:
    with pytest.raises(ValueError):
        CheckinSchedule(weekday=7)
    with pytest.raises(ValueError):
        CheckinSchedule(minute_of_day=1440)
