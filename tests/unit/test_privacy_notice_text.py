"""The privacy notice's text in both languages: within Telegram's limits, the summary about one
phone screen, and every command it names is one the bot has."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LANGUAGES, get_translator
from bot.services.container import NOTICE_VERSION
from bot.ui.commands import COMMANDS
from bot.ui.privacy_notice import full_notice, notice_summary

# The longest PRIVACY_CONTACT the settings accept (bot/config.py), with characters to escape.
LONGEST_CONTACT = "https://example.org/" + "a&b" * 60
SUMMARY_LIMIT = 2000  # about one phone screen of text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("contact", [None, LONGEST_CONTACT])
def test_every_message_fits_telegram_and_the_summary_one_screen(
    lang: str, contact: str | None
) -> None:
    t = get_translator(lang)
    assert len(notice_summary(t, contact)) <= SUMMARY_LIMIT
    for section in full_notice(t, contact, NOTICE_VERSION):
        assert len(section) <= 4096


def test_the_contact_is_escaped() -> None:
    t = get_translator("en")
    text = "\n".join([notice_summary(t, "https://a.org/?x=<b>"), *full_notice(t, "x&y", 2)])
    assert "?x=<b>" not in text and "x&y" not in text
    assert "https://a.org/?x=&lt;b&gt;" in text and "x&amp;y" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_command_the_notice_names_exists(lang: str) -> None:
    t = get_translator(lang)
    text = "\n".join([notice_summary(t, None), *full_notice(t, None, NOTICE_VERSION)])
    named = set(re.findall(r"(?<![\w/<])/([a-z_]+)", text))
    assert named and named <= {command for command, _ in COMMANDS}
