"""Small builders for inline keyboards, so handlers never assemble Telegram objects by hand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ui.callbacks import CallbackData

Button = tuple[str, CallbackData | str]  # (label, the action it sends)


def inline(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, action) pairs; each action is packed (and checked
    against Telegram's limit) here, where the keyboard is built."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=_packed(data)) for label, data in row]
            for row in rows
        ]
    )


def _packed(data: CallbackData | str) -> str:
    return data.pack() if isinstance(data, CallbackData) else data


def in_rows(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    """Splits a flat list of buttons into rows of at most ``per_row``."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
