"""Telegram's rules for what a bot may send, with Telegram's own error descriptions.

Each check raises ApiError carrying the HTTP status and the description Telegram answers with,
so PTB raises the same exception class with the same text it would raise against Telegram.
Flood control lives here too; it measures the bot's real sending speed (time.monotonic by
default), not the application's injected clock, because Telegram throttles the actual request
rate. A test may hand it seconds of its own: the browser tests step them by a second per action
of a person instead of waiting that second.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.entities import (
    EntityParseError,
    LinkError,
    bot_command_entities,
    check_link,
    parse_html,
    utf16_len,
)

MAX_TEXT_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
MAX_CALLBACK_ANSWER = 200
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_INLINE_BUTTONS_PER_ROW = 8
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")

# The fields that make an inline button do something; the Bot API says "exactly one".
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


class ApiError(Exception):
    """A refused Bot API call: HTTP status, Telegram's description, optional retry_after."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        injected: bool = False,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.injected = injected  # a fault a test asked for (bot.sandbox.faults), not a refusal

    def body(self) -> dict:
        """The JSON body Telegram answers with."""
        body: dict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    return ApiError(403, f"Forbidden: {reason}")


def render(text: str, parse_mode: str | None, entities: list[dict] | None) -> tuple[str, list]:
    """Plain text and entities of a bot's text or caption, parsed like Telegram parses it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON "\\ud83d"
        raise bad_request("text must be encoded in UTF-8") from None
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(text)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from error
    if mode:
        # Telegram also knows Markdown and MarkdownV2; Rangkul renders HTML only, so anything
        # else here is a bug in the bot rather than something worth emulating.
        raise bad_request("unsupported parse_mode")
    return text, list(entities or [])


def check_text(text: str) -> None:
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT_UTF16:
        raise bad_request("message is too long")


def check_caption(caption: str) -> None:
    if utf16_len(caption) > MAX_CAPTION_UTF16:
        raise bad_request("message caption is too long")


def check_callback_answer(text: str | None) -> None:
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")


def user_text_entities(text: str) -> list[dict]:
    """Entities Telegram detects in a user's own message (commands are what the bot routes on)."""
    return bot_command_entities(text)


def check_reply_markup(markup: object) -> dict | None:
    """Validates a reply_markup and returns it; inline keyboards get every rule."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        for button in (b for row in _rows(markup["keyboard"], "keyboard") for b in row):
            if isinstance(button, dict) and not isinstance(button.get("text"), str):
                raise bad_request("can't parse keyboard button: Can't find field \"text\"")
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def check_inline_keyboard(rows: object) -> None:
    rows = _rows(rows, "inline keyboard")
    # Telegram's answer for an oversized keyboard; it does not document a separate text for
    # a row wider than 8 buttons, so the same description is used for both (our choice).
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS or any(
        len(row) > MAX_INLINE_BUTTONS_PER_ROW for row in rows
    ):
        raise bad_request("reply markup is too long")
    for button in (b for row in rows for b in row):
        _check_inline_button(button)


def _rows(rows: object, what: str) -> list[list]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f"can't parse {what} JSON object: field must be an Array of Arrays")
    return rows


def _check_inline_button(button: object) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(prefix + 'Can\'t find field "text"')
    actions = [name for name in _INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        # Telegram quietly uses one of them; the Bot API says "exactly one", so we refuse.
        raise bad_request(prefix + "exactly one of the optional fields must be used")
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        try:
            check_link(str(button["url"]))
        except LinkError as error:
            raise bad_request(
                f"inline keyboard button URL '{button['url']}' is invalid: {error}"
            ) from error


def check_commands(commands: object) -> list[dict]:
    """setMyCommands' list: lowercase 1-32 char commands with 1-256 char descriptions."""
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not isinstance(command.get("description"), str):
            raise bad_request("can't parse BotCommand: Can't find field \"description\"")
        if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(command["description"].strip()) <= MAX_COMMAND_DESCRIPTION:
            raise bad_request("command description must be non-empty")
    return [{"command": c["command"], "description": c["description"]} for c in commands]


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's sending limits: overall, per private chat (with a short burst), per group."""

    global_per_second: float = 30.0
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20


_ROUNDING = 1e-9


class _Bucket:
    """A token bucket: `capacity` sends at once, refilled at `rate` per second."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity, self.rate = capacity, rate
        self.tokens, self.stamp = capacity, now

    def wait_needed(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        # A send the bot's limiter timed to the instant its turn comes may find the refill a
        # rounding error short of a whole token (0.6 + 0.4 < 1.0 in floats): that is on time.
        return 0.0 if self.tokens >= 1 - _ROUNDING else (1 - self.tokens) / self.rate


class FloodControl:
    """Counts the bot's sends and answers 429 with retry_after when a limit is exceeded."""

    def __init__(
        self, limits: FloodLimits, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._limits = limits
        self._monotonic = monotonic
        self._global = _Bucket(limits.global_per_second, limits.global_per_second, monotonic())
        self._chats: dict[int, _Bucket] = {}

    def consume(self, chat_id: int) -> None:
        """Records one send to chat_id, or raises ApiError(429) without recording it."""
        now = self._monotonic()
        buckets = (self._global, self._chat_bucket(chat_id, now))
        wait = max(bucket.wait_needed(now) for bucket in buckets)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        for bucket in buckets:
            bucket.tokens -= 1

    def _chat_bucket(self, chat_id: int, now: float) -> _Bucket:
        if chat_id not in self._chats:
            limits = self._limits
            # Positive ids are private chats, negative ids are groups (as in Telegram).
            self._chats[chat_id] = (
                _Bucket(limits.private_burst, limits.private_per_second, now)
                if chat_id > 0
                else _Bucket(limits.group_per_minute, limits.group_per_minute / 60, now)
            )
        return self._chats[chat_id]
