"""The quick mood's buttons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ui.callbacks import CallbackData


@dataclass(frozen=True)
class StartMood(CallbackData, prefix="md:start"):
    """ "How am I today": the menu's and the distress reply's way into the quick mood."""
