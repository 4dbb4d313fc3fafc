"""The weekly check-in planner on a real database: who is prompted, one coming prompt each,
passes that repeat add nothing, and schedule changes that move a prompt without doubling it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.checkin_cadence import CheckinSchedule
from bot.services import checkin_schedule
from bot.services.checkin_planner import plan_checkins
from bot.storage.checkins import CheckinRepository
from tests.unit.conftest import Network

# The network starts on Tuesday 1 December 2026, 10:00 in Makassar (where its people live).
SUNDAY = datetime(2026, 12, 6, 11, 0, tzinfo=UTC)  # 19:00 WITA


async def prompts(network: Network) -> list[tuple[int, str, str, str]]:
    return await network.rows(
        "SELECT member_id, dedupe_key, not_before, status FROM outbox"
        " WHERE kind = 'checkin_prompt' ORDER BY member_id, id"
    )


async def test_only_reachable_members_of_active_groups_with_prompts_on_are_planned(
    network: Network,
) -> None:
    checkins = CheckinRepository(network.db)
    planned, blocked, stopped, archived, loner = [await network.person(n) for n in range(1, 6)]
    await network.group(members=(planned, blocked, stopped))
    gone = await network.group(members=(archived,))
    await network.groups.archive(gone.id, network.clock.now())
    await network.outbox.mark_member_blocked(blocked.id, network.clock.now())
    await checkins.save_schedule(stopped.id, CheckinSchedule(stopped_at=network.clock.now()))

    report = await plan_checkins(checkins, network.outbox, network.clock)

    assert (report.prompts, report.nudges) == (1, 0)
    sunday = "2026-12-06T11:00:00.000000+00:00"
    assert await prompts(network) == [
        (planned.id, f"checkin:{planned.id}:2026-W49", sunday, "pending")
    ]
    assert (await plan_checkins(checkins, network.outbox, network.clock)).prompts == 0
    assert loner.id not in {row[0] for row in await prompts(network)}


async def test_a_paused_member_is_planned_for_after_the_pause(network: Network) -> None:
    checkins = CheckinRepository(network.db)
    ayu = await network.person(1)
    await network.group(members=(ayu,))
    assert await checkin_schedule.pause(checkins, network.outbox, network.clock, ayu.id, 2)
    assert not await checkin_schedule.pause(checkins, network.outbox, network.clock, ayu.id, 2)
    assert not await checkin_schedule.pause(checkins, network.outbox, network.clock, ayu.id, 3)

    await plan_checkins(checkins, network.outbox, network.clock)

    [(_, key, not_before, _)] = await prompts(network)
    assert key.endswith("2026-W51") and not_before.startswith("2026-12-20T11:00")


async def test_changing_the_time_moves_this_weeks_pending_prompt_under_the_same_key(
    network: Network,
) -> None:
    checkins = CheckinRepository(network.db)
    ayu = await network.person(1)
    await network.group(members=(ayu,))
    await plan_checkins(checkins, network.outbox, network.clock)

    await checkin_schedule.change_time(checkins, network.outbox, ayu.id, 21 * 60, shown=19 * 60)
    assert [row[3] for row in await prompts(network)] == ["cancelled"]
    await plan_checkins(checkins, network.outbox, network.clock)

    [(_, key, not_before, status)] = await prompts(network)
    assert key == f"checkin:{ayu.id}:2026-W49" and status == "pending"
    assert not_before.startswith("2026-12-06T13:00")  # 21:00 WITA
    # Back to the default: the row goes, the prompt follows.
    await checkin_schedule.change_time(checkins, network.outbox, ayu.id, 19 * 60, shown=21 * 60)
    assert await network.rows("SELECT * FROM checkin_schedules") == []


async def test_a_nudge_is_planned_48_hours_after_an_unanswered_prompt(network: Network) -> None:
    checkins = CheckinRepository(network.db)
    ayu = await network.person(1)
    await network.group(members=(ayu,))
    await plan_checkins(checkins, network.outbox, network.clock)
    network.clock.advance(SUNDAY - network.clock.now())
    [claimed] = await network.outbox.claim_due(network.clock.now(), 10)
    await network.outbox.mark_sent(claimed.id, network.clock.now())

    network.clock.advance(timedelta(hours=47, minutes=59))
    assert (await plan_checkins(checkins, network.outbox, network.clock)).nudges == 0
    network.clock.advance(timedelta(minutes=1))
    assert (await plan_checkins(checkins, network.outbox, network.clock)).nudges == 1
    assert (await plan_checkins(checkins, network.outbox, network.clock)).nudges == 0
    assert await network.rows(
        "SELECT dedupe_key, not_before FROM outbox WHERE kind = 'checkin_nudge'"
    ) == [(f"checkin_nudge:{ayu.id}:2026-W49", "2026-12-08T11:00:00.000000+00:00")]
