"""``rangkul run``: start up (retrying what Telegram fails in passing), poll (or, with
``--webhook``, serve Telegram's posts) until SIGINT or SIGTERM, then stop cleanly.

These are PTB's ``run_polling`` steps, in its order, run here so that each start-up call goes
through ``StartupRetry``: ``run_polling`` gives up at the first 5xx (getMe in ``initialize``,
setMyCommands in ``setup``) and logs a traceback when its deleteWebhook fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal

from telegram import Update
from telegram.ext import Application

from bot.app import setup, teardown
from bot.config import Webhook
from bot.narrowing import updater_of
from bot.startup_retry import StartupRetry

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def run_polling(
    application: Application, retry: StartupRetry, webhook: Webhook | None = None
) -> None:
    """Serves until a stop signal; start-up errors (after retries) are raised."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in STOP_SIGNALS:
        loop.add_signal_handler(number, stop.set)
    try:
        if await _start_unless_stopped(application, retry, stop, webhook):
            await stop.wait()
    finally:
        for number in STOP_SIGNALS:
            loop.remove_signal_handler(number)
        await _stop(application)


async def _start_unless_stopped(
    application: Application, retry: StartupRetry, stop: asyncio.Event, webhook: Webhook | None
) -> bool:
    """Whether start-up finished; a stop signal during its retries ends it at once."""
    starting = asyncio.ensure_future(start(application, retry, webhook))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait((starting, stopping), return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not starting.done():
        starting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await starting
        return False
    starting.result()  # raises what start-up could not get past
    return True


async def start(
    application: Application, retry: StartupRetry, webhook: Webhook | None = None
) -> None:
    """Initialises, sets up and starts polling (or the webhook): when this returns, updates
    are being served (bench/reply_path_bench.py times it)."""
    await retry.call("getMe", application.initialize)
    # setup() may run again whole: each of its steps is idempotent (migrations, recovery of
    # the outbox, the directory seed, command menus).
    await retry.call("setMyCommands", lambda: setup(application))
    # What start-up loaded (catalogs, the crisis and distress models, the directory's search
    # index, PTB's handlers) lives as long as the process: frozen, the collector's full passes
    # no longer walk it. They did, ~250 ms each with 10,000 members, and every reply waited
    # (bench/update_bench.py, /help p95). No collect first: it would delay the first reply.
    gc.freeze()
    if webhook is not None:
        await _start_webhook(application, retry, webhook)
        return
    # start_polling deletes the webhook too, but logs a traceback when that fails: this call
    # goes first, quietly retried, so PTB's finds Telegram answering.
    await retry.call("deleteWebhook", application.bot.delete_webhook)
    updater = updater_of(application)
    await retry.call(
        "deleteWebhook", lambda: updater.start_polling(allowed_updates=Update.ALL_TYPES)
    )
    await application.start()


async def _start_webhook(application: Application, retry: StartupRetry, webhook: Webhook) -> None:
    """PTB's web server on ``listen:port`` and setWebhook (with every update type, as polling
    asks for them); Telegram then posts updates with the secret token, others are refused."""
    updater = updater_of(application)
    await retry.call(
        "setWebhook",
        lambda: updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.url_path,
            webhook_url=webhook.url,
            secret_token=webhook.secret_token,
            allowed_updates=Update.ALL_TYPES,
        ),
    )
    await application.start()


async def _stop(application: Application) -> None:
    """As run_polling stops: polling, then the application (running updates finish), then
    shutdown (persistence written) and teardown (database closed)."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    await teardown(application)
