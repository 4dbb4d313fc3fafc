"""Showing things in a person's chat: a step, a follow-up message, the main menu."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import Session
from bot.i18n import Translator
from bot.telegram_glue.shown import already_shows
from bot.ui.menu import menu_view
from bot.ui.view import View


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = True
) -> None:
    """Shows a step: edits the pressed message in place, or sends a new one for typed input.
    A message that already shows the step is left as it is: Telegram refuses such an edit."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        if edit and query.message is not None:
            message = query.message
            if isinstance(message, Message) and already_shows(message, text, markup):
                return
            try:
                await query.edit_message_text(text, reply_markup=markup)
            except BadRequest as error:
                # Only a race is left (another update edited it since this press was sent):
                # the person already sees what they asked for.
                if "message is not modified" not in error.message.lower():
                    raise
            return
    await follow_up(update, text, markup)


async def settle_keyboard(update: Update) -> None:
    """Takes the buttons off the pressed message, whose step is done, leaving its text in the
    chat (``show`` answers the press afterwards). A message without buttons is left alone."""
    query = update.callback_query
    if query is None:
        return
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        try:
            await query.edit_message_reply_markup(None)
        except BadRequest as error:
            # A race: another update took the buttons off since this press was sent.
            if "message is not modified" not in error.message.lower():
                raise


async def follow_up(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """A further message after ``show`` in the same handler (a query is answered only once)."""
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(text, reply_markup=markup)


def main_menu(session: Session, t: Translator | None = None) -> View:
    """The main menu for a registered person, with the rows of their roles."""
    assert session.member is not None, "only members have a menu"
    return menu_view(
        t or session.t,
        session.member.alias,
        coordinator=session.is_coordinator,
        facilitator=session.is_facilitator,
    )
