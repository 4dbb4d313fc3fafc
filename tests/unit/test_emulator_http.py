"""The HTTP front of the Bot API emulation, driven by PTB's real HTTPX client on 127.0.0.1.

This is the path the sandbox uses: form-encoded and multipart bodies exactly as PTB sends them,
Telegram's status codes, and getUpdates long-polling over a real socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bot.sandbox.bot_api_http import MAX_UPLOAD_BYTES, add_bot_api_routes, start_server
from bot.sandbox.emulator import BotApiEmulator

AYU = 1001


@pytest.fixture
def emulator() -> BotApiEmulator:
    emulator = BotApiEmulator()
    emulator.add_user(AYU, "Ayu")
    return emulator


@pytest.fixture
async def base(emulator: BotApiEmulator) -> AsyncIterator[str]:
    """The server's root URL, on an ephemeral port."""
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
    add_bot_api_routes(app, emulator)
    runner, url = await start_server(app)
    yield url
    await runner.cleanup()


def http_bot(base: str, token: str) -> Bot:
    return Bot(
        token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        get_updates_request=HTTPXRequest(read_timeout=10),
    )


async def test_ptb_sends_edits_and_fails_like_against_telegram(
    emulator: BotApiEmulator, base: str
) -> None:
    async with http_bot(base, emulator.token) as bot:
        assert bot.username == "RangkulBot"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Hadir ✅", callback_data="rsvp:1")]])
        sent = await bot.send_message(
            AYU, "<b>Rapat</b> 🙂", parse_mode="HTML", reply_markup=markup
        )
        assert (sent.text, sent.reply_markup) == ("Rapat 🙂", markup)
        edited = await bot.edit_message_text("Rapat batal", AYU, sent.message_id)
        assert edited.text == "Rapat batal"
        assert emulator.chat_log(AYU)[0].edited == 1

        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("Rapat batal", AYU, sent.message_id)
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            too_long = InlineKeyboardButton("x", callback_data="x" * 65)
            await bot.send_message(AYU, "x", reply_markup=InlineKeyboardMarkup([[too_long]]))
        emulator.user_blocks_bot(AYU)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(AYU, "halo")
    assert [r.status for r in emulator.rejected] == [400, 400, 403]


async def test_get_updates_long_polls_over_http(emulator: BotApiEmulator, base: str) -> None:
    async with http_bot(base, emulator.token) as bot:
        loop = asyncio.get_running_loop()
        started = loop.time()
        loop.call_later(0.1, emulator.user_sends_text, AYU, "/start")
        updates = await bot.get_updates(timeout=5)
        assert [u.message.text for u in updates] == ["/start"]
        assert loop.time() - started < 2

        # Forged data on the user's own message: the emulator lets tests do that.
        emulator.user_presses_button(AYU, updates[0].message.message_id, "rsvp:1")
        (update,) = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
        assert update.callback_query.data == "rsvp:1"
        assert await bot.answer_callback_query(update.callback_query.id, text="Tercatat")


async def test_uploads_arrive_as_multipart_and_can_be_downloaded(
    emulator: BotApiEmulator, base: str
) -> None:
    content = (
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 8 + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
    )
    async with http_bot(base, emulator.token) as bot:
        photo = await bot.send_photo(AYU, content, filename="chart.png", caption="Grafik")
        assert (photo.photo[0].width, photo.photo[0].height) == (640, 480)
        file = await bot.get_file(photo.photo[-1].file_id)
        assert await file.download_as_bytearray() == content
    (entry,) = emulator.bot_messages(AYU)
    assert (entry.kind, entry.file_name, entry.caption) == ("photo", "chart.png", "Grafik")


async def test_wrong_token_unknown_method_and_json_bodies(
    emulator: BotApiEmulator, base: str
) -> None:
    with pytest.raises(InvalidToken):
        await http_bot(base, "1:WRONG").get_me()
    async with aiohttp.ClientSession() as session:
        url = f"{base}/bot{emulator.token}"
        async with session.post(f"{url}/sendSticker", json={"chat_id": AYU}) as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found"
        body = {"chat_id": AYU, "text": "halo", "reply_markup": {"remove_keyboard": True}}
        async with session.post(f"{url}/sendMessage", json=body) as response:
            assert response.status == 200
            assert (await response.json())["result"]["text"] == "halo"
        async with session.get(f"{url}/getMe") as response:
            assert (await response.json())["result"]["username"] == "RangkulBot"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text(f"<i>{update.message.text}</i>", parse_mode="HTML")


async def test_a_polling_application_replies_and_stops_without_refusals(
    emulator: BotApiEmulator, base: str
) -> None:
    application = (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        emulator.user_sends_text(AYU, "halo")
        async with asyncio.timeout(5):
            while not emulator.bot_messages(AYU):
                await emulator.wait_for_change(emulator.version(), timeout=1)
        await application.updater.stop()
        await application.stop()
    assert emulator.bot_messages(AYU)[0].text == "halo"
    # Stopping drops a pending long-poll; it must not show up as a 409 the bot never saw.
    assert emulator.rejected == []
    assert emulator.pending_updates() == []
