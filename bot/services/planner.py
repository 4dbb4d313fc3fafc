"""The meetings planner's use cases: occurrences of repeating meetings kept eight weeks ahead,
everyone's reminders (those who joined a group, a new occurrence, a pass cut short), and the
question to trial guests after their meeting.

Everything here is idempotent (UNIQUE (series, occurrence), outbox dedupe keys), so work that
grows with the number of people is done in short transactions, one meeting or one batch of
people at a time: a crash or a late pass between two of them loses nothing, the next pass
finds what is still missing.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain.meeting_notices import planned_for, reminders, trial_followup
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

# People whose reminders one transaction plans (two rows each, usually): a few milliseconds,
# so replies never wait long for the planner or a new series.
BATCH = 200


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
    reminders_added = 0
    for meeting_id in await meetings.coming(now):
        reminders_added += await plan_reminders(meetings, groups, outbox, meeting_id, now)
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
    meeting_id: int,
    now: datetime,
) -> int:
    """Reminders for everyone expected at one coming meeting who has none for its current
    start yet (all of them, for a new or moved meeting), :data:`BATCH` people per
    transaction, each reading the meeting, its group and who is missing first; returns how
    many rows were added."""
    added = 0
    after = 0  # people are taken in member id order
    while True:
        async with meetings.transaction() as tx:
            meeting = await meetings.get(meeting_id, tx=tx)
            if meeting is None or not meeting.is_coming(now):
                return added
            group = await groups.get(meeting.group_id, tx=tx)
            if group is None or group.archived:
                return added
            people = await meetings.without_reminders(
                meeting_id, planned_for(meeting.starts_at), after=after, limit=BATCH, tx=tx
            )
            planned = [
                reminder
                for member_id in people
                for reminder in reminders(meeting, member_id, group.reminder_offsets, now)
            ]
            added += await outbox.enqueue(planned, now=now, tx=tx)
        if len(people) < BATCH:
            return added
        # Someone whose reminder times have all passed stays without: never look at them twice.
        after = people[-1]
