"""What every view function returns: a message text and its buttons (None: no buttons)."""

from __future__ import annotations

import json
from typing import Any

from telegram import InlineKeyboardMarkup

View = tuple[str, InlineKeyboardMarkup | None]


class ReusedKeyboard(InlineKeyboardMarkup):
    """An inline keyboard built once and sent many times (the main menu), serialised once.

    PTB turns a markup into JSON afresh on every send, attribute by attribute (75 us for the
    menu's dozen buttons); a markup is immutable, so its serialised form is kept here and each
    send gets a fresh copy of it (a caller may change what it gets without touching the next).
    """

    __slots__ = ("_serialised",)

    def __init__(self, markup: InlineKeyboardMarkup) -> None:
        super().__init__(markup.inline_keyboard, api_kwargs=dict(markup.api_kwargs))
        with self._unfrozen():
            self._serialised = json.dumps(super().to_dict())

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        if not recursive:
            return super().to_dict(recursive=False)
        return json.loads(self._serialised)
