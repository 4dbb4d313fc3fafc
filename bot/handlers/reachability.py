"""Whether the bot can reach a member: Telegram's my_chat_member updates keep ``blocked_at`` true.

The outbox marks a member blocked when a send answers 403; this handler also notices blocking
as it happens and, just as important, notices the unblock: without it someone who blocked the
bot once would never get a reminder again.
"""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.context import RangkulContext
from bot.services.profile import blocked_bot, unblocked_bot


async def track_reachability(update: Update, context: RangkulContext) -> None:
    """Records a member blocking (status "kicked") or unblocking the bot in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    services = context.services
    if change.new_chat_member.status == ChatMember.BANNED:
        await blocked_bot(services.members, services.outbox, services.clock, change.from_user.id)
    else:
        await unblocked_bot(services.members, services.outbox, change.from_user.id)


def handlers() -> list[BaseHandler]:
    """For the guards group, before the consent guard: blocking or unblocking the bot is no
    moment to ask for consent."""
    return [ChatMemberHandler(track_reachability, ChatMemberHandler.MY_CHAT_MEMBER)]
