"""Fixtures for the browser tests: the real sandbox on a free port, headless Chromium and the
web chat page on it.

Everything runs on one module-wide event loop: the sandbox (emulator, bot, web server) and
Playwright's async API share it, so there is no second loop or thread to coordinate.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
import pytest
import pytest_asyncio

from bot.config import Settings
from bot.rate_limiter import ChatRateLimiter
from bot.sandbox.server import Sandbox, SandboxOptions
from tests.browser.helpers import ACTION_TIMEOUT_MS, ChatPage
from tests.virtual_time import VirtualTime

if TYPE_CHECKING:
    from playwright.async_api import Browser

playwright_api = pytest.importorskip(
    "playwright.async_api", reason="Playwright is not installed (pip install playwright)"
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium package, or whatever chromium is on PATH."""
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def limits_time() -> VirtualTime:
    """The time Telegram's limits run on in these tests, on both sides: the emulation's flood
    control and the bot's own rate limiter, whose waits move it at once. Each action of a person
    moves it by a second (ChatPage), so no test waits for the limits in real time."""
    return VirtualTime(auto=True)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sandbox(
    tmp_path_factory: pytest.TempPathFactory, limits_time: VirtualTime
) -> AsyncIterator[Sandbox]:
    database = tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3"
    options = SandboxOptions(port=0, database=database)
    limiter = ChatRateLimiter(
        Settings(token=None).max_rate, monotonic=limits_time.monotonic, sleep=limits_time.sleep
    )
    running = Sandbox(options, flood_clock=limits_time.monotonic, rate_limiter=limiter)
    await running.start()
    yield running
    await running.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.skip(
            "no Chromium binary found (Debian: apt-get install chromium); browser test skipped"
        )
    async with playwright_api.async_playwright() as playwright:
        # launch() always starts from a fresh, temporary user-data-dir.
        launched = await playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


@pytest_asyncio.fixture(loop_scope="module")
async def chat(
    browser: Browser, sandbox: Sandbox, limits_time: VirtualTime
) -> AsyncIterator[ChatPage]:
    context = await browser.new_context(viewport={"width": 1100, "height": 720})
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    async with aiohttp.ClientSession() as http:
        chat_page = ChatPage(page, sandbox, http, limits_time)
        page.on("dialog", lambda dialog: chat_page.dialogs.append(dialog.message))
        page.on("pageerror", lambda error: chat_page.page_errors.append(str(error)))
        rejected_before = len(sandbox.emulator.rejected)
        await page.goto(sandbox.url)
        yield chat_page
    await context.close()
    assert chat_page.page_errors == []
    assert chat_page.dialogs == []
    # Telegram accepted every call the bot made, apart from the ones a test provoked on purpose.
    new_rejections = sandbox.emulator.rejected[rejected_before:]
    assert len(new_rejections) == chat_page.expected_rejections, new_rejections
