"""How every conversation is built: persistent, timing out, left with /cancel and /forget."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Message, MessageEntity, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    TypeHandler,
)
from telegram.warnings import PTBUserWarning

from bot.context import RangkulContext
from bot.telegram_glue.endings import ask_to_forget, cancel, expire
from bot.telegram_glue.presses import once_per_step
from bot.ui.callbacks import ButtonHandler

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

    Every button of the conversation gets presses.py's guard (a press whose step has passed
    gets a toast and changes nothing) before its handler: on_button's handlers bring it along,
    and any other button handler (a flow's catch-all for its stale buttons) gets it here.
    """
    states = {**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, expire)]}
    for handler in _all_handlers(states, options):
        if isinstance(handler, CallbackQueryHandler) and not isinstance(handler, ButtonHandler):
            handler.callback = once_per_step(handler.callback)
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"If 'per_message=False'", category=PTBUserWarning
        )
        return QuickConversationHandler(
            name=name,
            persistent=True,
            states=states,
            conversation_timeout=timeout,
            **options,
        )


def _all_handlers(
    states: dict[Any, list[BaseHandler]], options: dict[str, object]
) -> list[BaseHandler]:
    listed = [*states.values(), options.get("entry_points", []), options.get("fallbacks", [])]
    return [handler for handlers in listed for handler in handlers]  # type: ignore[attr-defined]


class QuickConversationHandler(ConversationHandler):
    """PTB's ConversationHandler, which turns away at once an update for someone outside this
    conversation that none of its entry points could take.

    Every update is offered to every conversation of its handler group (a dozen and more), and
    PTB's check builds a key, logs, and runs each entry point's full check; for a /help, that
    was two thirds of all handler checks. With no conversation under way PTB tries the entry
    points only, so an update that is no command among theirs and no button (when a button can
    enter) would get None there too: the same answer, without asking each one.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = self.entry_points
        # Only commands and buttons are understood here, and only PTB's usual key (chat, user);
        # anything else takes the full check.
        self._quick = (
            self.per_chat
            and self.per_user
            and not self.per_message
            and all(isinstance(entry, CommandHandler | CallbackQueryHandler) for entry in entries)
        )
        self._entry_commands = frozenset(
            command
            for entry in entries
            if isinstance(entry, CommandHandler)
            for command in entry.commands
        )
        self._button_entry = any(isinstance(entry, CallbackQueryHandler) for entry in entries)

    def check_update(self, update: object) -> Any:
        if self._quick and isinstance(update, Update):
            seen = _look_at(update)
            # A superset of PTB's entry checks: a CallbackQueryHandler takes only callback
            # queries, a CommandHandler only a message opening with one of its commands.
            could_enter = (seen.button and self._button_entry) or (
                seen.command in self._entry_commands
            )
            # No key (no chat or no user): PTB's answer is None too.
            if not could_enter and (seen.key is None or seen.key not in self._conversations):
                return None
        return super().check_update(update)


@dataclass(frozen=True)
class _Seen:
    """What the conversations of a handler group ask of an update, read once for all of them."""

    key: tuple[int, int] | None  # PTB's conversation key (chat, user); None without either
    command: str | None
    button: bool


# The update last looked at: a group's handlers are checked one after another without a pause,
# so the dozen conversations of a group share one reading (by identity, never by equality).
_last_seen: tuple[Update, _Seen] | None = None


def _look_at(update: Update) -> _Seen:
    global _last_seen
    if _last_seen is not None and _last_seen[0] is update:
        return _last_seen[1]
    chat, user = update.effective_chat, update.effective_user
    seen = _Seen(
        key=None if chat is None or user is None else (chat.id, user.id),
        command=_command_of(update.effective_message),
        button=update.callback_query is not None,
    )
    _last_seen = (update, seen)
    return seen


def _command_of(message: Message | None) -> str | None:
    """The command a message opens with, lowercased and without @botname, as CommandHandler
    reads it; None for a message that opens with none."""
    if message is None or not message.text or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    return message.text[1 : first.length].split("@")[0].lower()


def handled_first(callback: Callback) -> Callback:
    """Handled here, so no later handler group sees the update; the state still moves on.
    For the conversations of the safety group (the safety plan, a reply to an alert)."""

    @functools.wraps(callback)
    async def run(update: Update, context: RangkulContext, *action: Any) -> int:
        raise ApplicationHandlerStop(await callback(update, context, *action))

    return run
