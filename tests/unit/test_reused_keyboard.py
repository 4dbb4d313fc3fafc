"""The main menu's keyboard is built once per language and roles, and a reused keyboard goes to
Telegram exactly as PTB's own markup would, a fresh copy each time."""

from __future__ import annotations

import json

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import get_translator
from bot.ui.menu import help_text, menu_view
from bot.ui.view import ReusedKeyboard


def _plain(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(markup.inline_keyboard)


def test_a_reused_keyboard_serialises_as_ptbs_markup() -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("🆘 Need help now", callback_data="menu:crisis")],
            [InlineKeyboardButton("Site", url="https://example.org/a?b=c")],
        ]
    )
    reused = ReusedKeyboard(markup)
    assert reused.to_dict() == markup.to_dict()
    assert reused.to_json() == markup.to_json()
    assert reused == markup and markup == reused


def test_each_send_gets_its_own_copy() -> None:
    reused = ReusedKeyboard(InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]))
    first = reused.to_dict()
    first["inline_keyboard"][0][0]["text"] = "changed"
    first["inline_keyboard"].append([])
    assert reused.to_dict() == {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}


def test_a_reused_keyboard_stays_immutable() -> None:
    reused = ReusedKeyboard(InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]))
    with pytest.raises(AttributeError):
        reused.inline_keyboard = ()  # type: ignore[misc]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_menu_keyboard_is_built_once_per_language_and_roles(lang: str) -> None:
    t = get_translator(lang)
    _, first = menu_view(t, "Ayu")
    text, again = menu_view(t, "Budi <b>")
    assert again is first  # the same object, not a rebuilt one
    assert "Budi &lt;b&gt;" in text  # the greeting is still made per person, escaped
    _, facilitator = menu_view(t, "Ayu", facilitator=True)
    _, coordinator = menu_view(t, "Ayu", coordinator=True)
    rows = {len(kb.inline_keyboard) for kb in (first, facilitator, coordinator) if kb}
    assert rows == {len(first.inline_keyboard), len(first.inline_keyboard) + 1}  # type: ignore[union-attr]
    assert facilitator is not coordinator is not first
    assert json.loads(json.dumps(first.to_dict())) == _plain(first).to_dict()  # type: ignore[union-attr]


def test_help_texts_differ_by_role_and_language() -> None:
    en, id_ = get_translator("en"), get_translator("id")
    member = help_text(en, registered=True, coordinator=False)
    assert help_text(en, registered=True, coordinator=False) == member
    assert help_text(en, registered=False, coordinator=False) != member
    assert help_text(en, registered=True, coordinator=True) != member
    assert help_text(en, registered=True, coordinator=False, facilitator=True) != member
    assert help_text(id_, registered=True, coordinator=False) != member
