"""The global error handler: a kind apology for the person, a privacy-safe report for the log."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden

from bot.context import RangkulContext
from bot.services.profile import blocked_bot
from bot.ui.menu import error_text

log = logging.getLogger(__name__)


def _update_kind(update: object) -> str:
    """What kind of update failed ("message", "callback_query", …), never its content."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
        return "update"
    return type(update).__name__ if update is not None else "job"


async def on_error(update: object, context: RangkulContext) -> None:
    """Logs the exception with the update type only, then apologises to the person."""
    error = context.error
    if isinstance(error, Forbidden):
        await _unreachable(update, context)
        return
    # Only the exception type and the stack frames: an exception's message may quote data
    # (text, aliases, ids), so it never reaches the log.
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("error while handling %s: %s\n%s", _update_kind(update), type(error).__name__, frames)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return  # a group chat is public, and nobody there asked for anything private
    try:
        session = await context.session(update)
        await update.effective_chat.send_message(error_text(session.t))
    except Exception:  # the apology must never raise a second error
        log.warning("could not send the error apology")


async def _unreachable(update: object, context: RangkulContext) -> None:
    """Telegram refused with 403: the person blocked the bot (or it left a group), which people
    may do at any time. Not a fault of the bot, so no stack frames, and nothing is sent: no
    message can reach them. In a private chat they are marked blocked, which also stops their
    planned messages, until they unblock it (bot.handlers.reachability)."""
    log.info("could not answer a %s: the bot may not write there (Forbidden)", _update_kind(update))
    if not isinstance(update, Update) or update.effective_user is None:
        return
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        return  # the bot was removed from a group: that says nothing about this person
    services = context.services
    await blocked_bot(services.members, services.outbox, services.clock, update.effective_user.id)
