"""The emulator's network faults, through both fronts: dropped connections, held replies (the
call took effect, the answer never came), hangs, and random faults with per-kind shares."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.sandbox.bot_api_http import add_bot_api_routes, start_server
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest

AYU = 1001


@pytest.fixture
def emulator() -> BotApiEmulator:
    emulator = BotApiEmulator()
    emulator.add_user(AYU, "Ayu")
    return emulator


@pytest.fixture
async def in_process(emulator: BotApiEmulator) -> Bot:
    request = EmulatorRequest(emulator, hang_timeout=0.2)
    bot = Bot(emulator.token, request=request, get_updates_request=request)
    await bot.initialize()
    return bot


@pytest.fixture(params=["in_process", "over_http"])
async def bot(emulator: BotApiEmulator, request: pytest.FixtureRequest) -> AsyncIterator[Bot]:
    """The same faults through each front of the emulation."""
    if request.param == "in_process":
        client = EmulatorRequest(emulator, hang_timeout=0.2)
        bot = Bot(emulator.token, request=client, get_updates_request=client)
        await bot.initialize()
        yield bot
        return
    app = web.Application()
    add_bot_api_routes(app, emulator)
    runner, url = await start_server(app)
    # A short read timeout, so a hanging call ends the way a real client ends it.
    bot = Bot(emulator.token, base_url=f"{url}/bot", request=HTTPXRequest(read_timeout=0.5))
    await bot.initialize()
    yield bot
    await bot.shutdown()
    await runner.cleanup()


def texts(emulator: BotApiEmulator) -> list[str | None]:
    return [entry.text for entry in emulator.bot_messages(AYU)]


async def test_a_held_reply_lands_in_the_chat_but_the_bot_hears_a_failure(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.faults.fail_next("held", method="sendMessage")
    # In-process it is PTB's TimedOut; over HTTP the connection closes without an answer.
    with pytest.raises(NetworkError):
        await bot.send_message(AYU, "applied, never acknowledged")
    assert texts(emulator) == ["applied, never acknowledged"]
    await bot.send_message(AYU, "next")
    assert texts(emulator) == ["applied, never acknowledged", "next"]


async def test_a_dropped_connection_fails_before_the_call_takes_effect(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.faults.fail_next("drop", method="sendMessage")
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(AYU, "lost on the way")
    assert not isinstance(caught.value, TimedOut)  # the server hung up; nobody waited
    assert texts(emulator) == []
    assert emulator.rejected == []


async def test_a_hang_lasts_until_the_client_gives_up(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.faults.fail_next("hang", method="sendMessage")
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(TimedOut):
        await bot.send_message(AYU, "never answered")
    assert loop.time() - started >= 0.2  # the client's timeout, not an instant failure
    assert texts(emulator) == []
    await bot.send_message(AYU, "answered")
    assert texts(emulator) == ["answered"]


async def test_random_faults_follow_each_kinds_share_and_draw_retry_after(
    emulator: BotApiEmulator, in_process: Bot
) -> None:
    emulator.faults.fail_randomly(0.5, kinds={"5xx": 3, "429": 1}, seed=11, retry_after=(2, 9))
    waits = set()
    for _ in range(400):
        try:
            await in_process.send_message(AYU, "x")
        except RetryAfter as flood:
            waits.add(int(flood.retry_after.total_seconds()))
        except NetworkError:
            pass
    counts = emulator.faults.served_counts()
    assert 150 <= counts["5xx"] + counts["429"] <= 250  # about half of 400
    assert 2 <= counts["5xx"] / counts["429"] <= 4.5  # about 3 to 1
    assert len(waits) > 3 and min(waits) >= 2 and max(waits) <= 9


async def test_the_same_seed_serves_the_same_faults(emulator: BotApiEmulator) -> None:
    def draw() -> list[str]:
        faults = BotApiEmulator().faults
        faults.fail_randomly(0.3, kinds=("5xx", "drop", "held", "hang"), seed=5)
        for _ in range(100):
            # Every kind raises its own exception; only the sequence matters here.
            with contextlib.suppress(Exception):
                faults.check("sendMessage", AYU)
        return [fault.kind for fault in faults.served]

    assert draw() == draw() and len(set(draw())) == 4


async def test_calls_are_counted_per_second(emulator: BotApiEmulator, in_process: Bot) -> None:
    for _ in range(5):
        await in_process.send_message(AYU, "x")
    assert sum(emulator.faults.calls_per_second.values()) >= 5


def test_a_random_fault_needs_a_kind_with_a_share(emulator: BotApiEmulator) -> None:
    with pytest.raises(ValueError, match="positive weight"):
        emulator.faults.fail_randomly(0.1, kinds={"5xx": 0})
    with pytest.raises(ValueError, match="unknown fault kind"):
        emulator.faults.fail_randomly(0.1, kinds=("5xx", "teapot"))
