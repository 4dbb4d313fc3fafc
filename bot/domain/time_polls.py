"""Time polls as plain data: candidate start times a facilitator sent to a group's members as
native Telegram polls, and how many people ticked each (counts, never names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TimePoll:
    id: int
    group_id: int
    options: tuple[datetime, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PollResults:
    counts: tuple[int, ...]  # people who ticked each option
    voters: int
