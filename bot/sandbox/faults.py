"""Injected Bot API faults: the passing failures real Telegram serves now and then.

Tests and benchmarks ask for them on the emulator (`BotApiEmulator.faults`): the next call of a
method (to a chat) fails once or a few times, or a share of all calls fail at random (from a
seeded RNG, each kind with its own share). A fault is served *before* the call takes effect, so
a retried call is the first that lands, except a held reply, which is served after it.

Kinds, as Telegram and the network produce them:
- ``"5xx"``: 502 Bad Gateway (PTB raises NetworkError);
- ``"429"``: Too Many Requests with ``retry_after`` (PTB raises RetryAfter);
- ``"timeout"``: the request never gets an answer (the in-process front raises PTB's TimedOut,
  the HTTP front drops the connection);
- ``"drop"``: the connection is dropped before an answer (the in-process front raises PTB's
  NetworkError, as HTTPX's "server disconnected"; the HTTP front closes the connection);
- ``"held"``: Telegram *applied* the call (the message is in the chat) but the answer never
  reaches the bot, which sees a timeout: the case behind every at-least-once delivery;
- ``"hang"``: the request gets no answer until the client gives up (the in-process front waits
  its ``hang_timeout``, then raises TimedOut; the HTTP front keeps the connection open);
- ``"403"``: Forbidden, bot was blocked by the user (PTB raises Forbidden), for the call only:
  unlike ``BotApiEmulator.user_blocks_bot`` the chat stays open, so a test can make the bot's
  reply to a message fail (writing to a blocked bot unblocks it).

Every call is also counted per second (``calls_per_second``), so a run can show the bot never
retries in a hot loop.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bot.sandbox.rules import ApiError

# What fail_randomly draws from by default: a 403 is not a passing failure.
PASSING = ("5xx", "429", "timeout")
# Passing failures of the network rather than of Telegram's answer.
NETWORK = ("drop", "held", "hang")
KINDS = (*PASSING, *NETWORK, "403")
# getUpdates is the bot's own polling, not a call whose failure a feature must survive.
_NEVER_RANDOM = frozenset({"getupdates"})


class NoAnswer(Exception):
    """The emulated request gets no answer; each front turns a subclass into its own failure."""


class RequestTimedOut(NoAnswer):
    """No answer at all, at once (also a held reply: the call was applied first)."""


class ConnectionDropped(NoAnswer):
    """The server closed the connection without answering."""


class RequestHangs(NoAnswer):
    """No answer until the client's own timeout ends the wait."""


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

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._planned: list[_Planned] = []
        self._rate = 0.0
        self._kinds: tuple[str, ...] = PASSING
        self._weights: tuple[float, ...] = (1.0,) * len(PASSING)
        self._rng = random.Random(0)
        self._retry_after = (1, 1)
        self._clock = clock
        self.served: list[ServedFault] = []
        # Calls by whole second of ``clock`` (getUpdates included): a retry loop shows here.
        self.calls_per_second: Counter[int] = Counter()

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
        kinds: Iterable[str] | Mapping[str, float] = PASSING,
        seed: int = 0,
        retry_after: int | tuple[int, int] = 1,
    ) -> None:
        """Each call (but getUpdates) fails with probability ``rate``; its kind is drawn evenly
        from ``kinds``, or by the relative weights of a ``{kind: weight}`` mapping. A 429's
        ``retry_after`` is drawn from the inclusive range ``(low, high)`` when one is given."""
        weighted = kinds if isinstance(kinds, Mapping) else dict.fromkeys(kinds, 1.0)
        for kind, weight in weighted.items():
            _check_kind(kind)
            if weight < 0:
                raise ValueError("a kind's weight cannot be negative")
        if not 0 <= rate <= 1 or not any(weighted.values()):
            raise ValueError("rate must be 0 to 1, with at least one kind of positive weight")
        low, high = retry_after if isinstance(retry_after, tuple) else (retry_after, retry_after)
        if not 0 <= low <= high:
            raise ValueError("retry_after must be a non-negative number or range of seconds")
        self._kinds, self._weights = tuple(weighted), tuple(weighted.values())
        self._rate, self._rng, self._retry_after = rate, random.Random(seed), (low, high)

    def clear(self) -> None:
        self._planned.clear()
        self._rate = 0.0

    def check(self, method: str, chat_id: int | None) -> bool:
        """Raises the fault this call gets before it takes effect, if any (ApiError or a
        NoAnswer); returns True when the call is to be applied and its answer then held back
        (raise :class:`RequestTimedOut` after applying it)."""
        name = method.lower()
        self.calls_per_second[int(self._clock())] += 1
        planned = next((p for p in self._planned if _matches(p, name, chat_id)), None)
        if planned is not None:
            planned.times -= 1
            if planned.times <= 0:
                self._planned.remove(planned)
            return self._serve(method, chat_id, planned.kind, planned.retry_after)
        if self._rate and name not in _NEVER_RANDOM and self._rng.random() < self._rate:
            kind = self._rng.choices(self._kinds, self._weights)[0]
            return self._serve(method, chat_id, kind, self._rng.randint(*self._retry_after))
        return False

    def served_counts(self) -> Counter[str]:
        """How many faults of each kind were served so far."""
        return Counter(fault.kind for fault in self.served)

    def _serve(self, method: str, chat_id: int | None, kind: str, retry_after: int) -> bool:
        self.served.append(ServedFault(method, chat_id, kind))
        if kind == "held":
            return True
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
        if kind == "drop":
            raise ConnectionDropped(method)
        if kind == "hang":
            raise RequestHangs(method)
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
