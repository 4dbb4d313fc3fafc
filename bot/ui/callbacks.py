"""One scheme for callback_data: ``<area>:<action>[:<arg>...]``, checked against Telegram's limit.

Buttons are untrusted input: whatever a handler reads back from callback_data is re-validated
(and, for privileged actions, re-authorised) when pressed.
"""

from __future__ import annotations

from enum import StrEnum, unique

MAX_CALLBACK_BYTES = 64  # Telegram refuses callback_data outside 1-64 bytes
SEPARATOR = ":"


@unique  # two features sharing an area would steal each other's buttons: fail at import
class Area(StrEnum):
    """The first part of every callback_data: which feature a button belongs to."""

    ONBOARDING = "ob"
    ALIAS = "al"
    MENU = "menu"
    LANGUAGE = "lang"
    FORGET = "fg"
    CONSENT = "pc"
    CRISIS = "cr"
    CRISIS_ACK = "ca"
    GROUNDING = "gd"
    SAFETY_PLAN = "sp"
    GROUPS = "gr"
    GROUPS_ADMIN = "gc"
    MY_GROUPS = "mg"
    NEW_GROUP = "ng"
    EDIT_GROUP = "ge"
    MEETINGS = "mt"
    NEW_MEETING = "nm"
    TIME_POLL = "tp"
    RESOURCES = "rs"


def callback(*parts: str | int) -> str:
    """Builds callback data from parts; raises ValueError if it would not fit Telegram's limit."""
    text = SEPARATOR.join(str(part) for part in parts)
    if any(SEPARATOR in str(part) for part in parts[:-1]) or not text:
        raise ValueError("callback parts must not contain the separator")
    if len(text.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long ({len(text.encode())} bytes)")
    return text


def pattern(area: str, *parts: str) -> str:
    """A regex for CallbackQueryHandler matching one area (and optionally its first parts,
    e.g. an action and its choice)."""
    prefix = SEPARATOR.join([area, *parts])
    return rf"^{prefix}({SEPARATOR}|$)"


def args(data: str | None) -> list[str]:
    """The parts after ``<area>:<action>``."""
    return (data or "").split(SEPARATOR)[2:]
