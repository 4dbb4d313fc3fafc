"""Injected faults: do reminders still arrive once, and do people still get their answers?

Runs the real Application (handlers, outbox dispatcher, planner, rate limiter) against the
in-process Bot API emulation with 10 % of Bot API calls failing at random, as Telegram and the
network do now and then (502, 429 with retry_after 1 s, a request that never gets an answer):

1. reminders: N members of one group, a meeting whose 24-hour reminder is due; the clock moves
   forward in 15 s steps, each followed by the bot's heartbeat (planner, then outbox), until
   every one of those reminders is settled (sent, skipped or failed). Prints reminders
   expected / sent / lost / duplicated, counted as bot messages per member in the emulator,
   and what the outbox recorded for them.
2. interactive: M people send /help at the same moment, the rate limiter at TELEGRAM_MAX_RATE
   (30/s): first without faults (the baseline, measured in the same run), then with 10 %
   faults. Prints p50/p95 latency of both, their ratio, and how many people got the real
   answer, the apology, or nothing.

    .venv/bin/python bench/faults_bench.py [--members 300] [--users 100] [--seed 8]

Not part of the test suite (tests/unit/test_benchmarks_run.py runs it with tiny sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import random
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from made_up_people import made_up_member
from telegram import Update
from telegram.ext import Application

from bot.app import build_application, catch_up, setup, teardown
from bot.clock import ControllableClock
from bot.config import Settings
from bot.domain.groups import GroupFormat, NewGroup
from bot.domain.meetings import NewMeeting
from bot.i18n import LANGUAGES, get_translator
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest
from bot.services.container import Services
from bot.services.meetings import schedule
from bot.ui.menu import error_text

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
MEETING = T0 + timedelta(hours=25)
FAULT_RATE = 0.10
STEP = timedelta(seconds=15)
MAX_STEPS = 400  # 100 minutes of clock: the outbox's backoff gives up well before
FIRST_MEMBER, FIRST_IDLE_USER, FIRST_FAULTY_USER = 100_000_000, 200_000_000, 300_000_000
HELP_MARK = "/safetyplan"  # in every /help answer, not in the apology
APOLOGIES = {error_text(get_translator(lang)) for lang in LANGUAGES}
DUE_REMINDERS = "dedupe_key LIKE 'reminder:%:1440:%'"  # the 24-hour reminders


@dataclass
class Bot:
    app: Application
    emulator: BotApiEmulator
    clock: ControllableClock
    db_path: Path

    @property
    def services(self) -> Services:
        return self.app.bot_data["services"]

    def rows(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.db_path) as db:
            return db.execute(sql).fetchall()


@asynccontextmanager
async def running_bot(max_rate: float) -> AsyncIterator[Bot]:
    """The real Application on a temporary database, talking to the emulator."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = ControllableClock(T0)
        emulator = BotApiEmulator(clock=clock, queue_updates=False)
        db_path = Path(tmp) / "bench.sqlite3"
        settings = Settings(token=emulator.token, database_path=db_path, max_rate=max_rate)
        app = build_application(
            settings, request=EmulatorRequest(emulator), clock=clock, rng=random.Random(1)
        )
        await app.initialize()
        await setup(app)
        await app.start()
        try:
            yield Bot(app, emulator, clock, db_path)
        finally:
            emulator.faults.clear()
            await app.stop()
            await app.shutdown()
            await teardown(app)


# ---------------------------------------------------------------------- 1. reminders


@dataclass
class ReminderResult:
    expected: int
    received: list[int]  # bot messages per member
    outcomes: list[tuple[str, str | None, int]]  # (status, last error, rows) in the outbox
    steps: int
    seconds: float

    @property
    def sent(self) -> int:
        return sum(1 for count in self.received if count)

    @property
    def lost(self) -> int:
        return self.expected - self.sent

    @property
    def duplicated(self) -> int:
        return sum(count - 1 for count in self.received if count > 1)


async def reminders(members: int, seed: int, max_rate: float) -> ReminderResult:
    async with running_bot(max_rate) as bot:
        chats = await a_group_with_a_meeting(bot, members)
        bot.emulator.faults.fail_randomly(FAULT_RATE, seed=seed)
        bot.clock.advance(MEETING - timedelta(hours=24) - bot.clock.now())
        started, steps = time.perf_counter(), 0
        while unsettled(bot) and steps < MAX_STEPS:
            before = bot.emulator.version()
            await catch_up(bot.app)
            if bot.emulator.version() == before:
                # Nothing went out: rows wait for their backoff on the clock, or for a flood
                # hold in the limiter, which runs on real time.
                await asyncio.sleep(0.05)
            bot.clock.advance(STEP)
            steps += 1
        seconds = time.perf_counter() - started
        bot.emulator.faults.clear()
        outcomes = bot.rows(
            f"SELECT status, last_error, count(*) FROM outbox WHERE {DUE_REMINDERS}"
            " GROUP BY status, last_error ORDER BY count(*) DESC"
        )
        received = [len(bot.emulator.bot_messages(chat)) for chat in chats]
    return ReminderResult(members, received, outcomes, steps, seconds)


async def a_group_with_a_meeting(bot: Bot, members: int) -> list[int]:
    """One group, ``members`` members, one meeting at MEETING; returns their Telegram ids."""
    services = bot.services
    group = await services.groups.create(
        NewGroup(
            name="Lingkar Bench",
            description="A benchmark group.",
            format=GroupFormat.IN_PERSON,
            province=None,
            city="Jakarta",
            languages=("id", "en"),
            timezone="Asia/Jakarta",
            max_members=members,
            offers_trials=False,
            trial_seats=0,
            topics=(),
        ),
        T0,
    )
    chats = []
    for i in range(members):
        telegram_id = FIRST_MEMBER + i
        bot.emulator.add_user(telegram_id, f"Member {i}", language_code="en")
        member = await services.members.create(made_up_member(telegram_id, i, T0))
        await services.groups.add_member(group.id, member.id, T0)
        chats.append(telegram_id)
    meeting = NewMeeting(group.id, MEETING, 90, "once", "Balai warga", None, members)
    s = services
    await schedule(s.meetings, s.groups, s.outbox, s.clock, meeting, None)  # plans reminders
    return chats


def unsettled(bot: Bot) -> int:
    return bot.rows(
        f"SELECT count(*) FROM outbox WHERE {DUE_REMINDERS} AND status IN ('pending', 'sending')"
    )[0][0]


# ---------------------------------------------------------------------- 2. interactive


@dataclass
class InteractiveRun:
    latencies: list[float] = field(default_factory=list)
    answered: int = 0
    apology: int = 0
    nothing: int = 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def interactive(users: int, seed: int, max_rate: float) -> tuple[InteractiveRun, ...]:
    async with running_bot(max_rate) as bot:
        idle = await everyone_asks_for_help(bot, FIRST_IDLE_USER, users)
        await asyncio.sleep(1.5)  # a quiet moment: the limiter's overall burst refills
        bot.emulator.faults.fail_randomly(FAULT_RATE, seed=seed)
        faulty = await everyone_asks_for_help(bot, FIRST_FAULTY_USER, users)
    return idle, faulty


async def everyone_asks_for_help(bot: Bot, first_user: int, users: int) -> InteractiveRun:
    loop = asyncio.get_running_loop()
    people = range(first_user, first_user + users)
    for user_id in people:
        bot.emulator.add_user(user_id, "Tamu", language_code="en")
    updates = [bot.emulator.user_sends_text(user_id, "/help") for user_id in people]

    async def timed(update: dict) -> float:
        started = loop.time()
        await bot.app.process_update(Update.de_json(update, bot.app.bot))
        return loop.time() - started

    run = InteractiveRun(latencies=list(await asyncio.gather(*map(timed, updates))))
    for user_id in people:
        texts = [entry.text or "" for entry in bot.emulator.bot_messages(user_id)]
        if any(HELP_MARK in text for text in texts):
            run.answered += 1
        elif any(text in APOLOGIES for text in texts):
            run.apology += 1
        else:
            run.nothing += 1
    return run


# ---------------------------------------------------------------------- report


async def main(members: int, users: int, seed: int, max_rate: float) -> None:
    limiter = f"limiter {max_rate:g}/s" if max_rate else "no limiter"
    sent = await reminders(members, seed, max_rate)
    print(f"reminders: {members} members, {FAULT_RATE:.0%} faults (seed {seed}), {limiter}")
    print(
        f"  expected {sent.expected}  sent {sent.sent}  lost {sent.lost}"
        f"  duplicated {sent.duplicated}"
        f"  ({sent.steps} steps of {STEP.seconds} s, {sent.seconds:.1f} s)"
    )
    for status, error, count in sent.outcomes:
        print(f"  outbox: {count:5d} {status}" + (f" (last: {error})" if error else ""))
    idle, faulty = await interactive(users, seed, max_rate)
    print(f"interactive: {users} people send /help at once, {limiter}")
    for name, run in (("idle", idle), (f"{FAULT_RATE:.0%} faults", faulty)):
        print(
            f"  {name:11s} p50 {run.percentile(0.5):6.3f} s  p95 {run.percentile(0.95):6.3f} s"
            f"  answered {run.answered}  apology {run.apology}  nothing {run.nothing}"
        )
    print(
        f"ratio faults / idle:  p50 {faulty.percentile(0.5) / idle.percentile(0.5):5.2f}"
        f"  p95 {faulty.percentile(0.95) / idle.percentile(0.95):5.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--max-rate", type=float, default=30.0, help="0: no rate limiter")
    options = parser.parse_args()
    # Only what goes wrong: the bot's errors (each one an apology someone received).
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.ERROR)
    asyncio.run(main(options.members, options.users, options.seed, options.max_rate))
