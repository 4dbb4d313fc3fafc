"""A conversation's quick check turns away only what PTB's own check turns away: for every
conversation of the app, both answer alike for commands, text, buttons and other updates, from
someone outside the conversation and from someone in it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import CallbackQuery, Chat, Message, MessageEntity, Update, User
from telegram.ext import ConversationHandler

from bot.app import build_application
from bot.config import load_settings
from bot.telegram_glue.conversation import QuickConversationHandler

USER = User(7, "Ayu", is_bot=False)
PRIVATE = Chat(7, Chat.PRIVATE)
GROUP = Chat(-100, Chat.SUPERGROUP)
CHANNEL = Chat(-200, Chat.CHANNEL)
BOT = SimpleNamespace(username="rangkul_bot")  # all CommandHandler asks of the bot
WHEN = datetime(2026, 12, 1, tzinfo=UTC)


def _message(text: str | None, chat: Chat = PRIVATE, command: bool | None = None) -> Message:
    is_command = text is not None and text.startswith("/") if command is None else command
    entities = (
        [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
        if is_command and text
        else []
    )
    message = Message(1, WHEN, chat, from_user=USER, text=text, entities=entities)
    message.set_bot(BOT)  # type: ignore[arg-type]
    return message


def _button(data: str) -> Update:
    query = CallbackQuery("q", USER, "chat", message=_message("menu"), data=data)
    return Update(1, callback_query=query)


def _updates() -> list[Update]:
    texts = [
        "/help",
        "/start",
        "/START",
        "/start@rangkul_bot",
        "/start@other_bot",
        "/safetyplan now",
        "/newgroup",
        "/newmeeting",
        "/addresource",
        "/settings",
        "/alias",
        "/poll_time",
        "/cancel",
        "/forget",
        "what time does the library open",
        "",
    ]
    updates = [Update(1, message=_message(text)) for text in texts]
    updates += [
        Update(1, message=_message("/start", command=False)),  # no command entity
        Update(1, message=_message("start /start")),
        Update(1, message=_message(None)),
        Update(1, message=_message("/start", GROUP)),
        Update(1, edited_message=_message("/start")),
        Update(1, channel_post=_message("/start", CHANNEL)),
        _button("menu:settings"),
        _button("sp:open"),
        _button("ob:next"),
        _button("gc:edit:5"),
        _button("rs:search"),
        _button("menu:help"),
        Update(1),
    ]
    return updates


@pytest.fixture(scope="module")
def conversations(tmp_path_factory: pytest.TempPathFactory) -> list[QuickConversationHandler]:
    path: Path = tmp_path_factory.mktemp("db") / "bot.sqlite3"
    app = build_application(
        load_settings({"TELEGRAM_BOT_TOKEN": "1:t", "DATABASE_PATH": str(path)})
    )
    found = [
        handler
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler)
    ]
    assert len(found) == 12 and all(isinstance(h, QuickConversationHandler) for h in found)
    return found  # type: ignore[return-value]


def _same(handler: QuickConversationHandler, update: Update) -> tuple[Any, Any]:
    """Both checks' answers; a pattern's match compared by what it matched (two matches of the
    same text are different objects)."""
    quick = handler.check_update(update)
    full = ConversationHandler.check_update(handler, update)
    return _comparable(quick), _comparable(full)


def _comparable(answer: Any) -> Any:
    if isinstance(answer, tuple):
        return tuple(_comparable(part) for part in answer)
    return answer.groupdict() if isinstance(answer, re.Match) else answer


def test_outside_a_conversation_the_quick_check_answers_as_ptb(
    conversations: list[QuickConversationHandler],
) -> None:
    taken = 0
    for handler in conversations:
        for update in _updates():
            quick, full = _same(handler, update)
            assert quick == full, (handler.name, update.to_dict())
            taken += full is not None
    assert taken > 0  # the entry points were reached, not only refusals compared


def test_in_a_conversation_every_update_gets_ptbs_full_check(
    conversations: list[QuickConversationHandler],
) -> None:
    for handler in conversations:
        state = next(iter(handler.states))
        handler._conversations[(PRIVATE.id, USER.id)] = state
        try:
            for update in _updates():
                quick, full = _same(handler, update)
                assert quick == full, (handler.name, update.to_dict())
        finally:
            handler._conversations.pop((PRIVATE.id, USER.id))
