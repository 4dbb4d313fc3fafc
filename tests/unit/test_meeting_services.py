"""Meeting use cases on a real SQLite file: their preconditions hold when they write (another
person's change landing just before the transaction wins), a use case is all or nothing, and
work that grows with the number of people is split into short transactions that lose nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta

import pytest

from bot.domain.groups import JoinOutcome
from bot.domain.meeting_notices import still_current
from bot.domain.meetings import Meeting, NewMeeting, Outcome
from bot.domain.member import Member
from bot.domain.messages import PlannedMessage
from bot.services import groups as group_service
from bot.services import meetings, planner, seats
from bot.storage.database import Database, Tx
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository
from tests.unit.conftest import NETWORK_START, Network

FIRST_MEETING = NETWORK_START + timedelta(days=2, hours=9, minutes=30)


class Interleaved(MeetingRepository):
    """Runs ``before`` once, right before the next transaction begins: someone else's change
    landing between what a use case may have looked at first and what it writes."""

    def __init__(self, db: Database, before: Callable[[], Awaitable[object]]) -> None:
        super().__init__(db)
        self._before: Callable[[], Awaitable[object]] | None = before

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        before, self._before = self._before, None
        inner = super().transaction()

        @asynccontextmanager
        async def interleaved() -> AsyncIterator[Tx]:
            if before is not None:
                await before()
            async with inner as tx:
                yield tx

        return interleaved()


async def weekly(network: Network, group_id: int, capacity: int = 10) -> list[Meeting]:
    n = network
    new = NewMeeting(group_id, FIRST_MEETING, 90, "weekly", "Balai warga", None, capacity)
    return await meetings.schedule(n.meetings, n.groups, n.outbox, n.clock, new, None)


async def rows_about(network: Network, member: Member, meeting: Meeting) -> list[tuple]:
    return await network.rows(
        "SELECT kind, status FROM outbox WHERE member_id = ? AND meeting_id = ? ORDER BY id",
        member.id,
        meeting.id,
    )


# --- preconditions are checked inside the transaction that writes -----------------------------


async def test_a_cancellation_just_before_an_rsvp_wins(network: Network) -> None:
    sari, ayu = await network.person(1), await network.person(2)
    group = await network.group(members=(ayu,), facilitators=(sari,))
    first, *_ = await weekly(network, group.id)
    n = network
    # Ayu declines first, so a later "going" would plan her reminders afresh.
    await seats.rsvp(n.meetings, n.groups, n.outbox, n.clock, ayu, first.id, False)

    async def facilitator_cancels() -> None:
        outcome = await meetings.cancel_occurrence(
            n.meetings, n.outbox, n.clock, frozenset({group.id}), first.id
        )
        assert outcome is Outcome.DONE

    racing = Interleaved(network.db, facilitator_cancels)
    outcome = await seats.rsvp(racing, n.groups, n.outbox, n.clock, ayu, first.id, True)

    assert outcome is Outcome.GONE
    assert (await network.meetings.seat(first.id, ayu.id)).status == "not_going"
    assert ("reminder", "pending") not in await rows_about(network, ayu, first)


async def test_leaving_just_before_an_rsvp_wins(network: Network) -> None:
    ayu = await network.person(2)
    group = await network.group(members=(ayu,))
    first, *_ = await weekly(network, group.id)
    n = network

    async def ayu_leaves() -> None:
        assert await group_service.leave_group(
            n.groups, n.meetings, n.outbox, n.buddies, n.clock, group.id, ayu
        )

    racing = Interleaved(network.db, ayu_leaves)
    outcome = await seats.rsvp(racing, n.groups, n.outbox, n.clock, ayu, first.id, True)

    assert outcome is Outcome.NOT_MEMBER
    assert await network.meetings.seat(first.id, ayu.id) is None


@pytest.mark.parametrize("change", ["cancel the meeting", "archive the group"])
async def test_a_change_just_before_a_trial_sign_up_wins(network: Network, change: str) -> None:
    sari, river = await network.person(1), await network.person(5)
    group = await network.group(facilitators=(sari,))
    first, *_ = await weekly(network, group.id)
    n = network

    async def someone_changes_it() -> None:
        if change == "cancel the meeting":
            facilitated = frozenset({group.id})
            await meetings.cancel_occurrence(n.meetings, n.outbox, n.clock, facilitated, first.id)
        else:
            await group_service.archive_group(n.groups, n.meetings, n.outbox, n.clock, group.id)

    racing = Interleaved(network.db, someone_changes_it)
    outcome = await seats.sign_up_for_trial(racing, n.groups, n.outbox, n.clock, river, first.id)

    assert outcome is Outcome.GONE
    assert await network.meetings.seat(first.id, river.id) is None
    assert await rows_about(network, river, first) == []


async def test_the_last_trial_seat_goes_to_one_person_only(network: Network) -> None:
    group = await network.group(trial_seats=1)
    first, *_ = await weekly(network, group.id)
    river, tom = await network.person(5), await network.person(6)
    n = network

    async def tom_takes_the_seat() -> None:
        outcome = await seats.sign_up_for_trial(
            n.meetings, n.groups, n.outbox, n.clock, tom, first.id
        )
        assert outcome is Outcome.GOING

    racing = Interleaved(network.db, tom_takes_the_seat)
    outcome = await seats.sign_up_for_trial(racing, n.groups, n.outbox, n.clock, river, first.id)

    assert outcome is Outcome.WAITLIST
    assert await rows_about(network, river, first) == []  # no reminders while waiting


# --- a use case is all or nothing -------------------------------------------------------------


class FailingAnswers(MeetingRepository):
    """Storing the after-trial answer fails (a full disk, a crash)."""

    async def record_trial_outcome(self, *args: object, **kwargs: object) -> bool:
        raise OSError("disk full")


async def test_joining_after_a_trial_and_its_answer_are_one_change(network: Network) -> None:
    river = await network.person(5)
    group = await network.group(trial_seats=1)
    first, *_ = await weekly(network, group.id)
    n = network
    await seats.sign_up_for_trial(n.meetings, n.groups, n.outbox, n.clock, river, first.id)
    network.clock.advance(FIRST_MEETING + timedelta(hours=2) - network.clock.now())

    failing = FailingAnswers(network.db)
    with pytest.raises(OSError):
        await seats.answer_trial_followup(failing, n.groups, n.clock, river, group.id, True)
    assert not await network.groups.is_member(group.id, river.id)  # the join rolled back

    outcome = await seats.answer_trial_followup(
        n.meetings, n.groups, n.clock, river, group.id, True
    )
    assert outcome is Outcome.JOINED
    assert await network.groups.trial_answer(group.id, river.id) == "yes"


# --- long work in short transactions ----------------------------------------------------------


class RecordingOutbox(OutboxRepository):
    """Remembers which meetings and people each enqueue call (one per transaction here) was
    about, and can fail the n-th call."""

    def __init__(self, db: Database, fail_call: int | None = None) -> None:
        super().__init__(db)
        self.calls: list[tuple[set[int | None], set[int]]] = []
        self._fail_call = fail_call

    async def enqueue(self, messages: Iterable[PlannedMessage], *, now: datetime, tx: Tx) -> int:
        planned = list(messages)
        self.calls.append(
            ({message.meeting_id for message in planned}, {m.member_id for m in planned})
        )
        if len(self.calls) == self._fail_call:
            raise OSError("the process dies")
        return await super().enqueue(planned, now=now, tx=tx)


async def test_scheduling_plans_each_meetings_reminders_in_a_transaction_of_its_own(
    network: Network,
) -> None:
    people = [await network.person(n) for n in range(1, 6)]
    group = await network.group(members=tuple(people))
    outbox = RecordingOutbox(network.db)
    n = network
    new = NewMeeting(group.id, FIRST_MEETING, 90, "weekly", "Balai warga", None, 10)
    scheduled = await meetings.schedule(n.meetings, n.groups, outbox, n.clock, new, None)

    assert len(scheduled) == len(outbox.calls) == 8  # eight weeks ahead
    assert all(len(meeting_ids) == 1 for meeting_ids, _ in outbox.calls)
    reminders = await network.rows("SELECT count(*) FROM outbox WHERE kind = 'reminder'")
    assert reminders == [(8 * 5 * 2,)]


async def test_a_crash_between_two_of_those_transactions_loses_no_reminder(
    network: Network,
) -> None:
    people = [await network.person(n) for n in range(1, 4)]
    group = await network.group(members=tuple(people))
    outbox = RecordingOutbox(network.db, fail_call=3)
    n = network
    new = NewMeeting(group.id, FIRST_MEETING, 90, "weekly", "Balai warga", None, 10)
    with pytest.raises(OSError):
        await meetings.schedule(n.meetings, n.groups, outbox, n.clock, new, None)
    planned = await network.rows("SELECT count(*) FROM outbox WHERE kind = 'reminder'")
    assert planned == [(2 * 3 * 2,)]  # the first two meetings' reminders are in

    report = await planner.plan_ahead(n.meetings, n.groups, n.outbox, n.clock)

    assert report.reminders == 6 * 3 * 2
    again = await planner.plan_ahead(n.meetings, n.groups, n.outbox, n.clock)
    assert again.reminders == 0
    per_person = await network.rows(
        "SELECT member_id, count(*) FROM outbox WHERE kind = 'reminder' GROUP BY member_id"
    )
    assert sorted(count for _, count in per_person) == [16, 16, 16]


async def test_the_planner_plans_reminders_batch_by_batch_and_always_finishes(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planner, "BATCH", 2)
    blocked = await network.person(9)
    group = await network.group(max_members=10)
    await weekly(network, group.id)
    # People join after the meetings were planned: the planner gives them their reminders.
    network.clock.advance(FIRST_MEETING - timedelta(minutes=30) - network.clock.now())
    for n in range(1, 6):
        person = await network.person(n)
        assert await network.groups.add_member(group.id, person.id, network.clock.now())
    assert await network.groups.add_member(group.id, blocked.id, network.clock.now())
    await network.outbox.mark_member_blocked(blocked.id, network.clock.now())
    outbox = RecordingOutbox(network.db)

    report = await planner.plan_ahead(network.meetings, network.groups, outbox, network.clock)

    # The first meeting is 30 minutes away: its reminder times have passed, so those five gaps
    # stay gaps (nothing to plan) and the pass still ends; the seven later meetings get theirs,
    # two people per transaction; nothing is planned for someone who blocked the bot.
    assert report.reminders == 7 * 5 * 2
    people_per_call = [people for meeting_ids, people in outbox.calls if meeting_ids]
    assert all(len(people) <= 2 and blocked.id not in people for people in people_per_call)
    again = await planner.plan_ahead(network.meetings, network.groups, outbox, network.clock)
    assert again.reminders == 0


class CrashAfterFirstTransaction(MeetingRepository):
    """The process dies right after the first transaction that commits."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._committed = 0

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        if self._committed:
            raise OSError("the process dies")
        inner = super().transaction()

        @asynccontextmanager
        async def counted() -> AsyncIterator[Tx]:
            async with inner as tx:
                yield tx
            self._committed += 1

        return counted()


async def pending_reminders(network: Network, meeting: Meeting) -> list[tuple[int, str]]:
    """(member id, key) of the meeting's pending reminders."""
    return await network.rows(
        "SELECT member_id, dedupe_key FROM outbox WHERE meeting_id = ? AND kind = 'reminder'"
        " AND status = 'pending' ORDER BY member_id, dedupe_key",
        meeting.id,
    )


async def test_a_crash_right_after_a_move_loses_no_reminder(network: Network) -> None:
    ayu, budi = await network.person(1), await network.person(2)
    group = await network.group(members=(ayu, budi))
    first, *_ = await weekly(network, group.id)
    n = network
    later = first.starts_at + timedelta(hours=2)

    crashing = CrashAfterFirstTransaction(network.db)
    facilitated = frozenset({group.id})
    with pytest.raises(OSError):
        await meetings.move_occurrence(
            crashing, n.groups, n.outbox, n.clock, facilitated, first.id, later
        )
    assert (await network.meetings.get(first.id)).starts_at == later  # the move committed

    await planner.plan_ahead(n.meetings, n.groups, n.outbox, n.clock)

    moved = await network.meetings.get(first.id)
    pending = await network.outbox.pending_about(first.id, "reminder", after_id=0, limit=100)
    current = [row.dedupe_key for row in pending if still_current(moved, row.payload)]
    assert len(current) == 4 and all(key.endswith(f"{later:%Y%m%dT%H%M}") for key in current)
    # Those planned for the old time were not withdrawn before the crash: the dispatcher skips
    # them, as it skips anything that no longer applies.
    assert len(pending) == 8


async def test_reminders_follow_a_meeting_moved_away_and_back(network: Network) -> None:
    ayu = await network.person(1)
    group = await network.group(members=(ayu,))
    first, *_ = await weekly(network, group.id)
    n = network
    facilitated = frozenset({group.id})
    original, later = first.starts_at, first.starts_at + timedelta(hours=2)

    for start in (later, original):
        outcome = await meetings.move_occurrence(
            n.meetings, n.groups, n.outbox, n.clock, facilitated, first.id, start
        )
        assert outcome is Outcome.DONE
        keys = [key for _, key in await pending_reminders(network, first)]
        assert len(keys) == 2 and all(key.endswith(f"{start:%Y%m%dT%H%M}") for key in keys)


async def test_someone_who_leaves_and_rejoins_gets_their_reminders_again(
    network: Network,
) -> None:
    ayu = await network.person(1)
    group = await network.group(members=(ayu,), trial_seats=0)
    first, *_ = await weekly(network, group.id)
    n = network
    assert await group_service.leave_group(
        n.groups, n.meetings, n.outbox, n.buddies, n.clock, group.id, ayu
    )
    assert await pending_reminders(network, first) == []

    joined = await group_service.join_group(n.groups, n.clock, group.id, ayu)
    assert joined is JoinOutcome.JOINED
    await planner.plan_ahead(n.meetings, n.groups, n.outbox, n.clock)

    assert [member for member, _ in await pending_reminders(network, first)] == [ayu.id] * 2
