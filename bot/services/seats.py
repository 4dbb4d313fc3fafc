"""Survivors' and members' use cases of meetings: trial seats, RSVPs, the waitlist, the question
after a trial, and what they see of coming meetings.

Each use case is one transaction that reads what it depends on (is the meeting still on, is the
person a member, is there room) *inside* it: a facilitator's cancellation or another person's
sign-up that lands just before cannot be overtaken by a decision made on older rows.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain.groups import Group
from bot.domain.meeting_notices import promotion_notice, reminders
from bot.domain.meetings import (
    Meeting,
    Outcome,
    Seat,
    SeatKind,
    SeatStatus,
    first_to_promote,
    has_room,
    seats_left,
)
from bot.domain.member import Member
from bot.storage.database import Tx
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository

_ACTIVE = (SeatStatus.GOING, SeatStatus.WAITLIST)
# The after-trial answer as stored; 'waitlist' (the schema's word) records "wanted to join, but
# the group was full".
_JOINED, _FULL, _DECLINED = "yes", "waitlist", "no"


# --- what they see ---------------------------------------------------------------------------


async def trial_meetings(
    meetings: MeetingRepository, clock: Clock, group: Group, limit: int = 6
) -> list[tuple[Meeting, int]]:
    """The group's coming meetings with the trial seats left at each."""
    now = clock.now()
    return [
        (o.meeting, seats_left(o.counts, o.meeting.capacity, group.trial_seats)[1])
        for o in await meetings.upcoming([group.id], now, limit=limit)
        if o.meeting.starts_at > now
    ]


async def trial_choice(
    meetings: MeetingRepository, groups: GroupRepository, clock: Clock, meeting_id: int
) -> tuple[Meeting, Group, int] | None:
    """A meeting someone may still sign up to try, its group and the trial seats left; None
    if it was cancelled, has started or its group is archived."""
    overview = await meetings.overview(meeting_id)
    if (
        overview is None
        or overview.meeting.is_cancelled
        or overview.meeting.starts_at <= clock.now()
    ):
        return None
    group = await groups.active(overview.meeting.group_id)
    if group is None:
        return None
    left = seats_left(overview.counts, overview.meeting.capacity, group.trial_seats)[1]
    return overview.meeting, group, left


async def agenda(
    meetings: MeetingRepository, groups: GroupRepository, clock: Clock, member: Member
) -> list[tuple[Meeting, Seat | None, Group]]:
    """A person's coming meetings (their seats and their groups' meetings), of active groups."""
    return [
        (meeting, seat, group)
        for meeting, seat in await meetings.agenda(member.id, clock.now())
        if (group := await groups.active(meeting.group_id)) is not None
    ]


# --- changes ---------------------------------------------------------------------------------


async def sign_up_for_trial(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    member: Member,
    meeting_id: int,
) -> Outcome:
    """A trial seat, or a place on the waitlist when the trial seats are taken."""
    now = clock.now()
    async with meetings.transaction() as tx:
        found = await coming_in_active_group(meetings, groups, meeting_id, now, tx=tx)
        if found is None:
            return Outcome.GONE
        meeting, group = found
        if not group.offers_trials or group.trial_seats == 0:
            return Outcome.NO_TRIALS
        if await groups.is_member(group.id, member.id, tx=tx):
            return Outcome.MEMBER
        if await meetings.active_trial(group.id, member.id, now, tx=tx) is not None:
            return Outcome.ALREADY
        counts = await meetings.counts(meeting.id, tx=tx)
        fits = has_room(SeatKind.TRIAL, counts, meeting.capacity, group.trial_seats)
        await take_seat(meetings, outbox, meeting, group, member, SeatKind.TRIAL, fits, now, tx)
    return Outcome.GOING if fits else Outcome.WAITLIST


async def cancel_trial(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    member: Member,
    meeting_id: int,
) -> Outcome:
    """Gives the trial seat (or waitlist place) up; the first one waiting gets it."""
    now = clock.now()
    async with meetings.transaction() as tx:
        seat = await meetings.seat(meeting_id, member.id, tx=tx)
        meeting = await meetings.get(meeting_id, tx=tx)
        if (
            seat is None
            or meeting is None
            or seat.kind is not SeatKind.TRIAL
            or seat.status not in _ACTIVE
            or meeting.starts_at <= now
        ):
            return Outcome.GONE
        await meetings.set_seat_status(meeting_id, member.id, SeatStatus.CANCELLED, now, tx=tx)
        await outbox.cancel_pending(meeting_id=meeting_id, member_id=member.id, tx=tx)
        if not meeting.is_cancelled:
            await promote_waiting(meetings, groups, outbox, meeting, now, tx=tx)
    return Outcome.DONE


async def rsvp(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    clock: Clock,
    member: Member,
    meeting_id: int,
    going: bool,
) -> Outcome:
    """A member's going / not going; going when full puts them on the waitlist."""
    now = clock.now()
    async with meetings.transaction() as tx:
        meeting = await meetings.get(meeting_id, tx=tx)
        if meeting is None or not meeting.is_coming(now):
            return Outcome.GONE
        if not await groups.is_member(meeting.group_id, member.id, tx=tx):
            return Outcome.NOT_MEMBER
        group = await groups.get(meeting.group_id, tx=tx)
        assert group is not None  # they are a member of it
        seat = await meetings.seat(meeting.id, member.id, tx=tx)
        if not going:
            await meetings.set_seat(
                meeting.id,
                member.id,
                SeatKind.MEMBER,
                SeatStatus.NOT_GOING,
                now,
                requeue=False,
                tx=tx,
            )
            await outbox.cancel_pending(meeting_id=meeting.id, member_id=member.id, tx=tx)
            if seat is not None and seat.status is SeatStatus.GOING:
                await promote_waiting(meetings, groups, outbox, meeting, now, tx=tx)
            return Outcome.NOT_GOING
        if seat is not None and seat.status is SeatStatus.GOING:
            return Outcome.GOING
        counts = await meetings.counts(meeting.id, tx=tx)
        fits = has_room(SeatKind.MEMBER, counts, meeting.capacity, group.trial_seats)
        if seat is not None and seat.status is SeatStatus.WAITLIST and not fits:
            return Outcome.WAITLIST
        await take_seat(meetings, outbox, meeting, group, member, SeatKind.MEMBER, fits, now, tx)
    return Outcome.GOING if fits else Outcome.WAITLIST


async def coming_in_active_group(
    meetings: MeetingRepository, groups: GroupRepository, meeting_id: int, now: datetime, *, tx: Tx
) -> tuple[Meeting, Group] | None:
    """The meeting and its group, if the meeting is still to come and the group not archived:
    what a seat can be taken at (a trial, or a guest's at an open event)."""
    meeting = await meetings.get(meeting_id, tx=tx)
    if meeting is None or not meeting.is_coming(now):
        return None
    group = await groups.get(meeting.group_id, tx=tx)
    if group is None or group.archived:
        return None
    return meeting, group


async def take_seat(
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    meeting: Meeting,
    group: Group,
    member: Member,
    kind: SeatKind,
    fits: bool,
    now: datetime,
    tx: Tx,
) -> None:
    """A seat (or, when full, a waitlist place, queued last), and reminders for a seat."""
    status = SeatStatus.GOING if fits else SeatStatus.WAITLIST
    await meetings.set_seat(meeting.id, member.id, kind, status, now, requeue=True, tx=tx)
    if fits:
        planned = reminders(meeting, member.id, group.reminder_offsets, now)
        await outbox.enqueue(planned, now=now, tx=tx)


async def answer_trial_followup(
    meetings: MeetingRepository,
    groups: GroupRepository,
    clock: Clock,
    member: Member,
    group_id: int,
    join: bool,
) -> Outcome:
    """ "Would you like to join this group?": yes joins if there is room, no ends the question.

    The first answer is kept and the question never comes back. Either answer leaves the
    group card's Join button open to them (bot.services.groups), so neither "no" nor a full
    group is a dead end; a later "yes" on this message tries again, like that button. Joining
    and recording the answer are one transaction.
    """
    now = clock.now()
    async with meetings.transaction() as tx:
        group = await groups.get(group_id, tx=tx)
        if group is None or group.archived:
            return Outcome.GONE
        if await groups.is_member(group_id, member.id, tx=tx):
            return Outcome.MEMBER
        if not await meetings.had_trial(group_id, member.id, now, tx=tx):
            return Outcome.REFUSED
        joined = join and await groups.add_member(group_id, member.id, now, tx=tx)
        answer = _JOINED if joined else _FULL if join else _DECLINED
        first = await meetings.record_trial_outcome(group_id, member.id, answer, now, tx=tx)
    if join:
        return Outcome.JOINED if joined else Outcome.FULL
    return Outcome.DECLINED if first else Outcome.ALREADY


# --- steps of other use cases ------------------------------------------------------------------


async def promote_waiting(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    meeting: Meeting,
    now: datetime,
    *,
    tx: Tx,
) -> list[Seat]:
    """In the caller's transaction: fills freed seats from the waitlist, first come first
    served, and tells each person (who then gets reminders too)."""
    group = await groups.get(meeting.group_id, tx=tx)
    if group is None:
        return []
    promoted: list[Seat] = []
    while True:
        waiting = await meetings.waiting(meeting.id, tx=tx)
        counts = await meetings.counts(meeting.id, tx=tx)
        seat = first_to_promote(waiting, counts, meeting.capacity, group.trial_seats)
        if seat is None:
            return promoted
        await meetings.set_seat_status(meeting.id, seat.member_id, SeatStatus.GOING, now, tx=tx)
        planned = [
            promotion_notice(meeting, seat.member_id, now),
            *reminders(meeting, seat.member_id, group.reminder_offsets, now),
        ]
        await outbox.enqueue(planned, now=now, tx=tx)
        promoted.append(seat)


async def release_seats(
    meetings: MeetingRepository,
    groups: GroupRepository,
    outbox: OutboxRepository,
    group_id: int,
    member_id: int,
    now: datetime,
    *,
    tx: Tx,
) -> None:
    """In the caller's transaction: someone left the group, so their seats at its coming
    meetings go to whoever waits."""
    for meeting in await meetings.coming_with_seat(group_id, member_id, now, tx=tx):
        await meetings.set_seat_status(meeting.id, member_id, SeatStatus.CANCELLED, now, tx=tx)
        await promote_waiting(meetings, groups, outbox, meeting, now, tx=tx)
