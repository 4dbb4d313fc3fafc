"""The global error handler: a kind apology for the person, a privacy-safe report for the log."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden

from bot.context import RangkulContext
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
    # Only the exception type and the stack frames: an exception's message may quote data
    # (text, aliases, ids), so it never reaches the log.
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("error while handling %s: %s\n%s", _update_kind(update), type(error).__name__, frames)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return  # a group chat is public, and nobody there asked for anything private
    if isinstance(error, Forbidden):
        return  # the person blocked the bot: nothing can reach them
    try:
        session = await context.session(update)
        await update.effective_chat.send_message(error_text(session.t))
    except Exception:  # the apology must never raise a second error
        log.warning("could not send the error apology")
