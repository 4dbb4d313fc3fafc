"""How a person leaves conversations: /cancel, /forget and timeouts, and which drafts go.

Commands of their own for people in no conversation (/cancel: bot/handlers/menu.py, /forget:
bot/handlers/privacy.py) and the fallbacks of every conversation (conversation.py).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RangkulContext
from bot.narrowing import user_data_of
from bot.telegram_glue.chat import show
from bot.ui.menu import cancelled_text, nothing_to_cancel_text
from bot.ui.privacy import forget_confirm_view, nothing_stored_text


async def cancel(update: Update, context: RangkulContext) -> int:
    """/cancel: leaves the conversation, keeping whatever was already saved; drafts go. With no
    conversation under way it says there was nothing to stop (and where to go from here)."""
    session = await context.session(update)
    running = await _running_conversations(update, context)
    await drop_drafts(update, context)
    registered = session.member is not None
    if running:
        await show(update, cancelled_text(session.t, registered=registered))
    else:
        await show(update, nothing_to_cancel_text(session.t, registered=registered))
    return ConversationHandler.END


async def _running_conversations(update: Update, context: RangkulContext) -> list[str]:
    """The conversations the person is in (saved after every update, so one that this update
    ends is still listed)."""
    user = update.effective_user
    if user is None:
        return []
    return await context.services.members.conversation_names(user.id)


async def ask_to_forget(update: Update, context: RangkulContext) -> int:
    """/forget: asks for confirmation; inside a conversation it also ends that conversation.

    Someone who has not joined and keeps nothing once their drafts are gone is told so, rather
    than asked to confirm deleting an alias and answers they never gave.
    """
    session = await context.session(update)
    if await drop_drafts(update, context) and session.member is None:
        await show(update, nothing_stored_text(session.t), edit=False)
    else:
        await show(update, *forget_confirm_view(session.t), edit=False)
    return ConversationHandler.END


async def drop_drafts(update: Update, context: RangkulContext) -> bool:
    """Drops the person's conversation drafts when /cancel or /forget leaves them in no
    conversation; True if it did.

    user_data holds only drafts (lasting data lives in domain tables), so it is emptied; for
    someone who has not joined even their chosen language was a draft, and nothing stays.
    While a second conversation goes on (a safety-group one runs over a feature one), it
    still needs its draft: nothing is dropped until the last one ends.
    """
    user = update.effective_user
    if user is None:
        return False
    if len(await _running_conversations(update, context)) > 1:
        return False
    session = await context.session(update)
    if session.member is None:
        context.application.drop_user_data(user.id)
    else:
        user_data_of(context).clear()
    return True


async def expire(update: Update, context: RangkulContext) -> None:
    """A conversation timed out: its drafts go (for someone who never joined, everything), and
    nothing is said: a message out of the blue about a form left hours ago helps nobody."""
    await drop_drafts(update, context)
