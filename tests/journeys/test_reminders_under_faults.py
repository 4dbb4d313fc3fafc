"""Reminders survive Telegram's passing failures: a 5xx, a timeout or a flood wait delays a
reminder, never loses it, and never sends it twice; a later reminder still replaces an earlier
one that is out of date.

The meeting is the weekly one of test_meetings: Thursday 3 December 2026, 19:30 WITA, with
reminders 24 hours and 1 hour before.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_facilitator,
    a_group,
    a_person,
    advance_to,
    member_id,
    reminders,
    schedule_weekly,
    services,
    sign_up_for_trial,
)

# Long enough for any backoff the dispatcher applies to a first transient failure.
PAST_BACKOFF = timedelta(minutes=2)


async def a_trial_guest_of_the_weekly_meeting(world: BotWorld) -> Person:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    await sign_up_for_trial(ayu)
    return ayu


def reminder_statuses(world: BotWorld) -> list[tuple[str, str]]:
    """(offset in minutes, status) of every reminder row, earliest planned first."""
    found = rows(world, "SELECT dedupe_key, status FROM outbox WHERE kind = 'reminder'")
    return sorted(((key.split(":")[3], status) for key, status in found), key=lambda r: -int(r[0]))


@pytest.mark.parametrize("kind", ["5xx", "timeout", "429"])
async def test_a_reminder_hit_by_one_passing_failure_arrives_once(
    world: BotWorld, kind: str
) -> None:
    ayu = await a_trial_guest_of_the_weekly_meeting(world)
    world.emulator.faults.fail_next(kind, method="sendMessage", chat_id=ayu.user_id, retry_after=30)

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    assert reminders(ayu) == []
    assert [fault.kind for fault in world.emulator.faults.served] == [kind]
    world.clock.advance(PAST_BACKOFF)
    await world.tick()
    await world.tick()

    assert len(reminders(ayu)) == 1
    assert "Thursday, December 3, 2026, 8:30 PM WIT" in reminders(ayu)[0]
    assert reminder_statuses(world) == [("1440", "sent"), ("60", "pending")]
    await advance_to(world, FIRST_MEETING - timedelta(hours=1))
    assert len(reminders(ayu)) == 2


async def test_a_24_hour_reminder_held_up_until_the_1_hour_one_is_due_gives_way(
    world: BotWorld,
) -> None:
    ayu = await a_trial_guest_of_the_weekly_meeting(world)
    # Three flood waits of 7 h 40 min: the 24-hour reminder is next due exactly when the 1-hour
    # one is, so both are claimed in the same pass.
    wait = timedelta(hours=7, minutes=40)
    world.emulator.faults.fail_next(
        "429",
        method="sendMessage",
        chat_id=ayu.user_id,
        times=3,
        retry_after=int(wait.total_seconds()),
    )
    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    for _ in range(3):
        assert reminders(ayu) == []
        world.clock.advance(wait)
        await world.tick()

    assert world.clock.now() == FIRST_MEETING - timedelta(hours=1)
    assert len(world.emulator.faults.served) == 3
    assert len(reminders(ayu)) == 1  # the 1-hour one only
    assert reminder_statuses(world) == [("1440", "skipped"), ("60", "sent")]


async def test_a_24_hour_reminder_held_up_past_the_sent_1_hour_one_is_not_sent(
    world: BotWorld,
) -> None:
    ayu = await a_trial_guest_of_the_weekly_meeting(world)
    held_up = timedelta(hours=23, minutes=30)
    world.emulator.faults.fail_next(
        "429", method="sendMessage", chat_id=ayu.user_id, retry_after=int(held_up.total_seconds())
    )
    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    await advance_to(world, FIRST_MEETING - timedelta(hours=1))
    assert len(reminders(ayu)) == 1
    await advance_to(world, FIRST_MEETING - timedelta(minutes=30))

    assert len(reminders(ayu)) == 1  # an older reminder never follows a newer one
    assert reminder_statuses(world) == [("1440", "skipped"), ("60", "sent")]


async def test_one_members_flood_waits_delay_only_their_reminder(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    members = [await a_person(world, 310 + n, f"Anggota {n}") for n in range(4)]
    for person in members:
        await services(world).groups.add_member(
            group_id, await member_id(world, person), world.clock.now()
        )
    await world.tick()  # the planner plans their reminders
    slowed = members[1]
    world.emulator.faults.fail_next(
        "429", method="sendMessage", chat_id=slowed.user_id, times=3, retry_after=30
    )

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    assert reminders(slowed) == []
    # Whether a flood wait holds back one chat or the rest of the pass, once the waits are over
    # every reminder has gone out exactly once.
    for _ in range(6):
        world.clock.advance(timedelta(seconds=30))
        await world.tick()

    assert [f.kind for f in world.emulator.faults.served] == ["429"] * 3
    assert [len(reminders(person)) for person in members] == [1, 1, 1, 1]
