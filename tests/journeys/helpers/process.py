"""The real ``rangkul run`` process against the Bot API emulation served over HTTP: starting it,
waiting for what it says, and stopping it with SIGTERM as Docker and systemd do."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from aiohttp import web

from bot.sandbox.bot_api_http import add_bot_api_routes, start_server
from bot.sandbox.emulator import BotApiEmulator

WAIT_SECONDS = 20
T = TypeVar("T")


@asynccontextmanager
async def served(emulator: BotApiEmulator) -> AsyncIterator[str]:
    """The emulator's Bot API on an ephemeral local port; yields its root URL."""
    app = web.Application()
    add_bot_api_routes(app, emulator)
    runner, url = await start_server(app)
    try:
        yield url
    finally:
        await runner.cleanup()  # also stops the emulator posting to a webhook


async def start_bot(
    url: str, database: Path, *args: str, **extra_env: str
) -> asyncio.subprocess.Process:
    """``python -m bot run *args`` talking to the emulator at ``url``."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": BotApiEmulator().token,
        "TELEGRAM_BASE_URL": f"{url}/bot",
        "TELEGRAM_BASE_FILE_URL": f"{url}/file/bot",
        "DATABASE_PATH": str(database),
        "TELEGRAM_MAX_RATE": "0",
        **extra_env,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args, env=env, stderr=asyncio.subprocess.PIPE
    )


async def eventually(emulator: BotApiEmulator, check: Callable[[], Awaitable[T | None]]) -> T:
    """Waits until ``check`` returns something (checked again on every change the emulator
    sees, and every 0.1 s for what the bot process does without a call); returns it."""
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while True:
        version = emulator.version()
        found = await check()
        if found is not None:
            return found
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"waited {WAIT_SECONDS} s in vain"
        await emulator.wait_for_change(version, timeout=min(remaining, 0.1))


async def bot_says(emulator: BotApiEmulator, user_id: int, needle: str, times: int = 1) -> str:
    """Waits until ``times`` bot messages to ``user_id`` contain ``needle``; returns the last."""

    async def said() -> str | None:
        texts = [m.text or "" for m in emulator.bot_messages(user_id)]
        matching = [text for text in texts if needle in text]
        return matching[-1] if len(matching) >= times and needle in texts[-1] else None

    return await eventually(emulator, said)


async def stop(process: asyncio.subprocess.Process) -> str:
    """SIGTERM; the process must exit 0. Returns what it logged."""
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    return stderr.decode()
