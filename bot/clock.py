"""Time as a dependency: the real clock in production, a controllable one in tests and the sandbox.

Everything that decides "is it due?" asks a Clock, never datetime.now(), so a test can jump to
"one hour before the meeting" without sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ControllableClock:
    """A clock that starts at a given instant and moves only when told to (tests, sandbox)."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime.now(UTC)
        if start.tzinfo is None:
            raise ValueError("ControllableClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Moves the clock forward (never backward: time-based rules assume it only grows)."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        self._now += delta
        return self._now


class OffsetClock:
    """The wall clock moved forward by a growing offset: the sandbox's "fast-forward".

    Time keeps flowing between jumps, so messages get real timestamps and reminders also come
    due on their own while someone is trying the sandbox.
    """

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Jumps forward (never backward, like ControllableClock)."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        self._offset += delta
        return self.now()
