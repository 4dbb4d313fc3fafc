"""Use cases of meetings: scheduling, cancelling and moving them, trials, RSVPs, attendance,
and the planner pass that keeps occurrences and reminders ahead of time.

Every change and the messages it causes are one transaction (the outbox rows are enqueued
with the change). Facilitator actions take the groups the caller facilitates *now* (read fresh
for every update) and refuse a meeting of any other group, whatever a button claimed.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime

from aiosqlite import Connection

from bot.clock import Clock
from bot.domain.groups import Group
from bot.domain.meetings import (
    Meeting,
    NewMeeting,
    NoticeKind,
    SeatKind,
    SeatStatus,
    check_start,
    has_room,
    occurrences_to_materialise,
    reminder_prefix,
    trial_followup_key,
)
from bot.domain.member import Member
from bot.domain.recurrence import Recurrence, occurrence_start
from bot.services.container import Services
from bot.storage import meetings as store
from bot.storage import outbox
from bot.storage.database import Database, to_db_time

log = logging.getLogger(__name__)


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
    occurrences: int = 0
    reminders: int = 0
    followups: int = 0


# --- facilitators ---------------------------------------------------------------------------


async def schedule(services: Services, new: NewMeeting, created_by: int) -> list[Meeting]:
    """Stores the series and its first occurrences (with reminders); returns those meetings."""
    group = await services.groups.get(new.group_id)
    if group is None or group.archived:
        return []
    return await schedule_series(services.db, services.clock, group, new, created_by)


async def schedule_series(
    db: Database, clock: Clock, group: Group, new: NewMeeting, created_by: int | None
) -> list[Meeting]:
    """:func:`schedule` for a group already checked (also used by the sandbox's demo data)."""
    now = clock.now()
    async with db.transaction() as conn:
        series_id = await store.insert_series(conn, new, created_by, now)
        meetings = []
        for meeting_id in await _materialise(conn, series_id, group.timezone, now):
            meeting = await store.load_meeting(conn, meeting_id)
            assert meeting is not None  # inserted in this transaction
            for member_id in await store.expected(conn, meeting_id):
                await store.plan_reminders(conn, meeting, member_id, group.reminder_offsets, now)
            meetings.append(meeting)
    return meetings


async def cancel_occurrence(
    services: Services, facilitated: frozenset[int], meeting_id: int
) -> Outcome:
    """Cancels one coming meeting; everyone expected is told and their reminders dropped."""
    now = services.clock.now()
    async with services.db.transaction() as conn:
        meeting, outcome = await _facilitated_meeting(conn, facilitated, meeting_id, now)
        if meeting is None:
            return outcome
        await store.cancel_meetings(conn, [meeting], now, key=str(meeting.id))
    return Outcome.DONE


async def cancel_series(
    services: Services, facilitated: frozenset[int], meeting_id: int
) -> Outcome:
    """Cancels this meeting and every later one of its series."""
    now = services.clock.now()
    async with services.db.transaction() as conn:
        meeting, outcome = await _facilitated_meeting(conn, facilitated, meeting_id, now)
        if meeting is None:
            return outcome
        await store.cancel_series(conn, meeting.series_id, now)
    return Outcome.DONE


async def move_occurrence(
    services: Services, facilitated: frozenset[int], meeting_id: int, start: datetime
) -> Outcome:
    """Moves one meeting; invitees are told, their reminders planned again for the new time."""
    now = services.clock.now()
    if check_start(start, now).problem is not None:
        return Outcome.BAD_TIME
    async with services.db.transaction() as conn:
        meeting, outcome = await _facilitated_meeting(conn, facilitated, meeting_id, now)
        if meeting is None:
            return outcome
        if meeting.starts_at == start:
            return Outcome.DONE
        _, offsets = await store.group_rules(conn, meeting.group_id)
        await outbox.cancel_pending(
            conn, meeting_id=meeting.id, dedupe_prefix=reminder_prefix(meeting.id)
        )
        await store.move_meeting(conn, meeting.id, start)
        moved = await store.load_meeting(conn, meeting.id)
        assert moved is not None
        await store.notify(
            conn,
            NoticeKind.MOVED,
            moved,
            await store.invitees(conn, meeting.id),
            now,
            # The moment of the move makes every move a notice of its own, even one back to
            # an earlier time; repeating the same move changes nothing (returned above).
            key=f"{meeting.id}:{start:%Y%m%dT%H%M}:{to_db_time(now)}",
            payload={"from": to_db_time(meeting.starts_at), "start": to_db_time(start)},
        )
        for member_id in await store.expected(conn, meeting.id):
            await store.plan_reminders(conn, moved, member_id, offsets, now)
    return Outcome.DONE


async def toggle_attendance(
    services: Services, facilitated: frozenset[int], meeting_id: int, member_id: int
) -> Outcome:
    """Marks or unmarks one person as present at a meeting that has started."""
    meeting = await services.meetings.get(meeting_id)
    if meeting is None or meeting.group_id not in facilitated:
        return Outcome.REFUSED
    now = services.clock.now()
    if meeting.starts_at > now:
        return Outcome.GONE
    candidates = {mid for mid, _ in await services.meetings.attendance_candidates(meeting_id)}
    if member_id not in candidates:
        return Outcome.REFUSED
    await services.meetings.toggle_attendance(meeting_id, member_id, now)
    return Outcome.DONE


async def _facilitated_meeting(
    conn: Connection, facilitated: frozenset[int], meeting_id: int, now: datetime
) -> tuple[Meeting | None, Outcome]:
    meeting = await store.load_meeting(conn, meeting_id)
    if meeting is None or meeting.group_id not in facilitated:
        return None, Outcome.REFUSED
    if meeting.is_cancelled or meeting.starts_at <= now:
        return None, Outcome.GONE
    return meeting, Outcome.DONE


# --- survivors and members --------------------------------------------------------------------


async def sign_up_for_trial(services: Services, member: Member, meeting_id: int) -> Outcome:
    """A trial seat, or a place on the waitlist when the trial seats are taken."""
    meeting = await services.meetings.get(meeting_id)
    now = services.clock.now()
    if meeting is None or meeting.is_cancelled or meeting.starts_at <= now:
        return Outcome.GONE
    group = await services.groups.get(meeting.group_id)
    if group is None or group.archived:
        return Outcome.GONE
    if not group.offers_trials or group.trial_seats == 0:
        return Outcome.NO_TRIALS
    if await services.groups.is_member(group.id, member.id):
        return Outcome.MEMBER
    async with services.db.transaction() as conn:
        if await store.active_trial(conn, group.id, member.id, now) is not None:
            return Outcome.ALREADY
        counts = await store.seat_counts(conn, meeting.id)
        fits = has_room(SeatKind.TRIAL, counts, meeting.capacity, group.trial_seats)
        status = SeatStatus.GOING if fits else SeatStatus.WAITLIST
        await store.set_seat(conn, meeting.id, member.id, SeatKind.TRIAL, status, now, requeue=True)
        if fits:
            await store.plan_reminders(conn, meeting, member.id, group.reminder_offsets, now)
    return Outcome.GOING if fits else Outcome.WAITLIST


async def cancel_trial(services: Services, member: Member, meeting_id: int) -> Outcome:
    """Gives the trial seat (or waitlist place) up; the first one waiting gets it."""
    now = services.clock.now()
    async with services.db.transaction() as conn:
        seat = await store.load_seat(conn, meeting_id, member.id)
        meeting = await store.load_meeting(conn, meeting_id)
        if (
            seat is None
            or meeting is None
            or seat.kind is not SeatKind.TRIAL
            or seat.status not in store.ACTIVE
            or meeting.starts_at <= now
        ):
            return Outcome.GONE
        await store.set_seat(
            conn, meeting_id, member.id, SeatKind.TRIAL, SeatStatus.CANCELLED, now, requeue=False
        )
        await outbox.cancel_pending(conn, meeting_id=meeting_id, member_id=member.id)
        if not meeting.is_cancelled:
            await store.promote_waiting(conn, meeting, now)
    return Outcome.DONE


async def rsvp(services: Services, member: Member, meeting_id: int, going: bool) -> Outcome:
    """A member's going / not going; going when full puts them on the waitlist."""
    meeting = await services.meetings.get(meeting_id)
    now = services.clock.now()
    if meeting is None or meeting.is_cancelled or meeting.starts_at <= now:
        return Outcome.GONE
    if not await services.groups.is_member(meeting.group_id, member.id):
        return Outcome.NOT_MEMBER
    async with services.db.transaction() as conn:
        trial_seats, offsets = await store.group_rules(conn, meeting.group_id)
        seat = await store.load_seat(conn, meeting.id, member.id)
        if not going:
            await store.set_seat(
                conn,
                meeting.id,
                member.id,
                SeatKind.MEMBER,
                SeatStatus.NOT_GOING,
                now,
                requeue=False,
            )
            await outbox.cancel_pending(conn, meeting_id=meeting.id, member_id=member.id)
            if seat is not None and seat.status is SeatStatus.GOING:
                await store.promote_waiting(conn, meeting, now)
            return Outcome.NOT_GOING
        if seat is not None and seat.status is SeatStatus.GOING:
            return Outcome.GOING
        counts = await store.seat_counts(conn, meeting.id)
        fits = has_room(SeatKind.MEMBER, counts, meeting.capacity, trial_seats)
        if seat is not None and seat.status is SeatStatus.WAITLIST and not fits:
            return Outcome.WAITLIST
        status = SeatStatus.GOING if fits else SeatStatus.WAITLIST
        await store.set_seat(
            conn, meeting.id, member.id, SeatKind.MEMBER, status, now, requeue=True
        )
        if fits:
            await store.plan_reminders(conn, meeting, member.id, offsets, now)
    return Outcome.GOING if fits else Outcome.WAITLIST


async def answer_trial_followup(
    services: Services, member: Member, group_id: int, join: bool
) -> Outcome:
    """ "Would you like to join this group?": yes joins if there is room, no ends the question.

    The first answer is kept and the question never comes back. Either answer leaves the
    group card's Join button open to them (bot.services.groups), so neither "no" nor a full
    group is a dead end; a later "yes" on this message tries again, like that button.
    """
    now = services.clock.now()
    group = await services.groups.get(group_id)
    if group is None or group.archived:
        return Outcome.GONE
    if await services.groups.is_member(group_id, member.id):
        return Outcome.MEMBER
    if not await services.meetings.had_trial(group_id, member.id, now):
        return Outcome.REFUSED
    joined = join and await services.groups.add_member(group_id, member.id, now)
    # 'waitlist' (the schema's word) records "wanted to join, but the group was full".
    answer = "yes" if joined else "waitlist" if join else "no"
    async with services.db.transaction() as conn:
        first = await store.record_trial_outcome(conn, group_id, member.id, answer, now)
    if join:
        return Outcome.JOINED if joined else Outcome.FULL
    return Outcome.DECLINED if first else Outcome.ALREADY


# --- the planner pass -------------------------------------------------------------------------


async def plan_ahead(services: Services) -> PlannerReport:
    """Materialises coming occurrences, plans missing reminders, asks finished trial guests.

    Idempotent: dedupe keys and the UNIQUE (series, occurrence) make a repeated pass a no-op.
    """
    now = services.clock.now()
    occurrences = 0
    for series_id in await services.meetings.active_series_ids():
        series = await services.meetings.series(series_id)
        if series is None:
            continue
        group = await services.groups.get(series.group_id)
        if group is None:
            continue
        async with services.db.transaction() as conn:
            occurrences += len(await _materialise(conn, series_id, group.timezone, now))
    reminders = 0
    gaps = await services.meetings.reminder_gaps(now)
    if gaps:
        async with services.db.transaction() as conn:
            for gap in gaps:
                reminders += await store.plan_reminders(
                    conn, gap.meeting, gap.member_id, gap.offsets, now
                )
    followups = 0
    trials = await services.meetings.finished_trials(now)
    if trials:
        async with services.db.transaction() as conn:
            for trial in trials:
                followups += await outbox.enqueue(
                    conn,
                    member_id=trial.member_id,
                    kind=NoticeKind.TRIAL_FOLLOWUP,
                    payload={"group_id": trial.group_id, "meeting_id": trial.meeting_id},
                    not_before=now,
                    dedupe_key=trial_followup_key(trial.group_id, trial.member_id),
                    now=now,
                )
    return PlannerReport(occurrences, reminders, followups)


async def _materialise(conn: Connection, series_id: int, tz: str, now: datetime) -> list[int]:
    series = await store.load_series(conn, series_id)
    if series is None or series.cancelled_at is not None:
        return []
    recurrence = Recurrence(series.recurrence)
    next_index, upcoming = await store.occurrence_state(conn, series_id, now)
    starts = occurrences_to_materialise(
        lambda index: occurrence_start(series.first_starts_at, recurrence, tz, index),
        repeating=recurrence is not Recurrence.ONCE,
        next_index=next_index,
        already_upcoming=upcoming,
        now=now,
    )
    return await store.insert_occurrences(conn, series, starts)
