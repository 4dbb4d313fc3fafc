"""The report buttons of the buddy relay: under each relayed message its recipient gets, and in
/buddy's pairing view. The moderation feature (bot/handlers/moderation.py) answers them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ui.callbacks import CallbackData


@dataclass(frozen=True)
class ReportBuddyMessage(CallbackData, prefix="mo:msg"):
    """ "Report" under a message relayed from one's buddy."""

    message_id: int


@dataclass(frozen=True)
class ReportPairing(CallbackData, prefix="mo:pair"):
    """ "Report" in the view of one's pairing."""

    pairing_id: int
