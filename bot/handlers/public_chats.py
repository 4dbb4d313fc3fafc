"""Group chats are public rooms: until they are designed as a feature, the bot says there only
one short line with a link to a private chat, and ``/crisis`` (or crisis words written to it)
gets the crisis contacts. Nothing personal is ever posted there: no alias, no export, no plan.

Registered first of all (bot.app), for every update whose chat is not private, and it stops
the update there: no conversation, draft or feature handler ever sees a group update, so typing
``/start@bot`` in a group cannot touch the person's private onboarding.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot.context import RangkulContext
from bot.data_files import crisis_detector
from bot.ui import public_chats as views


async def answer_in_public(update: Update, context: RangkulContext) -> None:
    """A command to the bot gets the private-chat pointer (/crisis: the contacts); a button
    press gets a short toast; everything else in a group is left alone."""
    session = await context.session(update)
    link = f"https://t.me/{context.bot.username}"
    if update.callback_query is not None:
        await update.callback_query.answer(views.private_only_toast(session.t))
        raise ApplicationHandlerStop
    message = update.message
    if message is None:  # not a new message (an edit, a channel post, a reaction): left alone
        raise ApplicationHandlerStop
    command = _command_to_this_bot(message, context.bot.username)
    text = message.text or message.caption or ""
    if command == "crisis" or (_to_the_bot(message, command) and crisis_detector().detect(text)):
        # National essentials only: nothing personal, not even a province.
        text, markup = views.public_crisis_view(session.t, link)
        await message.reply_text(text, reply_markup=markup)
    elif command is not None:
        text, markup = views.private_pointer_view(session.t, link)
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


def handlers() -> list[BaseHandler]:
    """For the public group, before everything else."""
    return [PublicChatHandler(answer_in_public)]
