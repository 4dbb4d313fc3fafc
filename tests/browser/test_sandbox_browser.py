"""The sandbox's web chat in a real browser: onboarding, crisis help, personas, the clock.

Headless Chromium drives the page while the real bot long-polls the emulated Telegram over
HTTP, so this covers the whole path a person trying Rangkul takes. Actions in one chat are
paced about one per second, on the virtual time Telegram's limits run on in these tests (see
conftest.py): the emulation enforces Telegram's flood limits, and a person cannot tap faster
than the bot answers anyway.

Set RANGKUL_SCREENSHOTS=1 to refresh the screenshots in docs/screenshots/.
"""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from typing import TYPE_CHECKING

import aiohttp
import pytest

from bot.sandbox.server import Sandbox
from tests.browser.helpers import (
    COORDINATOR,
    FACILITATOR_EN,
    FACILITATOR_ID,
    MEMBER_EN,
    MEMBER_ID,
    VISITOR_EN,
    VISITOR_ID,
    ChatPage,
)

if TYPE_CHECKING:
    pass

playwright_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
expect = playwright_api.expect

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_indonesian_visitor_onboards_by_pressing_buttons(chat: ChatPage) -> None:
    await chat.be(VISITOR_ID)
    # Started from the command menu, as in Telegram: it lists the bot's commands in Indonesian.
    await chat.page.get_by_role("button", name="Show the bot's commands").click()
    await chat.page.locator("#commands").get_by_role("button", name="/start").click()
    await chat.expect_bot("bahasa apa")
    await chat.press("Bahasa Indonesia")
    await chat.expect_bot("bukan layanan darurat")
    await chat.press("Lanjut")
    await chat.press("Ya, usia saya 18 tahun ke atas")
    await chat.expect_bot("UU No. 27/2022")
    await chat.screenshot("onboarding-id")
    await chat.press("Saya setuju")
    await chat.press("Pilih sendiri")
    await chat.send("Kenanga Pagi")
    await chat.expect_bot("provinsi")
    await chat.press("Daring saja")
    await chat.press("Depresi")
    await chat.press("Selesai")

    await chat.expect_bot("Apa yang ingin kamu lakukan?", "Kenanga Pagi")
    # The alias is bold in the bot's HTML, so it arrives as an entity the page renders.
    await expect(
        chat.page.locator("#messages .from-bot strong", has_text="Kenanga Pagi").last
    ).to_be_visible()
    # Onboarding edits its question in place rather than piling up messages.
    await expect(chat.page.locator("#messages .edited").first).to_be_visible()


async def test_english_visitor_gets_crisis_help_mid_onboarding_then_continues(
    chat: ChatPage,
) -> None:
    await chat.be(VISITOR_EN)
    await chat.send("/start")
    await chat.press("English")
    await chat.press("Continue")
    await chat.press("Yes, I'm 18 or older")
    await chat.press("I agree")
    await chat.press("Choose my own")

    await chat.send("/crisis")
    await chat.expect_bot("You don't have to go through this alone", "112")
    crisis_reply = chat.page.locator("#messages .from-bot").last
    await crisis_reply.evaluate("node => node.scrollIntoView({block: 'start'})")
    await chat.screenshot("crisis-reply")

    await chat.send("Hana Biru")
    await chat.expect_bot("Which province")
    await chat.press("Next")
    await chat.press("Bali")
    await chat.press("Anxiety")
    await chat.press("Done")
    await chat.expect_bot("What would you like to do?", "Hana Biru")
    await chat.screenshot("menu-en")


async def test_switching_persona_shows_each_persona_own_chat(chat: ChatPage) -> None:
    await chat.be(COORDINATOR)
    await chat.send("/menu")
    await chat.expect_bot("Demo Koordinator")

    await chat.be(MEMBER_EN)
    await expect(chat.page.locator("#messages")).not_to_contain_text("Demo Koordinator")
    await chat.send("/menu")
    await chat.expect_bot("What would you like to do?", "Demo Member River")
    await expect(
        chat.page.locator(f'.persona[data-user-id="{MEMBER_EN.user_id}"]')
    ).to_have_attribute("aria-pressed", "true")
    # A message for a persona not on screen shows as unread on their switcher button.
    await chat.bot_api("sendMessage", chat_id=COORDINATOR.user_id, text="Pengingat (demo)")
    coordinator_button = chat.page.locator(f'.persona[data-user-id="{COORDINATOR.user_id}"]')
    await expect(coordinator_button.locator(".unread")).to_have_text("1")
    await chat.screenshot("persona-switcher")

    await chat.be(COORDINATOR)
    await expect(coordinator_button.locator(".unread")).to_have_count(0)
    await expect(chat.page.locator("#messages")).to_contain_text("Pengingat (demo)")
    await expect(chat.page.locator("#messages")).to_contain_text("Demo Koordinator")
    await expect(chat.page.locator("#messages")).not_to_contain_text("Demo Member River")


async def test_markup_typed_by_a_person_is_shown_as_text(chat: ChatPage) -> None:
    typed = "<script>alert('rangkul')</script> <b>not bold</b> <img src=x onerror=alert(1)>"
    await chat.be(MEMBER_ID)
    await chat.send(typed)

    shown = chat.page.locator("#messages .from-me .text").last
    await expect(shown).to_be_visible()
    await expect(shown).to_have_text(typed)
    await chat.expect_bot("/menu")  # the bot's answer to text it does not understand
    assert await chat.page.locator("#messages script, #messages img, #messages b").count() == 0
    assert chat.dialogs == []


async def test_formatting_files_polls_and_edits_render_like_telegram(chat: ChatPage) -> None:
    await chat.be(FACILITATOR_EN)
    html = (
        "<b>bold</b> <i>italic</i> <u>under</u> <s>struck</s> <tg-spoiler>secret</tg-spoiler> "
        '<a href="https://example.org/x">a link</a> <a href="tg://resolve?domain=x">tg</a> '
        "<code>code()</code>\n<pre>pre block</pre>&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    status, sent = await chat.bot_api("sendMessage", text=html, parse_mode="HTML")
    assert status == 200, sent
    messages = chat.page.locator("#messages")
    await expect(messages.locator("strong", has_text="bold")).to_be_visible()
    await expect(messages.locator("em", has_text="italic")).to_be_visible()
    await expect(messages.locator("u", has_text="under")).to_be_visible()
    await expect(messages.locator("s", has_text="struck")).to_be_visible()
    await expect(messages.locator("pre code", has_text="pre block")).to_be_visible()
    link = messages.get_by_role("link", name="a link")
    await expect(link).to_have_attribute("href", "https://example.org/x")
    await expect(link).to_have_attribute("rel", "noopener noreferrer")
    await expect(messages.locator(".text").last).to_contain_text("<script>alert(1)</script>")
    await messages.locator(".spoiler").click()
    await expect(messages.locator(".spoiler.revealed")).to_be_visible()

    status, _ = await chat.bot_api(
        "editMessageText",
        message_id=sent["result"]["message_id"],
        text="<b>bold</b> and edited",
        parse_mode="HTML",
    )
    assert status == 200
    edited = messages.locator(f'[data-message-id="{sent["result"]["message_id"]}"]')
    await expect(edited).to_contain_text("bold and edited")
    await expect(edited.locator(".edited")).to_be_visible()

    await chat.bot_api(
        "sendPhoto", data=_upload(chat, "photo", "chart.png", tiny_png(), "image/png")
    )
    image = messages.locator(".photo img").last
    await expect(image).to_be_visible()
    assert await image.evaluate("img => img.complete && img.naturalWidth === 40")

    csv = b"alias,sessions\nDemo,3\n"
    await chat.bot_api(
        "sendDocument", data=_upload(chat, "document", "export.csv", csv, "text/csv")
    )
    document = messages.locator("a.document").last
    await expect(document).to_have_attribute("download", "export.csv")
    async with chat.http.get(
        chat.sandbox.url + (await document.get_attribute("href")).lstrip("/")
    ) as got:
        assert await got.read() == csv

    status, _ = await chat.bot_api(
        "sendPoll", question="How was the session?", options='["Good", "Hard"]', is_anonymous=False
    )
    assert status == 200
    await messages.get_by_role("button", name="Hard", exact=True).click()
    await expect(messages.locator(".poll-result", has_text="Hard ✓")).to_contain_text("100%")


async def test_fast_forward_moves_the_sandbox_clock(chat: ChatPage, sandbox: Sandbox) -> None:
    clock = chat.page.locator("#clock")
    await expect(clock).not_to_have_text("…")
    shown, before = await clock.text_content(), sandbox.clock.now()

    await chat.page.get_by_role("button", name="Fast-forward the sandbox clock by one day").click()

    await expect(clock).not_to_have_text(shown or "")
    # The sandbox clock keeps flowing in real time around the jump.
    assert timedelta(days=1) <= sandbox.clock.now() - before < timedelta(days=1, minutes=1)


async def test_a_call_telegram_would_reject_is_shown_as_an_error(chat: ChatPage) -> None:
    await chat.be(FACILITATOR_ID)
    keyboard = {"inline_keyboard": [[{"text": "Too long", "callback_data": "x" * 70}]]}
    status, body = await chat.bot_api("sendMessage", text="Hello", reply_markup=keyboard)
    chat.expected_rejections = 1
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")

    notice = chat.page.locator("#messages .notice.error")
    await expect(notice).to_contain_text("sendMessage")
    await expect(notice).to_contain_text("BUTTON_DATA_INVALID")
    await chat.page.get_by_role("button", name="Show rejected Bot API calls").click()
    await expect(chat.page.locator("#rejected-list")).to_contain_text("BUTTON_DATA_INVALID")


def _upload(
    chat: ChatPage, field_name: str, name: str, content: bytes, mime: str
) -> aiohttp.FormData:
    assert chat.current is not None
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat.current.user_id))
    form.add_field(field_name, content, filename=name, content_type=mime)
    return form


def tiny_png(width: int = 40, height: int = 24) -> bytes:
    """A small solid-colour PNG, standing in for one of the bot's charts."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes([47, 143, 216]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
