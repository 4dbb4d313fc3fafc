"""A made-up Telegram group chat for the sandbox: the chat of "Demo Ruang Tenang Online",
linked by its facilitator, so joining by request, welcomes by alias and meeting posts in the
chat can be tried from the web page (its "Group chat" panel).

Tom administers the chat and the bot is an administrator with the rights it needs; Bayu, a
member of the group, is already in it. River (a trial guest of the group) and the visitors are
not: asking to join, River is let in and welcomed by alias, a visitor is declined with a
private message saying how to sign up.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.sandbox.emulator import BotApiEmulator
from bot.storage.database import Database
from bot.storage.group_chats import GroupChatRepository
from bot.storage.groups import GroupRepository
from bot.storage.members import MemberRepository

DEMO_CHAT_ID = -1009900000001
DEMO_CHAT_TITLE = "Demo Ruang Tenang — obrolan"
DEMO_CHAT_GROUP = "Demo Ruang Tenang Online"
DEMO_CHAT_ADMIN = 9_900_003  # Facilitator Tom
DEMO_CHAT_MEMBERS = (9_900_006,)  # Bayu
_BOT_RIGHTS = {"can_invite_users": True, "can_delete_messages": True}


def add_demo_group_chat(emulator: BotApiEmulator) -> None:
    """The chat on the emulated Telegram (its people must exist already)."""
    emulator.add_group(
        DEMO_CHAT_ID,
        DEMO_CHAT_TITLE,
        supergroup=True,
        admins=(DEMO_CHAT_ADMIN,),
        bot_rights=_BOT_RIGHTS,
    )
    for user_id in DEMO_CHAT_MEMBERS:
        emulator.set_member(DEMO_CHAT_ID, user_id, "member")


async def link_demo_group_chat(db: Database, clock: Clock) -> None:
    """The chat linked to its group by the facilitator; skipped once linked (a reused
    database) or without the demo group."""
    chats = GroupChatRepository(db)
    if await chats.by_chat(DEMO_CHAT_ID) is not None:
        return
    group = next(
        (s.group for s in await GroupRepository(db).list_all() if s.group.name == DEMO_CHAT_GROUP),
        None,
    )
    admin = await MemberRepository(db).by_telegram_id(DEMO_CHAT_ADMIN)
    if group is None or admin is None or await chats.by_group(group.id) is not None:
        return
    async with chats.transaction() as tx:
        await chats.link(DEMO_CHAT_ID, group.id, DEMO_CHAT_TITLE, admin.id, clock.now(), tx=tx)
