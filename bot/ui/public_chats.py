"""What the bot says in group chats, which are public: nothing personal, a way to talk privately."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.contacts import CrisisContact
from bot.i18n import Translator
from bot.ui.crisis import render_contact
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


def public_crisis_view(t: Translator, contacts: Sequence[CrisisContact], link: str) -> View:
    """The crisis contacts for a group chat: everything anyone there may need, nothing about
    the person who asked."""
    text = "\n\n".join(
        [
            t("<b>If you or someone here is not safe right now, help is close.</b>"),
            t(
                "If you are in immediate danger, call <b>112</b> or go to the emergency "
                "department (IGD) of the nearest hospital."
            ),
            t("You can also reach out to any of these now — if one is busy, please try another:"),
            "\n\n".join(render_contact(t, contact) for contact in contacts),
            t("You can also talk to me privately, at any moment."),
        ]
    )
    return text, _private_chat_button(t, link)
