"""The meetings planner's use cases: occurrences of repeating meetings kept eight weeks ahead,
everyone's reminders, and the question to trial guests after their meeting.

Everything here is idempotent (UNIQUE (series, occurrence), outbox dedupe keys), so work that
grows with the number of people is done in short transactions, one meeting or one batch of
people at a time: a crash or a late pass between two of them loses nothing, the next pass
finds what is still missing.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain.meeting_notices import reminders, trial_followup
from bot.domain.meetings import (
    FOLLOWUP_WINDOW,
    PlannerReport,
    occurrences_to_materialise,
)
from bot.domain.recurrence import Recurrence, occurrence_start
from bot.storage.database import Tx
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository

# People whose reminders one transaction of the planner plans (two rows each, usually): a few
# milliseconds, so replies never wait long for the planner.
GAP_BATCH = 200


async def plan_ahead(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
) -> PlannerReport:
    """One planner pass: coming occurrences, missing reminders, after-trial questions."""
    now = clock.now()
    occurrences = 0
    for series_id in await meetings.active_series_ids():
        async with meetings.transaction() as tx:
            series = await meetings.series(series_id, tx=tx)
            group = await groups.get(series.group_id, tx=tx) if series else None
            if group is not None and not group.archived:
                occurrences += len(
                    await materialise(meetings, series_id, group.timezone, now, tx=tx)
                )
    reminders_added = await fill_reminder_gaps(meetings, outbox, now)
    async with meetings.transaction() as tx:
        trials = await meetings.finished_trials(now, now - FOLLOWUP_WINDOW, tx=tx)
        questions = [trial_followup(t.group_id, t.member_id, t.meeting_id, now) for t in trials]
        followups = await outbox.enqueue(questions, now=now, tx=tx)
    return PlannerReport(occurrences, reminders_added, followups)


async def materialise(
    meetings: MeetingRepository, series_id: int, tz: str, now: datetime, *, tx: Tx
) -> list[int]:
    """In the caller's transaction: the series' occurrences still missing; their new ids."""
    series = await meetings.series(series_id, tx=tx)
    if series is None or series.cancelled_at is not None:
        return []
    recurrence = Recurrence(series.recurrence)
    next_index, upcoming = await meetings.occurrence_state(series_id, now, tx=tx)
    starts = occurrences_to_materialise(
        lambda index: occurrence_start(series.first_starts_at, recurrence, tz, index),
        repeating=recurrence is not Recurrence.ONCE,
        next_index=next_index,
        already_upcoming=upcoming,
        now=now,
    )
    return await meetings.insert_occurrences(series, starts, tx=tx)


async def plan_reminders(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    meeting_id: int,
) -> int:
    """Everyone's reminders for one coming meeting, in one transaction that reads the meeting,
    its group and who is expected first; returns how many rows were added."""
    now = clock.now()
    async with meetings.transaction() as tx:
        meeting = await meetings.get(meeting_id, tx=tx)
        if meeting is None or meeting.is_cancelled or meeting.starts_at <= now:
            return 0
        group = await groups.get(meeting.group_id, tx=tx)
        if group is None or group.archived:
            return 0
        planned = [
            reminder
            for member_id in await meetings.expected(meeting_id, tx=tx)
            for reminder in reminders(meeting, member_id, group.reminder_offsets, now)
        ]
        return await outbox.enqueue(planned, now=now, tx=tx)


async def fill_reminder_gaps(
    meetings: MeetingRepository, outbox: OutboxRepository, now: datetime
) -> int:
    """Reminders for everyone expected who has none for a coming meeting (they joined the
    group, a new occurrence appeared, or a pass was cut short), :data:`GAP_BATCH` people per
    transaction; returns how many rows were added.

    Each batch is looked up inside its own transaction, after the previous one (a gap whose
    reminder times have all passed stays a gap: it must not be found again and again).
    """
    added = 0
    after = None
    while True:
        async with meetings.transaction() as tx:
            gaps = await meetings.reminder_gaps(now, GAP_BATCH, after=after, tx=tx)
            planned = [
                reminder
                for gap in gaps
                for reminder in reminders(gap.meeting, gap.member_id, gap.offsets, now)
            ]
            added += await outbox.enqueue(planned, now=now, tx=tx)
        if len(gaps) < GAP_BATCH:
            return added
        after = gaps[-1]
