"""The report buttons of the buddy relay: under each relayed message its recipient gets, and in
/buddy's pairing view. The moderation feature (bot/handlers/moderation.py) answers them."""

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
