"""The command menus Telegram shows: every role's list is valid for setMyCommands."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LANGUAGES, get_translator
from bot.ui.commands import bot_commands, role_commands

# setMyCommands: 1-32 characters, lower-case letters, digits and underscores; a description of
# 1-256 characters; at most 100 commands. A name twice is a mistake in the list.
NAME = re.compile(r"[a-z0-9_]{1,32}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("coordinator", "facilitator"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_every_menu_has_each_command_once_within_telegrams_limits(
    lang: str, coordinator: bool, facilitator: bool
) -> None:
    t = get_translator(lang)
    if coordinator or facilitator:
        menu = role_commands(t, coordinator=coordinator, facilitator=facilitator)
    else:
        menu = bot_commands(t)
    names = [command.command for command in menu]
    assert len(names) == len(set(names)) <= 100
    assert all(NAME.fullmatch(name) for name in names)
    assert all(1 <= len(command.description) <= 256 for command in menu)
