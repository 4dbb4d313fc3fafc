"""Narrowing helpers for the Telegram layer: the part of an update a handler relies on, typed.

PTB types every part of an :class:`~telegram.Update` as optional, because an update carries
one kind of event. A handler registered for callback queries can rely on a query; a text
message handler on a message with text. These helpers say so once, instead of an ``assert`` (or
a ``# type: ignore``) at every use, and fail loudly with :class:`UpdateShapeError` when a
handler meets an update it was not registered for: a wiring bug, never user input.

Only ids go into the error messages: update contents may be personal.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.ext import Application, CallbackContext, Updater

UD = TypeVar("UD")


class UpdateShapeError(RuntimeError):
    """An update lacks the part its handler was registered for."""


def _missing(update: Update, part: str) -> UpdateShapeError:
    return UpdateShapeError(f"update {update.update_id} has no {part}")


def query_of(update: Update) -> CallbackQuery:
    """The button press of a callback-query update."""
    if update.callback_query is None:
        raise _missing(update, "callback_query")
    return update.callback_query


def message_of(update: Update) -> Message:
    """The new message of a message update (not an edit, not the message under a button)."""
    if update.message is None:
        raise _missing(update, "message")
    return update.message


def text_of(update: Update) -> str:
    """The text of a new text message."""
    text = message_of(update).text
    if text is None:
        raise _missing(update, "message text")
    return text


def chat_of(update: Update) -> Chat:
    """The chat the update happened in."""
    if update.effective_chat is None:
        raise _missing(update, "chat")
    return update.effective_chat


def user_of(update: Update) -> User:
    """The person who caused the update."""
    if update.effective_user is None:
        raise _missing(update, "user")
    return update.effective_user


def query_message_of(query: CallbackQuery) -> Message:
    """The message a pressed button sits under; :class:`UpdateShapeError` when Telegram no
    longer gives it (too old: an ``InaccessibleMessage``) or the button was inline mode's."""
    message = query.message
    if not isinstance(message, Message):
        raise UpdateShapeError(f"callback query {query.id} has no accessible message")
    return message


def user_data_of(context: CallbackContext[Any, UD, Any, Any]) -> UD:
    """The sender's ``user_data``; PTB has none for updates without a user (channel posts,
    polls), which handlers reading it are never registered for."""
    user_data = context.user_data
    if user_data is None:
        raise UpdateShapeError("this update has no user, so no user_data")
    return user_data


def match_of(context: CallbackContext[Any, Any, Any, Any]) -> re.Match[str]:
    """The pattern match of a handler registered with one pattern (a callback query's data,
    a message's text): PTB keeps exactly one match then."""
    matches = context.matches
    if not matches or len(matches) != 1:
        raise UpdateShapeError("expected exactly one pattern match")
    return matches[0]


def updater_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Updater:
    """The application's updater; ``ApplicationBuilder`` always makes one unless told not to."""
    if application.updater is None:
        raise RuntimeError("this application was built without an updater")
    return application.updater
