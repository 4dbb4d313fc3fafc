"""Start-up retries through a real Bot against the Bot API emulation, on virtual time: passing
failures are retried within one budget for the whole start-up; refusals never are."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram import Bot, BotCommand
from telegram.error import BadRequest, InvalidToken

from bot.clock import ControllableClock
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest
from bot.startup_retry import FIRST_DELAY, MAX_DELAY, StartupRetry, TelegramUnavailable
from tests.virtual_time import VirtualTime

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def emulator() -> BotApiEmulator:
    return BotApiEmulator(clock=ControllableClock(START), queue_updates=False)


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    request = EmulatorRequest(emulator)
    bot = Bot(emulator.token, request=request, get_updates_request=request)
    yield bot
    await bot.shutdown()


def retry(time: VirtualTime, budget: float = 60) -> StartupRetry:
    return StartupRetry(budget, monotonic=time.monotonic, sleep=time.sleep)


@pytest.mark.parametrize("kind", ["5xx", "timeout"])
async def test_a_passing_failure_is_retried_with_a_growing_backoff(emulator, bot, kind) -> None:
    time = VirtualTime(auto=True)
    emulator.faults.fail_next(kind, method="getMe", times=3)
    await retry(time).call("getMe", bot.initialize)
    assert bot.bot.username == "RangkulBot"
    assert time.sleeps == [FIRST_DELAY, 2 * FIRST_DELAY, 4 * FIRST_DELAY]


async def test_a_flood_wait_waits_its_retry_after(emulator, bot) -> None:
    time = VirtualTime(auto=True)
    emulator.faults.fail_next("429", method="setMyCommands", retry_after=7)
    commands = [BotCommand("help", "help")]
    assert await retry(time).call("setMyCommands", lambda: bot.set_my_commands(commands))
    assert time.sleeps == [7]


async def test_the_budget_covers_all_steps_then_one_clear_error(emulator, bot) -> None:
    time = VirtualTime(auto=True)
    startup = retry(time, budget=20)
    emulator.faults.fail_next("5xx", method="getMe", times=4)
    await startup.call("getMe", bot.initialize)  # 0.5 + 1 + 2 + 4 = 7.5 s of the 20
    emulator.faults.fail_next("5xx", method="deleteWebhook", times=1000)
    with pytest.raises(TelegramUnavailable) as caught:
        await startup.call("deleteWebhook", bot.delete_webhook)
    assert str(caught.value) == "deleteWebhook: NetworkError; gave up after 20 s"
    # 7.5 s, then 0.5 + 1 + 2 + 4 = 15 s, then the last try at 20 s instead of 23 s.
    assert time.sleeps[-1] == 5 and time.now == 20
    assert max(time.sleeps) <= MAX_DELAY


async def test_no_budget_means_no_retry(emulator, bot) -> None:
    time = VirtualTime(auto=True)
    emulator.faults.fail_next("timeout", method="getMe")
    with pytest.raises(TelegramUnavailable, match="getMe: TimedOut"):
        await retry(time, budget=0).call("getMe", bot.initialize)
    assert time.sleeps == []


async def test_a_refused_token_or_request_is_never_retried(emulator) -> None:
    time = VirtualTime(auto=True)
    wrong = Bot("999:WRONG", request=EmulatorRequest(emulator))
    with pytest.raises(InvalidToken):
        await retry(time).call("getMe", wrong.initialize)
    right = Bot(emulator.token, request=EmulatorRequest(emulator))
    with pytest.raises(BadRequest):
        await retry(time).call("sendMessage", lambda: right.send_message(1, "no such chat"))
    assert time.sleeps == []
