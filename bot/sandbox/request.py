"""The in-process front of the Bot API emulation: a PTB BaseRequest that calls the core directly.

`telegram.Bot(token, request=EmulatorRequest(emulator), get_updates_request=...)` then talks to
the emulator without sockets, the shape PTB's own test suite uses. Parameters are taken in their
wire form (`json_parameters`: strings, objects JSON-encoded), exactly what PTB's HTTP client
would post, so both fronts exercise the same parsing in the core.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import unquote, urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.sandbox.emulator import BotApiEmulator, ConnectionDropped, RequestHangs, RequestTimedOut
from bot.sandbox.params import UploadedFile

_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}


class EmulatorRequest(BaseRequest):
    """Serves PTB's Bot API requests from a BotApiEmulator in the same event loop.

    ``latency`` (seconds) is a simulated network round trip added to every call, so a benchmark
    can show what start-up or a reply costs when Telegram is 50 ms away rather than in-process.
    ``hang_timeout`` (seconds) is how long the client waits on a hanging call (an injected
    ``"hang"`` fault) before it gives up with TimedOut: PTB's default read timeout.
    """

    def __init__(
        self, emulator: BotApiEmulator, *, latency: float = 0.0, hang_timeout: float = 5.0
    ) -> None:
        if latency < 0 or hang_timeout < 0:
            raise ValueError("latency and hang_timeout cannot be negative")
        self.emulator = emulator
        self.latency = latency
        self.hang_timeout = hang_timeout

    @property
    def read_timeout(self) -> float | None:
        return None  # nothing to time out: the core answers (or long-polls) in-process

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Routes `.../bot<token>/<method>` to the core, `.../file/bot<token>/<path>` to files."""
        path = unquote(urlsplit(url).path)
        if "/file/bot" in path:
            return self._download(path.split("/file/bot", 1)[1])
        token, _, api_method = path.rsplit("/bot", 1)[-1].partition("/")
        params = request_data.json_parameters if request_data else {}
        files = _files(request_data) if request_data and request_data.contains_files else {}
        if self.latency:
            await asyncio.sleep(self.latency)  # the whole round trip, before the core answers
        try:
            status, body = await self.emulator.call(token, api_method, params, files)
        except RequestTimedOut as exc:
            raise TimedOut from exc  # what PTB's HTTP client raises when no answer comes
        except RequestHangs as exc:
            await asyncio.sleep(self.hang_timeout)  # the client's read timeout runs out
            raise TimedOut from exc
        except ConnectionDropped as exc:
            # What PTB's HTTPX client raises for httpx.RemoteProtocolError.
            raise NetworkError("httpx.RemoteProtocolError: Server disconnected") from exc
        return status, json.dumps(body).encode()

    def _download(self, token_and_path: str) -> tuple[int, bytes]:
        token, _, file_path = token_and_path.partition("/")
        found = self.emulator.file_content(file_path) if token == self.emulator.token else None
        if found is None:
            return 404, json.dumps(_NOT_FOUND).encode()
        return 200, found[0]


def _files(request_data: RequestData) -> dict[str, UploadedFile]:
    """The multipart parts PTB would upload, as (file name, bytes, MIME type)."""
    files: dict[str, UploadedFile] = {}
    for part, (name, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        files[part] = (name, data, mime_type)
    return files
