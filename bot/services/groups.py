"""Use cases of the group network: creating and running groups, role links, joining and leaving.

Callers check the person's role right before calling (handlers re-read it for every update);
these functions enforce the rules that hold whoever calls: room in a group, one use per link.
Each change is one transaction that reads what it depends on inside it.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.deep_links import DeepLink, LinkKind
from bot.domain.group_ranking import rank_groups, suggest_groups
from bot.domain.groups import (
    CHECKS,
    Checked,
    ClaimedInvitation,
    EditableField,
    Group,
    GroupCard,
    InvitationKind,
    JoinOutcome,
    NewGroup,
    has_room,
    invitation_problem,
    same_name_key,
)
from bot.domain.meetings import seats_left
from bot.domain.member import Member
from bot.services.buddies import end_on_leaving
from bot.services.meetings import end_series, withdraw_outdated_reminders
from bot.services.seats import release_seats
from bot.storage.buddies import BuddyRepository
from bot.storage.database import Tx
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.members import MemberRepository
from bot.storage.outbox import OutboxRepository

_ROLE_LINKS = {
    LinkKind.FACILITATOR_INVITATION: InvitationKind.FACILITATOR,
    LinkKind.COORDINATOR_PROMOTION: InvitationKind.COORDINATOR,
}


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


async def name_holder(
    groups: GroupRepository, name: str, *, other_than: int | None = None
) -> Group | None:
    """The active group (other than ``other_than``) already called ``name``, however it is
    cased or spaced: two groups of one name would be mixed up on cards, in reminders and by
    people choosing one."""
    wanted = same_name_key(name)
    return next(
        (
            summary.group
            for summary in await groups.list_all()
            if summary.group.id != other_than and same_name_key(summary.group.name) == wanted
        ),
        None,
    )


async def archive_group(
    groups: GroupRepository,
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    clock: Clock,
    group_id: int,
) -> bool:
    """Archives the group and, in the same transaction, ends its meeting series (everyone
    expected is told once per series); False if it was not active."""
    now = clock.now()
    cancelled = []
    async with groups.transaction() as tx:
        if not await groups.archive(group_id, now, tx=tx):
            return False
        for series_id in await meetings.active_series_ids(group_id, tx=tx):
            cancelled += await end_series(meetings, outbox, series_id, now, tx=tx)
    await withdraw_outdated_reminders(meetings, outbox, cancelled)
    return True


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
    groups: GroupRepository,
    members: MemberRepository,
    clock: Clock,
    link: DeepLink,
    member: Member,
) -> ClaimedInvitation:
    """Opens an ``f-`` or ``c-`` link for ``member``: uses it up and grants its role, or says
    why not. One transaction, so a link opened twice at once still works only once."""
    now, kind = clock.now(), _ROLE_LINKS[link.kind]
    async with groups.transaction() as tx:
        invitation, group_active = await groups.invitation(link.value, tx=tx)
        if invitation is not None and invitation.kind is not kind:
            invitation = None  # an f- code opened as c- (or the reverse) is just unknown
        problem = invitation_problem(invitation, now, group_active=group_active)
        if problem is not None:
            return ClaimedInvitation(invitation, problem)
        assert invitation is not None
        await groups.use_invitation(invitation.code, member.id, now, tx=tx)
        if kind is InvitationKind.FACILITATOR:
            assert invitation.group_id is not None  # schema CHECK
            granted = await groups.add_facilitator(invitation.group_id, member.id, now, tx=tx)
        else:
            granted = await members.make_coordinator(member.id, tx=tx)
    return ClaimedInvitation(invitation, already=not granted)


async def remove_facilitator(groups: GroupRepository, group_id: int, member_id: int) -> bool:
    return await groups.remove_facilitator(group_id, member_id)


async def browse(
    groups: GroupRepository,
    viewer: Member | None,
    *,
    topic: str | None = None,
    province: str | None = None,
    online_only: bool = False,
) -> list[Group]:
    """Active groups matching every filter given, in the order ``viewer`` sees them (their
    province first, then online groups: bot.domain.group_ranking)."""
    found = await groups.browse(topic=topic, province=province, online_only=online_only)
    return _ranked(found, viewer)


async def suggested_groups(groups: GroupRepository, member: Member, limit: int) -> list[Group]:
    """At most ``limit`` active groups sharing a topic ``member`` chose at sign-up, best first;
    never one they already belong to."""
    theirs = await groups.member_group_ids(member.id)
    candidates = [g for g in await groups.browse() if g.id not in theirs]
    return suggest_groups(candidates, province=member.province, topics=member.topics, limit=limit)


async def trial_groups(groups: GroupRepository, member: Member) -> list[Group]:
    """Active groups that offer trial sessions and ``member`` does not belong to (a member's
    trial would be refused), in the order they see groups."""
    theirs = await groups.member_group_ids(member.id)
    offering = [
        g
        for g in await groups.browse()
        if g.offers_trials and g.trial_seats > 0 and g.id not in theirs
    ]
    return _ranked(offering, member)


def _ranked(found: list[Group], viewer: Member | None) -> list[Group]:
    if viewer is None:
        return rank_groups(found, province=None, topics=())
    return rank_groups(found, province=viewer.province, topics=viewer.topics)


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
    upcoming = await meetings.next_scheduled(group.id, clock.now())
    if upcoming is None:
        watching = viewer is not None and await groups.is_watching(group.id, viewer.id)
        return GroupCard(group, None, None, None, is_member, can_join, watching)
    counts = await meetings.counts(upcoming.id)
    left, trial_left = seats_left(counts, upcoming.capacity, group.trial_seats)
    return GroupCard(group, upcoming.starts_at, left, trial_left, is_member, can_join)


async def join_group(
    groups: GroupRepository, clock: Clock, group_id: int, member: Member
) -> JoinOutcome:
    """Joins an active group with room; groups offering trials take people after a trial."""
    async with groups.transaction() as tx:
        group = await groups.get(group_id, tx=tx)
        if group is None or group.archived:
            return JoinOutcome.GONE
        if await groups.is_member(group_id, member.id, tx=tx):
            return JoinOutcome.ALREADY_MEMBER
        if not await _may_join(groups, group, member, tx=tx):
            return JoinOutcome.NEEDS_TRIAL
        if not has_room(await groups.member_count(group_id, tx=tx), group.max_members):
            return JoinOutcome.FULL
        joined = await groups.add_member(group_id, member.id, clock.now(), tx=tx)
    return JoinOutcome.JOINED if joined else JoinOutcome.FULL


async def leave_group(
    groups: GroupRepository,
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    buddies: BuddyRepository,
    clock: Clock,
    group_id: int,
    member: Member,
) -> bool:
    """Leaves a group, in one transaction: their seats at its coming meetings go to whoever
    waits, every pending message to them about its meetings is dropped, and their buddy
    pairing there ends (the buddy told kindly). False if they were not a member."""
    now = clock.now()
    async with groups.transaction() as tx:
        if not await groups.remove_member(group_id, member.id, tx=tx):
            return False
        await release_seats(meetings, groups, outbox, group_id, member.id, now, tx=tx)
        await outbox.cancel_pending(member_id=member.id, group_id=group_id, tx=tx)
        await end_on_leaving(buddies, outbox, member.id, now, group_id=group_id, tx=tx)
    return True


async def _may_join(
    groups: GroupRepository, group: Group, member: Member, *, tx: Tx | None = None
) -> bool:
    """Groups that offer trials take whoever has had one there, whatever they answered to
    "join this group?": "no, thank you" only ends the question, and a group that was full then
    may have room now."""
    if not group.offers_trials:
        return True
    return await groups.trial_answer(group.id, member.id, tx=tx) is not None
