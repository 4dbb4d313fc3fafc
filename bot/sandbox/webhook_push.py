"""Webhook mode of the Bot API emulation: setWebhook's settings, getWebhookInfo's report, and
the delivery of each update by HTTP POST to the bot's own web server, as Telegram does it.

While a webhook is set, Telegram posts every update (a JSON body, with the secret token in the
``X-Telegram-Bot-Api-Secret-Token`` header) to its URL, and keeps it pending until the server
answers 2xx; a failure is retried later and shows in getWebhookInfo. Telegram may post up to
``max_connections`` updates at once; this emulation posts one at a time, in order, so a test
sees a bot's handlers run in the order the person acted.

Telegram accepts https:// addresses only ("Bad Request: bad webhook: An HTTPS URL must be
provided for webhook", quoted from Telegram in tdlib/telegram-bot-api#665). A test or the
sandbox posts to a bot on this machine without TLS, so the emulator accepts http:// on a
loopback address when built with ``plain_http_webhooks=True``: that is a test mode, not what
Telegram allows, and an emulator built without it refuses such a URL as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

import httpx

from bot.sandbox.params import Params
from bot.sandbox.rules import bad_request

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's rule for secret_token (Bot API, setWebhook): 1-256 characters A-Z a-z 0-9 _ -.
_SECRET_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
_SECRET_MAX_LENGTH = 256
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# How long one post may take before it counts as failed; the bot answers at once (PTB queues
# the update and handles it after answering).
_POST_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret_token: str | None
    max_connections: int


class WebhookPush:
    """The webhook of one emulated bot and the task that posts its updates.

    ``next_update`` returns the oldest update still to deliver (or None), ``delivered`` confirms
    one, ``wait`` sleeps until the emulator changes (at most the seconds given), ``now`` is
    Telegram's clock in Unix seconds. Failed posts are retried after ``first_retry`` seconds,
    doubling up to ``longest_retry``.
    """

    def __init__(
        self,
        *,
        next_update: Callable[[], dict | None],
        delivered: Callable[[int], None],
        wait: Callable[[float], Awaitable[None]],
        now: Callable[[], int],
        plain_http_webhooks: bool = False,
        first_retry: float = 0.2,
        longest_retry: float = 5.0,
    ) -> None:
        self._next_update = next_update
        self._delivered = delivered
        self._wait = wait
        self._now = now
        self._plain_http = plain_http_webhooks
        self._first_retry = first_retry
        self._longest_retry = longest_retry
        self.settings: WebhookSettings | None = None
        self.last_error: tuple[int, str] | None = None  # (Unix time, Telegram's message)
        self._task: asyncio.Task | None = None

    @property
    def active(self) -> bool:
        return self.settings is not None

    def set(self, p: Params) -> None:
        """setWebhook's own parameters (the caller handles allowed_updates and dropping);
        an empty url removes the webhook, as Telegram documents."""
        url = p.text("url") or ""
        secret = p.text("secret_token") or None
        if secret is not None and not _SECRET_CHARACTERS.fullmatch(secret):
            # Telegram's wording (TelegramBots/Telegram.Bot#1467, mymmrac/telego#250).
            raise bad_request("secret token contains unallowed characters")
        if secret is not None and len(secret) > _SECRET_MAX_LENGTH:
            # The limit is Telegram's; this wording is the emulator's (not seen quoted).
            raise bad_request("secret token is too long")
        if url:
            self._check_url(url)
        self._stop_task()
        self.last_error = None
        if not url:
            self.settings = None
            return
        self.settings = WebhookSettings(url, secret, p.integer("max_connections") or 40)
        self._task = asyncio.get_running_loop().create_task(self._deliver(self.settings))

    def delete(self) -> None:
        """deleteWebhook: nothing more is posted; pending updates wait for getUpdates."""
        self._stop_task()
        self.settings = None
        self.last_error = None

    def info(self, pending_update_count: int, allowed_updates: frozenset[str] | None) -> dict:
        """getWebhookInfo's WebhookInfo (an empty url while none is set, as Telegram)."""
        info: dict = {
            "url": self.settings.url if self.settings else "",
            "has_custom_certificate": False,
            "pending_update_count": pending_update_count,
        }
        if self.settings is not None:
            info["max_connections"] = self.settings.max_connections
            if allowed_updates is not None:
                info["allowed_updates"] = sorted(allowed_updates)
        if self.last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.last_error
        return info

    async def close(self) -> None:
        """Stops posting and waits for the task to end (for a test's or server's teardown)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        plain_local = self._plain_http and parts.scheme == "http" and parts.hostname in _LOOPBACK
        if not (parts.scheme == "https" or plain_local) or not parts.hostname:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")

    def _stop_task(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _deliver(self, settings: WebhookSettings) -> None:
        """Posts the oldest pending update until it is taken, then the next, for ever."""
        headers = {SECRET_HEADER: settings.secret_token} if settings.secret_token else {}
        delay = self._first_retry
        async with httpx.AsyncClient(timeout=_POST_TIMEOUT_SECONDS, headers=headers) as client:
            while True:
                update = self._next_update()
                if update is None:
                    await self._wait(60.0)
                    continue
                error = await _post(client, settings.url, update)
                if error is None:
                    self._delivered(update["update_id"])
                    delay = self._first_retry
                    continue
                # The update stays pending, as on Telegram, and is posted again after a pause.
                self.last_error = (self._now(), error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._longest_retry)


async def _post(client: httpx.AsyncClient, url: str, update: dict) -> str | None:
    """Posts one update; None when the server took it, else getWebhookInfo's message."""
    try:
        response = await client.post(url, json=update)
    except httpx.ConnectError:
        return "Connection refused"  # the emulator's wording; Telegram's not seen quoted
    except httpx.TimeoutException:
        return "Read timeout expired"  # the emulator's wording; Telegram's not seen quoted
    except httpx.HTTPError as error:
        return f"Connection failed: {type(error).__name__}"
    if response.is_success:
        return None
    # Telegram's format (telegraf/micro-bot#2: "Wrong response from the webhook: 503 Service
    # Unavailable").
    return f"Wrong response from the webhook: {response.status_code} {_phrase(response)}"


def _phrase(response: httpx.Response) -> str:
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase
