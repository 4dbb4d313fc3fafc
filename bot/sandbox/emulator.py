"""The core of the local Telegram Bot API emulation: users, chats, updates, and the bot's calls.

One BotApiEmulator serves three clients: journey tests (through the in-process PTB request in
bot.sandbox.request), the sandbox's HTTP server (bot.sandbox.bot_api_http) and the web chat page,
which reads chat logs and long-polls `wait_for_change`. Scripted users act through the
`user_*` methods; the bot acts through `call`, which answers with the HTTP status and JSON body
Telegram would send, refusing what Telegram refuses (bot.sandbox.rules). The chat-facing methods
live in bot.sandbox.methods, the stored state in bot.sandbox.store.

Everything runs on one asyncio event loop; only waking waiters is safe from another thread.
"""

from __future__ import annotations

import asyncio
import collections
import copy
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock, SystemClock
from bot.sandbox.faults import (
    ConnectionDropped,
    Faults,
    NoAnswer,
    RequestHangs,
    RequestTimedOut,
)
from bot.sandbox.group_members import GroupMembers
from bot.sandbox.methods import BotMethods, Handler, scope_key
from bot.sandbox.params import Params, UploadedFile
from bot.sandbox.rules import ApiError, FloodControl, FloodLimits, user_text_entities
from bot.sandbox.store import Chat, ChatEntry, ChatStore, inline_buttons
from bot.sandbox.webhook_push import WebhookPush

__all__ = [
    "BotApiEmulator",
    "ChatEntry",
    "ConnectionDropped",
    "FloodLimits",
    "NoAnswer",
    "RejectedCall",
    "RequestHangs",
    "RequestTimedOut",
    "scope_key",
]

logger = logging.getLogger(__name__)

# Telegram's default when a bot never asked for specific update types.
_NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_READ_ONLY = frozenset(
    {"getme", "getupdates", "getmycommands", "getchat", "getchatmenubutton", "getfile"}
    | {"getwebhookinfo"}
)
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
# Telegram's refusal while a webhook is set (quoted in reo7sp/tgbot-cpp#158,
# m1guelpf/chatgpt-telegram#40 and Steffo99/greed#155).
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)


@dataclass(frozen=True)
class RejectedCall:
    """A bot call the emulator refused, as Telegram would have."""

    method: str
    chat_id: int | None
    status: int
    description: str
    time: datetime


class BotApiEmulator:
    """An in-memory Telegram for one bot: private chats with scripted users, group chats the
    bot was added to, and faults on request (``faults``)."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        token: str = "123456:SANDBOX-TOKEN",
        bot_username: str = "RangkulBot",
        flood_limits: FloodLimits | None = None,
        flood_clock: Callable[[], float] = time.monotonic,
        queue_updates: bool = True,
        plain_http_webhooks: bool = False,
    ) -> None:
        """``plain_http_webhooks``: a test mode in which setWebhook also accepts http:// on a
        loopback address (Telegram requires https; bot.sandbox.webhook_push)."""
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Rangkul",
            "username": bot_username,
        }
        self.rejected: list[RejectedCall] = []
        self.faults = Faults()
        self._clock = clock or SystemClock()
        self._store = ChatStore(self._clock, self.bot_user)
        flood = FloodControl(flood_limits, flood_clock) if flood_limits else None
        self._bot_methods = BotMethods(self._store, flood, self._push_update)
        self._groups = GroupMembers(
            self._store, self._push_update, lambda: self._store.timestamp(self._clock.now())
        )
        self._queue_updates = queue_updates
        self._updates: list[dict] = []
        # The newest updates, also when not queued: a journey test delivers those the bot's
        # own calls caused (an approved join request's chat_member).
        self._recent: collections.deque[dict] = collections.deque(maxlen=100)
        self._allowed_updates: frozenset[str] | None = None
        self._poller: object | None = None
        self._next_update_id = 1
        self._version = 0
        self._waiters: list[asyncio.Future] = []
        self._webhook = WebhookPush(
            next_update=self._next_wanted_update,
            delivered=lambda update_id: self._confirm(update_id + 1),
            wait=self._wait,
            now=lambda: self._store.timestamp(self._clock.now()),
            plain_http_webhooks=plain_http_webhooks,
        )
        own: dict[str, Handler] = {
            "getMe": self._get_me,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getUpdates": self._get_updates,
        }
        # Telegram matches method names case-insensitively.
        self._methods = {
            name.lower(): handler
            for name, handler in (
                own | self._bot_methods.handlers() | self._groups.handlers()
            ).items()
        }

    @property
    def commands(self) -> dict[tuple[str, str], list[dict]]:
        """setMyCommands' lists by (scope_key(scope), language_code)."""
        return self._bot_methods.commands

    @property
    def menu_buttons(self) -> dict[int | None, dict]:
        """setChatMenuButton's buttons by chat id (None: the default for all chats)."""
        return self._bot_methods.menu_buttons

    @property
    def callback_answers(self) -> dict[str, dict]:
        """answerCallbackQuery's answers by query id: {"text", "show_alert"}."""
        return self._bot_methods.callback_answers

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
        user: dict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        user["language_code"] = language_code
        if user_id in self._store.chats:
            self._store.chats[user_id].user = user
        else:
            self._store.chats[user_id] = Chat(user)
        self._bump()

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        supergroup: bool = False,
        admins: tuple[int, ...] = (),
        bot_rights: dict[str, bool] | None = None,
    ) -> None:
        """A group chat (negative id, as in Telegram) that the bot is a member of: an
        administrator with ``bot_rights`` when given. ``admins``: users who administer it
        (the first is its creator)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        group_type = "supergroup" if supergroup else "group"
        chat = Chat({"id": chat_id, "title": title}, group_type=group_type)
        for position, user_id in enumerate(admins):
            status = "creator" if position == 0 else "administrator"
            chat.members[user_id] = (status, {"can_invite_users": True})
        if bot_rights is not None:
            chat.bot_status, chat.bot_rights = "administrator", dict(bot_rights)
        self._store.chats[chat_id] = chat
        self._bump()

    def set_member(
        self, chat_id: int, user_id: int, status: str, rights: dict[str, bool] | None = None
    ) -> dict | None:
        """Sets a user's status in a group ('member', 'administrator', 'left', 'kicked' …), or
        the bot's (its own user id): a bot removed gets my_chat_member, and from then on its
        sends to the group are refused. Returns the update Telegram sends, if any."""
        return self._groups.set_status(chat_id, user_id, status, rights)

    def user_requests_to_join(self, user_id: int, chat_id: int) -> dict:
        """The user asks to join a group through its "request to join" invite link."""
        return self._groups.request_to_join(user_id, chat_id)

    def join_requests(self, chat_id: int) -> set[int]:
        """Users whose requests to join the group wait for an answer."""
        return set(self._groups.group(chat_id).join_requests)

    def member_status(self, chat_id: int, user_id: int) -> str:
        return str(self._groups.member(self._groups.group(chat_id), user_id)["status"])

    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        entities: list[dict] | None = None,
    ) -> dict:
        """The user types a message, privately or (``chat_id``) in a group chat; ``entities``:
        the formatting they chose (bold, links …) besides the commands Telegram detects.

        Writing privately to a blocked bot unblocks it first, as the app does.
        """
        chat, sender = self._chat_of(user_id, chat_id)
        self._unblock(chat)
        entry = self._store.add_entry(
            chat,
            "text",
            from_bot=False,
            text=text,
            entities=user_text_entities(text) + list(entities or []),
            sender=sender,
        )
        return self._push_update("message", self._store.message_json(entry))

    def user_sends_file(
        self,
        user_id: int,
        kind: str,
        upload: UploadedFile,
        *,
        caption: str | None = None,
        caption_entities: list[dict] | None = None,
    ) -> dict:
        """The user sends a photo or document (``kind``) privately, with an optional caption."""
        if kind not in {"photo", "document"}:
            raise ValueError("a user sends a photo or a document")
        chat = self._store.user_chat(user_id)
        self._unblock(chat)
        stored = self._store.store_file(upload, kind)
        entry = self._store.add_entry(
            chat,
            kind,
            from_bot=False,
            caption=caption,
            caption_entities=list(caption_entities or []),
            file_id=stored.file_id,
            file_name=stored.name,
            file_bytes=stored.content,
            mime_type=stored.mime_type,
        )
        return self._push_update("message", self._store.message_json(entry))

    def _unblock(self, chat: Chat) -> None:
        """Writing privately to a blocked bot unblocks it, and Telegram tells the bot."""
        if chat.blocked:
            chat.blocked = False
            self._push_update("my_chat_member", self._membership(chat, "kicked", "member"))

    def user_edits_text(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> dict:
        """The user edits a message they sent; Telegram sends the bot an edited_message."""
        chat, _ = self._chat_of(user_id, chat_id)
        entry = self._store.find_entry(chat, message_id)
        if entry is None or entry.from_bot:
            raise LookupError(f"the user sent no message {message_id} in chat {chat.id}")
        entry.text, entry.entities = text, user_text_entities(text)
        entry.edited += 1
        entry.edit_date = self._clock.now()
        return self._push_update("edited_message", self._store.message_json(entry))

    def user_presses_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        chat_id: int | None = None,
        inaccessible: bool = False,
    ) -> dict:
        """The user taps an inline button (in a group chat with ``chat_id``); the data is not
        checked against the keyboard. ``inaccessible``: the message is too old for Telegram to
        send with the press, so only its chat, id and a date of 0 come (InaccessibleMessage)."""
        chat, _ = self._chat_of(user_id, chat_id)
        entry = self._store.find_entry(chat, message_id)
        if entry is None:
            raise LookupError(f"message {message_id} is not in chat {chat.id}")
        query_id = self._store.new_id()
        self._store.open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": self._store.user_chat(user_id).user,
            "message": (
                {"chat": self._store.chat_json(chat), "message_id": message_id, "date": 0}
                if inaccessible
                else self._store.message_json(entry)
            ),
            "chat_instance": str(chat.id),
            "data": callback_data,
        }
        return self._push_update("callback_query", query)

    def _chat_of(self, user_id: int, chat_id: int | None) -> tuple[Chat, dict | None]:
        """The chat a user acts in, and the sender to record (None in their private chat)."""
        user = self._store.user_chat(user_id).user
        if chat_id is None or chat_id == user_id:
            return self._store.user_chat(user_id), None
        chat = self._store.chats.get(chat_id)
        if chat is None or chat.group_type is None:
            raise KeyError(f"unknown group chat {chat_id}: call add_group first")
        return chat, user

    def user_answers_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> dict:
        """The user votes (an empty list retracts the vote); returns the poll_answer update.

        Telegram also sends the bot a `poll` update with the new tallies; it is queued too and
        is what this returns for an anonymous poll, where there is no poll_answer.
        """
        chat = self._store.user_chat(user_id)
        poll = self._store.poll(poll_id)
        if poll["is_closed"]:
            raise ValueError("the poll is closed")
        if any(not 0 <= i < len(poll["options"]) for i in option_ids) or (
            len(option_ids) > 1 and not poll["allows_multiple_answers"]
        ):
            raise ValueError("those options cannot be chosen in this poll")
        votes = self._store.polls[poll_id].votes
        votes[user_id] = list(option_ids)
        if not option_ids:
            del votes[user_id]
        poll = self._store.tally(poll_id)
        answer = None
        if not poll["is_anonymous"]:
            body = {
                "poll_id": poll_id,
                "user": chat.user,
                "option_ids": list(option_ids),
                "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in option_ids],
            }
            answer = self._push_update("poll_answer", body)
        state_update = self._push_update("poll", poll)
        return answer or state_update

    def user_blocks_bot(self, user_id: int) -> dict:
        """The user blocks the bot; sends to them fail with 403 until they write again."""
        chat = self._store.user_chat(user_id)
        chat.blocked = True
        return self._push_update("my_chat_member", self._membership(chat, "member", "kicked"))

    def _membership(self, chat: Chat, old: str, new: str) -> dict:
        """A my_chat_member body: the bot's status in the user's chat went from old to new."""

        def member(status: str) -> dict:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self.bot_user} | extra

        return {
            "chat": self._store.chat_json(chat),
            "from": chat.user,
            "date": self._store.timestamp(self._clock.now()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }

    # ------------------------------------------------------------------ observation

    def chat_log(self, chat_id: int) -> list[ChatEntry]:
        """Every message in the chat, oldest first, as the user sees it now."""
        chat = self._store.chats.get(chat_id)
        return list(chat.log) if chat else []

    def bot_messages(self, chat_id: int) -> list[ChatEntry]:
        return [entry for entry in self.chat_log(chat_id) if entry.from_bot]

    def chat_ids(self) -> list[int]:
        return list(self._store.chats)

    def groups(self) -> list[tuple[int, str]]:
        """(chat id, title) of every group chat."""
        return [
            (chat.id, str(chat.user["title"]))
            for chat in self._store.chats.values()
            if chat.group_type is not None
        ]

    def user(self, user_id: int) -> dict:
        """The Telegram User object of a scripted user."""
        return dict(self._store.user_chat(user_id).user)

    def is_blocked(self, user_id: int) -> bool:
        return self._store.user_chat(user_id).blocked

    def reply_keyboard(self, chat_id: int) -> dict | None:
        """The custom (reply) keyboard the user currently sees, if any."""
        chat = self._store.chats.get(chat_id)
        return chat.reply_keyboard if chat else None

    def find_button(self, chat_id: int, text: str) -> tuple[int, str]:
        """(message_id, callback_data) of the newest inline button labelled `text`."""
        for entry in reversed(self.bot_messages(chat_id)):
            for button in inline_buttons(entry.reply_markup):
                if button.get("text") == text and "callback_data" in button:
                    return entry.message_id, button["callback_data"]
        raise LookupError(f"no inline button labelled {text!r} in chat {chat_id}")

    def updates_after(self, update_id: int, kind: str) -> list[dict]:
        """The recent updates of ``kind`` newer than ``update_id``, queued or not."""
        return [u for u in self._recent if u["update_id"] > update_id and kind in u]

    def pending_updates(self) -> list[dict]:
        """Updates queued for getUpdates and not yet confirmed by an offset."""
        return list(self._updates)

    def file_content(self, file_path: str) -> tuple[bytes, str] | None:
        """(content, MIME type) of an uploaded file by its getFile file_path."""
        return self._store.file_content(file_path)

    def version(self) -> int:
        """A counter bumped on every change (message, edit, update, refusal)."""
        return self._version

    async def wait_for_change(self, since: int, timeout: float) -> int:  # noqa: ASYNC109
        """Waits until version() differs from `since` or `timeout` seconds pass; returns it.

        Takes a timeout (rather than leaving it to asyncio.timeout) because it is the web
        page's long-poll: running out of time is the normal outcome, not an error.
        """
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
        """Runs one Bot API method; returns (HTTP status, JSON body) as Telegram would.

        Raises a NoAnswer when an injected fault leaves the call unanswered; for a held reply
        (RequestTimedOut after the call) the call took effect first.
        """
        handler = self._methods.get(method.lower())
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found")
            held = self.faults.check(method, _chat_id(params))
            result = handler(Params(params, files or {}))
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            self._reject(method, params.get("chat_id"), error)
            return error.status, error.body()
        if method.lower() not in _READ_ONLY:
            self._bump()
        if held:
            raise RequestTimedOut(method)
        return 200, {"ok": True, "result": result}

    def _reject(self, method: str, chat_id: object, error: ApiError) -> None:
        if error.injected:
            return  # a fault asked for, not the bot's mistake
        self.rejected.append(
            RejectedCall(
                method,
                _chat_id({"chat_id": chat_id}),
                error.status,
                error.description,
                self._clock.now(),
            )
        )
        logger.debug("refused %s with %s", method, error.status)
        self._bump()

    def _get_me(self, p: Params) -> dict:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _set_webhook(self, p: Params) -> bool:
        """From now on updates are posted to the URL (bot.sandbox.webhook_push)."""
        allowed, drop = p.json("allowed_updates"), p.flag("drop_pending_updates")
        self._webhook.set(p)
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or None
        if drop:
            self._updates.clear()
        self._notify()  # the delivery task looks at the queue at once
        return True

    def _delete_webhook(self, p: Params) -> bool:
        self._webhook.delete()
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, p: Params) -> dict:
        self._drop_unwanted()
        return self._webhook.info(len(self._updates), self._allowed_updates)

    async def close_webhook(self) -> None:
        """Stops posting updates, leaving the webhook set (a test's teardown)."""
        await self._webhook.close()

    def _next_wanted_update(self) -> dict | None:
        """The oldest pending update the bot asked for, for the webhook to post."""
        self._drop_unwanted()
        return self._updates[0] if self._updates else None

    async def _get_updates(self, p: Params) -> list[dict]:
        if self._webhook.active:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        offset, limit = p.integer("offset"), p.integer("limit") or 100
        timeout = max(0.0, p.number("timeout") or 0.0)
        allowed = p.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or None
        self._confirm(offset)
        self._drop_unwanted()
        # A newer getUpdates ends an older one with 409, exactly like Telegram does.
        poller = self._poller = object()
        self._notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            batch = self._updates[: max(1, min(limit, 100))]
            if batch or (remaining := deadline - loop.time()) <= 0:
                return batch
            await self._wait(remaining)
            if self._poller is not poller:
                raise ApiError(409, _CONFLICT)

    def _confirm(self, offset: int | None) -> None:
        """Forgets updates before `offset` (a negative offset keeps only the last ones)."""
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _drop_unwanted(self) -> None:
        """Telegram does not keep updates of types the bot did not ask for."""
        self._updates = [u for u in self._updates if self._wanted(u)]

    def _wanted(self, update: dict) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed_updates is None:
            return kind not in _NOT_SENT_BY_DEFAULT
        return kind in self._allowed_updates

    # ------------------------------------------------------------------ updates, waking

    def _push_update(self, kind: str, body: dict) -> dict:
        # A snapshot: later edits or votes must not change an update already delivered.
        update = {"update_id": self._next_update_id, kind: copy.deepcopy(body)}
        self._next_update_id += 1
        self._recent.append(update)
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

    async def _wait(self, seconds: float) -> None:
        """Sleeps until the next change or notification, at most `seconds`."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            pass
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)


def _chat_id(params: dict) -> int | None:
    value = str(params.get("chat_id"))
    return int(value) if value.lstrip("-").isdigit() else None


def _wake(waiter: asyncio.Future) -> None:
    """Resolves a waiter on its own loop, even when the change came from another thread."""
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
