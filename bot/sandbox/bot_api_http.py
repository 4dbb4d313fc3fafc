"""The HTTP front of the Bot API emulation: `/bot<token>/<method>` on an aiohttp server.

The real PTB Application (its HTTPX client, long-polling and all) runs unchanged against it with
`base_url="http://127.0.0.1:<port>/bot"`. Bodies are accepted as Telegram accepts them: JSON,
form-urlencoded or multipart (uploads), plus query-string parameters. Answers are the core's
status and JSON body, so errors arrive with Telegram's status codes and descriptions.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from bot.sandbox.emulator import BotApiEmulator, NoAnswer, RequestHangs
from bot.sandbox.params import UploadedFile

# aiohttp refuses bodies over 1 MiB by default; Telegram takes uploads up to 50 MB, so the
# application serving these routes should be built with web.Application(client_max_size=...).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_EMULATOR_KEY = web.AppKey("bot_api_emulator", BotApiEmulator)
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
# A hanging call is answered by nothing; after this long the connection is closed anyway, so a
# client without a timeout of its own is not held for ever.
HANG_LIMIT_SECONDS = 120.0


def add_bot_api_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    """Serves the Bot API (and uploaded files) of `emulator` from `app`.

    Build `app` with `client_max_size=MAX_UPLOAD_BYTES` so document uploads are not cut at
    aiohttp's 1 MiB default, and run it with `start_server` (or handler_cancellation=True).
    """
    app[_EMULATOR_KEY] = emulator
    app.on_cleanup.append(_stop_posting)
    app.router.add_route("*", "/bot{token}/{method}", _handle_method)
    app.router.add_get("/file/bot{token}/{file_path:.+}", _handle_file)


async def start_server(
    app: web.Application, host: str = "127.0.0.1", port: int = 0
) -> tuple[web.AppRunner, str]:
    """Serves `app` on host:port (0: any free port); returns the runner and the root URL.

    Handler cancellation is on so that a long-poll whose client hung up (PTB drops its pending
    getUpdates when it stops) ends at once, rather than being answered later with a 409 that
    nobody reads but `rejected` would record. Stop the server with `await runner.cleanup()`.
    """
    runner = web.AppRunner(app, handler_cancellation=True)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bound_host, bound_port = runner.addresses[0][:2]
    return runner, f"http://{bound_host}:{bound_port}"


async def _stop_posting(app: web.Application) -> None:
    """A webhook's posts end with the server (the webhook itself stays set, as on Telegram)."""
    await app[_EMULATOR_KEY].close_webhook()


async def _handle_method(request: web.Request) -> web.Response:
    emulator = request.app[_EMULATOR_KEY]
    try:
        params, files = await _read_parameters(request)
    except ValueError:
        body = {"ok": False, "error_code": 400, "description": "Bad Request: invalid JSON"}
        return web.json_response(body, status=400)
    try:
        status, body = await emulator.call(
            request.match_info["token"], request.match_info["method"], params, files
        )
    except NoAnswer as no_answer:
        if isinstance(no_answer, RequestHangs):
            # The client's own read timeout ends this (handler cancellation), or the limit.
            await asyncio.sleep(HANG_LIMIT_SECONDS)
        # The client waits for an answer that never comes: drop the connection instead.
        if request.transport is not None:
            request.transport.close()
        raise web.HTTPServiceUnavailable() from None
    return web.json_response(body, status=status)


async def _read_parameters(request: web.Request) -> tuple[dict, dict[str, UploadedFile]]:
    """Query-string parameters overlaid with the body's, whatever its content type."""
    params: dict = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.can_read_body:
        return params, files
    if request.content_type == "application/json":
        body = json.loads(await request.read() or b"{}")
        if not isinstance(body, dict):
            raise ValueError("a JSON body must be an object")
        return params | body, files
    for name, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            content = value.file.read()
            files[name] = (value.filename, content, value.content_type)
        else:
            params[name] = value
    return params, files


async def _handle_file(request: web.Request) -> web.Response:
    emulator = request.app[_EMULATOR_KEY]
    found = None
    if request.match_info["token"] == emulator.token:
        found = emulator.file_content(request.match_info["file_path"])
    if found is None:
        return web.json_response(_NOT_FOUND, status=404)
    content, mime_type = found
    return web.Response(body=content, content_type=mime_type)
