"""The core of the local Telegram Bot API emulation: users, chats, messages, updates, rules.

One BotApiEmulator serves three clients: journey tests (through the in-process PTB request in
bot.sandbox.request), the sandbox's HTTP server (bot.sandbox.bot_api_http) and the web chat page,
which reads chat logs and long-polls `wait_for_change`. Scripted users act through the
`user_*` methods; the bot acts through `call`, which answers with the HTTP status and JSON body
Telegram would send, refusing what Telegram refuses (see bot.sandbox.rules).

Everything runs on one asyncio event loop; nothing here is thread-safe except waking waiters.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock, SystemClock
from bot.sandbox.params import Params, UploadedFile
from bot.sandbox.rules import (
    ApiError,
    FloodControl,
    FloodLimits,
    bad_request,
    check_callback_answer,
    check_caption,
    check_commands,
    check_reply_markup,
    check_text,
    forbidden,
    render,
    user_text_entities,
)

logger = logging.getLogger(__name__)

# Telegram's default when a bot never asked for specific update types.
_NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_READ_ONLY = frozenset(
    {"getme", "getupdates", "getmycommands", "getchat", "getchatmenubutton", "getfile"}
    | {"getwebhookinfo"}
)
_CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice"}
    | {"upload_document", "choose_sticker", "find_location", "record_video_note"}
    | {"upload_video_note"}
)
_MIN_POLL_OPTIONS, _MAX_POLL_OPTIONS = 2, 12
_BINARY = "application/octet-stream"
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


@dataclass
class ChatEntry:
    """One message as the chat shows it now: edits are applied in place, deletions remove it."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: datetime
    kind: str  # "text" | "photo" | "document" | "poll"
    text: str = ""
    entities: list[dict] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict] = field(default_factory=list)
    reply_markup: dict | None = None
    file_id: str | None = None
    file_name: str | None = None
    file_bytes: bytes | None = None
    mime_type: str | None = None
    poll: dict | None = None
    edited: int = 0
    edit_date: datetime | None = None
    reply_to_message_id: int | None = None


@dataclass(frozen=True)
class RejectedCall:
    """A bot call the emulator refused, as Telegram would have."""

    method: str
    chat_id: int | None
    status: int
    description: str
    time: datetime


@dataclass
class _Chat:
    user: dict
    log: list[ChatEntry] = field(default_factory=list)
    next_message_id: int = 1
    blocked: bool = False
    reply_keyboard: dict | None = None  # the custom keyboard the user currently sees


@dataclass
class _StoredFile:
    file_id: str
    unique_id: str
    name: str
    content: bytes | None  # None when the bot sent a URL instead of uploading
    mime_type: str
    path: str


@dataclass
class _PollState:
    chat_id: int
    message_id: int
    votes: dict[int, list[int]] = field(default_factory=dict)


def scope_key(scope: dict | None) -> str:
    """The key under which setMyCommands stores a BotCommandScope (default scope if None)."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


class BotApiEmulator:
    """An in-memory Telegram for one bot: private chats with scripted users."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        token: str = "123456:SANDBOX-TOKEN",
        bot_username: str = "RangkulBot",
        flood_limits: FloodLimits | None = None,
        queue_updates: bool = True,
    ) -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Rangkul",
            "username": bot_username,
        }
        self.rejected: list[RejectedCall] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.menu_buttons: dict[int | None, dict] = {}
        self.callback_answers: dict[str, dict] = {}  # query id -> {"text", "show_alert"}
        self._clock = clock or SystemClock()
        self._flood = FloodControl(flood_limits) if flood_limits else None
        self._queue_updates = queue_updates
        self._chats: dict[int, _Chat] = {}
        self._files: dict[str, _StoredFile] = {}
        self._polls: dict[str, _PollState] = {}
        self._open_callbacks: set[str] = set()
        self._updates: list[dict] = []
        self._allowed_updates: frozenset[str] | None = None
        self._poller: object | None = None
        self._ids = itertools.count(1)
        self._next_update_id = 1
        self._version = 0
        self._waiters: list[asyncio.Future] = []
        self._methods: dict[str, Callable[[Params], object]] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "getUpdates": self._get_updates,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageCaption": self._edit_message_caption,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "getFile": self._get_file,
                "sendPoll": self._send_poll,
                "stopPoll": self._stop_poll,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "sendChatAction": self._send_chat_action,
                "getChat": self._get_chat,
                "setChatMenuButton": self._set_chat_menu_button,
                "getChatMenuButton": self._get_chat_menu_button,
            }.items()
        }

    # ------------------------------------------------------------------ users' side

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str = "id",
        username: str | None = None,
    ) -> None:
        """Creates a user and their private chat with the bot (or renames an existing one)."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        user["language_code"] = language_code
        if user_id in self._chats:
            self._chats[user_id].user = user
        else:
            self._chats[user_id] = _Chat(user)
        self._bump()

    def user_sends_text(self, user_id: int, text: str) -> dict:
        """The user types a message (a blocked bot is unblocked first, as the app does)."""
        chat = self._user_chat(user_id)
        if chat.blocked:
            chat.blocked = False
            self._push_update("my_chat_member", self._membership_change(chat, "kicked", "member"))
        entry = self._add_entry(chat, "text", from_bot=False, text=text)
        entry.entities = user_text_entities(text)
        return self._push_update("message", self._message_json(entry))

    def user_presses_button(self, user_id: int, message_id: int, callback_data: str) -> dict:
        """The user taps an inline button; the data is not checked against the keyboard."""
        chat = self._user_chat(user_id)
        entry = self._find_entry(chat, message_id)
        if entry is None:
            raise LookupError("that message is not in the chat")
        query_id = str(next(self._ids))
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": chat.user,
            "message": self._message_json(entry),
            "chat_instance": str(user_id),
            "data": callback_data,
        }
        return self._push_update("callback_query", query)

    def user_answers_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> dict:
        """The user votes (an empty list retracts the vote); returns the poll_answer update.

        Telegram also sends the bot a `poll` update with the new tallies; it is queued too and
        is what this returns for an anonymous poll, where there is no poll_answer.
        """
        chat = self._user_chat(user_id)
        state = self._polls[poll_id]
        entry = self._find_entry(self._chats[state.chat_id], state.message_id)
        if entry is None or entry.poll is None or entry.poll["is_closed"]:
            raise ValueError("the poll is closed or gone")
        poll = entry.poll
        if any(not 0 <= i < len(poll["options"]) for i in option_ids) or (
            len(option_ids) > 1 and not poll["allows_multiple_answers"]
        ):
            raise ValueError("those options cannot be chosen in this poll")
        state.votes[user_id] = list(option_ids)
        if not option_ids:
            del state.votes[user_id]
        self._tally(poll, state)
        answer = None
        if not poll["is_anonymous"]:
            body = {"poll_id": poll_id, "user": chat.user, "option_ids": list(option_ids)}
            answer = self._push_update("poll_answer", body)
        state_update = self._push_update("poll", poll)
        return answer or state_update

    def user_blocks_bot(self, user_id: int) -> dict:
        """The user blocks the bot; sends to them fail with 403 until they write again."""
        chat = self._user_chat(user_id)
        chat.blocked = True
        return self._push_update("my_chat_member", self._membership_change(chat, "member", "kicked"))

    # ------------------------------------------------------------------ observation

    def chat_log(self, chat_id: int) -> list[ChatEntry]:
        """Every message in the chat, oldest first, as the user sees it now."""
        chat = self._chats.get(chat_id)
        return list(chat.log) if chat else []

    def bot_messages(self, chat_id: int) -> list[ChatEntry]:
        return [entry for entry in self.chat_log(chat_id) if entry.from_bot]

    def chat_ids(self) -> list[int]:
        return list(self._chats)

    def user(self, user_id: int) -> dict:
        """The Telegram User object of a scripted user."""
        return dict(self._user_chat(user_id).user)

    def reply_keyboard(self, chat_id: int) -> dict | None:
        """The custom (reply) keyboard the user currently sees, if any."""
        chat = self._chats.get(chat_id)
        return chat.reply_keyboard if chat else None

    def is_blocked(self, user_id: int) -> bool:
        return self._user_chat(user_id).blocked

    def find_button(self, chat_id: int, text: str) -> tuple[int, str]:
        """(message_id, callback_data) of the newest inline button labelled `text`."""
        for entry in reversed(self.bot_messages(chat_id)):
            for button in _inline_buttons(entry.reply_markup):
                if button.get("text") == text and "callback_data" in button:
                    return entry.message_id, button["callback_data"]
        raise LookupError(f"no inline button labelled {text!r} in chat {chat_id}")

    def pending_updates(self) -> list[dict]:
        """Updates queued for getUpdates and not yet confirmed by an offset."""
        return list(self._updates)

    def file_content(self, file_path: str) -> tuple[bytes, str] | None:
        """(content, MIME type) of an uploaded file by its getFile path."""
        for stored in self._files.values():
            if stored.path == file_path and stored.content is not None:
                return stored.content, stored.mime_type
        return None

    def version(self) -> int:
        """A counter bumped on every change (message, edit, update, refusal)."""
        return self._version

    async def wait_for_change(self, since: int, timeout: float) -> int:
        """Waits until version() differs from `since` or the timeout passes; returns it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._version == since and (remaining := deadline - loop.time()) > 0:
            await self._wait(remaining)
        return self._version

    # ------------------------------------------------------------------ bot's side

    async def call(
        self,
        token: str,
        method: str,
        params: dict,
        files: dict[str, UploadedFile] | None = None,
    ) -> tuple[int, dict]:
        """Runs one Bot API method; returns (HTTP status, JSON body) as Telegram would."""
        p = Params(params, files or {})
        handler = self._methods.get(method.lower())
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(p)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            self._reject(method, params.get("chat_id"), error)
            return error.status, error.body()
        if method.lower() not in _READ_ONLY:
            self._bump()
        return 200, {"ok": True, "result": result}

    def _reject(self, method: str, chat_id: object, error: ApiError) -> None:
        chat = int(str(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        self.rejected.append(
            RejectedCall(method, chat, error.status, error.description, self._clock.now())
        )
        logger.debug("refused %s with %s", method, error.status)
        self._bump()

    # -- getMe, webhooks, updates

    def _get_me(self, p: Params) -> dict:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, p: Params) -> bool:
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, p: Params) -> dict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _get_updates(self, p: Params) -> list[dict]:
        offset, limit = p.integer("offset"), p.integer("limit") or 100
        timeout = max(0, p.integer("timeout") or 0)
        allowed = p.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or None
        self._confirm(offset)
        # Telegram does not keep updates of types the bot did not ask for.
        self._updates = [u for u in self._updates if self._wanted(u)]
        # A newer getUpdates ends an older one with 409, exactly like Telegram does.
        token = self._poller = object()
        self._notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            batch = self._updates[: max(1, min(limit, 100))]
            if batch or (remaining := deadline - loop.time()) <= 0:
                return batch
            await self._wait(remaining)
            if self._poller is not token:
                raise ApiError(409, _CONFLICT)

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _wanted(self, update: dict) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed_updates is None:
            return kind not in _NOT_SENT_BY_DEFAULT
        return kind in self._allowed_updates

    # -- sending

    def _send_message(self, p: Params) -> dict:
        chat_id, chat = self._sendable_chat(p)
        text, entities = render(p.text("text") or "", p.text("parse_mode"), p.json("entities"))
        check_text(text)
        markup = self._reply_markup(p)
        reply_to = self._reply_target(chat, p)
        self._consume_flood(chat_id)
        entry = self._add_entry(chat, "text", from_bot=True, text=text, entities=entities)
        self._attach(chat, entry, markup, reply_to)
        return self._message_json(entry)

    def _send_photo(self, p: Params) -> dict:
        return self._send_file(p, "photo")

    def _send_document(self, p: Params) -> dict:
        return self._send_file(p, "document")

    def _send_file(self, p: Params, kind: str) -> dict:
        chat_id, chat = self._sendable_chat(p)
        upload = p.upload(kind)
        if not upload:
            raise bad_request(f"there is no {kind} in the request")
        caption, caption_entities = self._caption(p)
        markup = self._reply_markup(p)
        reply_to = self._reply_target(chat, p)
        stored = self._store_file(upload, kind)
        self._consume_flood(chat_id)
        entry = self._add_entry(chat, kind, from_bot=True, caption=caption)
        entry.caption_entities = caption_entities
        entry.file_id, entry.file_name = stored.file_id, stored.name
        entry.file_bytes, entry.mime_type = stored.content, stored.mime_type
        self._attach(chat, entry, markup, reply_to)
        return self._message_json(entry)

    def _send_poll(self, p: Params) -> dict:
        chat_id, chat = self._sendable_chat(p)
        question = (p.text("question") or "").strip()
        raw_options = p.json("options")
        options = [o.get("text") if isinstance(o, dict) else o for o in raw_options or []]
        if not question:
            raise bad_request("poll question must be non-empty")
        if len(options) < _MIN_POLL_OPTIONS:
            raise bad_request(f"poll must have at least {_MIN_POLL_OPTIONS} option")
        if len(options) > _MAX_POLL_OPTIONS:
            raise bad_request(f"poll can't have more than {_MAX_POLL_OPTIONS} options")
        markup = self._reply_markup(p)
        reply_to = self._reply_target(chat, p)
        self._consume_flood(chat_id)
        poll_id = str(next(self._ids))
        entry = self._add_entry(chat, "poll", from_bot=True)
        entry.poll = {
            "id": poll_id,
            "question": question,
            "options": [{"text": str(text), "voter_count": 0} for text in options],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": p.flag("is_anonymous", default=True),
            "type": p.text("type") or "regular",
            "allows_multiple_answers": p.flag("allows_multiple_answers"),
        }
        self._polls[poll_id] = _PollState(chat_id, entry.message_id)
        self._attach(chat, entry, markup, reply_to)
        return self._message_json(entry)

    def _stop_poll(self, p: Params) -> dict:
        chat = self._known_chat(p)
        entry = self._find_entry(chat, p.message_id())
        if entry is None or entry.poll is None:
            raise bad_request("message with poll to stop not found")
        if entry.poll["is_closed"]:
            raise bad_request("poll has already been closed")
        markup = self._inline_markup(p)
        entry.poll["is_closed"] = True
        entry.reply_markup = markup
        self._push_update("poll", entry.poll)
        return copy.deepcopy(entry.poll)

    def _send_chat_action(self, p: Params) -> bool:
        self._sendable_chat(p)
        if p.text("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # -- editing and deleting

    def _edit_message_text(self, p: Params) -> dict:
        chat_id, entry = self._editable(p)
        if entry.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text, entities = render(p.text("text") or "", p.text("parse_mode"), p.json("entities"))
        check_text(text)
        # Omitting reply_markup removes the keyboard, as on Telegram.
        markup = self._inline_markup(p)
        if (text, entities, markup) == (entry.text, entry.entities, entry.reply_markup):
            raise bad_request(_NOT_MODIFIED)
        self._consume_flood(chat_id)
        entry.text, entry.entities, entry.reply_markup = text, entities, markup
        return self._edited(entry)

    def _edit_message_caption(self, p: Params) -> dict:
        chat_id, entry = self._editable(p)
        if entry.kind not in {"photo", "document"}:
            raise bad_request("there is no caption in the message to edit")
        caption, caption_entities = self._caption(p)
        markup = self._inline_markup(p)
        current = (entry.caption, entry.caption_entities, entry.reply_markup)
        if (caption, caption_entities, markup) == current:
            raise bad_request(_NOT_MODIFIED)
        self._consume_flood(chat_id)
        entry.caption, entry.caption_entities, entry.reply_markup = caption, caption_entities, markup
        return self._edited(entry)

    def _edit_message_reply_markup(self, p: Params) -> dict:
        chat_id, entry = self._editable(p)
        markup = self._inline_markup(p)
        if markup == entry.reply_markup:
            raise bad_request(_NOT_MODIFIED)
        self._consume_flood(chat_id)
        entry.reply_markup = markup
        return self._edited(entry)

    def _delete_message(self, p: Params) -> bool:
        chat = self._known_chat(p)
        entry = self._find_entry(chat, p.message_id())
        if entry is None:
            raise bad_request("message to delete not found")
        chat.log.remove(entry)
        return True

    def _editable(self, p: Params) -> tuple[int, ChatEntry]:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # the bot has no inline mode
        chat = self._known_chat(p)
        entry = self._find_entry(chat, p.message_id())
        if entry is None:
            raise bad_request("message to edit not found")
        if not entry.from_bot:
            raise bad_request("message can't be edited")
        return chat.user["id"], entry

    def _edited(self, entry: ChatEntry) -> dict:
        entry.edited += 1
        entry.edit_date = self._clock.now()
        return self._message_json(entry)

    # -- callbacks, commands, chats, files

    def _answer_callback_query(self, p: Params) -> bool:
        query_id = p.text("callback_query_id") or ""
        if query_id not in self._open_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.text("text")
        check_callback_answer(text)
        self._open_callbacks.discard(query_id)
        self.callback_answers[query_id] = {"text": text, "show_alert": p.flag("show_alert")}
        return True

    def _set_my_commands(self, p: Params) -> bool:
        commands = check_commands(p.json("commands"))
        self.commands[self._commands_key(p)] = commands
        return True

    def _get_my_commands(self, p: Params) -> list[dict]:
        return list(self.commands.get(self._commands_key(p), []))

    def _delete_my_commands(self, p: Params) -> bool:
        self.commands.pop(self._commands_key(p), None)
        return True

    @staticmethod
    def _commands_key(p: Params) -> tuple[str, str]:
        scope = p.json("scope")
        return scope_key(scope if isinstance(scope, dict) else None), p.text("language_code") or ""

    def _get_chat(self, p: Params) -> dict:
        user = self._known_chat(p).user
        return self._chat_json(user) | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _set_chat_menu_button(self, p: Params) -> bool:
        chat_id = p.chat_id() if p.has("chat_id") else None
        if chat_id is not None and chat_id not in self._chats:
            raise bad_request("chat not found")
        button = p.json("menu_button")
        self.menu_buttons[chat_id] = button if isinstance(button, dict) else {"type": "default"}
        return True

    def _get_chat_menu_button(self, p: Params) -> dict:
        chat_id = p.chat_id() if p.has("chat_id") else None
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    def _get_file(self, p: Params) -> dict:
        stored = self._files.get(p.text("file_id") or "")
        if stored is None or stored.content is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(stored.content),
            "file_path": stored.path,
        }

    # ------------------------------------------------------------------ helpers

    def _user_chat(self, user_id: int) -> _Chat:
        if user_id not in self._chats:
            raise KeyError(f"unknown user {user_id}: call add_user first")
        return self._chats[user_id]

    def _known_chat(self, p: Params) -> _Chat:
        chat = self._chats.get(p.chat_id())
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _sendable_chat(self, p: Params) -> tuple[int, _Chat]:
        chat = self._known_chat(p)
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat.user["id"], chat

    def _consume_flood(self, chat_id: int) -> None:
        if self._flood is not None:
            self._flood.consume(chat_id)

    def _caption(self, p: Params) -> tuple[str | None, list[dict]]:
        raw = p.text("caption")
        if raw is None:
            return None, []
        caption, entities = render(raw, p.text("parse_mode"), p.json("caption_entities"))
        check_caption(caption)
        return caption or None, entities

    def _reply_markup(self, p: Params) -> dict | None:
        return check_reply_markup(p.json("reply_markup"))

    def _inline_markup(self, p: Params) -> dict | None:
        markup = self._reply_markup(p)
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("can't parse inline keyboard markup JSON object")
        return markup or None

    def _reply_target(self, chat: _Chat, p: Params) -> int | None:
        reply = p.json("reply_parameters")
        if isinstance(reply, dict):
            target, lenient = reply.get("message_id"), bool(reply.get("allow_sending_without_reply"))
        else:
            target, lenient = p.integer("reply_to_message_id"), False
        if target is None or self._find_entry(chat, int(target)) is not None:
            return target
        if lenient:
            return None
        raise bad_request("message to be replied not found")

    def _attach(
        self, chat: _Chat, entry: ChatEntry, markup: dict | None, reply_to: int | None
    ) -> None:
        entry.reply_markup = markup
        entry.reply_to_message_id = reply_to
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and "remove_keyboard" in markup:
            chat.reply_keyboard = None

    def _store_file(self, upload: UploadedFile | str, kind: str) -> _StoredFile:
        content: bytes | None
        if isinstance(upload, str):
            if upload in self._files:
                return self._files[upload]  # a file_id the bot got back earlier
            # A URL: Telegram would fetch it; the emulator only remembers the name.
            name, content, mime_type = upload.rsplit("/", 1)[-1] or kind, None, _BINARY
        else:
            name, content, mime_type = upload
        number = next(self._ids)
        extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
        stored = _StoredFile(
            file_id=f"SANDBOX-{kind}-{number}",
            unique_id=f"U{number}",
            name=name,
            content=content,
            mime_type=mime_type,
            path=f"{kind}s/file_{number}.{extension}",
        )
        self._files[stored.file_id] = stored
        return stored

    def _find_entry(self, chat: _Chat, message_id: int) -> ChatEntry | None:
        return next((e for e in chat.log if e.message_id == message_id), None)

    def _add_entry(self, chat: _Chat, kind: str, *, from_bot: bool, **fields: Any) -> ChatEntry:
        entry = ChatEntry(
            message_id=chat.next_message_id,
            chat_id=chat.user["id"],
            from_bot=from_bot,
            date=self._clock.now(),
            kind=kind,
            **fields,
        )
        chat.next_message_id += 1
        chat.log.append(entry)
        return entry

    def _tally(self, poll: dict, state: _PollState) -> None:
        for index, option in enumerate(poll["options"]):
            option["voter_count"] = sum(index in chosen for chosen in state.votes.values())
        poll["total_voter_count"] = len(state.votes)

    def _membership_change(self, chat: _Chat, old: str, new: str) -> dict:
        def member(status: str) -> dict:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self.bot_user} | extra

        return {
            "chat": self._chat_json(chat.user),
            "from": chat.user,
            "date": self._timestamp(self._clock.now()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }

    # -- JSON shapes

    @staticmethod
    def _chat_json(user: dict) -> dict:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    @staticmethod
    def _timestamp(moment: datetime) -> int:
        return int(moment.timestamp())

    def _message_json(self, entry: ChatEntry, *, nested: bool = False) -> dict:
        chat = self._chats[entry.chat_id]
        message: dict = {
            "message_id": entry.message_id,
            "from": self.bot_user if entry.from_bot else chat.user,
            "chat": self._chat_json(chat.user),
            "date": self._timestamp(entry.date),
        }
        if entry.edit_date is not None:
            message["edit_date"] = self._timestamp(entry.edit_date)
        message |= self._content_json(entry)
        if entry.reply_markup and "inline_keyboard" in entry.reply_markup:
            message["reply_markup"] = entry.reply_markup  # only inline keyboards are echoed
        target = self._find_entry(chat, entry.reply_to_message_id or 0)
        if target is not None and not nested:
            message["reply_to_message"] = self._message_json(target, nested=True)
        return message

    def _content_json(self, entry: ChatEntry) -> dict:
        if entry.kind == "text":
            content: dict = {"text": entry.text}
            if entry.entities:
                content["entities"] = entry.entities
            return content
        if entry.kind == "poll":
            return {"poll": entry.poll}
        stored = self._files[entry.file_id or ""]
        size = len(stored.content or b"")
        ids = {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_size": size}
        if entry.kind == "photo":
            width, height = _png_size(stored.content or b"")
            content = {"photo": [ids | {"width": width, "height": height}]}
        else:
            content = {
                "document": ids | {"file_name": stored.name, "mime_type": stored.mime_type}
            }
        if entry.caption is not None:
            content["caption"] = entry.caption
            if entry.caption_entities:
                content["caption_entities"] = entry.caption_entities
        return content

    # -- updates and change notification

    def _push_update(self, kind: str, body: dict) -> dict:
        # A snapshot: later edits or votes must not change an update already delivered.
        update = {"update_id": self._next_update_id, kind: copy.deepcopy(body)}
        self._next_update_id += 1
        if self._queue_updates:
            self._updates.append(update)
        self._bump()
        return update

    def _bump(self) -> None:
        self._version += 1
        self._notify()

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            _wake(waiter)

    async def _wait(self, timeout: float) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)


def _wake(waiter: asyncio.Future) -> None:
    """Resolves a waiter from its own loop, even when the change came from another thread."""
    loop = waiter.get_loop()
    try:
        same_loop = asyncio.get_running_loop() is loop
    except RuntimeError:
        same_loop = False
    if same_loop:
        _resolve(waiter)
    elif not loop.is_closed():
        loop.call_soon_threadsafe(_resolve, waiter)


def _resolve(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _inline_buttons(markup: dict | None) -> list[dict]:
    rows = (markup or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def _png_size(content: bytes) -> tuple[int, int]:
    """Width and height from a PNG header (the bot's charts are PNG); 0 x 0 otherwise."""
    if content[:8] != b"\x89PNG\r\n\x1a\n" or len(content) < 24:
        return 0, 0
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
