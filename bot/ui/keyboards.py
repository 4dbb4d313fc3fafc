"""Small builders for inline keyboards, so handlers never assemble Telegram objects by hand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

Button = tuple[str, str]  # (label, callback_data)


def inline(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback_data) pairs."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def in_rows(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    """Splits a flat list of buttons into rows of at most ``per_row``."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
