"""The command menus Telegram shows next to the text field, per language."""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n import N_, Translator

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Join Rangkul or open the menu")),
    ("menu", N_("Main menu")),
    ("crisis", N_("Help in a crisis, right now")),
    ("help", N_("What you can do")),
    ("alias", N_("Change your alias")),
    ("language", N_("Change the language")),
    ("privacy", N_("What we store and why")),
    ("mydata", N_("A copy of your data")),
    ("forget", N_("Delete all your data")),
    ("cancel", N_("Stop what you are doing")),
)


def bot_commands(t: Translator) -> list[BotCommand]:
    return [BotCommand(command, t(description)) for command, description in COMMANDS]
