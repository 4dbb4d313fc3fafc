"""An edit to what a message already shows is left out: Telegram would refuse it."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity

from bot.telegram_glue.shown import already_shows

KEYS = InlineKeyboardMarkup([[InlineKeyboardButton("Next ▶", callback_data="ob:page:1")]])


def message(text: str, entities: list[MessageEntity], markup=KEYS) -> Message:
    chat = Chat(1, Chat.PRIVATE)
    return Message(
        1, datetime(2026, 1, 1, tzinfo=UTC), chat, text=text, entities=entities, reply_markup=markup
    )


def test_the_same_text_formatting_and_buttons_are_already_shown() -> None:
    shown = message(
        "Hai 🌱 Sari & co\n\nlink",
        [
            MessageEntity("bold", 7, 4),  # 🌱 is two UTF-16 code units
            MessageEntity("text_link", 18, 4, url="https://a.id/"),
            MessageEntity("url", 0, 3),  # found by Telegram itself: not the bot's formatting
        ],
    )
    html = 'Hai 🌱 <b>Sari</b> &amp; co\n\n<a href="https://a.id">link</a>\n'
    assert already_shows(shown, html, KEYS)


def test_other_formatting_text_or_buttons_are_an_edit() -> None:
    shown = message("Hai Sari", [MessageEntity("bold", 4, 4)])
    assert not already_shows(shown, "Hai <i>Sari</i>", KEYS)
    assert not already_shows(shown, "Hai <b>Sari!</b>", KEYS)
    assert not already_shows(shown, "Hai <b>Sari</b>", None)
