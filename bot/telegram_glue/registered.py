"""The sender as a member, for flows only members can use."""

from __future__ import annotations

from telegram import Update

from bot.context import RangkulContext
from bot.domain.member import Member
from bot.telegram_glue.chat import show
from bot.ui.menu import expired_button_text, join_first_text


async def member_or_refuse(update: Update, context: RangkulContext) -> Member | None:
    """The sender if they are a member; anyone else is told so (a toast on a button, else the
    way to join) and gets None."""
    session = await context.session(update)
    if session.member is not None:
        return session.member
    if update.callback_query is not None:
        await update.callback_query.answer(expired_button_text(session.t))
    else:
        await show(update, join_first_text(session.t))
    return None
