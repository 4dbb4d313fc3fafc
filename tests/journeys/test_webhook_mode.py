"""``rangkul run --webhook URL``: the command line builds the webhook from its flags and the
environment, and start-up hands it to PTB's webhook server (setWebhook with the secret token and
every update type) instead of polling. PTB's server itself is replaced by a recorder: no port is
bound and nothing leaves the machine."""

from __future__ import annotations

import gc
import random
from typing import Any

import pytest
from telegram import Update

from bot.__main__ import main
from bot.app import build_application, teardown
from bot.config import Webhook
from bot.polling import start
from bot.sandbox.request import EmulatorRequest
from bot.startup_retry import StartupRetry
from tests.journeys.harness import BotWorld

URL = "https://bot.example.org/telegram/rangkul"


def test_the_command_line_builds_the_webhook_from_flags_and_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    served: list[Webhook | None] = []

    async def serve(application: Any, retry: Any, webhook: Webhook | None = None) -> None:
        served.append(webhook)

    monkeypatch.setattr("bot.polling.run_polling", serve)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "rangkul.sqlite3"))
    monkeypatch.setenv("WEBHOOK_SECRET_TOKEN", "a-secret_1")
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0")

    assert main(["run", "--webhook", URL, "--port", "8080"]) == 0
    assert main(["run"]) == 0  # polling stays the default

    assert served == [Webhook(URL, "a-secret_1", listen="0.0.0.0", port=8080), None]


def test_webhook_mode_without_a_secret_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "rangkul.sqlite3"))
    monkeypatch.delenv("WEBHOOK_SECRET_TOKEN", raising=False)

    assert main(["run", "--webhook", URL]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("rangkul: WEBHOOK_SECRET_TOKEN must be set")


async def test_start_up_sets_the_webhook_instead_of_polling(tmp_path) -> None:
    world = BotWorld(db_path=tmp_path / "rangkul.sqlite3")
    application = build_application(
        world.settings,
        request=EmulatorRequest(world.emulator),
        clock=world.clock,
        rng=random.Random(1),
    )
    calls: list[dict[str, Any]] = []

    async def start_webhook(**kwargs: Any) -> None:
        calls.append(kwargs)

    application.updater.start_webhook = start_webhook  # type: ignore[method-assign]
    webhook = Webhook(URL, "a-secret_1", listen="0.0.0.0", port=8080)
    try:
        await start(application, StartupRetry(1), webhook)
        assert application.running and not application.updater.running  # no polling
        assert gc.get_freeze_count() > 0  # what start-up loaded is out of the collector's way
    finally:
        gc.unfreeze()  # this test process goes on making (and dropping) other bots
        await application.stop()
        await application.shutdown()
        await teardown(application)

    assert calls == [
        {
            "listen": "0.0.0.0",
            "port": 8080,
            "url_path": "telegram/rangkul",
            "webhook_url": URL,
            "secret_token": "a-secret_1",
            "allowed_updates": Update.ALL_TYPES,
        }
    ]
