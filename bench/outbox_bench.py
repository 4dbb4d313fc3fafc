"""Outbox throughput: how close the dispatcher gets to a bare send loop.

Enqueues 5,000 rows (1,000 members x 5), dispatches them against the in-process Bot API
emulation with flood limits and pacing off, then sends the same 5,000 messages with a bare
``bot.send_message`` loop over the same emulator. The ratio is the outbox's overhead (claiming,
per-row bookkeeping in SQLite, member lookup, rendering); Telegram's ~30 messages/s limit is far
below either number, so what matters is that the ratio leaves plenty of headroom.

    .venv/bin/python bench/outbox_bench.py [--rows 5000]

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import telegram
from made_up_people import made_up_member

from bot.clock import ControllableClock
from bot.config import Settings
from bot.domain.member import Member
from bot.domain.messages import PlannedMessage
from bot.i18n import Translator
from bot.jobs.dispatcher import OutboxDispatcher
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest
from bot.services.container import Services
from bot.storage.database import Database

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PER_MEMBER = 5
FIRST_TELEGRAM_ID = 100_000_000


async def broadcast(services: Services, t: Translator, member: Member, payload: Mapping[str, Any]):
    return text_of(payload["n"]), None


def text_of(n: int) -> str:
    return f"Broadcast {n}"


async def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = ControllableClock(T0)
        emulator = BotApiEmulator(clock=clock, queue_updates=False)
        request = EmulatorRequest(emulator)
        bot = telegram.Bot(emulator.token, request=request, get_updates_request=request)
        db = Database(Path(tmp) / "bench.sqlite3")
        services = Services(
            settings=Settings(token=emulator.token, database_path=db.path, max_rate=0),
            clock=clock,
            db=db,
            contacts=(),
            rng=random.Random(1),
        )
        await bot.initialize()
        try:
            recipients = await make_members(services, emulator, rows // PER_MEMBER)
            started = time.perf_counter()
            messages = [
                PlannedMessage(
                    member_id=recipients[n % len(recipients)][0],
                    kind="broadcast",
                    payload={"n": n},
                    not_before=T0,
                    dedupe_key=f"broadcast:1:{n}",
                )
                for n in range(rows)
            ]
            async with db.transaction() as tx:
                await services.outbox.enqueue(messages, now=T0, tx=tx)
            enqueue_rate = rows / (time.perf_counter() - started)

            dispatcher = OutboxDispatcher(services, {"broadcast": broadcast}, pace_per_second=0)
            started = time.perf_counter()
            report = await dispatcher.run_once(bot)
            outbox_rate = report.sent / (time.perf_counter() - started)
            assert report.sent == rows, report

            started = time.perf_counter()
            for n in range(rows):
                await bot.send_message(recipients[n % len(recipients)][1], text_of(n))
            bare_rate = rows / (time.perf_counter() - started)
        finally:
            await bot.shutdown()
            await db.close()
    print(f"enqueue (one transaction): {enqueue_rate:9.0f} rows/s")
    print(f"outbox dispatcher:         {outbox_rate:9.0f} messages/s")
    print(f"bare send_message loop:    {bare_rate:9.0f} messages/s")
    print(f"ratio dispatcher / bare:   {outbox_rate / bare_rate:9.2f}")


async def make_members(
    services: Services, emulator: BotApiEmulator, count: int
) -> list[tuple[int, int]]:
    """(member id, Telegram id) of ``count`` registered members with a private chat."""
    made = []
    for i in range(count):
        telegram_id = FIRST_TELEGRAM_ID + i
        emulator.add_user(telegram_id, f"Member {i}")
        member = await services.members.create(made_up_member(telegram_id, i, T0))
        made.append((member.id, telegram_id))
    return made


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    asyncio.run(main(parser.parse_args().rows))
