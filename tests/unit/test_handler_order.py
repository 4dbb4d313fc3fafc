"""The order of handlers where it decides who answers: within a group the first handler that
takes an update is the only one there to see it (bot/app.py registers them group by group)."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
)

from bot.app import FEATURES, GUARDS, PUBLIC, SAFETY, build_application
from bot.config import load_settings
from bot.ui.menu import NeedHelp


@pytest.fixture
def app(tmp_path: Path) -> Application:
    env = {"TELEGRAM_BOT_TOKEN": "1:test", "DATABASE_PATH": str(tmp_path / "bot.sqlite3")}
    return build_application(load_settings(env))


def name(handler: BaseHandler) -> str:
    if isinstance(handler, ConversationHandler):
        return f"conversation {handler.name}"
    if isinstance(handler, CommandHandler):
        return "/" + "/".join(sorted(handler.commands))
    return getattr(handler.callback, "__name__", type(handler).__name__)


def test_the_groups_are_the_four_documented_ones(app: Application) -> None:
    assert sorted(app.handlers) == [PUBLIC, SAFETY, GUARDS, FEATURES] == [-3, -2, -1, 0]


def test_crisis_help_comes_before_the_safety_conversations_and_detection_after(
    app: Application,
) -> None:
    handlers = app.handlers[SAFETY]
    need_help = handlers[1]
    assert isinstance(need_help, CallbackQueryHandler) and need_help.pattern == NeedHelp.pattern()
    names = [name(handler) for handler in handlers]
    assert names[:1] + names[2:6] == [
        "/crisis",
        "screen_command",
        "/start",  # the crisis deep link from a group chat (bot.handlers.public_chats)
        "conversation safety_plan",
        "conversation alert_reply",
    ]
    assert names[-1] == "detect_crisis"


def test_the_consent_guard_asks_only_after_everything_else_in_its_group(
    app: Application,
) -> None:
    *others, guard = app.handlers[GUARDS]
    assert isinstance(guard, TypeHandler) and name(guard) == "require_current_consent"
    assert name(others[0]) == "track_reachability"


def test_conversations_come_first_and_the_catch_alls_last(app: Application) -> None:
    handlers = app.handlers[FEATURES]
    conversations = [name(h) for h in handlers if isinstance(h, ConversationHandler)]
    assert (
        [name(h) for h in handlers[: len(conversations)]]
        == conversations
        == [
            "conversation onboarding",
            "conversation alias",
            "conversation settings",
            "conversation checkin",
            "conversation new_group",
            "conversation group_edit",
            "conversation new_meeting",
            "conversation time_poll",
            "conversation resource_editor",
            "conversation meeting_feedback",
            "conversation mood",
            "conversation broadcast",
            # An open search takes any text: only text no other flow awaits.
            "conversation resource_search",
        ]
    )
    unknown_input, expired_button = handlers[-2:]
    assert isinstance(unknown_input, MessageHandler) and name(unknown_input) == "unknown_input"
    assert isinstance(expired_button, CallbackQueryHandler) and expired_button.pattern is None


@pytest.mark.parametrize("group", [SAFETY, FEATURES])
def test_no_two_handlers_of_a_group_take_the_same_command_or_button(
    app: Application, group: int
) -> None:
    """What lets the modules' commands and buttons come in any order between the first
    handlers of a group and its catch-alls."""
    commands = [c for h in app.handlers[group] if isinstance(h, CommandHandler) for c in h.commands]
    patterns = [
        h.pattern.pattern
        for h in app.handlers[group]
        if isinstance(h, CallbackQueryHandler) and h.pattern is not None
    ]
    assert len(commands) == len(set(commands))
    assert len(patterns) == len(set(patterns))
