"""Pure meeting rules: seats and the waitlist, typed times, pickers, links, places, capacity,
materialising occurrences and planning reminders."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.meeting_notices import (
    ReminderPlan,
    overtaken,
    planned_reminders,
    reminder_from_key,
)
from bot.domain.meetings import (
    HORIZON,
    Meeting,
    MeetingStatus,
    Seat,
    SeatCounts,
    SeatKind,
    SeatStatus,
    TextProblem,
    TimeProblem,
    check_join_link,
    check_place,
    first_to_promote,
    has_room,
    occurrences_to_materialise,
    parse_capacity,
    parse_typed_start,
    picker_dates,
    picker_times,
    seats_left,
)
from bot.domain.recurrence import Recurrence, occurrence_start

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Makassar
WITA = "Asia/Makassar"


def seat(member_id: int, kind: SeatKind, minutes: int) -> Seat:
    return Seat(1, member_id, kind, SeatStatus.WAITLIST, NOW + timedelta(minutes=minutes))


def test_trial_guests_need_a_free_trial_seat_within_capacity() -> None:
    assert has_room(SeatKind.TRIAL, SeatCounts(3, 1), capacity=8, trial_seats=2)
    assert not has_room(SeatKind.TRIAL, SeatCounts(3, 2), capacity=8, trial_seats=2)
    assert has_room(SeatKind.MEMBER, SeatCounts(3, 2), capacity=8, trial_seats=2)
    assert not has_room(SeatKind.MEMBER, SeatCounts(6, 2), capacity=8, trial_seats=2)
    assert seats_left(SeatCounts(6, 1), capacity=8, trial_seats=2) == (1, 1)
    assert seats_left(SeatCounts(7, 1), capacity=8, trial_seats=2) == (0, 0)


def test_the_longest_waiting_person_who_fits_is_promoted() -> None:
    waiting = [seat(7, SeatKind.MEMBER, 5), seat(5, SeatKind.TRIAL, 1), seat(6, SeatKind.TRIAL, 3)]
    assert first_to_promote(waiting, SeatCounts(2, 1), 8, 2).member_id == 5
    # No trial seat free: the member behind them goes first.
    assert first_to_promote(waiting, SeatCounts(2, 2), 8, 2).member_id == 7
    assert first_to_promote(waiting, SeatCounts(6, 2), 8, 2) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", TimeProblem.MALFORMED),
        ("3 Dec 19:30", TimeProblem.MALFORMED),
        ("2026-02-30 19:30", TimeProblem.MALFORMED),
        ("2026-12-03 25:00", TimeProblem.MALFORMED),
        ("2026-12-03 19:30; DROP TABLE", TimeProblem.MALFORMED),
        ("9" * 5000, TimeProblem.MALFORMED),
        ("2026-12-01 09:00", TimeProblem.PAST),
        ("2027-12-03 19:30", TimeProblem.TOO_FAR),
    ],
)
def test_typed_times_are_refused_with_a_reason(text: str, problem: TimeProblem) -> None:
    assert parse_typed_start(text, WITA, NOW).problem is problem


def test_typed_times_are_read_in_the_groups_timezone() -> None:
    assert parse_typed_start("2026-12-03 19:30", WITA, NOW).start == datetime(
        2026, 12, 3, 11, 30, tzinfo=UTC
    )
    assert parse_typed_start(" 2026-12-03 19.30 ", WITA, NOW).start is not None


def test_pickers_offer_fourteen_days_and_future_quarter_hours() -> None:
    days = picker_dates(NOW, WITA)
    assert len(days) == 14 and days[0].isoformat() == "2026-12-01"
    today = picker_times(days[0], WITA, NOW)
    assert today[0] == time(10, 15) and today[-1] == time(22, 0)
    assert len(picker_times(days[1], WITA, NOW)) == 65


def test_pickers_start_tomorrow_once_no_time_is_left_today() -> None:
    late = datetime(2026, 12, 1, 14, 1, tzinfo=UTC)  # 22:01 in Makassar, past the last time
    days = picker_dates(late, WITA)
    assert len(days) == 14 and days[0].isoformat() == "2026-12-02"
    assert picker_dates(late - timedelta(minutes=2), WITA)[0].isoformat() == "2026-12-01"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("http://meet.example.org/x", TextProblem.NOT_HTTPS),
        ("javascript:alert(1)", TextProblem.NOT_HTTPS),
        ("https://localhost", TextProblem.MALFORMED),
        ("https://meet.example.org/a b", TextProblem.MALFORMED),
        ('https://meet.example.org/"><b>', TextProblem.MALFORMED),
        ("https://user@meet.example.org/", TextProblem.MALFORMED),
        ("https://" + "a" * 400 + ".org", TextProblem.TOO_LONG),
        ("", TextProblem.EMPTY),
    ],
)
def test_join_links_must_be_plain_https(text: str, problem: TextProblem) -> None:
    assert check_join_link(text) is problem


def test_places_and_capacity() -> None:
    assert check_place("  Balai warga,\nJl. Merdeka 5 ") == "Balai warga, Jl. Merdeka 5"
    assert check_place("🙂🙂") is TextProblem.EMPTY
    assert check_place("<b>x</b>") is TextProblem.MARKUP
    assert check_place("x" * 201) is TextProblem.TOO_LONG
    assert [parse_capacity(v) for v in ("12", " 2 ", "1", "101", "٣", "-3", "9" * 50)] == [
        12,
        2,
        None,
        None,
        None,
        None,
        None,
    ]


def test_materialising_covers_eight_weeks_or_three_occurrences() -> None:
    first = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)

    def start_of(recurrence: Recurrence):
        return lambda index: occurrence_start(first, recurrence, WITA, index)

    weekly = occurrences_to_materialise(
        start_of(Recurrence.WEEKLY), repeating=True, next_index=0, already_upcoming=0, now=NOW
    )
    assert len(weekly) == 8 and all(start <= NOW + HORIZON for _, start in weekly)
    monthly = occurrences_to_materialise(
        start_of(Recurrence.MONTHLY), repeating=True, next_index=0, already_upcoming=0, now=NOW
    )
    assert len(monthly) == 3  # more than eight weeks, to have three
    assert monthly[1][1] == datetime(2027, 1, 7, 11, 30, tzinfo=UTC)  # first Thursday
    again = occurrences_to_materialise(
        start_of(Recurrence.WEEKLY), repeating=True, next_index=8, already_upcoming=8, now=NOW
    )
    assert again == []
    once = occurrences_to_materialise(
        start_of(Recurrence.ONCE), repeating=False, next_index=0, already_upcoming=0, now=NOW
    )
    assert once == [(0, first)]


def test_reminders_are_planned_only_for_times_still_ahead() -> None:
    start = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)  # 23.5 hours from NOW
    planned = planned_reminders(4, 9, start, (1440, 60), NOW)
    assert [(r.offset, r.send_at) for r in planned] == [(60, start - timedelta(hours=1))]
    assert planned[0].dedupe_key == "reminder:4:9:60:20261202T0130"


START = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)
DAY_BEFORE = ReminderPlan(START, 1440)
HOUR_BEFORE = ReminderPlan(START, 60)


def test_a_reminder_never_overtakes_itself_however_late_it_is() -> None:
    for late in (timedelta(0), timedelta(seconds=30), timedelta(hours=23)):
        now = DAY_BEFORE.planned_at + late
        assert not overtaken(DAY_BEFORE, [DAY_BEFORE], now)


def test_a_later_reminder_overtakes_an_earlier_one_only_once_it_is_due() -> None:
    before_due = HOUR_BEFORE.planned_at - timedelta(seconds=1)
    assert not overtaken(DAY_BEFORE, [DAY_BEFORE, HOUR_BEFORE], before_due)
    assert overtaken(DAY_BEFORE, [DAY_BEFORE, HOUR_BEFORE], HOUR_BEFORE.planned_at)
    # The later reminder is never overtaken by the earlier one, even when that one is late.
    assert not overtaken(HOUR_BEFORE, [DAY_BEFORE, HOUR_BEFORE], START)


def test_only_reminders_of_the_same_start_overtake() -> None:
    earlier_start = ReminderPlan(START - timedelta(days=1), 60)
    assert earlier_start.planned_at < DAY_BEFORE.planned_at + timedelta(hours=1)
    assert not overtaken(DAY_BEFORE, [earlier_start], DAY_BEFORE.planned_at + timedelta(hours=1))
    moved = ReminderPlan(START + timedelta(hours=2), 60)
    assert not overtaken(DAY_BEFORE, [moved], moved.planned_at)


def test_a_reminder_key_records_its_plan_to_the_minute() -> None:
    planned = planned_reminders(4, 9, START, (1440, 60), START - timedelta(days=2))
    assert [reminder_from_key(r.dedupe_key) for r in planned] == [DAY_BEFORE, HOUR_BEFORE]
    with_seconds = ReminderPlan(START + timedelta(seconds=5), 1440)
    assert overtaken(with_seconds, [HOUR_BEFORE], HOUR_BEFORE.planned_at)
    for other in ("nudge:4", "reminder:4:9:24h", "reminder:4:9:x:20261203T1130", "reminder:4"):
        assert reminder_from_key(other) is None


def test_a_meeting_is_coming_until_it_starts_or_is_cancelled() -> None:
    start = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    meeting = Meeting(1, 1, 1, 0, start, 90, None, None, 10, MeetingStatus.SCHEDULED)
    assert meeting.is_coming(start - timedelta(minutes=1))
    assert not meeting.is_coming(start)
    assert not replace(meeting, status=MeetingStatus.CANCELLED).is_coming(start - timedelta(days=1))
