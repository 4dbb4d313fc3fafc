"""``rangkul run --webhook URL`` for real: the bot process runs PTB's web server and sets the
webhook on the Bot API emulation, which posts each update to it as Telegram does (JSON body,
secret token header). Nothing is replaced: emulator → POST → PTB's webhook server → handlers →
sendMessage → emulator.

Telegram requires an https:// webhook; the emulator runs in its test mode that also accepts
http:// on 127.0.0.1 (bot.sandbox.webhook_push), and the bot accepts a loopback http:// URL for a
local Bot API server (bot.config.load_webhook). TLS itself is the reverse proxy's (docs/deploy.md).
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.webhook_push import SECRET_HEADER
from tests.journeys.helpers.process import bot_says, eventually, served, start_bot, stop

USER = 4545
SECRET = "journey_secret-123"


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[BotApiEmulator, str]]:
    emulator = BotApiEmulator(plain_http_webhooks=True)
    async with served(emulator) as url:
        yield emulator, url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until_webhook(emulator: BotApiEmulator, **expected: object) -> dict:
    """Waits until getWebhookInfo shows ``expected`` (the bot's setWebhook, a failed post)."""

    async def shown() -> dict | None:
        status, body = await emulator.call(emulator.token, "getWebhookInfo", {})
        assert status == 200
        info: dict = body["result"]
        return info if expected.items() <= info.items() else None

    return await eventually(emulator, shown)


def answers_to_help(emulator: BotApiEmulator) -> int:
    return sum("/groups" in (m.text or "") for m in emulator.bot_messages(USER))


async def test_updates_reach_the_bot_through_its_webhook_server_and_back(
    telegram: tuple[BotApiEmulator, str], tmp_path: Path
) -> None:
    emulator, api = telegram
    emulator.add_user(USER, "Sekar", language_code="en")
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/rangkul"
    args = ("--webhook", hook, "--listen", "127.0.0.1", "--port", str(port))
    database = tmp_path / "rangkul.sqlite3"

    bot = await start_bot(api, database, *args, WEBHOOK_SECRET_TOKEN=SECRET)
    info = await until_webhook(emulator, url=hook)
    assert "message" in info["allowed_updates"] and "chat_member" in info["allowed_updates"]

    emulator.user_sends_text(USER, "/start")
    await bot_says(emulator, USER, "Which language")
    emulator.user_sends_text(USER, "/help")
    await bot_says(emulator, USER, "/groups")

    # Someone who found the address posts a made-up /help: PTB refuses it and handles nothing.
    forged = emulator.updates_after(0, "message")[-1] | {"update_id": 10_000}
    async with httpx.AsyncClient() as client:
        wrong = await client.post(hook, json=forged, headers={SECRET_HEADER: "guessed"})
        missing = await client.post(hook, json=forged)
    assert (wrong.status_code, missing.status_code) == (403, 403)
    # The person's next message is handled after anything queued before it (one person's
    # updates run in order), so a forged update taken in would have been answered by now.
    emulator.user_sends_text(USER, "/help")
    await bot_says(emulator, USER, "/groups", times=2)
    assert answers_to_help(emulator) == 2

    log = await stop(bot)
    assert "Traceback" not in log
    for private in ("Sekar", str(USER), SECRET, emulator.token):
        assert private not in log
    # PTB's stop closes its web server but leaves the webhook set (it calls no deleteWebhook):
    # Telegram keeps what arrives meanwhile and posts it once the bot is back.
    emulator.user_sends_text(USER, "/help")
    await until_webhook(emulator, url=hook, pending_update_count=1)
    await until_webhook(emulator, last_error_message="Connection refused")

    bot = await start_bot(api, database, *args, WEBHOOK_SECRET_TOKEN=SECRET)
    await until_webhook(emulator, pending_update_count=0)
    await bot_says(emulator, USER, "/groups", times=3)
    assert answers_to_help(emulator) == 3
    await stop(bot)
    assert emulator.rejected == []
