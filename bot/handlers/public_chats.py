"""Group chats are public rooms. The bot works there with Telegram's default privacy mode: it
sees commands and replies to itself (and membership changes), never keeps what is written, and
posts nothing personal: no export, no plan; a welcome names someone by alias only.

Linked chats (bot.handlers.group_chats): /link, /unlink and /report as a reply there; join
requests, joins and the bot's own membership. Everywhere: ``/crisis`` (or crisis words
written to the bot) gets the crisis contacts and a deep link to talk privately; any other
command gets one short line with a link to a private chat.

Registered first of all (bot.app), for every update whose chat is not private, and it stops
the update there: no conversation, draft or feature handler ever sees a group update, so typing
``/start@bot`` in a group cannot touch the person's private onboarding.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, CommandHandler, filters

from bot.context import RangkulContext
from bot.data_files import crisis_detector
from bot.domain.safety import CrisisSource
from bot.handlers import group_chats
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.ui import public_chats as views

# Commands that act in the group itself.
_GROUP_COMMANDS = {
    "link": group_chats.link_command,
    "unlink": group_chats.unlink_command,
    "report": group_chats.report_command,
}


async def answer_in_public(update: Update, context: RangkulContext) -> None:
    """Membership updates and join requests go to the linked chat's handling; a command to
    the bot gets its answer (/crisis: the contacts), a button press a short toast; everything
    else in a group is left alone."""
    if update.chat_join_request is not None:
        await group_chats.join_request(update, context)
        raise ApplicationHandlerStop
    if update.chat_member is not None:
        await group_chats.member_changed(update, context)
        raise ApplicationHandlerStop
    if update.my_chat_member is not None:
        await group_chats.bot_membership_changed(update, context)
        raise ApplicationHandlerStop
    session = await context.session(update)
    if update.callback_query is not None:
        await update.callback_query.answer(views.private_only_toast(session.t))
        raise ApplicationHandlerStop
    message = update.message
    if message is None:  # not a new message (an edit, a channel post, a reaction): left alone
        raise ApplicationHandlerStop
    command = _command_to_this_bot(message, context.bot.username)
    text = message.text or message.caption or ""
    if command in _GROUP_COMMANDS:
        await _GROUP_COMMANDS[command](update, context, message)
    elif command == "crisis" or (_to_the_bot(message, command) and crisis_detector().detect(text)):
        # National essentials only: nothing personal, not even a province.
        link = group_chats.private_link(context, views.CRISIS_START)
        text, markup = views.public_crisis_view(session.t, link)
        await message.reply_text(text, reply_markup=markup)
    elif command is not None:
        link = group_chats.private_link(context)
        text, markup = views.private_pointer_view(session.t, link, command)
        await message.reply_text(text, reply_markup=markup)
    raise ApplicationHandlerStop


def _to_the_bot(message: Message, command: str | None) -> bool:
    """Written to the bot: a command for it or a reply to one of its messages."""
    replied = message.reply_to_message
    return command is not None or (
        replied is not None and replied.from_user is not None and replied.from_user.is_bot
    )


def _command_to_this_bot(message: Message, username: str) -> str | None:
    """``/name`` or ``/name@ThisBot`` at the start of the message; None for other bots' commands
    and for plain text."""
    text = message.text or ""
    if not text.startswith("/"):
        return None
    name, _, addressee = text.split(maxsplit=1)[0][1:].partition("@")
    if addressee and addressee.lower() != username.lower():
        return None
    return name.lower() or None


class PublicChatHandler(BaseHandler[Update, RangkulContext, None]):
    """Matches every update that happened in a chat other than a private one."""

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update) or update.effective_chat is None:
            return False
        return update.effective_chat.type != ChatType.PRIVATE


async def crisis_from_a_group(update: Update, context: RangkulContext) -> None:
    """``/start crisis``, the deep link /crisis posts in a group: the crisis reply, privately."""
    await send_crisis_reply(update, context, CrisisSource.COMMAND)
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler]:
    """For the public group, before everything else."""
    return [PublicChatHandler(answer_in_public)]


def safety_handlers() -> list[BaseHandler]:
    """For the safety group, first: the private end of the group's crisis deep link."""
    deep_link = filters.ChatType.PRIVATE & filters.Regex(rf"^/start {views.CRISIS_START}$")
    return [CommandHandler("start", crisis_from_a_group, filters=deep_link)]


def private_handlers() -> list[BaseHandler]:
    """For the features group: the facilitator's private choice when linking a chat."""
    return group_chats.private_handlers()
