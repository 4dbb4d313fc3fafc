"""The clocks that time-based rules ask: controllable for tests, offset for the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ControllableClock, OffsetClock


def test_a_controllable_clock_moves_only_when_told() -> None:
    clock = ControllableClock(datetime(2026, 12, 1, tzinfo=UTC))
    assert clock.now() == clock.now()
    assert clock.advance(timedelta(hours=1)) == datetime(2026, 12, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_an_offset_clock_keeps_flowing_and_jumps_ahead() -> None:
    clock = OffsetClock()
    before = datetime.now(UTC)
    jumped = clock.advance(timedelta(days=1))
    assert jumped - before >= timedelta(days=1)
    assert clock.now() >= jumped  # real time goes on after the jump
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))
