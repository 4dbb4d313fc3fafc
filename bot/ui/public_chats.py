"""What the bot says in group chats, which are public: nothing personal, a way to talk privately."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.ui.crisis import emergency_lines, talk_lines
from bot.ui.view import View


def _private_chat_button(t: Translator, link: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("💬 Talk to me privately"), url=link)]])


def private_pointer_view(t: Translator, link: str) -> View:
    text = t(
        "I only talk one to one, so that what you share stays private. Tap below to write to "
        "me in a private chat."
    )
    return text, _private_chat_button(t, link)


def private_only_toast(t: Translator) -> str:
    """A callback answer (at most 200 characters)."""
    return t("Let's continue in a private chat with me.")


def public_crisis_view(t: Translator, link: str) -> View:
    """The crisis essentials for a group chat: what anyone there may need now, nothing about
    the person who asked; every contact is one private /crisis away."""
    text = "\n\n".join(
        [
            t("<b>If you or someone here is not safe right now, help is close.</b>"),
            emergency_lines(t),
            talk_lines(t),
            t("You can also talk to me privately, at any moment."),
        ]
    )
    return text, _private_chat_button(t, link)
