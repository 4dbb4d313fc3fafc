"""The local sandbox: an emulated Telegram, the real bot polling it over HTTP, and a web chat.

One aiohttp server on loopback serves three things: the Bot API (`/bot<token>/<method>`, for
the bot), the page's JSON API (`/api/...`) and the page itself. The bot is the production
Application, built by build_application() with `base_url` pointed at this server, so it runs
with its real HTTP client and long polling and does not know it is in a sandbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from telegram import Update
from telegram.ext import Application, BaseRateLimiter

from bot.app import build_application, catch_up, setup, teardown
from bot.clock import OffsetClock
from bot.config import Settings
from bot.narrowing import updater_of
from bot.sandbox.bot_api_http import add_bot_api_routes
from bot.sandbox.demo import PERSONAS, Persona, coordinator_ids, load_demo_data
from bot.sandbox.demo_group_chat import add_demo_group_chat, link_demo_group_chat
from bot.sandbox.demo_history import MADE_UP_PEOPLE
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.rules import FloodLimits
from bot.sandbox.web_api import WebState, add_web_api_routes
from bot.sandbox.web_group_chats import add_group_chat_routes
from bot.services.container import Services
from bot.telegram_glue.roles import set_role_menus

STATIC_DIR = Path(__file__).parent / "static"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
# How long a stopping server waits for open requests (the page's long polls) before cancelling.
SHUTDOWN_GRACE_SECONDS = 1.0
_LOOPBACK_NAMES = frozenset({"localhost"})
# The page's own content security policy: no inline script or style, nothing from elsewhere.
_PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'none'"
)


class SandboxError(Exception):
    """The sandbox cannot start as asked; the message is one line fit to print."""


@dataclass(frozen=True)
class SandboxOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT  # 0: any free port (tests)
    database: Path | None = None  # None: a temporary file, deleted when the sandbox stops
    demo: bool = True
    allow_remote: bool = False
    language: str = "id"  # the bot's default language


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server reachable from this machine only."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, *, allow_remote: bool) -> str | None:
    """Refuses a non-loopback host unless allowed; returns a warning to print when allowed."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise SandboxError(
            f"refusing to listen on {host!r}: the sandbox has no authentication, so it binds "
            "to loopback only (pass --allow-remote to override)"
        )
    return (
        f"warning: the sandbox listens on {host!r} without any authentication; anyone who can "
        "reach it can read every demo chat and act as any persona"
    )


class Sandbox:
    """Starts and stops the whole sandbox inside the running asyncio loop."""

    def __init__(
        self,
        options: SandboxOptions,
        *,
        flood_clock: Callable[[], float] = time.monotonic,
        rate_limiter: BaseRateLimiter | None = None,
    ) -> None:
        """``flood_clock``: the seconds the emulated Telegram measures its flood limits in;
        ``rate_limiter``: the bot's (default: the one its settings ask for). Both count real
        time unless a test gives them time of its own, to move instead of waiting."""
        self.options = options
        self._rate_limiter = rate_limiter
        self.clock = OffsetClock()
        self.emulator = BotApiEmulator(
            clock=self.clock, flood_limits=FloodLimits(), flood_clock=flood_clock
        )
        self.personas: tuple[Persona, ...] = (
            PERSONAS if options.demo else tuple(p for p in PERSONAS if p.role == "visitor")
        )
        self.web_state = WebState(self.emulator, self.clock, self.personas)
        self.url = ""
        self.application: Application | None = None
        self._port = 0
        self._cleanup = contextlib.AsyncExitStack()

    async def start(self) -> None:
        """Serves HTTP, then starts the bot polling it; on failure undoes what was started."""
        check_host(self.options.host, allow_remote=self.options.allow_remote)
        try:
            database = self._database_path()
            await self._serve_http()
            await self._start_bot(database)
        except BaseException:
            await self._cleanup.aclose()
            raise

    async def stop(self) -> None:
        """Stops polling, the bot (persistence written, database closed), then the server."""
        await self._cleanup.aclose()

    # ------------------------------------------------------------------ start-up steps

    def _database_path(self) -> Path:
        if self.options.database is not None:
            return self.options.database
        directory = self._cleanup.enter_context(
            tempfile.TemporaryDirectory(prefix="rangkul-sandbox-")
        )
        return Path(directory) / "sandbox.sqlite3"

    async def _serve_http(self) -> None:
        for persona in self.personas:
            self.emulator.add_user(
                persona.user_id, persona.first_name, language_code=persona.language
            )
        if self.options.demo:
            # The made-up members of the demo data get reminders too: Telegram accepts them
            # (they are nobody's persona, so no one reads them).
            for person in MADE_UP_PEOPLE:
                self.emulator.add_user(person.telegram_id, person.first_name)
            add_demo_group_chat(self.emulator)
        app = build_web_app(self.emulator, self.web_state, allow_remote=self.options.allow_remote)
        # No access log: request paths carry persona (Telegram) ids and the bot token.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
        await runner.setup()
        self._cleanup.push_async_callback(runner.cleanup)
        host = _bind_host(self.options.host)
        await web.TCPSite(runner, host, self.options.port).start()
        self._port = runner.addresses[0][1]
        self.url = f"http://{_url_host(host)}:{self._port}/"

    async def _start_bot(self, database: Path) -> None:
        api = f"http://{_url_host(_client_host(_bind_host(self.options.host)))}:{self._port}"
        settings = Settings(
            token=self.emulator.token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            database_path=database,
            admin_ids=coordinator_ids(self.personas),
            default_language=self.options.language,
        )
        application = build_application(settings, clock=self.clock, rate_limiter=self._rate_limiter)
        await application.initialize()
        self._cleanup.push_async_callback(_shut_down, application)
        if self.options.demo:
            # Before setup(), so the start-up work (role command menus) sees the demo's people.
            services: Services = application.bot_data["services"]
            await load_demo_data(services.db, self.clock)
            await link_demo_group_chat(services.db, self.clock)
        await setup(application)
        await set_role_menus(application)  # the demo's few, at once (a real start: in the job)
        await application.start()
        self._cleanup.push_async_callback(application.stop)
        updater = updater_of(application)
        await updater.start_polling(allowed_updates=Update.ALL_TYPES)
        self._cleanup.push_async_callback(updater.stop)
        # A fast-forward sends what became due at once; stopping detaches this first.
        self.web_state.on_clock_moved = functools.partial(catch_up, application)
        self._cleanup.callback(setattr, self.web_state, "on_clock_moved", None)
        self.application = application


async def _shut_down(application: Application) -> None:
    """Application.shutdown writes persistence; teardown then closes the database."""
    await application.shutdown()
    await teardown(application)


def build_web_app(
    emulator: BotApiEmulator, state: WebState, *, allow_remote: bool = False
) -> web.Application:
    """The aiohttp app: Bot API routes, the page's JSON API and the page's static files."""
    middlewares = [_security_headers]
    if not allow_remote:
        middlewares.insert(0, _loopback_host_only)
    app = web.Application(middlewares=middlewares)
    add_bot_api_routes(app, emulator)
    add_web_api_routes(app, state)
    add_group_chat_routes(app)
    app.router.add_get("/", _index)
    app.router.add_static("/static/", STATIC_DIR)
    return app


async def _index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _loopback_host_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    # A web page elsewhere could point its own domain name at 127.0.0.1 (DNS rebinding) and
    # then read this server as same-origin; its requests still carry that other name.
    if not is_loopback(request.url.host or ""):
        raise web.HTTPMisdirectedRequest(text="the sandbox answers to loopback names only")
    return await handler(request)


@web.middleware
async def _security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", _PAGE_CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _bind_host(host: str) -> str:
    # "localhost" may resolve to both ::1 and 127.0.0.1, and with port 0 each would get its own
    # port; one address keeps one URL.
    return DEFAULT_HOST if host.lower() == "localhost" else host.strip("[]")


def _client_host(bind_host: str) -> str:
    """Where the bot itself connects: a wildcard bind is reached through loopback."""
    try:
        address = ipaddress.ip_address(bind_host)
    except ValueError:
        return bind_host
    if address.is_unspecified:
        return "::1" if address.version == 6 else DEFAULT_HOST
    return bind_host


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# ---------------------------------------------------------------------- running from the CLI


def run_sandbox(options: SandboxOptions) -> None:
    """Runs the sandbox until SIGINT/SIGTERM (Ctrl-C), then stops everything cleanly."""
    warning = check_host(options.host, allow_remote=options.allow_remote)
    if warning:
        print(warning, file=sys.stderr)
    asyncio.run(_serve(options))


async def _serve(options: SandboxOptions) -> None:
    sandbox = Sandbox(options)
    await sandbox.start()
    try:
        print(f"Rangkul sandbox: {sandbox.url}", flush=True)
        await _until_stop_signal()
    finally:
        await sandbox.stop()


async def _until_stop_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    try:
        await stop.wait()
    finally:
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(number)
