"""Virtual time for the rate limiter: tests move it instead of sleeping in real time.

``monotonic`` and ``sleep`` stand in for the event loop's clock and ``asyncio.sleep``. A sleeper
wakes when the test calls ``advance`` past its deadline; with ``auto=True`` a sleep moves time
itself and returns at once (sequential tests that only check how long something waited).
"""

from __future__ import annotations

import asyncio
import math


class VirtualTime:
    def __init__(self, *, auto: bool = False) -> None:
        self.now = 0.0
        self.auto = auto
        self.sleeps: list[float] = []
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.auto:
            # At least the next representable instant: a wait too small to move a large
            # ``now`` (1e-16 s at 15 s) would otherwise leave a waiter looking forever.
            self.now = max(self.now + max(0.0, seconds), math.nextafter(self.now, math.inf))
            await asyncio.sleep(0)
            return
        wake = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + seconds, wake))
        await wake

    async def advance(self, seconds: float) -> None:
        """Moves time forward, wakes the sleepers now due and lets them run."""
        self.now += seconds
        due = [entry for entry in self._sleepers if entry[0] <= self.now]
        self._sleepers = [entry for entry in self._sleepers if entry[0] > self.now]
        for _, wake in due:
            if not wake.done():
                wake.set_result(None)
        for _ in range(20):  # a woken request may call Telegram and sleep again
            await asyncio.sleep(0)

    @property
    def sleeping(self) -> int:
        """How many sleepers are waiting for time to move."""
        return sum(1 for _, wake in self._sleepers if not wake.done())
