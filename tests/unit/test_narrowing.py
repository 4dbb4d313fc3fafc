"""The Telegram narrowing helpers: the part a handler relies on, or a clear error."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.ext import CallbackContext

from bot.narrowing import (
    UpdateShapeError,
    chat_of,
    match_of,
    message_of,
    query_of,
    text_of,
    user_data_of,
    user_of,
)

USER = User(7, "Ayu", is_bot=False)
CHAT = Chat(7, Chat.PRIVATE)


def _message(text: str | None) -> Message:
    return Message(1, datetime(2025, 1, 1, tzinfo=UTC), CHAT, from_user=USER, text=text)


def test_a_text_message_gives_its_parts() -> None:
    update = Update(1, message=_message("halo"))
    assert message_of(update).message_id == 1
    assert text_of(update) == "halo"
    assert chat_of(update) is CHAT
    assert user_of(update) is USER


def test_a_button_press_gives_its_query() -> None:
    query = CallbackQuery("q", USER, "chat", data="x")
    assert query_of(Update(2, callback_query=query)) is query


def test_a_missing_part_names_the_update_not_its_content() -> None:
    with pytest.raises(UpdateShapeError, match="update 3 has no callback_query"):
        query_of(Update(3, message=_message("rahasia")))
    with pytest.raises(UpdateShapeError, match="update 4 has no message text"):
        text_of(Update(4, message=_message(None)))
    with pytest.raises(UpdateShapeError, match=r"update 5 has no message$"):
        message_of(Update(5, callback_query=CallbackQuery("q", USER, "chat")))


def _context(**values: Any) -> CallbackContext[Any, Any, Any, Any]:
    return cast("CallbackContext[Any, Any, Any, Any]", SimpleNamespace(**values))


def test_user_data_and_the_single_match() -> None:
    data: dict[str, int] = {"step": 1}
    assert user_data_of(_context(user_data=data)) is data
    with pytest.raises(UpdateShapeError):
        user_data_of(_context(user_data=None))
    match = re.match("a", "a")
    assert match_of(_context(matches=[match])) is match
    with pytest.raises(UpdateShapeError):
        match_of(_context(matches=None))
