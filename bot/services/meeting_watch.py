"""Use cases of "tell me when a meeting is scheduled": asking (or no longer asking) on a
group's card, and the notices when a facilitator schedules the group's next meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import Clock
from bot.domain.meeting_watch import scheduled_notices
from bot.domain.member import Member
from bot.storage.database import Tx
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository


async def set_watch(
    groups: GroupRepository, clock: Clock, group_id: int, member: Member, on: bool
) -> bool:
    """Asks (``on``) or stops asking; False if nothing changed (a second press)."""
    return await groups.set_watch(group_id, member.id, on, clock.now())


async def tell_watchers(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    group_id: int,
    meeting_ids: Sequence[int],
    now: datetime,
    *,
    tx: Tx,
) -> None:
    """In the transaction that scheduled ``meeting_ids``: everyone who asked about the group's
    next meeting is told of the earliest of them, and their request is answered."""
    scheduled = [m for meeting_id in meeting_ids if (m := await meetings.get(meeting_id, tx=tx))]
    if not scheduled:
        return
    first = min(scheduled, key=lambda meeting: meeting.starts_at)
    people = await groups.take_watchers(group_id, tx=tx)
    if people:
        await outbox.enqueue(scheduled_notices(first, people, now), now=now, tx=tx)
