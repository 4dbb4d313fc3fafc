"""Start-up serves people first: members' own command menus (in their language, with their
role's commands) are set afterwards by a background job, and only where the menu Telegram has
(as the bot stored it when it set it) differs from the one the person should have."""

from __future__ import annotations

from bot.sandbox.methods import scope_key
from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import a_group_with, a_member

FASIL = 301
MENU = (scope_key({"type": "chat", "chat_id": FASIL}), "")


def commands(world: BotWorld) -> list[str]:
    return [c["command"] for c in world.emulator.commands[MENU]]


async def test_start_up_answers_first_and_sets_each_role_menu_once(world: BotWorld) -> None:
    fasil = await a_member(world, FASIL, "Fasil Satu")
    await a_group_with(world, facilitators=["Fasil Satu"], members=[])
    world.emulator.commands.pop(MENU, None)
    await world.restart()

    assert MENU not in world.emulator.commands  # nothing set in front of the first update
    await fasil.send("/help")
    assert "/crisis" in fasil.last.text
    await world.set_role_menus()
    assert "newmeeting" in commands(world)
    assert rows(world, "SELECT chat_id FROM command_menus") == [(FASIL,)]

    # Telegram still has it (as stored): the next start sends nothing for it.
    world.emulator.commands[MENU] = [{"command": "sentinel", "description": "left alone"}]
    await world.restart()
    await world.set_role_menus()
    assert commands(world) == ["sentinel"]


async def test_a_role_lost_while_the_bot_was_down_takes_its_commands_along(
    world: BotWorld,
) -> None:
    await a_member(world, FASIL, "Fasil Satu")
    await a_group_with(world, facilitators=["Fasil Satu"], members=[])
    await world.set_role_menus()
    assert "newmeeting" in commands(world)

    await world.stop()
    rows(world, "DELETE FROM group_facilitators")  # e.g. another tool, while the bot was down
    await world.start()
    await world.set_role_menus()
    assert "newmeeting" not in commands(world) and "crisis" in commands(world)
    assert rows(world, "SELECT chat_id FROM command_menus") == [(FASIL,)]
