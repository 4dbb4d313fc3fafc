"""The outbox dispatcher: the one loop that sends what features planned in the outbox.

A JobQueue job is only its heartbeat. What is due, late or expired is decided against the
injected clock (``services.clock``), never the job's firing time, so tests and the sandbox move
time by moving the clock, and a late or missed firing changes nothing (APScheduler advances a
job before its callback ends and drops misfires; the rows carry all state).

Each row is rendered when it is sent, in the recipient's current language, by the renderer
registered for its ``kind`` (``application.bot_data["outbox_renderers"]``). Outcomes:

- sent;
- skipped: at or past ``expires_at`` (the grace window), recipient blocked or gone, or the
  renderer says the message no longer applies (returns None);
- failed: unknown kind, renderer error, Telegram refused the request (400: a bug), the person
  blocked the bot (403; they are marked blocked and their other pending rows cancelled), or
  transient errors ``max_attempts`` times;
- retried: flood wait (429: this row and the pass's other rows for the same chat are put back
  until ``retry_after``, not counted as an attempt, while other chats' rows go on; a flood
  Telegram applies to the whole bot ends the pass) or a transient network error (exponential
  backoff, counted).

Pacing is the rate limiter's (bot/rate_limiter.py), which sees every request: outbox sends
take the overall turns interactive replies leave, up to TELEGRAM_MAX_RATE, so reminders use the
whole rate while nobody writes and never delay a reply (a fixed 80 % share left 20 % idle and
still let reminders queue ahead of replies). ``pace_per_second`` is only for a bot without our
limiter (benchmarks, tests). Per-chat limits and flood waits are the limiter's as well: outbox
sends carry ``rate_limit_args=OUTBOX``, so instead of waiting out one chat's hold (stalling the
pass) the limiter raises RetryAfter at once and the row is put back; without a limiter
(TELEGRAM_MAX_RATE=0) Telegram's own 429 is handled the same way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import telegram
from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.domain.member import Member
from bot.domain.messages import MessageCopy
from bot.i18n import Translator, get_translator
from bot.notifications.group_chats import ChatPoster, Sent
from bot.rate_limiter import OUTBOX, ChatRateLimiter, GlobalFloodWait
from bot.services.container import Services
from bot.storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

# A renderer returns HTML text and its keyboard, or a message to copy (an announcement), or
# None when the message no longer applies.
Rendered = tuple[str, InlineKeyboardMarkup | None] | MessageCopy
Renderer = Callable[[Services, Translator, Member, Mapping[str, Any]], Awaitable[Rendered | None]]
# A post in a linked group chat (a row with chat_id) is rendered by the ChatPoster of its kind
# (bot.notifications.group_chats), which may send it its own way (a poll) and act on the
# message once sent.

# Transient errors: wait 30 s, 1 min, 2 min, … (capped), then give up after max_attempts.
_BACKOFF_BASE = timedelta(seconds=30)
_BACKOFF_MAX = timedelta(hours=1)
# Sends allowed back to back before pacing starts, so a handful of reminders go out at once.
_PACE_BURST = 5


@dataclass
class DispatchReport:
    """What one pass did (rows put back after a flood wait count as retried)."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0


class _Stop(Exception):
    """Telegram slows the whole bot down: end the pass, everything left goes back to pending."""

    def __init__(self, until: datetime, error: str) -> None:
        super().__init__(error)
        self.until, self.error = until, error


class _Unrenderable(Exception):
    """The row cannot be turned into a message (unknown kind, renderer bug)."""


class _Pacer:
    """A token bucket over real (monotonic) time: bursts of a few, then ``rate`` per second.
    Per-chat limits are the rate limiter's, which knows every request, replies included."""

    def __init__(self, rate: float) -> None:
        self._rate = rate
        self._tokens = float(_PACE_BURST)
        self._stamp: float | None = None

    async def wait(self) -> None:
        if self._rate <= 0:
            return
        await self._take_token(asyncio.get_running_loop())

    async def _take_token(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        if self._stamp is not None:
            self._tokens = min(_PACE_BURST, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens < 1:
            await asyncio.sleep((1 - self._tokens) / self._rate)
            self._stamp = loop.time()
            self._tokens = 1.0
        self._tokens -= 1


class OutboxDispatcher:
    """Claims due outbox rows and sends them; ``renderers`` is read live (not copied), so
    features can register their kinds after the dispatcher was built."""

    def __init__(
        self,
        services: Services,
        renderers: Mapping[str, Renderer],
        *,
        batch_size: int = 25,
        max_attempts: int = 5,
        pace_per_second: float = 25.0,
        posters: Mapping[str, ChatPoster] | None = None,
    ) -> None:
        self._services = services
        self._renderers = renderers
        self._posters = posters if posters is not None else {}
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._pacer = _Pacer(pace_per_second)
        # The job and a test's tick() may overlap; one pass at a time keeps passes whole.
        self._lock = asyncio.Lock()

    async def run_once(self, bot: telegram.Bot) -> DispatchReport:
        """Sends everything due now, batch by batch, until nothing is due or Telegram slows the
        whole bot down; a flood wait for one chat puts back that chat's rows only."""
        report = DispatchReport()
        held: dict[int, tuple[datetime, str]] = {}  # chat -> (until, error) for this pass
        async with self._lock:
            while batch := await self._services.outbox.claim_due(
                self._services.clock.now(), self._batch_size
            ):
                for position, message in enumerate(batch):
                    try:
                        await self._dispatch(bot, message, report, held)
                    except _Stop as stop:
                        await self._put_back(batch[position:], stop.until, stop.error, report)
                        return report
        return report

    async def _dispatch(
        self,
        bot: telegram.Bot,
        message: OutboxMessage,
        report: DispatchReport,
        held: dict[int, tuple[datetime, str]],
    ) -> None:
        outbox, now = self._services.outbox, self._services.clock.now()
        if message.expires_at is not None and message.expires_at <= now:
            await outbox.mark_skipped(message.id, "expired")
            report.skipped += 1
            return
        member: Member | None = None
        if message.chat_id is not None:
            chat = message.chat_id
        else:
            assert message.member_id is not None  # one of the two, by the table's CHECK
            member = await self._services.members.by_id(message.member_id)
            if member is None or await outbox.is_member_blocked(message.member_id):
                await outbox.mark_skipped(message.id, "recipient unreachable")
                report.skipped += 1
                return
            chat = member.telegram_id
        hold = held.get(chat)
        # Telegram asked to wait for this chat earlier in the pass. A long pass (a broadcast)
        # can outlast the wait: then the row goes now, or it would be claimed and put back with
        # the same past time again and again, and never sent.
        if hold is not None and hold[0] > now:
            await self._put_back([message], *hold, report)
            return
        try:
            rendered = await (
                self._render(message, member) if member else self._render_post(message, chat)
            )
        except _Unrenderable as exc:
            await outbox.mark_failed(message.id, str(exc))
            report.failed += 1
            return
        if rendered is None:
            await outbox.mark_skipped(message.id, "no longer applies")
            report.skipped += 1
            return
        await self._pacer.wait()
        poster = self._posters.get(message.kind) if message.chat_id is not None else None
        try:
            if poster is not None and poster.send is not None:
                sent = await poster.send(bot, chat, rendered, _outbox_scope(bot))
            else:
                sent = await _send(bot, chat, rendered)
        except GlobalFloodWait as exc:
            until = now + _retry_after(exc)
            log.warning(
                "outbox: the whole bot must wait; pass ends, resuming %s", until.isoformat()
            )
            raise _Stop(until, _error(exc)) from exc
        except RetryAfter as exc:
            held[chat] = (now + _retry_after(exc), _error(exc))
            await self._put_back([message], *held[chat], report)
            return
        except Exception as exc:
            await self._record_failure(message, exc, now, report)
            return
        await outbox.mark_sent(message.id, self._services.clock.now())
        report.sent += 1
        if poster is not None and poster.after_sent is not None:
            await poster.after_sent(self._services, bot, chat, sent, message.payload)

    async def _put_back(
        self, messages: list[OutboxMessage], until: datetime, error: str, report: DispatchReport
    ) -> None:
        """Pending again from ``until``; a flood wait is not the row's fault, so no attempt."""
        for message in messages:
            await self._services.outbox.retry_later(message.id, until, error, count_attempt=False)
        report.retried += len(messages)

    async def _render(self, message: OutboxMessage, member: Member) -> Rendered | None:
        """The rendered message, or None if it no longer applies."""
        renderer = self._renderers.get(message.kind)
        if renderer is None:
            log.error("outbox: no renderer for kind %s", message.kind)
            raise _Unrenderable("unknown kind")
        try:
            return await renderer(
                self._services, get_translator(member.language), member, message.payload
            )
        except Exception as exc:
            # A renderer bug must not stall the outbox: this row fails, the others go on.
            # log.error, not log.exception: the exception's message may quote user data.
            log.error("outbox: renderer for kind %s raised %s", message.kind, type(exc).__name__)
            raise _Unrenderable(f"render error: {type(exc).__name__}") from exc

    async def _render_post(self, message: OutboxMessage, chat_id: int) -> Any:
        """A group chat post, rendered by its kind's ChatPoster (None: no longer applies)."""
        poster = self._posters.get(message.kind)
        if poster is None:
            log.error("outbox: no poster for kind %s", message.kind)
            raise _Unrenderable("unknown kind")
        try:
            return await poster.render(self._services, chat_id, message.payload)
        except Exception as exc:
            log.error("outbox: poster for kind %s raised %s", message.kind, type(exc).__name__)
            raise _Unrenderable(f"render error: {type(exc).__name__}") from exc

    async def _record_failure(
        self, message: OutboxMessage, exc: Exception, now: datetime, report: DispatchReport
    ) -> None:
        outbox, error = self._services.outbox, _error(exc)
        if isinstance(exc, Forbidden):
            # A member blocked the bot; for a post, the bot is no longer in the chat (and
            # my_chat_member unlinks it).
            if message.member_id is not None:
                await outbox.mark_member_blocked(message.member_id, now)
            await outbox.mark_failed(message.id, error)
            report.failed += 1
        # BadRequest is a NetworkError subclass in PTB, so it is checked first.
        elif isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
            attempts = message.attempts + 1
            if attempts >= self._max_attempts:
                log.warning("outbox: kind %s gave up after %d attempts", message.kind, attempts)
                await outbox.mark_failed(message.id, error)
                report.failed += 1
            else:
                at = now + min(_BACKOFF_BASE * 2 ** (attempts - 1), _BACKOFF_MAX)
                await outbox.retry_later(message.id, at, error, count_attempt=True)
                report.retried += 1
        else:
            # 400 means we sent something Telegram will never accept: a bug to fix, not retry.
            log.error("outbox: kind %s refused: %s", message.kind, error)
            await outbox.mark_failed(message.id, error)
            report.failed += 1


async def _send(bot: telegram.Bot, chat: int, rendered: Rendered) -> Sent:
    """Sends; returns what Telegram answered (the message, or a copy's id)."""
    if isinstance(rendered, MessageCopy):
        # parse_mode=None: the copy keeps its own entities (the bot's HTML default must not be
        # sent along; Telegram would only apply it to a new caption, and there is none).
        copied = await bot.copy_message(
            chat,
            rendered.from_chat_id,
            rendered.message_id,
            parse_mode=None,
            **_outbox_scope(bot),
        )
        return copied
    # Renderers return HTML (translators escape values); say so whatever the bot's defaults are.
    return await bot.send_message(
        chat, rendered[0], parse_mode=ParseMode.HTML, reply_markup=rendered[1], **_outbox_scope(bot)
    )


def _outbox_scope(bot: telegram.Bot) -> dict[str, Any]:
    """Tells our rate limiter this send has its own retry policy (a bare Bot, as in the
    benchmarks, or PTB's own limiter would not understand the argument)."""
    if isinstance(getattr(bot, "rate_limiter", None), ChatRateLimiter):
        return {"rate_limit_args": OUTBOX}
    return {}


def _retry_after(exc: RetryAfter) -> timedelta:
    """The flood wait; a timedelta since bot/__init__ opts into PTB_TIMEDELTA (an int before)."""
    value = exc.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def _error(exc: Exception) -> str:
    """Exception class and Telegram's description only: never message text or ids."""
    if isinstance(exc, RetryAfter):
        return f"RetryAfter: {_retry_after(exc).total_seconds():g}s"
    name = type(exc).__name__
    if isinstance(exc, TelegramError):
        # Some descriptions already start with the class name ("Forbidden: bot was blocked…").
        return exc.message if exc.message.startswith(f"{name}:") else f"{name}: {exc.message}"
    return name


def install_dispatcher(
    application: Application, dispatcher: OutboxDispatcher, interval_seconds: float = 5.0
) -> None:
    """Runs the dispatcher every ``interval_seconds`` and keeps it in ``bot_data``.

    ``misfire_grace_time=None``: a late heartbeat still runs (PTB's default drops it after
    1 s); ``coalesce`` and one instance: missed beats collapse into one pass.
    """

    async def send_due(context: ContextTypes.DEFAULT_TYPE) -> None:
        await dispatcher.run_once(context.bot)

    application.bot_data["outbox_dispatcher"] = dispatcher
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the outbox needs PTB's JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        send_due,
        interval=interval_seconds,
        first=1,
        name="outbox",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def recover(application: Application) -> None:
    """Start-up step (bot.app.setup): rows a crash left in flight become pending again."""
    services: Services = application.bot_data["services"]
    recovered = await services.outbox.recover_in_flight()
    if recovered:
        log.warning("outbox: %d message(s) were in flight at the last stop; resending", recovered)
