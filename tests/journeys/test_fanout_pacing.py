"""A weekly check-in fan-out right after a start: the bot then sets members' own command menus
in the background (setMyCommands, which is not a message), and those calls must not take the
prompts' turns of Telegram's overall limit on messages.

The limiter runs on virtual time that moves only when someone waits, so "no time passed" means
no prompt waited for a turn.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.checkins import JAKARTA, a_group, a_member, advance_to, prompts
from tests.virtual_time import VirtualTime

SUNDAY_WIB = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # 19:00 in Jakarta: everyone's prompt
# A burst of 8 turns: the outbox may take 8 - REPLY_RESERVE of them at once.
MAX_RATE = 8


async def test_prompts_due_while_menus_are_set_do_not_wait_for_the_menus_turns(tmp_path) -> None:
    time = VirtualTime(auto=True)
    world = BotWorld(db_path=tmp_path / "rangkul.sqlite3", max_rate=MAX_RATE, limiter_time=time)
    await world.start()
    try:
        group_id = await a_group(world)
        people = [
            await a_member(world, 801 + n, f"Anggota {n}", JAKARTA, group_id) for n in range(4)
        ]
        rows(world, "DELETE FROM command_menus")  # e.g. an upgrade changed every menu
        await world.restart()
        await time.advance(60)  # the onboarding's messages are long paid back
        await world.set_role_menus()
        assert len(rows(world, "SELECT chat_id FROM command_menus")) >= len(people)
        started = time.now

        await advance_to(world, SUNDAY_WIB)

        assert [len(prompts(person)) for person in people] == [1] * len(people)
        assert time.now == started  # no prompt waited for a turn the menus took
        assert world.emulator.rejected == [] and world.errors == []
    finally:
        await world.stop()
