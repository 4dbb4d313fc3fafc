"""The plumbing every conversation shares: persistence, and the /cancel and /forget fallbacks."""

from __future__ import annotations

import warnings

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.adapters.chat import show
from bot.context import RangkulContext
from bot.ui.privacy import forget_confirm_view


async def cancel(update: Update, context: RangkulContext) -> int:
    """/cancel: leaves the conversation, keeping whatever was already saved."""
    session = await context.session(update)
    await show(update, session.t("Okay, I've stopped that. Send /menu to see what you can do."))
    return ConversationHandler.END


async def ask_to_forget(update: Update, context: RangkulContext) -> int:
    """/forget: asks for confirmation; inside a conversation it also ends that conversation."""
    session = await context.session(update)
    await show(update, *forget_confirm_view(session.t), edit=False)
    return ConversationHandler.END


def common_fallbacks() -> list[BaseHandler]:
    """/cancel and /forget end any conversation (/crisis runs before conversations see it)."""
    return [CommandHandler("cancel", cancel), CommandHandler("forget", ask_to_forget)]


def persistent_conversation(name: str, **options: object) -> ConversationHandler:
    """A named, persistent ConversationHandler (state survives restarts).

    Our conversations mix text and button steps on purpose, so per_message=False is right and
    PTB's warning about tracking callback queries per message does not apply.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"If 'per_message=False'", category=PTBUserWarning
        )
        return ConversationHandler(name=name, persistent=True, **options)  # type: ignore[arg-type]
