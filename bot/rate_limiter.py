"""The bot's rate limiter: Telegram's limits are per chat, so a 429 holds one chat, not everyone.

PTB's AIORateLimiter pauses *every* request after any 429 (PTB issue #3765): one flood wait on
one person's reply froze everybody's answers for its whole ``retry_after``. ``ChatRateLimiter``
keeps Telegram's limits where they apply:

- pacing: about ``max_rate`` messages a second overall, about one message a second per private
  chat and 20 a minute per group (each with a short burst). Telegram's overall limit is on
  messages, so calls that send none (setMyCommands, answerCallbackQuery, getMe …) are paced at
  ``max_rate`` in a budget of their own: the 10,000 command menus a start sets in the background
  (10 a second) took a third of a weekly check-in fan-out's turns when they shared one;
- a 429 for one chat holds that chat for its ``retry_after``; other chats go on. Only 429s from
  several chats within a short window, making up a real share of Telegram's answers in it, mean
  the bot as a whole is over the limit: then every request waits out the flood and the overall
  pace is halved for a while. (A broadcast to 10,000 people meets a few per-chat 429s every
  minute; counting chats alone kept it at half speed for its whole run.)
- an interactive request (a reply) is retried after its hold, and after a passing network
  failure (5xx, timeout) with a short backoff, so the person gets the answer rather than the
  apology. Telegram's refusals (400, 403) are never retried. A retried timeout may deliver a
  message twice (Telegram may have received the first); for a reply that beats no answer.

Requests sent with ``rate_limit_args=OUTBOX`` (the outbox dispatcher) are paced here too,
behind replies: they take only overall turns that leave a few for replies (REPLY_RESERVE), so
reminders run at whatever rate replies leave, up to ``max_rate``. They have their own retry
policy: a hold or a full chat raises ``RetryAfter`` at once, so one chat never stalls a pass,
and a global flood raises ``GlobalFloodWait``; passing failures are raised, not retried.

Time and sleeping are injectable so tests need not wait in real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

RateLimitArgs = dict[str, str]
# rate_limit_args of a sender with its own retry policy (the outbox dispatcher).
OUTBOX: RateLimitArgs = {"scope": "outbox"}

# Telegram: about one message a second in a private chat (short bursts pass), 20 a minute in a
# group. The emulator (bot/sandbox/rules.py) refuses beyond the same figures.
PRIVATE_PER_SECOND, PRIVATE_BURST = 1.0, 3
GROUP_PER_SECOND, GROUP_BURST = 20 / 60, 3
# Only message-producing methods count against a chat's limit and Telegram's overall one on
# messages; anything else with a chat_id (sendChatAction, deleteMessage, getChat …) still waits
# out that chat's hold.
_COUNTED_PREFIXES = ("send", "edit", "copy", "forward", "stoppoll")
_NOT_COUNTED = frozenset({"sendchataction"})
# 429s from this many chats within the window, and at least this share of Telegram's answers in
# it, mean the bot as a whole is over the limit.
GLOBAL_CHATS, GLOBAL_WINDOW, GLOBAL_SHARE = 3, 2.0, 0.25
# Then the overall pace is this share of max_rate for this long after the last such 429.
SLOWDOWN_SHARE, SLOWDOWN_SECONDS = 0.5, 30.0
# Interactive requests: flood waits retried, passing failures retried with this backoff.
MAX_FLOOD_RETRIES = 3
TRANSIENT_BACKOFF = (0.25, 0.5, 1.0, 2.0)
# A hold longer than this is not waited out by a reply: the handler fails instead of hanging.
MAX_REPLY_HOLD = 60.0
# Turns of the overall pace the outbox leaves for replies: it sends only while the bucket holds
# more than these, so a reply never queues behind reminders, and the outbox takes every turn
# replies leave over (the whole rate when nobody writes) instead of a fixed share.
REPLY_RESERVE = 3
# Chat tables are pruned of idle entries when they grow past this size.
_PRUNE_AT = 1024

ChatKey = int | str | None
Sleep = Callable[[float], Awaitable[None]]


class GlobalFloodWait(RetryAfter):
    """Telegram is slowing the whole bot down: an outbox pass should end, not go chat by chat."""


class _Bucket:
    """A token bucket: ``burst`` requests at once, refilled at ``rate`` a second. Reserving
    may overdraw it; the overdraft is how long the caller waits for its turn."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, burst
        self._tokens, self._stamp = float(burst), now

    def _refill(self, now: float) -> None:
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = max(self._stamp, now)

    def delay(self, now: float) -> float:
        """How long the next request would wait, without taking a turn."""
        self._refill(now)
        return max(0.0, (1 - self._tokens) / self.rate)

    def delay_keeping(self, now: float, keep: float) -> float:
        """How long until a turn can be taken that leaves ``keep`` turns in the bucket."""
        self._refill(now)
        return max(0.0, (1 + keep - self._tokens) / self.rate)

    def reserve(self, now: float) -> float:
        """Takes a turn; returns how long to wait for it."""
        self._refill(now)
        self._tokens -= 1
        return max(0.0, -self._tokens / self.rate)

    def idle(self, now: float) -> bool:
        self._refill(now)
        return self._tokens >= self.burst


class ChatRateLimiter(BaseRateLimiter[RateLimitArgs]):
    """Paces requests overall and per chat; scopes flood waits to the chat that got them."""

    def __init__(
        self,
        max_rate: float,
        *,
        monotonic: Callable[[], float] | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if max_rate <= 0:
            raise ValueError("max_rate must be positive (0 means: install no limiter)")
        self._max_rate = max_rate
        self._monotonic = monotonic or _loop_time
        self._sleep = sleep
        # The overall pace of messages (True) and, apart, of every other call (False).
        self._overall: dict[bool, _Bucket] = {}
        self._chats: dict[ChatKey, _Bucket] = {}
        self._holds: dict[ChatKey, float] = {}
        self._global_hold = 0.0
        self._slow_until = 0.0
        self._recent_floods: list[tuple[float, ChatKey]] = []
        self._recent_answers: deque[float] = deque()  # when Telegram answered, in the window

    async def initialize(self) -> None:
        """Nothing to open: the tables fill as requests come."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        outbox = rate_limit_args is not None and rate_limit_args.get("scope") == OUTBOX["scope"]
        chat = _chat_key(data.get("chat_id"))
        message = _sends_message(endpoint)
        floods = transient = 0
        while True:
            await self._wait_turn(chat, message=message, outbox=outbox)
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as flood:
                self._answered()
                is_global = self._record_flood(chat, flood)
                if outbox or floods >= MAX_FLOOD_RETRIES:
                    if is_global:
                        raise GlobalFloodWait(timedelta(seconds=_seconds(flood))) from flood
                    raise
                floods += 1
                log.info("flood wait on %s; retrying after the hold", endpoint)
            except NetworkError as failure:
                self._answered()
                # BadRequest (400) is a NetworkError in PTB, but it is a refusal, not a glitch.
                if isinstance(failure, BadRequest) or outbox or transient >= len(TRANSIENT_BACKOFF):
                    raise
                log.info("%s failed (%s); retrying", endpoint, type(failure).__name__)
                await self._sleep(TRANSIENT_BACKOFF[transient])
                transient += 1
            else:
                self._answered()
                return result

    async def _wait_turn(self, chat: ChatKey, *, message: bool, outbox: bool) -> None:
        """Waits out holds, then the chat's and the overall pace of messages or of other calls
        (the outbox never waits for one chat: it is told to come back later instead)."""
        while (hold := self._hold(chat)) > 0:
            is_global = self._global_hold - self._monotonic() >= hold
            if outbox or hold > MAX_REPLY_HOLD:
                come_back = timedelta(seconds=hold)
                raise GlobalFloodWait(come_back) if is_global else RetryAfter(come_back)
            await self._sleep(hold)  # then look again: a newer 429 may have extended it
        if message and chat is not None:
            bucket = self._chat_bucket(chat, self._monotonic())
            if outbox and (busy := bucket.delay(self._monotonic())) > 0:
                raise RetryAfter(timedelta(seconds=busy))
            if (wait := bucket.reserve(self._monotonic())) > 0:
                await self._sleep(wait)
        if outbox:
            await self._spare_turn(message)
        elif (wait := self._overall_bucket(message).reserve(self._monotonic())) > 0:
            await self._sleep(wait)

    async def _spare_turn(self, message: bool) -> None:
        """An overall turn for the outbox: one that leaves REPLY_RESERVE turns for replies
        (replies may overdraw the bucket; then the outbox waits until they are paid back)."""
        while True:
            bucket = self._overall_bucket(message)
            keep = min(REPLY_RESERVE, bucket.burst - 1)
            if (wait := bucket.delay_keeping(self._monotonic(), keep)) <= 0:
                bucket.reserve(self._monotonic())
                return
            await self._sleep(wait)  # then look again: replies may have taken turns meanwhile

    def _hold(self, chat: ChatKey) -> float:
        """Seconds until this chat may be sent to again (0: now)."""
        now = self._monotonic()
        until = max(self._holds.get(chat, 0.0), self._global_hold)
        if chat in self._holds and self._holds[chat] <= now:
            del self._holds[chat]
        return max(0.0, until - now)

    def _record_flood(self, chat: ChatKey, flood: RetryAfter) -> bool:
        """Holds the chat; returns whether this 429 makes the flood global."""
        now = self._monotonic()
        until = now + _seconds(flood)
        # 429s are rare: forgetting ended holds here keeps the table small at no cost.
        self._holds = {key: end for key, end in self._holds.items() if end > now}
        self._holds[chat] = max(self._holds.get(chat, 0.0), until)
        self._recent_floods = [
            (at, key) for at, key in self._recent_floods if now - at <= GLOBAL_WINDOW
        ]
        self._recent_floods.append((now, chat))
        if not self._flooding_globally(now):
            return self._global_hold > now
        if self._slow_until <= now:
            # Counts only, never which chats: chat ids identify people.
            log.warning(
                "429s from %d chats within %gs: every request waits %gs, then %g/s for %gs",
                len({key for _, key in self._recent_floods}),
                GLOBAL_WINDOW,
                _seconds(flood),
                self._max_rate * SLOWDOWN_SHARE,
                SLOWDOWN_SECONDS,
            )
        self._global_hold = max(self._global_hold, until)
        self._slow_until = max(self._slow_until, until + SLOWDOWN_SECONDS)
        return True

    def _answered(self) -> None:
        """Notes that Telegram answered a request (whatever it said), for the flood window."""
        now = self._monotonic()
        answers = self._recent_answers
        answers.append(now)
        while now - answers[0] > GLOBAL_WINDOW:
            answers.popleft()

    def _flooding_globally(self, now: float) -> bool:
        """429s from several chats that are a real share of the window's answers: the bot as a
        whole is over the limit. A few chats' 429s among many successes are those chats'."""
        chats = {key for _, key in self._recent_floods}
        answers = sum(1 for at in self._recent_answers if now - at <= GLOBAL_WINDOW)
        return len(chats) >= GLOBAL_CHATS and len(self._recent_floods) >= GLOBAL_SHARE * max(
            1, answers
        )

    def _overall_bucket(self, message: bool) -> _Bucket:
        """The overall pace of messages, or of the calls that send none; a global flood slows
        both."""
        now = self._monotonic()
        bucket = self._overall.get(message)
        if bucket is None:
            bucket = self._overall[message] = _Bucket(self._max_rate, max(1.0, self._max_rate), now)
        share = SLOWDOWN_SHARE if now < self._slow_until else 1.0
        bucket.delay(now)  # settle the tokens earned at the old rate first
        bucket.rate = self._max_rate * share
        return bucket

    def _chat_bucket(self, chat: ChatKey, now: float) -> _Bucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) >= _PRUNE_AT:
                self._chats = {key: b for key, b in self._chats.items() if not b.idle(now)}
            group = isinstance(chat, str) or (isinstance(chat, int) and chat < 0)
            bucket = (
                _Bucket(GROUP_PER_SECOND, GROUP_BURST, now)
                if group
                else _Bucket(PRIVATE_PER_SECOND, PRIVATE_BURST, now)
            )
            self._chats[chat] = bucket
        return bucket


def _chat_key(chat_id: object) -> ChatKey:
    """An int chat id (negative: a group), a channel's @username, or None."""
    if chat_id is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(chat_id)  # type: ignore[call-overload]
    return str(chat_id)


def _sends_message(endpoint: str) -> bool:
    name = endpoint.lower()
    return name.startswith(_COUNTED_PREFIXES) and name not in _NOT_COUNTED


def _seconds(flood: RetryAfter) -> float:
    """The flood wait in seconds; a timedelta since bot/__init__ opts into PTB_TIMEDELTA."""
    value = flood.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _loop_time() -> float:
    return asyncio.get_running_loop().time()
