"""Fixtures for the browser test: the real sandbox on a free port and headless Chromium.

Everything runs on one module-wide event loop: the sandbox (emulator, bot, web server) and
Playwright's async API share it, so there is no second loop or thread to coordinate.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from bot.sandbox.server import Sandbox, SandboxOptions

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


class FloodSeconds:
    """The seconds the sandbox's flood control counts in these tests. A person's actions in one
    chat are about a second apart (the emulation lets a bot send about one message per second
    into a private chat), so each action moves this on by that second instead of waiting it."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


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
def flood_seconds() -> FloodSeconds:
    return FloodSeconds()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sandbox(
    tmp_path_factory: pytest.TempPathFactory, flood_seconds: FloodSeconds
) -> AsyncIterator[Sandbox]:
    database = tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3"
    running = Sandbox(SandboxOptions(port=0, database=database), flood_clock=flood_seconds)
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
