"""The weekly check-in prompt: at each member's chosen time in their own timezone, once a week
whatever happens to the bot, with one gentle nudge only when unanswered, and a schedule the
member sets in /settings. The first check-in is offered after sign-up and on joining.

The clock starts on Tuesday 1 December 2026, 09:00 WIB; that week's Sunday is 6 December.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.checkins import (
    JAKARTA,
    JAYAPURA,
    a_group,
    a_member,
    advance_to,
    answer_who5,
    nudges,
    prompts,
)

SUNDAY_WIT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)  # 19:00 in Jayapura
SUNDAY_WIB = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # 19:00 in Jakarta
WEEK = timedelta(days=7)
MINUTE = timedelta(minutes=1)


async def members(world: BotWorld, count: int = 2) -> list[Person]:
    """Ayu in Jayapura, Budi in Jakarta, then Cici in Jayapura: one group."""
    group_id = await a_group(world)
    people = (("Ayu Senja", JAYAPURA), ("Budi Pagi", JAKARTA), ("Cici Hujan", JAYAPURA))
    return [
        await a_member(world, 601 + n, alias, home, group_id)
        for n, (alias, home) in enumerate(people[:count])
    ]


async def two_members(world: BotWorld) -> tuple[Person, Person]:
    ayu, budi = await members(world)
    return ayu, budi


def prompt_rows(world: BotWorld) -> list[tuple[str, str]]:
    return rows(
        world,
        "SELECT dedupe_key, status FROM outbox WHERE kind = 'checkin_prompt' ORDER BY id",
    )


async def test_each_member_gets_the_prompt_at_seven_in_the_evening_their_time(
    world: BotWorld,
) -> None:
    ayu, budi = await two_members(world)

    await advance_to(world, SUNDAY_WIT - MINUTE)
    assert prompts(ayu) == prompts(budi) == []
    await advance_to(world, SUNDAY_WIT)
    assert len(prompts(ayu)) == 1 and prompts(budi) == []
    await advance_to(world, SUNDAY_WIB - MINUTE)
    assert prompts(budi) == []
    await advance_to(world, SUNDAY_WIB)
    await world.tick()

    assert len(prompts(ayu)) == 1 and len(prompts(budi)) == 1
    assert ayu.button("Start")[1] == "ck:start:weekly"
    assert ayu.button("Change the day or time")[1] == "cs:open"
    # Next week's are planned already, and come a week later.
    await advance_to(world, SUNDAY_WIB + WEEK)
    assert len(prompts(ayu)) == 2 and len(prompts(budi)) == 2


async def test_the_prompt_in_the_4th_week_after_joining_says_so(world: BotWorld) -> None:
    ayu, _ = await two_members(world)  # joined on Tuesday 1 December
    for week in range(4):
        await advance_to(world, SUNDAY_WIT + week * WEEK)
        await world.tick()

    assert len(prompts(ayu)) == 4
    assert "about four weeks since you joined" in prompts(ayu)[3]  # Sunday 27 December
    assert ayu.button("Start")[1] == "ck:start:week4"
    assert "four weeks" not in prompts(ayu)[2]


async def test_someone_in_no_group_gets_no_prompt(world: BotWorld) -> None:
    loner = await a_member(world, 603, "Citra Sendiri", JAKARTA, None)
    await advance_to(world, SUNDAY_WIB + timedelta(hours=1))
    assert prompts(loner) == []
    assert prompt_rows(world) == []


async def test_a_restart_between_planning_and_sending_sends_the_prompt_once(
    world: BotWorld,
) -> None:
    ayu, _ = await two_members(world)
    await world.tick()
    assert len(prompt_rows(world)) == 2  # planned

    await world.restart()
    await advance_to(world, SUNDAY_WIT)
    await world.tick()
    await world.restart()
    await world.tick()

    assert len(prompts(ayu)) == 1


async def test_a_prompt_due_while_the_bot_was_down_goes_late_once(world: BotWorld) -> None:
    ayu, budi = await two_members(world)
    await world.tick()
    await world.stop()
    world.clock.advance(SUNDAY_WIB + timedelta(hours=3) - world.clock.now())
    await world.start()
    await world.tick()
    await world.tick()

    assert len(prompts(ayu)) == 1 and len(prompts(budi)) == 1


async def test_a_prompt_past_its_grace_window_is_skipped_and_next_week_comes(
    world: BotWorld,
) -> None:
    ayu, _ = await two_members(world)
    await world.tick()
    await world.stop()
    world.clock.advance(SUNDAY_WIT + timedelta(hours=25) - world.clock.now())
    await world.start()
    await world.tick()

    assert prompts(ayu) == []
    assert ("checkin:1:2026-W49", "skipped") in prompt_rows(world)
    await advance_to(world, SUNDAY_WIT + WEEK)
    assert len(prompts(ayu)) == 1


async def test_one_nudge_48_hours_later_only_for_who_did_not_answer(world: BotWorld) -> None:
    ayu, budi, cici = await members(world, 3)
    await world.tick()  # the planner's first beat after they joined plans their prompts
    await advance_to(world, SUNDAY_WIB)
    # Ayu answers the next day; Cici's nudge is held up by Telegram and she answers meanwhile.
    await answer_who5(world, ayu, SUNDAY_WIB + timedelta(hours=20))
    world.emulator.faults.fail_next(
        "429", method="sendMessage", chat_id=cici.user_id, retry_after=600
    )

    await advance_to(world, SUNDAY_WIB + timedelta(hours=48))
    assert nudges(ayu) == [] and len(nudges(budi)) == 1 and nudges(cici) == []
    assert [fault.kind for fault in world.emulator.faults.served] == ["429"]
    await answer_who5(world, cici, world.clock.now())
    await advance_to(world, world.clock.now() + timedelta(minutes=15))

    assert nudges(cici) == []
    assert rows(world, "SELECT status FROM outbox WHERE dedupe_key LIKE 'checkin_nudge:3:%'") == [
        ("skipped",)
    ]
    assert "still here whenever you'd like" in nudges(budi)[0]
    assert budi.button("Start")[1] == "ck:start:weekly"
    # Then nothing until next week's prompt.
    for hours in (24, 48, 72):
        await advance_to(world, SUNDAY_WIB + timedelta(hours=48 + hours))
    assert len(nudges(budi)) == 1 and len(prompts(budi)) == 1
    await advance_to(world, SUNDAY_WIB + WEEK)
    assert len(prompts(budi)) == 2


async def test_a_check_in_just_before_the_prompt_answers_that_weeks(world: BotWorld) -> None:
    ayu, budi = await two_members(world)
    await world.tick()
    await answer_who5(world, budi, SUNDAY_WIB - timedelta(hours=20))  # Saturday evening

    await advance_to(world, SUNDAY_WIB)
    await advance_to(world, SUNDAY_WIB + timedelta(hours=49))
    assert prompts(budi) == [] and nudges(budi) == []
    assert len(prompts(ayu)) == 1
    await advance_to(world, SUNDAY_WIB + WEEK)
    assert len(prompts(budi)) == 1


async def test_pause_for_a_week_skips_one_prompt(world: BotWorld) -> None:
    ayu, _ = await two_members(world)
    await world.tick()
    await ayu.send("/settings")
    assert "Weekly check-in: every Sunday at 7:00 PM WIT" in ayu.last.text.replace("\u202f", " ")
    await ayu.press("Weekly check-in")
    await ayu.press("Pause 1 week")
    assert "Paused" in ayu.last.text and "paused until Sunday, 13 December" in ayu.last.text
    await ayu.press_data(*ayu.button("Resume now"))  # the screen shows "Resume now" now
    await ayu.press("Pause 1 week")

    await advance_to(world, SUNDAY_WIT + timedelta(hours=1))
    assert prompts(ayu) == []
    await advance_to(world, SUNDAY_WIT + WEEK)
    assert len(prompts(ayu)) == 1


async def test_turned_off_nothing_comes_until_turned_back_on(world: BotWorld) -> None:
    _, budi = await two_members(world)
    await world.tick()
    await budi.send("/settings")
    await budi.press("Weekly check-in")
    await budi.press("Turn off")
    assert "is off" in budi.last.text
    message_id, data = budi.button("Turn back on")
    for week in range(3):
        await advance_to(world, SUNDAY_WIB + week * WEEK + timedelta(hours=1))
    assert prompts(budi) == []

    await budi.press_data(message_id, data)
    assert "on again" in budi.last.text
    await budi.press_data(message_id, data)  # a second tap changes nothing
    assert budi.last.text.count("on again") == 1
    await advance_to(world, SUNDAY_WIB + 3 * WEEK)
    assert len(prompts(budi)) == 1


async def test_a_new_day_and_time_apply_to_this_weeks_prompt(world: BotWorld) -> None:
    ayu, _ = await two_members(world)
    await world.tick()  # Sunday's prompt is planned
    await ayu.send("/settings")
    await ayu.press("Weekly check-in")
    await ayu.press("Day")
    await ayu.press("Wednesday")
    assert ayu.last.text.startswith("✅ Saved.")
    await ayu.press("Time")
    await ayu.send("jam delapan")
    assert "didn't quite catch that time" in ayu.last.text
    await ayu.send("20.30")
    assert "every Wednesday at 8:30 PM WIT" in ayu.last.text.replace("\u202f", " ")

    wednesday = datetime(2026, 12, 2, 11, 30, tzinfo=UTC)  # 20:30 WIT
    await advance_to(world, wednesday - MINUTE)
    assert prompts(ayu) == []
    await advance_to(world, wednesday)
    await advance_to(world, SUNDAY_WIT + timedelta(hours=1))
    assert len(prompts(ayu)) == 1
    assert [status for key, status in prompt_rows(world) if ":1:" in key] == ["sent", "pending"]


async def test_moving_the_day_after_this_weeks_prompt_never_sends_a_second(
    world: BotWorld,
) -> None:
    ayu, _ = await two_members(world)
    await ayu.send("/settings")
    await ayu.press("Weekly check-in")
    await ayu.press("Day")
    await ayu.press("Monday")
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # 19:00 WIT, ISO week 50
    await advance_to(world, monday)
    assert len(prompts(ayu)) == 1

    await ayu.send("/settings")
    await ayu.press("Weekly check-in")
    await ayu.press("Day")
    await ayu.press("Sunday")  # Sunday 13 December is in the same week
    await advance_to(world, SUNDAY_WIT + WEEK + timedelta(hours=1))
    assert len(prompts(ayu)) == 1
    await advance_to(world, SUNDAY_WIT + 2 * WEEK)
    assert len(prompts(ayu)) == 2


@pytest.mark.parametrize("kind", ["5xx", "timeout", "429"])
async def test_a_prompt_hit_by_one_passing_failure_arrives_once(world: BotWorld, kind: str) -> None:
    ayu, _ = await two_members(world)
    world.emulator.faults.fail_next(kind, method="sendMessage", chat_id=ayu.user_id, retry_after=30)

    await advance_to(world, SUNDAY_WIT)
    assert prompts(ayu) == []
    assert [fault.kind for fault in world.emulator.faults.served] == [kind]
    for _ in range(3):
        world.clock.advance(timedelta(minutes=2))
        await world.tick()

    assert len(prompts(ayu)) == 1


async def test_the_first_check_in_is_offered_after_sign_up_and_on_joining(
    world: BotWorld,
) -> None:
    newcomer = await a_member(world, 605, "Dewi Fajar", JAKARTA, None)
    [welcome] = [text for text in newcomer.texts if "All set" in text]
    assert "Would you like to do a first check-in?" in welcome
    assert newcomer.button("Start")[1] == "ck:start:baseline"

    group_id = await a_group(world)
    [(code,)] = rows(world, "SELECT invite_code FROM groups WHERE id = ?", group_id)
    await newcomer.send(f"/start g-{code}")
    await newcomer.press("Join this group")
    assert "Welcome to" in newcomer.last.text and "first check-in" in newcomer.last.text

    answered = await a_member(world, 606, "Eka Senja", JAKARTA, None)
    await answer_who5(world, answered, world.clock.now())
    await answered.send(f"/start g-{code}")
    await answered.press("Join this group")
    assert "Welcome to" in answered.last.text and "first check-in" not in answered.last.text
