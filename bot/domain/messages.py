"""A message the bot plans to send on its own initiative, as the outbox stores it (pure data).

Use cases decide *what* to send, to whom, when and under which dedupe key by building these
(bot.domain.meeting_notices, bot.domain.safety); the outbox (bot.storage.outbox) only stores
them, in the transaction of the change that causes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def instant_text(moment: datetime) -> str:
    """An aware datetime as the fixed-width ISO-8601 UTC text that payloads and tables store.

    Fixed width (always microseconds) keeps text order equal to time order, so SQL can compare
    and sort timestamps as strings.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_instant(text: str) -> datetime:
    """The aware datetime written by :func:`instant_text`."""
    return datetime.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class PlannedMessage:
    member_id: int  # the recipient
    kind: str  # picks the renderer at send time
    not_before: datetime
    # UNIQUE in the outbox: planning the same key again adds nothing ("nothing twice").
    dedupe_key: str
    # What the renderer needs: a JSON object with string keys.
    payload: Mapping[str, Any] = field(default_factory=dict)
    # End of the grace window: still unsent then, the message is skipped (None: no limit).
    expires_at: datetime | None = None
    # The meeting it is about, so cancelling or moving the meeting finds it.
    meeting_id: int | None = None
    # The person it is about when that is not the recipient: their /forget deletes it too.
    about_member_id: int | None = None


@dataclass(frozen=True, slots=True)
class MessageCopy:
    """What a renderer returns for a message sent as a copy of another (Bot API copyMessage):
    text, formatting, media and caption exactly as written, without "forwarded from"."""

    from_chat_id: int
    message_id: int
