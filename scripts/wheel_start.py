"""One real start of an installed ``rangkul``, for scripts/check_wheel.sh.

    python scripts/wheel_start.py /path/to/venv/bin/rangkul

Runs in the test virtualenv, which has aiohttp for the Bot API emulation's HTTP front; the bot
under test is the given executable, started from the current directory (a temporary one, so
nothing of the checkout is on its path) with the environment's DATABASE_PATH. Two people, one
with an Indonesian and one with an English Telegram, send /start; each must get the first
onboarding question in their own language, which needs the wheel's catalogs, data files and
migrations. Exits non-zero with the bot's log when anything is missing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from aiohttp import web

from bot.i18n import get_translator
from bot.sandbox.bot_api_http import add_bot_api_routes, start_server
from bot.sandbox.emulator import BotApiEmulator
from bot.ui.onboarding import language_view

PEOPLE = {5101: "id", 5102: "en"}  # Telegram user id -> the language their Telegram reports
TIMEOUT_SECONDS = 30


async def main(rangkul: str) -> int:
    emulator = BotApiEmulator()
    app = web.Application()
    add_bot_api_routes(app, emulator)
    runner, url = await start_server(app)
    outside = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PYTHON"))}
    env = outside | {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_BASE_URL": f"{url}/bot",
        "TELEGRAM_BASE_FILE_URL": f"{url}/file/bot",
    }
    bot = await asyncio.create_subprocess_exec(
        rangkul, "run", env=env, stderr=asyncio.subprocess.PIPE
    )
    log = asyncio.create_task(bot.stderr.read())  # read as it comes, so the pipe never fills
    try:
        for user_id, language in PEOPLE.items():
            emulator.add_user(user_id, f"Wheel check ({language})", language_code=language)
            emulator.user_sends_text(user_id, "/start")
        for user_id, language in PEOPLE.items():
            expected, _buttons = language_view(get_translator(language))
            await _answered(emulator, bot, user_id, expected)
            print(f"wheel check: /start answered in {language!r}: {expected}")
        bot.send_signal(signal.SIGTERM)
        if await asyncio.wait_for(bot.wait(), TIMEOUT_SECONDS) != 0:
            raise RuntimeError(f"rangkul run exited with {bot.returncode} after SIGTERM")
        if emulator.rejected:
            raise RuntimeError(f"Bot API calls Telegram would refuse: {emulator.rejected}")
    except (RuntimeError, TimeoutError) as problem:
        failure = str(problem) or type(problem).__name__
    else:
        failure = None
    finally:
        if bot.returncode is None:
            bot.kill()
        await bot.wait()
        await runner.cleanup()
    if failure is not None:
        print(f"wheel check failed: {failure}\n--- rangkul run log ---\n{(await log).decode()}")
        return 1
    return 0


async def _answered(
    emulator: BotApiEmulator, bot: asyncio.subprocess.Process, user_id: int, expected: str
) -> None:
    """Waits for the bot's newest message to ``user_id`` to be ``expected``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT_SECONDS
    while True:
        version = emulator.version()
        messages = emulator.bot_messages(user_id)
        if messages and messages[-1].text == expected:
            return
        if bot.returncode is not None:
            raise RuntimeError(f"rangkul run exited with {bot.returncode}")
        remaining = deadline - loop.time()
        if remaining <= 0:
            said = messages[-1].text if messages else None
            raise RuntimeError(f"expected {expected!r} for user {user_id}, got {said!r}")
        await emulator.wait_for_change(version, timeout=min(remaining, 1.0))


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
