"""Use cases of the group network on a real SQLite file: role links, archiving and leaving."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.domain.deep_links import DeepLink, LinkKind
from bot.domain.groups import InvitationKind, InvitationProblem
from bot.domain.meetings import NewMeeting, Outcome
from bot.services import groups as service
from bot.services import meeting_watch, meetings, seats
from tests.unit.conftest import NETWORK_START, Network

FIRST_MEETING = NETWORK_START + timedelta(days=2, hours=9, minutes=30)


def facilitator_link(code: str) -> DeepLink:
    return DeepLink(LinkKind.FACILITATOR_INVITATION, code)


async def test_an_invitation_is_claimed_once_even_when_opened_twice_at_once(
    network: Network,
) -> None:
    group = await network.group()
    sari, tom = await network.person(1), await network.person(2)
    invitation = await network.groups.create_invitation(
        InvitationKind.FACILITATOR, created_by=None, now=network.clock.now(), group_id=group.id
    )
    link = facilitator_link(invitation.code)
    n = network
    results = await asyncio.gather(
        service.accept_invitation(n.groups, n.members, n.clock, link, sari),
        service.accept_invitation(n.groups, n.members, n.clock, link, tom),
    )
    assert [r.problem for r in results] == [None, InvitationProblem.USED]
    assert await network.groups.facilitators(group.id) == [(sari.id, sari.alias)]
    holders = await network.groups.menu_holders(frozenset())
    assert [(h.telegram_id, h.is_facilitator, h.is_coordinator) for h in holders] == [
        (1, True, False),
        (2, False, False),
    ]


async def test_expired_and_mismatched_links_are_refused(network: Network) -> None:
    sari = await network.person(1)
    n = network

    async def promotion() -> DeepLink:
        made = await n.groups.create_invitation(
            InvitationKind.COORDINATOR, created_by=None, now=n.clock.now()
        )
        return DeepLink(LinkKind.COORDINATOR_PROMOTION, made.code)

    older = await promotion()
    as_facilitator = facilitator_link(older.value)
    refused = await service.accept_invitation(n.groups, n.members, n.clock, as_facilitator, sari)
    assert refused.problem is InvitationProblem.UNKNOWN
    network.clock.advance(timedelta(days=1))
    newer = await promotion()
    network.clock.advance(timedelta(days=6))
    late = await service.accept_invitation(n.groups, n.members, n.clock, older, sari)
    assert late.problem is InvitationProblem.EXPIRED
    in_time = await service.accept_invitation(n.groups, n.members, n.clock, newer, sari)
    assert in_time.problem is None and not in_time.already
    assert [h.is_coordinator for h in await network.groups.menu_holders(frozenset())] == [True]


async def test_archiving_ends_every_series_and_tells_each_person_once_per_series(
    network: Network,
) -> None:
    ayu, budi = await network.person(1), await network.person(2)
    group = await network.group(members=(ayu, budi))
    n = network
    for place in ("Balai warga", "Taman kota"):
        new = NewMeeting(group.id, FIRST_MEETING, 90, "weekly", place, None, 10)
        assert await meetings.schedule(n.meetings, n.groups, n.outbox, n.clock, new, None)

    assert await service.archive_group(n.groups, n.meetings, n.outbox, n.clock, group.id)
    assert not await service.archive_group(n.groups, n.meetings, n.outbox, n.clock, group.id)

    assert await network.rows("SELECT count(*) FROM meetings WHERE status = 'scheduled'") == [(0,)]
    assert await network.rows("SELECT count(*) FROM meeting_series WHERE cancelled_at IS NULL") == [
        (0,)
    ]
    notices = await network.rows(
        "SELECT member_id, count(*) FROM outbox WHERE kind = 'meeting_cancelled'"
        " GROUP BY member_id ORDER BY member_id"
    )
    assert notices == [(ayu.id, 2), (budi.id, 2)]
    assert await network.rows(
        "SELECT count(*) FROM outbox WHERE kind = 'reminder' AND status = 'pending'"
    ) == [(0,)]


async def test_leaving_gives_the_seat_to_whoever_waits_in_the_same_transaction(
    network: Network,
) -> None:
    ayu, budi, cici = [await network.person(n) for n in (1, 2, 3)]
    group = await network.group(members=(ayu, budi, cici))
    n = network
    new = NewMeeting(group.id, FIRST_MEETING, 90, "once", "Balai warga", None, 2)
    [meeting] = await meetings.schedule(n.meetings, n.groups, n.outbox, n.clock, new, None)
    for person in (ayu, budi, cici):
        await seats.rsvp(n.meetings, n.groups, n.outbox, n.clock, person, meeting.id, True)
    assert (await network.meetings.seat(meeting.id, cici.id)).status == "waitlist"

    assert await service.leave_group(
        n.groups, n.meetings, n.outbox, n.buddies, n.clock, group.id, ayu
    )

    assert (await network.meetings.seat(meeting.id, cici.id)).status == "going"
    assert (await network.meetings.seat(meeting.id, ayu.id)).status == "cancelled"
    pending_for_ayu = await network.rows(
        "SELECT count(*) FROM outbox WHERE member_id = ? AND status = 'pending'", ayu.id
    )
    assert pending_for_ayu == [(0,)]
    promoted = await network.rows(
        "SELECT kind FROM outbox WHERE member_id = ? AND status = 'pending' ORDER BY kind", cici.id
    )
    assert promoted == [("reminder",), ("reminder",), ("waitlist_promoted",)]
    again = await service.leave_group(
        n.groups, n.meetings, n.outbox, n.buddies, n.clock, group.id, ayu
    )
    assert again is False
    outcome = await seats.rsvp(n.meetings, n.groups, n.outbox, n.clock, ayu, meeting.id, True)
    assert outcome is Outcome.NOT_MEMBER


async def test_a_schedule_tells_each_person_who_asked_once_about_its_first_meeting(
    network: Network,
) -> None:
    n = network
    ayu, budi = await n.person(1), await n.person(2)
    group = await n.group()
    assert await meeting_watch.set_watch(n.groups, n.clock, group.id, ayu, True)
    assert not await meeting_watch.set_watch(n.groups, n.clock, group.id, ayu, True)
    assert await meeting_watch.set_watch(n.groups, n.clock, group.id, budi, True)

    weekly = NewMeeting(group.id, FIRST_MEETING, 90, "weekly", "Balai warga", None, 8)
    first, *later = await meetings.schedule(n.meetings, n.groups, n.outbox, n.clock, weekly, None)
    once = NewMeeting(group.id, FIRST_MEETING + timedelta(days=1), 90, "once", "Balai", None, 8)
    await meetings.schedule(n.meetings, n.groups, n.outbox, n.clock, once, None)

    told = await n.rows(
        "SELECT member_id, meeting_id, dedupe_key FROM outbox WHERE kind = 'meeting_scheduled'"
        " ORDER BY member_id"
    )
    assert later and told == [
        (ayu.id, first.id, f"meeting_scheduled:{first.id}:{ayu.id}"),
        (budi.id, first.id, f"meeting_scheduled:{first.id}:{budi.id}"),
    ]
    assert await n.rows("SELECT count(*) FROM meeting_watches") == [(0,)]


async def test_suggestions_share_a_topic_and_leave_out_the_persons_own_groups(
    network: Network,
) -> None:
    n = network
    joined = await n.group()  # in person in Makassar (sulsel), topic anxiety
    other = await n.group()
    person = await n.person(1)
    await n.members.set_topics(person.id, ("anxiety",))
    await n.groups.add_member(joined.id, person.id, n.clock.now())
    person = await n.members.by_id(person.id)

    assert [g.id for g in await service.suggested_groups(n.groups, person, 5)] == [other.id]
    assert [g.id for g in await service.trial_groups(n.groups, person)] == [other.id]
    await n.members.set_topics(person.id, ("bipolar",))
    person = await n.members.by_id(person.id)
    assert await service.suggested_groups(n.groups, person, 5) == []
