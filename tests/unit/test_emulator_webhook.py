"""The emulator's webhook mode: setWebhook refused as Telegram refuses it, getUpdates refused
while a webhook is set, and each update posted in order to a real local server with the secret
token, kept pending and retried while that server fails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.webhook_push import SECRET_HEADER

AYU = 1001
SECRET = "s3cret_-token"


class FakeBotServer:
    """A bot's web server that answers the first ``failures`` posts with 503."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[tuple[str | None, dict]] = []
        self.refused = 0
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        if self.refused < self.failures:
            self.refused += 1
            return web.Response(status=503)
        self.received.append((request.headers.get(SECRET_HEADER), await request.json()))
        self.arrived.set()
        return web.Response()


@pytest.fixture
async def bot_server() -> AsyncIterator[tuple[FakeBotServer, str]]:
    server = FakeBotServer(failures=2)
    app = web.Application()
    app.router.add_post("/hook/path", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    yield server, f"http://{host}:{port}/hook/path"
    await runner.cleanup()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(plain_http_webhooks=True)
    emulator.add_user(AYU, "Ayu")
    yield emulator
    await emulator.close_webhook()


async def call(emulator: BotApiEmulator, method: str, **params: object) -> tuple[int, dict]:
    return await emulator.call(emulator.token, method, dict(params))


async def info(emulator: BotApiEmulator) -> dict:
    status, body = await call(emulator, "getWebhookInfo")
    assert status == 200
    return body["result"]


async def test_telegram_refuses_plain_http_and_bad_secret_tokens() -> None:
    strict = BotApiEmulator()  # not in test mode: Telegram's rules only
    status, body = await call(strict, "setWebhook", url="http://127.0.0.1:8443/hook")
    assert (status, body["description"]) == (
        400,
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    )
    status, body = await call(
        strict, "setWebhook", url="https://bot.example.org/hook", secret_token="123:ABC"
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: secret token contains unallowed characters",
    )
    status, _ = await call(
        strict, "setWebhook", url="https://bot.example.org/hook", secret_token="a" * 257
    )
    assert status == 400
    assert (await info(strict))["url"] == ""  # a refused call set nothing

    lenient = BotApiEmulator(plain_http_webhooks=True)  # http only to this machine
    status, _ = await call(lenient, "setWebhook", url="http://bot.example.org/hook")
    assert status == 400


async def test_updates_are_posted_in_order_and_retried_until_taken(
    emulator: BotApiEmulator, bot_server: tuple[FakeBotServer, str]
) -> None:
    server, url = bot_server
    first = emulator.user_sends_text(AYU, "/start")  # waiting before the webhook is set
    status, _ = await call(
        emulator,
        "setWebhook",
        url=url,
        secret_token=SECRET,
        allowed_updates='["message", "callback_query"]',
    )
    assert status == 200

    status, body = await call(emulator, "getUpdates")
    assert (status, body["description"]) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
        "delete the webhook first",
    )
    await asyncio.wait_for(server.arrived.wait(), timeout=10)
    second = emulator.user_sends_text(AYU, "/help")
    emulator.user_blocks_bot(AYU)  # my_chat_member: not asked for, never posted
    third = emulator.user_sends_text(AYU, "halo")
    deadline = asyncio.get_running_loop().time() + 10
    while len(server.received) < 3:
        assert asyncio.get_running_loop().time() < deadline, server.received
        await asyncio.sleep(0.02)

    assert server.received == [(SECRET, first), (SECRET, second), (SECRET, third)]
    assert server.refused == 2  # the first update was posted three times before it was taken
    webhook = await info(emulator)
    assert webhook["url"] == url
    assert webhook["pending_update_count"] == 0
    assert webhook["allowed_updates"] == ["callback_query", "message"]
    assert webhook["last_error_message"] == (
        "Wrong response from the webhook: 503 Service Unavailable"
    )
    assert isinstance(webhook["last_error_date"], int)


async def test_a_failing_server_keeps_updates_pending_until_the_webhook_is_deleted(
    emulator: BotApiEmulator,
) -> None:
    # Nothing listens on this port: every post fails to connect.
    status, _ = await call(emulator, "setWebhook", url="http://127.0.0.1:9/nobody")
    assert status == 200
    update = emulator.user_sends_text(AYU, "/start")
    deadline = asyncio.get_running_loop().time() + 10
    while "last_error_message" not in await info(emulator):
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.02)
    webhook = await info(emulator)
    assert webhook["pending_update_count"] == 1
    assert webhook["last_error_message"] == "Connection refused"

    status, _ = await call(emulator, "deleteWebhook")
    assert status == 200
    assert await info(emulator) == {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": 1,
    }
    status, body = await call(emulator, "getUpdates")  # polling again gets what was pending
    assert (status, body["result"]) == (200, [update])
