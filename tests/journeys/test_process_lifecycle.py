"""The real `rangkul run` process, polling the Bot API emulation over HTTP like Telegram.

Stopped with SIGTERM in the middle of onboarding, it exits cleanly, and a new process resumes the
person at the same step. A Bot API failing in passing at start-up is retried; one that keeps
failing ends start-up with one clear line.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox.emulator import BotApiEmulator
from tests.journeys.helpers.process import bot_says, served, start_bot, stop

USER = 4242


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[BotApiEmulator, str]]:
    emulator = BotApiEmulator()
    async with served(emulator) as url:
        yield emulator, url


async def test_sigterm_mid_onboarding_then_restart_resumes(
    telegram: tuple[BotApiEmulator, str], tmp_path: Path
) -> None:
    emulator, url = telegram
    database = tmp_path / "rangkul.sqlite3"
    emulator.add_user(USER, "Wulan", language_code="en")

    bot = await start_bot(url, database)
    emulator.user_sends_text(USER, "/start")
    await bot_says(emulator, USER, "Which language")
    emulator.user_presses_button(USER, *emulator.find_button(USER, "English"))
    await bot_says(emulator, USER, "not an emergency service")
    log = await stop(bot)
    assert "Wulan" not in log and str(USER) not in log  # logs never name people

    bot = await start_bot(url, database)
    emulator.user_presses_button(USER, *emulator.find_button(USER, "Continue"))
    await bot_says(emulator, USER, "18 years old or older")
    await stop(bot)
    assert emulator.rejected == []


async def test_a_refused_token_is_one_line_without_the_token(
    telegram: tuple[BotApiEmulator, str], tmp_path: Path
) -> None:
    _, url = telegram
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "999:NOT-THE-SANDBOX-TOKEN",
        "TELEGRAM_BASE_URL": f"{url}/bot",
        "DATABASE_PATH": str(tmp_path / "rangkul.sqlite3"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines() == [
        "rangkul: TELEGRAM_BOT_TOKEN was refused by Telegram (check it with @BotFather)"
    ]


@pytest.mark.parametrize("method", ["getMe", "setMyCommands", "deleteWebhook"])
async def test_a_passing_5xx_at_start_up_is_retried_and_the_bot_starts(
    telegram: tuple[BotApiEmulator, str], tmp_path: Path, method: str
) -> None:
    emulator, url = telegram
    emulator.add_user(USER, "Wulan", language_code="en")
    emulator.faults.fail_next("5xx", method=method)
    bot = await start_bot(url, tmp_path / "rangkul.sqlite3")
    emulator.user_sends_text(USER, "/start")
    await bot_says(emulator, USER, "Which language")
    log = await stop(bot)
    assert [fault.method for fault in emulator.faults.served] == [method]
    assert "Traceback" not in log
    assert emulator.rejected == []


async def test_a_bot_api_that_keeps_failing_at_start_up_is_one_line(
    telegram: tuple[BotApiEmulator, str], tmp_path: Path
) -> None:
    emulator, url = telegram
    emulator.faults.fail_next("5xx", method="setMyCommands", times=10_000)
    loop = asyncio.get_running_loop()
    started = loop.time()
    process = await start_bot(url, tmp_path / "rangkul.sqlite3", TELEGRAM_STARTUP_RETRY_SECONDS="1")
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    lines = stderr.decode().strip().splitlines()
    assert lines[-1] == (
        "rangkul: the Telegram Bot API at 127.0.0.1 kept failing at start-up "
        "(setMyCommands: NetworkError; gave up after 1 s)"
    )
    assert [line for line in lines if line.startswith("rangkul:")] == lines[-1:]
    assert "Traceback" not in stderr.decode()
    assert BotApiEmulator().token not in stderr.decode()
    assert loop.time() - started < 15  # the budget, not a minute


async def test_sigterm_during_start_up_retries_stops_at_once(
    telegram: tuple[BotApiEmulator, str], tmp_path: Path
) -> None:
    emulator, url = telegram
    emulator.faults.fail_next("5xx", method="getMe", times=10_000)
    bot = await start_bot(url, tmp_path / "rangkul.sqlite3")  # the default: retry for 60 s
    deadline = asyncio.get_running_loop().time() + 20
    while not emulator.faults.served:
        assert asyncio.get_running_loop().time() < deadline, "the bot never called getMe"
        await asyncio.sleep(0.05)
    stopping = asyncio.get_running_loop().time()
    log = await stop(bot)  # exit code 0: a stop asked for is no failure
    assert asyncio.get_running_loop().time() - stopping < 5  # not after the 60 s of retries
    assert "Traceback" not in log
