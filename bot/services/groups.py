"""Use cases of the group network: creating and running groups, role links, joining and leaving.

Callers check the person's role right before calling (handlers re-read it for every update);
these functions enforce the rules that hold whoever calls: room in a group, one use per link.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.deep_links import DeepLink, LinkKind
from bot.domain.groups import (
    CHECKS,
    Checked,
    EditableField,
    Group,
    InvitationKind,
    NewGroup,
    has_room,
)
from bot.domain.member import Member
from bot.storage.groups import ClaimedInvitation, GroupRepository
from bot.storage.meetings import MeetingRepository

_ROLE_LINKS = {
    LinkKind.FACILITATOR_INVITATION: InvitationKind.FACILITATOR,
    LinkKind.COORDINATOR_PROMOTION: InvitationKind.COORDINATOR,
}


class JoinOutcome(enum.Enum):
    JOINED = "joined"
    ALREADY_MEMBER = "already_member"
    NEEDS_TRIAL = "needs_trial"  # the group asks newcomers to try a session first
    FULL = "full"
    GONE = "gone"  # archived or deleted meanwhile


@dataclass(frozen=True, slots=True)
class GroupCard:
    """What a person sees about one group: the group, its next meeting, what they may do."""

    group: Group
    next_meeting_at: datetime | None
    seats_left: int | None
    # Trial seats still free at the next meeting (shown to people who are not members yet).
    trial_seats_left: int | None
    is_member: bool
    can_join: bool


async def create_group(groups: GroupRepository, clock: Clock, new: NewGroup) -> Group:
    return await groups.create(new, clock.now())


async def edit_group(
    groups: GroupRepository, group_id: int, field: EditableField, raw: str
) -> Checked:
    """Validates a typed value and saves it; the result says why if it was refused.

    Raises LookupError if the group is no longer active.
    """
    checked = CHECKS[field](raw)
    if checked.ok:
        await groups.update(group_id, field, checked.value)
    return checked


async def archive_group(groups: GroupRepository, clock: Clock, group_id: int) -> bool:
    """Archives the group and cancels its future meetings; False if it was not active."""
    return await groups.archive(group_id, clock.now()) is not None


async def invitation_link_payload(
    groups: GroupRepository,
    clock: Clock,
    kind: InvitationKind,
    *,
    created_by: Member | None,
    group_id: int | None = None,
) -> str:
    """A fresh one-time ``f-<code>`` (facilitator of ``group_id``) or ``c-<code>`` payload."""
    invitation = await groups.create_invitation(
        kind,
        created_by=created_by.id if created_by else None,
        now=clock.now(),
        group_id=group_id,
    )
    link_kind = {v: k for k, v in _ROLE_LINKS.items()}[kind]
    return DeepLink(link_kind, invitation.code).payload


async def accept_invitation(
    groups: GroupRepository, clock: Clock, link: DeepLink, member: Member
) -> ClaimedInvitation:
    """Opens an ``f-`` or ``c-`` link for ``member``: grants the role once, or says why not."""
    return await groups.claim_invitation(link.value, _ROLE_LINKS[link.kind], member.id, clock.now())


async def remove_facilitator(groups: GroupRepository, group_id: int, member_id: int) -> bool:
    return await groups.remove_facilitator(group_id, member_id)


async def group_card(
    groups: GroupRepository,
    meetings: MeetingRepository,
    clock: Clock,
    group: Group,
    viewer: Member | None,
) -> GroupCard:
    """The card of ``group`` as ``viewer`` (None: not registered yet) sees it."""
    is_member = viewer is not None and await groups.is_member(group.id, viewer.id)
    can_join = viewer is not None and not is_member and await _may_join(groups, group, viewer)
    upcoming = await meetings.next_meeting_with_seats(group.id, clock.now())
    return GroupCard(
        group,
        upcoming.meeting.starts_at if upcoming else None,
        upcoming.seats_left if upcoming else None,
        upcoming.trial_seats_left if upcoming else None,
        is_member,
        can_join,
    )


async def join_group(
    groups: GroupRepository, clock: Clock, group_id: int, member: Member
) -> JoinOutcome:
    """Joins an active group with room; groups offering trials take people after a trial."""
    group = await groups.get(group_id)
    if group is None or group.archived:
        return JoinOutcome.GONE
    if await groups.is_member(group_id, member.id):
        return JoinOutcome.ALREADY_MEMBER
    if not await _may_join(groups, group, member):
        return JoinOutcome.NEEDS_TRIAL
    if not has_room(await groups.member_count(group_id), group.max_members):
        return JoinOutcome.FULL
    # add_member re-checks room inside its transaction: two last-seat joins cannot both win.
    joined = await groups.add_member(group_id, member.id, clock.now())
    return JoinOutcome.JOINED if joined else JoinOutcome.FULL


async def leave_group(groups: GroupRepository, clock: Clock, group_id: int, member: Member) -> bool:
    """Leaves a group: seats at its meetings are released and pending reminders dropped."""
    return await groups.remove_member(group_id, member.id, clock.now())


async def _may_join(groups: GroupRepository, group: Group, member: Member) -> bool:
    """Groups that offer trials take whoever has had one there, whatever they answered to
    "join this group?": "no, thank you" only ends the question, and a group that was full then
    may have room now."""
    return not group.offers_trials or await groups.trial_answer(group.id, member.id) is not None
