"""How every conversation is built: persistent, timing out, left with /cancel and /forget."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    TypeHandler,
)
from telegram.warnings import PTBUserWarning

from bot.context import RangkulContext
from bot.telegram_glue.endings import ask_to_forget, cancel, expire

# How long a conversation may sit idle before it ends: long enough to come back to a form after
# a break, short enough that nothing of someone who walked away lingers.
DEFAULT_TIMEOUT = timedelta(hours=12)

# A conversation's handlers: (update, context), and the pressed action for a button.
Callback = Callable[..., Coroutine[Any, Any, int]]


def common_fallbacks() -> list[BaseHandler]:
    """/cancel and /forget end any conversation (/crisis runs before conversations see it)."""
    return [CommandHandler("cancel", cancel), CommandHandler("forget", ask_to_forget)]


def persistent_conversation(
    name: str,
    *,
    states: dict[Any, list[BaseHandler]],
    timeout: timedelta = DEFAULT_TIMEOUT,
    **options: object,
) -> ConversationHandler:
    """A named, persistent ConversationHandler (state survives restarts) that times out.

    Our conversations mix text and button steps on purpose, so per_message=False is right and
    PTB's warning about tracking callback queries per message does not apply.
    """
    states = {**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, expire)]}
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"If 'per_message=False'", category=PTBUserWarning
        )
        return ConversationHandler(
            name=name,
            persistent=True,
            states=states,
            conversation_timeout=timeout,
            **options,  # type: ignore[arg-type]
        )


def handled_first(callback: Callback) -> Callback:
    """Handled here, so no later handler group sees the update; the state still moves on.
    For the conversations of the safety group (the safety plan, a reply to an alert)."""

    @functools.wraps(callback)
    async def run(update: Update, context: RangkulContext, *action: Any) -> int:
        raise ApplicationHandlerStop(await callback(update, context, *action))

    return run
