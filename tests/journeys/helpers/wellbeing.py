"""Meetings people came to, and WHO-5 check-ins, for journeys through feedback and impact.

The check-in questionnaire (/checkin) is built in parallel by another part of issue 11, so
completed WHO-5 sittings are written here as plain rows of the ``questionnaires`` table (the
shape bot/storage/migrations/0009_wellbeing.sql defines), not through its flow.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.meetings import Meeting, NewMeeting
from bot.domain.messages import instant_text
from bot.services import meetings as meeting_service
from bot.services import seats
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.meetings import a_person, services

MEMBER_IDS = range(701, 720)


async def a_meeting(world: BotWorld, group_id: int, start: datetime) -> Meeting:
    """A one-off meeting of 90 minutes at ``start``."""
    s = services(world)
    new = NewMeeting(group_id, start, 90, "once", "Community hall", None, 12)
    [meeting] = await meeting_service.schedule(s.meetings, s.groups, s.outbox, s.clock, new, None)
    return meeting


async def members_going(
    world: BotWorld, group_id: int, meeting: Meeting | None, count: int, first: int = 0
) -> list[Person]:
    """``count`` people who join the group (and say they are going to ``meeting``)."""
    s = services(world)
    people = []
    for index in range(first, first + count):
        person = await a_person(world, MEMBER_IDS[index], f"Anggota {index + 1}")
        member = await s.members.by_telegram_id(person.user_id)
        assert await s.groups.add_member(group_id, member.id, world.clock.now())
        if meeting is not None:
            await seats.rsvp(s.meetings, s.groups, s.outbox, s.clock, member, meeting.id, True)
        people.append(person)
    return people


async def who5(world: BotWorld, person: Person, score: int, at: datetime) -> None:
    """A completed WHO-5 sitting (0-100) of ``person`` at ``at``."""
    s = services(world)
    member = await s.members.by_telegram_id(person.user_id)
    conn = await s.db.connection()
    await conn.execute(
        "INSERT INTO questionnaires (member_id, instrument, purpose, score, started_at,"
        " completed_at) VALUES (?, 'who5', 'weekly', ?, ?, ?)",
        (member.id, score, instant_text(at), instant_text(at)),
    )
