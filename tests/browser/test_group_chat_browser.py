"""The demo group chat in the sandbox's web chat (bot/sandbox/demo_group_chat.py): River, a
trial guest of "Demo Ruang Tenang Online", asks to join its linked Telegram chat and is let in
and welcomed by alias; a new visitor is declined and told privately how to sign up; /crisis in
the chat answers there with a deep link, which opens the private chat with the contacts.
"""

from __future__ import annotations

import pytest

from bot.sandbox.demo_group_chat import DEMO_CHAT_TITLE
from tests.browser.helpers import MEMBER_EN, VISITOR_EN, ChatPage

playwright_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
expect = playwright_api.expect

pytestmark = pytest.mark.asyncio(loop_scope="module")

# A welcome is posted by the outbox's next heartbeat, every 5 seconds of real time.
OUTBOX_MS = 15_000


def panel(chat: ChatPage):
    return chat.page.locator("#group-chats .group-chat", has_text=DEMO_CHAT_TITLE)


async def test_a_trial_guest_is_let_in_and_welcomed_by_alias(chat: ChatPage) -> None:
    await chat.be(MEMBER_EN)
    await panel(chat).get_by_role("button", name="Ask to join").click()
    welcome = panel(chat).locator(".group-line.from-bot", has_text="Demo Member River")
    await expect(welcome).to_be_visible(timeout=OUTBOX_MS)
    await expect(welcome).not_to_contain_text("(demo)")  # never the Telegram name
    await expect(panel(chat).get_by_role("textbox")).to_be_visible()
    await chat.screenshot("group-chat-welcome")

    box = panel(chat).get_by_role("textbox")
    await box.fill("/crisis")
    await box.press("Enter")
    answer = panel(chat).locator(".group-line.from-bot", has_text="112")
    await expect(answer).to_be_visible()
    await expect(answer).not_to_contain_text("River")

    # Its deep link opens the private chat with /start crisis, as Telegram would.
    await answer.get_by_role("button", name="Talk to me privately").click()
    await chat.expect_bot("You don't have to go through this alone")


async def test_a_visitor_is_declined_and_told_privately_how_to_sign_up(chat: ChatPage) -> None:
    await chat.be(VISITOR_EN)
    await panel(chat).get_by_role("button", name="Ask to join").click()
    await chat.expect_bot("is only for the members of this support group")
    await expect(panel(chat).get_by_role("button", name="Ask to join")).to_be_visible()
