"""Time polls as plain data: candidate start times a facilitator sent to a group's members as
native Telegram polls (privately to each, or one anonymous poll in the group's linked chat),
and how many people ticked each (counts, never names)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TimePoll:
    id: int
    group_id: int
    options: tuple[datetime, ...]
    created_at: datetime
    closed_at: datetime | None = None  # ended by a facilitator: no longer asked in the chat


@dataclass(frozen=True, slots=True)
class PollResults:
    counts: tuple[int, ...]  # people who ticked each option
    voters: int
    # Members a private poll went to (0: the poll was asked in the group chat only).
    asked_privately: int = 0


class PollTarget(enum.StrEnum):
    """Where a facilitator asks, when their group has a linked chat."""

    PRIVATE = "p"  # a private poll to each member (the only way without a linked chat)
    CHAT = "c"  # one anonymous poll in the group chat
    BOTH = "b"

    @property
    def private(self) -> bool:
        return self is not PollTarget.CHAT

    @property
    def in_chat(self) -> bool:
        return self is not PollTarget.PRIVATE


@dataclass(frozen=True, slots=True)
class ChatPoll:
    """The anonymous poll of a time poll in a group chat: only Telegram's counts, never who."""

    poll_id: int
    chat_id: int
    message_id: int | None  # None until the outbox has posted it
    counts: tuple[int, ...]  # voters per option, as Telegram last reported (empty: none yet)
    voters: int

    @property
    def posted(self) -> bool:
        return self.message_id is not None


# Telegram's limits for a poll (Bot API sendPoll): longer texts are refused with a 400.
QUESTION_MAX = 300
OPTION_MAX = 100


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marking the cut): a long group name
    must not make Telegram refuse the poll."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
