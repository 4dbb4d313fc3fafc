"""Open events (seminars open to everyone) and calendar files: what /events lists, guest seats,
and the .ics of a meeting for one person.

A guest seat reuses the trial machinery (a 'trial' seat row: the waitlist, reminders, cancelling
in /mymeetings, /mydata and /forget all apply), but only capacity limits it: it does not take
one of the group's trial seats' rules (one trial per group, trials offered) and is not a trial
of the group (bot.storage.meetings leaves open events out of those).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.clock import Clock
from bot.domain.calendar_file import CalendarEvent
from bot.domain.events import is_open_event
from bot.domain.groups import Group
from bot.domain.meetings import Meeting, MeetingOverview, Outcome, SeatKind, SeatStatus, has_room
from bot.domain.member import Member
from bot.services.seats import coming_in_active_group, take_seat
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository

_ACTIVE = (SeatStatus.GOING, SeatStatus.WAITLIST)


async def open_events(
    meetings: MeetingRepository, groups: GroupRepository, clock: Clock
) -> list[tuple[MeetingOverview, Group]]:
    """Coming open events with their groups, soonest first."""
    return [
        (overview, group)
        for overview in await meetings.open_events(clock.now())
        if (group := await groups.active(overview.meeting.group_id)) is not None
    ]


async def open_event(
    meetings: MeetingRepository, groups: GroupRepository, clock: Clock, meeting_id: int
) -> tuple[MeetingOverview, Group] | None:
    """One coming open event; None if it is not (any more) open, on, or ahead."""
    overview = await meetings.overview(meeting_id)
    if (
        overview is None
        or not is_open_event(overview.meeting)
        or not overview.meeting.is_coming(clock.now())
    ):
        return None
    group = await groups.active(overview.meeting.group_id)
    return None if group is None else (overview, group)


async def reserve_guest_seat(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    member: Member,
    meeting_id: int,
) -> Outcome:
    """A seat at an open event (or the waitlist when full); ALREADY for a second press."""
    now = clock.now()
    async with meetings.transaction() as tx:
        found = await coming_in_active_group(meetings, groups, meeting_id, now, tx=tx)
        if found is None or not is_open_event(found[0]):
            return Outcome.GONE
        meeting, group = found
        if await groups.is_member(group.id, member.id, tx=tx):
            return Outcome.MEMBER
        seat = await meetings.seat(meeting.id, member.id, tx=tx)
        if seat is not None and seat.status in _ACTIVE:
            return Outcome.ALREADY
        counts = await meetings.counts(meeting.id, tx=tx)
        # Guests are limited by capacity alone: the trial-seat limit is the group's, for trials.
        fits = has_room(SeatKind.MEMBER, counts, meeting.capacity, group.trial_seats)
        await take_seat(meetings, outbox, meeting, group, member, SeatKind.TRIAL, fits, now, tx)
    return Outcome.GOING if fits else Outcome.WAITLIST


async def may_see_link(
    meetings: MeetingRepository, groups: GroupRepository, meeting: Meeting, member: Member | None
) -> bool:
    """The join link goes to members of the group and to people with a confirmed seat."""
    if member is None:
        return False
    if await groups.is_member(meeting.group_id, member.id):
        return True
    seat = await meetings.seat(meeting.id, member.id)
    return seat is not None and seat.confirmed


async def calendar_event(
    meetings: MeetingRepository,
    groups: GroupRepository,
    meeting_id: int,
    member: Member | None,
    summary: Callable[[Meeting, Group], str],
) -> CalendarEvent | None:
    """The calendar entry of a meeting this person may know of: members and seat holders, and
    anyone for an open event; None otherwise (a forged or stale button)."""
    meeting = await meetings.get(meeting_id)
    group = await groups.active(meeting.group_id) if meeting is not None else None
    if meeting is None or group is None:
        return None
    link = await may_see_link(meetings, groups, meeting, member)
    seat = await meetings.seat(meeting.id, member.id) if member is not None else None
    if not (link or is_open_event(meeting) or (seat is not None and seat.status in _ACTIVE)):
        return None
    return CalendarEvent(
        meeting_id=meeting.id,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary(meeting, group),
        place=meeting.place,
        link=meeting.join_link if link else None,
        cancelled=meeting.is_cancelled,
    )
