"""Report buttons on what buddies send each other (issue 12, moderation).

Defined here so the buddy messages can carry them from the start; moderation
(bot/conversations or bot/handlers of /report) owns this module and registers the handlers.
Until then a press gets the expired-button answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.ui.callbacks import CallbackData, Natural


@dataclass(frozen=True)
class ReportBuddyMessage(CallbackData, prefix="mo:msg"):
    """Under every relayed message a buddy receives."""

    message_id: Natural


@dataclass(frozen=True)
class ReportPairing(CallbackData, prefix="mo:pair"):
    """On a person's pairing in /buddy: the pairing as a whole."""

    pairing_id: Natural
