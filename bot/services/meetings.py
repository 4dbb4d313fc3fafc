"""Facilitators' use cases of meetings: scheduling, cancelling and moving them, attendance; and
what facilitators' lists show.

Facilitator actions take the groups the caller facilitates *now* (read fresh for every update)
and refuse a meeting of any other group, whatever a button claimed. Every change and the
messages it causes are one transaction, which re-reads the meeting before it writes; work that
grows with the number of people (reminders for a new series) is split into one transaction
per meeting (bot.services.planner), each idempotent thanks to dedupe keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.clock import Clock
from bot.domain.groups import Group
from bot.domain.meeting_notices import (
    cancellation_notices,
    move_notices,
    reminder_prefix,
    reminders,
)
from bot.domain.meetings import (
    Meeting,
    MeetingOverview,
    NewMeeting,
    Outcome,
    check_start,
)
from bot.services.planner import materialise, plan_reminders
from bot.storage.database import Tx
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository

# --- what facilitators see -------------------------------------------------------------------


async def facilitated_meeting(
    meetings: MeetingRepository,
    groups: GroupRepository,
    facilitated: frozenset[int],
    meeting_id: int,
    *,
    cancelled_ok: bool = False,
) -> tuple[Outcome, Meeting | None, Group | None]:
    """(DONE, meeting, group) if the caller facilitates the meeting's group right now;
    (REFUSED, …) for any other group, (GONE, …) if it was cancelled (attendance may still be
    marked for a meeting cancelled afterwards: ``cancelled_ok``)."""
    meeting = await meetings.get(meeting_id)
    if meeting is None or meeting.group_id not in facilitated:
        return Outcome.REFUSED, None, None
    group = await groups.get(meeting.group_id)
    if group is None or (meeting.is_cancelled and not cancelled_ok):
        return Outcome.GONE, None, None
    return Outcome.DONE, meeting, group


async def coming_meetings(
    meetings: MeetingRepository, groups: GroupRepository, clock: Clock, group_ids: Iterable[int]
) -> list[tuple[MeetingOverview, Group]]:
    """Scheduled meetings of these groups that have not ended, of active groups only."""
    return [
        (overview, group)
        for overview in await meetings.upcoming(group_ids, clock.now())
        if (group := await groups.active(overview.meeting.group_id)) is not None
    ]


async def recent_meetings(
    meetings: MeetingRepository,
    groups: GroupRepository,
    clock: Clock,
    group_ids: Iterable[int],
    since: datetime,
) -> list[tuple[Meeting, Group]]:
    """Meetings of these active groups that started since ``since``, latest first."""
    return [
        (meeting, group)
        for meeting in await meetings.recent(group_ids, clock.now(), since)
        if (group := await groups.active(meeting.group_id)) is not None
    ]


# --- changes ---------------------------------------------------------------------------------


async def schedule(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    new: NewMeeting,
    created_by: int | None,
) -> list[Meeting]:
    """Stores the series and its first occurrences, then everyone's reminders for each (one
    transaction per meeting); returns the meetings, or none if the group is not active."""
    now = clock.now()
    async with meetings.transaction() as tx:
        group = await groups.get(new.group_id, tx=tx)
        if group is None or group.archived:
            return []
        series_id = await meetings.insert_series(new, created_by, now, tx=tx)
        meeting_ids = await materialise(meetings, series_id, group.timezone, now, tx=tx)
    # A crash from here on loses nothing: the planner plans reminders nobody has yet.
    for meeting_id in meeting_ids:
        await plan_reminders(meetings, groups, outbox, clock, meeting_id)
    return [meeting for meeting_id in meeting_ids if (meeting := await meetings.get(meeting_id))]


async def cancel_occurrence(
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    clock: Clock,
    facilitated: frozenset[int],
    meeting_id: int,
) -> Outcome:
    """Cancels one coming meeting; everyone expected is told and their reminders dropped."""
    now = clock.now()
    async with meetings.transaction() as tx:
        meeting, outcome = await _facilitated_coming(meetings, facilitated, meeting_id, now, tx)
        if meeting is None:
            return outcome
        await cancel_meetings(meetings, outbox, [meeting], now, whole_series=False, tx=tx)
    return Outcome.DONE


async def cancel_series(
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    clock: Clock,
    facilitated: frozenset[int],
    meeting_id: int,
) -> Outcome:
    """Cancels this meeting and every later one of its series."""
    now = clock.now()
    async with meetings.transaction() as tx:
        meeting, outcome = await _facilitated_coming(meetings, facilitated, meeting_id, now, tx)
        if meeting is None:
            return outcome
        await end_series(meetings, outbox, meeting.series_id, now, tx=tx)
    return Outcome.DONE


async def end_series(
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    series_id: int,
    now: datetime,
    *,
    tx: Tx,
) -> None:
    """In the caller's transaction: no more occurrences, the coming ones cancelled, everyone
    told once (also for an archived group, bot.services.groups)."""
    await meetings.end_series(series_id, now, tx=tx)
    coming = await meetings.coming_in_series(series_id, now, tx=tx)
    await cancel_meetings(meetings, outbox, coming, now, whole_series=True, tx=tx)


async def cancel_meetings(
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    cancelled: list[Meeting],
    now: datetime,
    *,
    whole_series: bool,
    tx: Tx,
) -> None:
    """Marks meetings cancelled, drops their pending messages and tells the invitees, each
    person once: about the first of the meetings they were expected at, not once per week.

    Set-based (one statement per kind of change), so a series of a big group stays short."""
    told: set[int] = set()
    notices = []
    for meeting in cancelled:
        people = [m for m in await meetings.invitees(meeting.id, tx=tx) if m not in told]
        notices += cancellation_notices(
            meeting, people, now, whole_series=whole_series, later_too=len(cancelled) > 1
        )
        told.update(people)
    ids = [meeting.id for meeting in cancelled]
    await meetings.cancel(ids, tx=tx)
    for meeting_id in ids:
        await outbox.cancel_pending(meeting_id=meeting_id, tx=tx)
    await outbox.enqueue(notices, now=now, tx=tx)


async def move_occurrence(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    facilitated: frozenset[int],
    meeting_id: int,
    start: datetime,
) -> Outcome:
    """Moves one meeting; invitees are told, and their reminders follow the new time.

    One transaction: the notices and the new reminders exist exactly when the move does (the
    planner could not tell a moved meeting's missing reminders from declined ones). It grows
    with one group's size only (about a millisecond per ten people)."""
    now = clock.now()
    if check_start(start, now).problem is not None:
        return Outcome.BAD_TIME
    async with meetings.transaction() as tx:
        meeting, outcome = await _facilitated_coming(meetings, facilitated, meeting_id, now, tx)
        if meeting is None:
            return outcome
        if meeting.starts_at == start:
            return Outcome.DONE  # repeating the same move changes nothing
        group = await groups.get(meeting.group_id, tx=tx)
        offsets = group.reminder_offsets if group is not None else ()
        await outbox.cancel_pending(
            meeting_id=meeting.id, dedupe_prefix=reminder_prefix(meeting.id), tx=tx
        )
        await meetings.move(meeting.id, start, tx=tx)
        moved = await meetings.get(meeting.id, tx=tx)
        assert moved is not None  # read in this transaction
        invited = await meetings.invitees(meeting.id, tx=tx)
        planned = move_notices(meeting, moved, invited, now)
        for member_id in await meetings.expected(meeting.id, tx=tx):
            planned += reminders(moved, member_id, offsets, now)
        await outbox.enqueue(planned, now=now, tx=tx)
    return Outcome.DONE


async def toggle_attendance(
    meetings: MeetingRepository,
    clock: Clock,
    facilitated: frozenset[int],
    meeting_id: int,
    member_id: int,
) -> Outcome:
    """Marks or unmarks one person as present at a meeting that has started."""
    now = clock.now()
    async with meetings.transaction() as tx:
        meeting = await meetings.get(meeting_id, tx=tx)
        if meeting is None or meeting.group_id not in facilitated:
            return Outcome.REFUSED
        if meeting.starts_at > now:
            return Outcome.GONE
        candidates = await meetings.attendance_candidates(meeting_id, tx=tx)
        if member_id not in {candidate for candidate, _ in candidates}:
            return Outcome.REFUSED
        await meetings.toggle_attendance(meeting_id, member_id, now, tx=tx)
    return Outcome.DONE


async def _facilitated_coming(
    meetings: MeetingRepository, facilitated: frozenset[int], meeting_id: int, now: datetime, tx: Tx
) -> tuple[Meeting | None, Outcome]:
    """The meeting, read inside the caller's transaction, if it is still ahead and the caller
    facilitates its group."""
    meeting = await meetings.get(meeting_id, tx=tx)
    if meeting is None or meeting.group_id not in facilitated:
        return None, Outcome.REFUSED
    if meeting.is_cancelled or meeting.starts_at <= now:
        return None, Outcome.GONE
    return meeting, Outcome.DONE
