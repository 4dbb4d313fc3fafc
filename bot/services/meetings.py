"""Facilitators' use cases of meetings: scheduling, cancelling and moving them, attendance; and
what facilitators' lists show.

Facilitator actions take the groups the caller facilitates *now* (read fresh for every update)
and refuse a meeting of any other group, whatever a button claimed. Every change and the
messages it causes are one transaction, which re-reads the meeting before it writes. Reminders,
which grow with people and weeks, follow in short transactions of their own, each idempotent:
a new or moved meeting's are planned a batch of people at a time (bot.services.planner), and
those of a cancelled or moved meeting that no longer apply are withdrawn in batches. A crash
in between loses nothing: the planner plans what is missing, and the dispatcher skips what no
longer applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.clock import Clock
from bot.domain.group_chats import ANNOUNCING, cancellation_posts
from bot.domain.groups import Group
from bot.domain.meeting_notices import (
    SUPERSEDED_BY_CANCELLATION,
    NoticeKind,
    cancellation_notices,
    move_notices,
    still_current,
)
from bot.domain.meetings import (
    Meeting,
    MeetingOverview,
    NewMeeting,
    Outcome,
    check_start,
)
from bot.services.meeting_watch import tell_watchers
from bot.services.planner import materialise, plan_reminders
from bot.storage.database import Tx
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository

# Pending reminders one transaction looks at when withdrawing outdated ones: a few milliseconds.
WITHDRAW_BATCH = 500

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
        await tell_watchers(meetings, groups, outbox, group.id, meeting_ids, now, tx=tx)
    # A crash from here on loses nothing: the planner plans reminders nobody has yet.
    for meeting_id in meeting_ids:
        await plan_reminders(meetings, groups, outbox, meeting_id, now)
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
    await withdraw_outdated_reminders(meetings, outbox, [meeting.id])
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
        cancelled = await end_series(meetings, outbox, meeting.series_id, now, tx=tx)
    await withdraw_outdated_reminders(meetings, outbox, cancelled)
    return Outcome.DONE


async def end_series(
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    series_id: int,
    now: datetime,
    *,
    tx: Tx,
) -> list[int]:
    """In the caller's transaction: no more occurrences, the coming ones cancelled, everyone
    told once (also for an archived group, bot.services.groups); returns the meetings
    cancelled, whose reminders the caller withdraws once it has committed."""
    await meetings.end_series(series_id, now, tx=tx)
    coming = await meetings.coming_in_series(series_id, now, tx=tx)
    await cancel_meetings(meetings, outbox, coming, now, whole_series=True, tx=tx)
    return [meeting.id for meeting in coming]


async def cancel_meetings(
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    cancelled: list[Meeting],
    now: datetime,
    *,
    whole_series: bool,
    tx: Tx,
) -> None:
    """Marks meetings cancelled, drops their pending notices of earlier changes and tells the
    invitees, each person once: about the first of the meetings they were expected at, not
    once per week; and the linked chat, if it was told about them (its pending posts about
    them are skipped when their turn comes: bot.notifications.group_chats).

    Their reminders (everyone, every week: by far the most rows) are not touched here, so a
    series of a big group stays a short transaction: the caller withdraws them afterwards
    (:func:`withdraw_outdated_reminders`)."""
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
        await outbox.cancel_pending(meeting_id=meeting_id, kinds=SUPERSEDED_BY_CANCELLATION, tx=tx)
    await outbox.enqueue(notices, now=now, tx=tx)
    chats = [(m, await outbox.chats_told_about(m.id, ANNOUNCING, tx=tx)) for m in cancelled]
    posts = cancellation_posts(chats, now, whole_series=whole_series)
    await outbox.enqueue_posts(posts, now=now, tx=tx)


async def withdraw_outdated_reminders(
    meetings: MeetingRepository, outbox: OutboxRepository, meeting_ids: Iterable[int]
) -> None:
    """After a cancellation or a move committed: the pending reminders of these meetings that
    no longer apply (the meeting is cancelled, or they were planned for its old time),
    :data:`WITHDRAW_BATCH` rows looked at per transaction, each re-reading the meeting.

    Until then, or if a crash comes first, they are harmless: the dispatcher skips a message
    that no longer applies (bot.notifications.meetings)."""
    for meeting_id in meeting_ids:
        after_id = 0
        while True:
            async with outbox.transaction() as tx:
                meeting = await meetings.get(meeting_id, tx=tx)
                rows = await outbox.pending_about(
                    meeting_id,
                    NoticeKind.REMINDER,
                    after_id=after_id,
                    limit=WITHDRAW_BATCH,
                    tx=tx,
                )
                outdated = [
                    row.id
                    for row in rows
                    if meeting is None or not still_current(meeting, row.payload)
                ]
                if outdated:
                    await outbox.cancel_pending(ids=outdated, tx=tx)
            if len(rows) < WITHDRAW_BATCH:
                break
            after_id = rows[-1].id


async def move_occurrence(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    facilitated: frozenset[int],
    meeting_id: int,
    start: datetime,
) -> Outcome:
    """Moves one meeting; invitees are told (one transaction), then everyone's reminders follow
    the new time, in batches: new ones planned, those for the old time withdrawn. A crash in
    between loses nothing: the planner plans reminders missing for a meeting's current start,
    and the dispatcher skips those planned for another."""
    now = clock.now()
    if check_start(start, now).problem is not None:
        return Outcome.BAD_TIME
    async with meetings.transaction() as tx:
        meeting, outcome = await _facilitated_coming(meetings, facilitated, meeting_id, now, tx)
        if meeting is None:
            return outcome
        if meeting.starts_at == start:
            return Outcome.DONE  # repeating the same move changes nothing
        await meetings.move(meeting.id, start, tx=tx)
        moved = await meetings.get(meeting.id, tx=tx)
        assert moved is not None  # read in this transaction
        invited = await meetings.invitees(meeting.id, tx=tx)
        await outbox.enqueue(move_notices(meeting, moved, invited, now), now=now, tx=tx)
    await plan_reminders(meetings, groups, outbox, meeting.id, now)
    await withdraw_outdated_reminders(meetings, outbox, [meeting.id])
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
    if not meeting.is_coming(now):
        return None, Outcome.GONE
    return meeting, Outcome.DONE
