"""Small builders for inline keyboards, so handlers never assemble Telegram objects by hand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ui.callbacks import CallbackData

Button = tuple[str, CallbackData]  # (label, the action it sends)


def inline(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, action) pairs; each action is packed (and checked
    against Telegram's limit) here, where the keyboard is built."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=action.pack()) for label, action in row]
            for row in rows
        ]
    )


def in_rows(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    """Splits a flat list of buttons into rows of at most ``per_row``."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
