"""Start-up against a Bot API that fails in passing: retry with backoff, within one budget.

A 502 from Telegram or a dropped connection while the bot starts (getMe, setMyCommands,
deleteWebhook) is no reason to give up, and no reason for a traceback either: each start-up
step is retried with a growing backoff (a 429 waits its ``retry_after``) until the budget for
the whole start-up is spent; then ``TelegramUnavailable`` says which step kept failing, in one
line. A refused token (401/404, InvalidToken) and refusals of the request (400, 403) are not
passing failures and are raised at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter

log = logging.getLogger(__name__)

T = TypeVar("T")

# Backoff between tries: 0.5 s, 1 s, 2 s, … at most 8 s, so a short outage costs little.
FIRST_DELAY, MAX_DELAY = 0.5, 8.0


class TelegramUnavailable(Exception):
    """Start-up kept failing in passing for the whole budget; the message is one line."""

    def __init__(self, step: str, error: str, budget: float) -> None:
        super().__init__(f"{step}: {error}; gave up after {budget:g} s")
        self.step, self.error, self.budget = step, error, budget


class StartupRetry:
    """Runs start-up steps, retrying passing failures; the budget covers all steps together
    and starts with the first one."""

    def __init__(
        self,
        budget_seconds: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._budget = budget_seconds
        self._monotonic = monotonic
        self._sleep = sleep
        self._deadline: float | None = None

    async def call(self, step: str, action: Callable[[], Awaitable[T]]) -> T:
        """``action()``'s result, once Telegram answers; ``step`` names it in logs (never
        anything about people: start-up calls carry none)."""
        if self._deadline is None:
            self._deadline = self._monotonic() + self._budget
        delay = FIRST_DELAY
        while True:
            try:
                return await action()
            except RetryAfter as flood:
                error, wait = type(flood).__name__, _seconds(flood)
            except BadRequest:
                raise  # a 400 is a refusal, though PTB makes it a NetworkError
            except NetworkError as problem:  # 5xx, timeouts, connection errors
                error, wait = type(problem).__name__, delay
                delay = min(delay * 2, MAX_DELAY)
            remaining = self._deadline - self._monotonic()
            if remaining <= 0:
                raise TelegramUnavailable(step, error, self._budget) from None
            wait = min(wait, remaining)  # one last try when the budget ends
            log.warning("start-up: %s failed (%s); retrying in %g s", step, error, wait)
            await self._sleep(wait)


def _seconds(flood: RetryAfter) -> float:
    value = flood.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
