"""Journey-test harness: the real Application talking to the Bot API emulation.

Scripted people send text and press buttons through the emulator, which builds the updates
Telegram would send; the test reads back what the bot sent, as Telegram would deliver it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, catch_up, setup, teardown
from bot.clock import ControllableClock
from bot.config import Settings
from bot.rate_limiter import ChatRateLimiter
from bot.sandbox.emulator import BotApiEmulator, ChatEntry
from bot.sandbox.request import EmulatorRequest
from bot.telegram_glue.roles import ROLE_MENUS_JOB
from tests.virtual_time import VirtualTime

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 09:00 WIB


@dataclass
class BotWorld:
    """One emulated Telegram, one database file, one clock; the bot can be restarted."""

    db_path: Path
    clock: ControllableClock = field(default_factory=lambda: ControllableClock(START))
    emulator: BotApiEmulator = field(init=False)
    app: Application | None = None
    errors: list[BaseException] = field(default_factory=list)
    notice_version: int = 1
    admin_ids: frozenset[int] = frozenset()
    # 0: no rate limiter (most journeys); above 0 the bot's own limiter at that overall rate,
    # on ``limiter_time`` when given so a test moves its holds and pacing without waiting.
    max_rate: float = 0
    limiter_time: VirtualTime | None = None
    privacy_contact: str | None = None
    # KEEP_MOODS_DAYS and KEEP_CHECKIN_ANSWERS_DAYS (None: kept until the person deletes them).
    keep_moods: timedelta | None = None
    keep_checkin_answers: timedelta | None = None

    def __post_init__(self) -> None:
        self.emulator = BotApiEmulator(clock=self.clock, queue_updates=False)

    @property
    def settings(self) -> Settings:
        return Settings(
            token=self.emulator.token,
            database_path=self.db_path,
            admin_ids=self.admin_ids,
            max_rate=self.max_rate,
            privacy_contact=self.privacy_contact,
            keep_moods=self.keep_moods,
            keep_checkin_answers=self.keep_checkin_answers,
        )

    async def start(self) -> None:
        app = build_application(
            self.settings,
            request=EmulatorRequest(self.emulator),
            clock=self.clock,
            rng=random.Random(2026),
            notice_version=self.notice_version,
            rate_limiter=self._rate_limiter(),
        )

        async def record_error(update: object, context: object) -> None:
            self.errors.append(context.error)  # type: ignore[attr-defined]

        app.add_error_handler(record_error)
        await app.initialize()
        await setup(app)
        await app.start()
        self.app = app

    def _rate_limiter(self) -> ChatRateLimiter | None:
        time = self.limiter_time
        if time is None or self.max_rate <= 0:
            return None  # build_application decides from settings.max_rate
        return ChatRateLimiter(self.max_rate, monotonic=time.monotonic, sleep=time.sleep)

    async def stop(self) -> None:
        """A clean stop, as on SIGTERM: persistence written, database closed."""
        if self.app is None:
            return
        app, self.app = self.app, None
        await app.stop()
        await app.shutdown()
        await teardown(app)

    async def crash(self) -> None:
        """The process dies: no final persistence write, no clean shutdown of the bot."""
        assert self.app is not None, "the bot is not running"
        app, self.app = self.app, None
        await app.job_queue.stop(wait=False)
        await teardown(app)  # only so this test process can reopen the file

    async def crash_after_reply(self, update: dict) -> None:
        """The process dies right after Telegram applied the bot's reply to ``update`` and
        before anything PTB keeps in memory (conversation state, user_data) was saved."""
        assert self.app is not None, "the bot is not running"

        async def no_write() -> None:
            return None

        self.app.update_persistence = no_write  # type: ignore[method-assign]
        await self.deliver(update)
        await self.crash()

    async def restart(self, **changes: object) -> None:
        await self.stop()
        for name, value in changes.items():
            setattr(self, name, value)
        await self.start()

    async def deliver(self, update: dict) -> None:
        assert self.app is not None, "the bot is not running"
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def everything_sent(self, update: dict) -> list[ChatEntry]:
        """Delivers an update; returns the bot messages it caused, in every chat."""
        emulator = self.emulator
        before = {chat: len(emulator.bot_messages(chat)) for chat in emulator.chat_ids()}
        await self.deliver(update)
        return [
            entry
            for chat in emulator.chat_ids()
            for entry in emulator.bot_messages(chat)[before.get(chat, 0) :]
        ]

    async def tick(self) -> None:
        """One heartbeat of the bot's jobs at the current clock time (after clock.advance)."""
        assert self.app is not None, "the bot is not running"
        await catch_up(self.app)

    async def set_role_menus(self) -> None:
        """Runs the start-up job that sets role holders' own command menus until it is done
        (running, it takes a batch a second after start)."""
        assert self.app is not None and self.app.job_queue is not None, "the bot is not running"
        for job in self.app.job_queue.get_jobs_by_name(ROLE_MENUS_JOB):
            while not job.removed:
                await job.run(self.app)

    def person(self, user_id: int, name: str = "Tester", language_code: str = "id") -> Person:
        self.emulator.add_user(user_id, name, language_code=language_code)
        return Person(self, user_id)


@dataclass
class Person:
    """A scripted Telegram user in a private chat with the bot."""

    world: BotWorld
    user_id: int

    async def send(self, text: str) -> list[ChatEntry]:
        """Sends text (or a /command) and returns the bot messages that arrived because of it."""
        before = len(self.world.emulator.bot_messages(self.user_id))
        await self.world.deliver(self.world.emulator.user_sends_text(self.user_id, text))
        return self.world.emulator.bot_messages(self.user_id)[before:]

    async def send_sticker(self) -> list[ChatEntry]:
        """Sends a sticker (built from a text message: the emulator's page only shows text)."""
        before = len(self.world.emulator.bot_messages(self.user_id))
        update = self.world.emulator.user_sends_text(self.user_id, "🌸")
        message = update["message"]
        message.pop("text")
        message.pop("entities", None)
        message["sticker"] = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "🌸",
        }
        await self.world.deliver(update)
        return self.world.emulator.bot_messages(self.user_id)[before:]

    async def press_then_crash(self, label: str) -> None:
        """Presses a button; the bot replies, then dies before saving its state."""
        message_id, data = self.button(label)
        emulator = self.world.emulator
        await self.world.crash_after_reply(
            emulator.user_presses_button(self.user_id, message_id, data)
        )

    async def send_then_crash(self, text: str) -> None:
        """Sends text; the bot replies, then dies before saving its state."""
        await self.world.crash_after_reply(self.world.emulator.user_sends_text(self.user_id, text))

    async def edit(self, message_id: int, text: str) -> list[ChatEntry]:
        """Edits a message the person sent earlier; returns what the bot sent because of it."""
        before = len(self.world.emulator.bot_messages(self.user_id))
        await self.world.deliver(
            self.world.emulator.user_edits_text(self.user_id, message_id, text)
        )
        return self.world.emulator.bot_messages(self.user_id)[before:]

    @property
    def last_sent_id(self) -> int:
        """The message id of the newest message the person sent."""
        log = self.world.emulator.chat_log(self.user_id)
        return next(entry.message_id for entry in reversed(log) if not entry.from_bot)

    async def send_in_group(self, chat_id: int, text: str) -> list[ChatEntry]:
        """Writes in a group chat; returns every bot message that arrived anywhere because of it
        (in the group and in private chats), so a test sees a leak wherever it lands."""
        return await self.world.everything_sent(
            self.world.emulator.user_sends_text(self.user_id, text, chat_id=chat_id)
        )

    async def press_in_group(self, chat_id: int, message_id: int, data: str) -> list[ChatEntry]:
        """Presses a button on a message in a group chat (also forged data)."""
        return await self.world.everything_sent(
            self.world.emulator.user_presses_button(self.user_id, message_id, data, chat_id=chat_id)
        )

    async def press(self, label: str) -> list[ChatEntry]:
        """Presses the newest inline button whose text contains ``label``."""
        message_id, data = self.button(label)
        return await self.press_data(message_id, data)

    async def press_data(
        self, message_id: int, data: str, *, inaccessible: bool = False
    ) -> list[ChatEntry]:
        """Presses a button by its raw callback data (also forged data); ``inaccessible``: on a
        message too old for Telegram to send with the press."""
        before = len(self.world.emulator.bot_messages(self.user_id))
        update = self.world.emulator.user_presses_button(
            self.user_id, message_id, data, inaccessible=inaccessible
        )
        await self.world.deliver(update)
        return self.world.emulator.bot_messages(self.user_id)[before:]

    def button(self, label: str) -> tuple[int, str]:
        for entry in reversed(self.world.emulator.bot_messages(self.user_id)):
            for row in (entry.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if label in button["text"] and "callback_data" in button:
                        return entry.message_id, button["callback_data"]
        raise AssertionError(f"no button {label!r}; last message: {self.last.text!r}")

    def buttons(self) -> list[str]:
        """Button labels of the newest bot message."""
        markup = self.last.reply_markup or {}
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]

    @property
    def last(self) -> ChatEntry:
        messages = self.world.emulator.bot_messages(self.user_id)
        assert messages, "the bot has sent nothing"
        return messages[-1]

    @property
    def texts(self) -> list[str]:
        return [m.text or m.caption or "" for m in self.world.emulator.bot_messages(self.user_id)]
