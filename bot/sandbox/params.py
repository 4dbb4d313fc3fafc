"""Reading Bot API call parameters the way Telegram's server does.

A parameter arrives either as a JSON value (JSON body) or as a string (query string, form
fields, multipart fields; PTB's HTTP client sends everything this way, objects JSON-encoded).
Telegram accepts both, so every accessor here accepts both.
"""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.rules import bad_request

UploadedFile = tuple[str, bytes, str]  # (file name, content, MIME type)

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0", ""})


class Params:
    """The parameters and uploaded files of one call."""

    def __init__(self, values: dict, files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"wrong parameter {name} in request") from None

    def number(self, name: str) -> float | None:
        """A duration such as getUpdates' timeout (PTB may send fractional seconds)."""
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"wrong parameter {name} in request") from None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        lowered = str(value).lower()
        if lowered not in _TRUE | _FALSE:
            raise bad_request(f"wrong parameter {name} in request")
        return lowered in _TRUE

    def json(self, name: str) -> Any:
        """An object or array parameter; strings are decoded as JSON, as Telegram does (the
        shape is the caller's to check, as for any decoded JSON)."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name
            raise bad_request(f"can't parse {what} JSON object") from None

    def chat_id(self) -> int:
        """chat_id as an integer; `@username` chats do not exist in the emulator."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None

    def message_id(self) -> int:
        message_id = self.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        return message_id

    def upload(self, name: str) -> UploadedFile | str | None:
        """A file parameter: an uploaded file, or a file_id/URL string, or None."""
        if name in self.files:
            return self.files[name]
        reference = self.text(name)
        if reference and reference.startswith("attach://"):
            return self.files.get(reference.removeprefix("attach://"))
        return reference
