"""What the browser tests share: the personas and the web chat as a person uses it (ChatPage).
Test modules import them from here, never from one another.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from bot.sandbox.demo import PERSONAS, Persona
from bot.sandbox.server import Sandbox
from tests.virtual_time import VirtualTime

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

expect = pytest.importorskip("playwright.async_api", reason="Playwright is not installed").expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The emulated Telegram lets a bot send about one message per second into a private chat.
SECONDS_BETWEEN_ACTIONS = 1.05
ACTION_TIMEOUT_MS = 8000


def persona(role: str, language: str) -> Persona:
    return next(p for p in PERSONAS if p.role == role and p.language == language)


VISITOR_ID = persona("visitor", "id")
VISITOR_EN = persona("visitor", "en")
COORDINATOR = persona("coordinator", "id")
MEMBER_EN = persona("member", "en")
MEMBER_ID = next(p for p in PERSONAS if p.role == "member" and p.province is None)
FACILITATOR_EN = persona("facilitator", "en")
FACILITATOR_ID = persona("facilitator", "id")
MEMBER_MAKASSAR = next(p for p in PERSONAS if p.role == "member" and p.province == "sulsel")


@dataclass
class ChatPage:
    """The web chat as a person uses it, plus Bot API calls for what the bot does not send yet."""

    page: Page
    sandbox: Sandbox
    http: aiohttp.ClientSession
    limits_time: VirtualTime
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    expected_rejections: int = 0
    current: Persona | None = None

    async def be(self, who: Persona) -> None:
        await self.page.locator(f'.persona[data-user-id="{who.user_id}"]').click()
        await expect(self.page.locator("#chat-title")).to_have_text(who.first_name)
        self.current = who

    async def send(self, text: str) -> None:
        await self._pace()
        box = self.page.get_by_label("Message to the bot")
        await box.fill(text)
        await box.press("Enter")
        await expect(self.page.locator("#messages .from-me").last).to_contain_text(text)

    async def press(self, label: str, *, exact: bool = False) -> None:
        """Presses the newest inline button whose label contains `label` (labels carry emoji),
        or is `label` with ``exact`` (a rating "4", not "14")."""
        await self._pace()
        buttons = self.page.locator("#messages .inline-keyboard")
        before = self.sandbox.emulator.version()
        await buttons.get_by_role("button", name=label, exact=exact).last.click()
        # The click is in once the emulated Telegram has it (the page posts it on its own time).
        await self.sandbox.emulator.wait_for_change(before, ACTION_TIMEOUT_MS / 1000)

    @property
    def last_bot(self) -> Locator:
        """The bot's newest message in the chat on screen."""
        return self.page.locator("#messages .from-bot").last

    async def expect_bot(self, *texts: str) -> None:
        for text in texts:
            await expect(self.last_bot).to_contain_text(text)

    async def expect_bot_photo(self, *caption: str) -> None:
        """The bot's newest message is a photo the page has loaded (scrolled into view, since
        the chat loads images lazily), with ``caption`` in its text."""
        await self.expect_bot(*caption)
        image = self.last_bot.locator("img")
        await image.scroll_into_view_if_needed()
        await self.page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=await image.element_handle()
        )

    async def fast_forward(self, step: str) -> None:
        """Presses "+1 hour" ("hour"), "+1 day" or "+1 week"; the sandbox sends what became
        due before it answers, and the page shows the new time once it has."""
        await self._pace()  # what became due lands in the current chat like a reply would
        clock = self.page.locator("#clock")
        shown = await clock.text_content()
        label = f"Fast-forward the sandbox clock by one {step}"
        await self.page.get_by_role("button", name=label).click()
        await expect(clock).not_to_have_text(shown or "")

    async def let_a_second_pass(self) -> None:
        """A second passes for Telegram's limits, as while a person reads. Their time moves only
        with a person's actions, so a test waiting for what the bot sends on its own into a
        chat it has just written to (a report after a progress edit) lets it pass."""
        await self.limits_time.advance(SECONDS_BETWEEN_ACTIONS)

    async def screenshot(self, name: str) -> None:
        if os.environ.get("RANGKUL_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await self.page.screenshot(path=SCREENSHOTS / f"{name}.png")

    async def bot_api(self, method: str, data: Any = None, **params: Any) -> tuple[int, dict]:
        """Calls the emulated Bot API over HTTP as the bot would, into the current chat."""
        assert self.current is not None
        await self._pace()
        url = f"{self.sandbox.url}bot{self.sandbox.emulator.token}/{method}"
        body = {"chat_id": self.current.user_id} | params
        async with self.http.post(url, json=None if data else body, data=data) as response:
            return response.status, await response.json()

    async def _pace(self) -> None:
        """Before each action, as a person would: the bot has answered the last one and the
        page shows the answer; and a second passes for Telegram's limits (on their virtual
        time, so no test waits for it)."""
        application, emulator = self.sandbox.application, self.sandbox.emulator
        assert application is not None
        quiet_checks = 0
        # Twice in a row: an update just taken off the queue is not counted as running until
        # its task has started.
        while quiet_checks < 2:
            await asyncio.sleep(0.005)
            busy = (
                emulator.pending_updates()
                or application.update_queue.qsize()
                or application.update_processor.current_concurrent_updates
            )
            quiet_checks = 0 if busy else quiet_checks + 1
        await self.page.wait_for_function("v => state.version >= v", arg=emulator.version())
        await self.limits_time.advance(SECONDS_BETWEEN_ACTIONS)
