"""A support group with its own Telegram group chat, for journeys through linked chats."""

from __future__ import annotations

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.meetings import a_facilitator, a_group

CHAT = -1001234567890  # a supergroup: message links are t.me/c/1234567890/<id>
TITLE = "Teman Cerita — obrolan"
FULL_RIGHTS = {"can_invite_users": True, "can_delete_messages": True}


async def a_group_and_its_facilitator(world: BotWorld) -> tuple[int, Person]:
    group_id = await a_group(world)
    return group_id, await a_facilitator(world, group_id)


def a_chat(
    world: BotWorld, admins: tuple[int, ...], *, bot_rights: dict | None = FULL_RIGHTS
) -> None:
    """The group chat, administered by ``admins``, with the bot in it (an administrator with
    ``bot_rights``; None: a plain member)."""
    world.emulator.add_group(CHAT, TITLE, supergroup=True, admins=admins, bot_rights=bot_rights)


async def link_chat(world: BotWorld, facilitator: Person) -> None:
    """The facilitator sends /link in the chat and chooses the group privately."""
    await facilitator.send_in_group(CHAT, "/link@RangkulBot")
    await facilitator.press("Teman Cerita Makassar")
    assert linked(world) == [(CHAT,)]


def linked(world: BotWorld) -> list[tuple]:
    return rows(world, "SELECT chat_id FROM group_chats")


def posts(world: BotWorld) -> list[str]:
    """What the bot has in the chat now (deleted messages are gone)."""
    return [entry.text for entry in world.emulator.bot_messages(CHAT)]


def audit(world: BotWorld) -> list[tuple]:
    return rows(world, "SELECT action, actor_id, subject_id FROM audit_log ORDER BY id")


async def ask_to_join(world: BotWorld, user_id: int) -> None:
    """The person asks to join the chat; the bot answers, and Telegram's chat_member update of
    an approval (sent to an administrator bot) is delivered too."""
    request = world.emulator.user_requests_to_join(user_id, CHAT)
    await world.deliver(request)
    for update in world.emulator.updates_after(request["update_id"], "chat_member"):
        await world.deliver(update)
