"""Injected Bot API faults: the passing failures real Telegram serves now and then.

Tests and benchmarks ask for them on the emulator (`BotApiEmulator.faults`): the next call of a
method (to a chat) fails once or a few times, or a share of all calls fail at random. A fault
is served *before* the call takes effect, so a retried call is the first that lands.

Kinds, as Telegram and the network produce them:
- ``"5xx"``: 502 Bad Gateway (PTB raises NetworkError);
- ``"429"``: Too Many Requests with ``retry_after`` (PTB raises RetryAfter);
- ``"timeout"``: the request never gets an answer (the in-process front raises PTB's TimedOut,
  the HTTP front drops the connection);
- ``"403"``: Forbidden, bot was blocked by the user (PTB raises Forbidden), for the call only:
  unlike ``BotApiEmulator.user_blocks_bot`` the chat stays open, so a test can make the bot's
  reply to a message fail (writing to a blocked bot unblocks it).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from bot.sandbox.rules import ApiError

# What fail_randomly draws from by default: a 403 is not a passing failure.
PASSING = ("5xx", "429", "timeout")
KINDS = (*PASSING, "403")
# getUpdates is the bot's own polling, not a call whose failure a feature must survive.
_NEVER_RANDOM = frozenset({"getupdates"})


class RequestTimedOut(Exception):
    """The emulated request gets no answer at all (each front turns it into its own timeout)."""


@dataclass
class _Planned:
    kind: str
    method: str | None  # lower-cased; None: any method but getUpdates
    chat_id: int | None
    times: int
    retry_after: int


@dataclass(frozen=True)
class ServedFault:
    """A fault the emulator served: which call, which kind."""

    method: str
    chat_id: int | None
    kind: str


class Faults:
    """Planned and random faults, consulted once per Bot API call."""

    def __init__(self) -> None:
        self._planned: list[_Planned] = []
        self._rate = 0.0
        self._kinds: tuple[str, ...] = PASSING
        self._rng = random.Random(0)
        self._retry_after = 1
        self.served: list[ServedFault] = []

    def fail_next(
        self,
        kind: str,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int = 1,
        retry_after: int = 5,
    ) -> None:
        """The next ``times`` matching calls fail with ``kind``."""
        _check_kind(kind)
        self._planned.append(
            _Planned(kind, method.lower() if method else None, chat_id, times, retry_after)
        )

    def fail_randomly(
        self,
        rate: float,
        *,
        kinds: Iterable[str] = PASSING,
        seed: int = 0,
        retry_after: int = 1,
    ) -> None:
        """Each call (but getUpdates) fails with probability ``rate``, its kind drawn evenly."""
        self._kinds = tuple(kinds)
        for kind in self._kinds:
            _check_kind(kind)
        self._rate, self._rng, self._retry_after = rate, random.Random(seed), retry_after

    def clear(self) -> None:
        self._planned.clear()
        self._rate = 0.0

    def check(self, method: str, chat_id: int | None) -> None:
        """Raises the fault this call gets, if any (ApiError or RequestTimedOut)."""
        name = method.lower()
        planned = next((p for p in self._planned if _matches(p, name, chat_id)), None)
        if planned is not None:
            planned.times -= 1
            if planned.times <= 0:
                self._planned.remove(planned)
            self._serve(method, chat_id, planned.kind, planned.retry_after)
        elif self._rate and name not in _NEVER_RANDOM and self._rng.random() < self._rate:
            self._serve(method, chat_id, self._rng.choice(self._kinds), self._retry_after)

    def _serve(self, method: str, chat_id: int | None, kind: str, retry_after: int) -> None:
        self.served.append(ServedFault(method, chat_id, kind))
        if kind == "5xx":
            raise ApiError(502, "Bad Gateway", injected=True)
        if kind == "429":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                retry_after=retry_after,
                injected=True,
            )
        if kind == "403":
            raise ApiError(403, "Forbidden: bot was blocked by the user", injected=True)
        raise RequestTimedOut(method)


def _matches(planned: _Planned, method: str, chat_id: int | None) -> bool:
    if planned.method is None and method in _NEVER_RANDOM:
        return False
    return (planned.method is None or planned.method == method) and (
        planned.chat_id is None or planned.chat_id == chat_id
    )


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
