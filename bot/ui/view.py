"""What every view function returns: a message text and its buttons (None: no buttons)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

View = tuple[str, InlineKeyboardMarkup | None]
