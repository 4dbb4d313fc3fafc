"""What the emulated Telegram remembers: chats, their messages, uploaded files, polls.

Shared by the users' side (bot.sandbox.emulator) and the bot's side (bot.sandbox.methods), and
the one place that turns a stored message into the Message JSON the Bot API returns.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.sandbox.params import UploadedFile

_BINARY = "application/octet-stream"


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
    sender: dict | None = None  # who wrote a user's message in a group chat


@dataclass
class Chat:
    """A private chat between the bot and one user, or a group chat the bot is in."""

    user: dict  # the Telegram User object (private chats) or {"id", "title"} (groups)
    log: list[ChatEntry] = field(default_factory=list)
    next_message_id: int = 1  # Telegram numbers messages per private chat
    blocked: bool = False
    reply_keyboard: dict | None = None  # the custom keyboard the user currently sees
    group_type: str | None = None  # "group" or "supergroup"; None for a private chat
    # Groups only (bot.sandbox.group_members): user id -> (status, admin rights), the bot's
    # own status and rights there, and who asked to join and waits for an answer.
    members: dict[int, tuple[str, dict[str, bool]]] = field(default_factory=dict)
    bot_status: str = "member"
    bot_rights: dict[str, bool] = field(default_factory=dict)
    join_requests: set[int] = field(default_factory=set)

    @property
    def id(self) -> int:
        return int(self.user["id"])


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    name: str
    content: bytes | None  # None when the bot sent a URL instead of uploading
    mime_type: str
    path: str  # getFile's file_path


@dataclass
class PollState:
    chat_id: int
    message_id: int
    votes: dict[int, list[int]] = field(default_factory=dict)  # user id -> chosen options


class ChatStore:
    """The emulated Telegram's memory, plus the JSON shapes of what it stores."""

    def __init__(self, clock: Clock, bot_user: dict) -> None:
        self.clock = clock
        self.bot_user = bot_user
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.polls: dict[str, PollState] = {}
        self.open_callbacks: set[str] = set()  # callback queries not answered yet
        self._ids = itertools.count(1)

    def new_id(self) -> str:
        """A fresh identifier for callback queries, polls and files."""
        return str(next(self._ids))

    def user_chat(self, user_id: int) -> Chat:
        if user_id not in self.chats:
            raise KeyError(f"unknown user {user_id}: call add_user first")
        return self.chats[user_id]

    def add_entry(self, chat: Chat, kind: str, *, from_bot: bool, **fields: Any) -> ChatEntry:
        entry = ChatEntry(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            from_bot=from_bot,
            date=self.clock.now(),
            kind=kind,
            **fields,
        )
        chat.next_message_id += 1
        chat.log.append(entry)
        return entry

    @staticmethod
    def find_entry(chat: Chat, message_id: int) -> ChatEntry | None:
        return next((e for e in chat.log if e.message_id == message_id), None)

    def store_file(self, upload: UploadedFile | str, kind: str) -> StoredFile:
        """Keeps an upload; a string is a file_id sent before or a URL."""
        content: bytes | None
        if isinstance(upload, str):
            if upload in self.files:
                return self.files[upload]
            # A URL: Telegram would fetch it; the emulator only remembers the name.
            name, content, mime_type = upload.rsplit("/", 1)[-1] or kind, None, _BINARY
        else:
            name, content, mime_type = upload
        number = self.new_id()
        extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
        stored = StoredFile(
            file_id=f"SANDBOX-{kind}-{number}",
            unique_id=f"U{number}",
            name=name,
            content=content,
            mime_type=mime_type,
            path=f"{kind}s/file_{number}.{extension}",
        )
        self.files[stored.file_id] = stored
        return stored

    def file_content(self, file_path: str) -> tuple[bytes, str] | None:
        for stored in self.files.values():
            if stored.path == file_path and stored.content is not None:
                return stored.content, stored.mime_type
        return None

    def poll(self, poll_id: str) -> dict:
        """The live Poll object of a poll the bot sent."""
        state = self.polls[poll_id]
        entry = self.find_entry(self.chats[state.chat_id], state.message_id)
        if entry is None or entry.poll is None:
            raise LookupError(f"the message of poll {poll_id} is gone")
        return entry.poll

    def tally(self, poll_id: str) -> dict:
        """Recounts a poll from its votes; returns the updated Poll object."""
        poll, votes = self.poll(poll_id), self.polls[poll_id].votes
        for index, option in enumerate(poll["options"]):
            option["voter_count"] = sum(index in chosen for chosen in votes.values())
        poll["total_voter_count"] = len(votes)
        return poll

    # -- JSON shapes

    @staticmethod
    def chat_json(chat: Chat) -> dict:
        user = chat.user
        if chat.group_type is not None:
            return {"id": user["id"], "type": chat.group_type, "title": user["title"]}
        json = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            json["username"] = user["username"]
        return json

    @staticmethod
    def timestamp(moment: datetime) -> int:
        return int(moment.timestamp())

    def message_json(self, entry: ChatEntry, *, nested: bool = False) -> dict:
        """The Bot API Message object for a stored message."""
        chat = self.chats[entry.chat_id]
        message: dict = {
            "message_id": entry.message_id,
            "from": self.bot_user if entry.from_bot else entry.sender or chat.user,
            "chat": self.chat_json(chat),
            "date": self.timestamp(entry.date),
        }
        if entry.edit_date is not None:
            message["edit_date"] = self.timestamp(entry.edit_date)
        message |= self._content_json(entry)
        if entry.reply_markup and "inline_keyboard" in entry.reply_markup:
            message["reply_markup"] = entry.reply_markup  # only inline keyboards are echoed
        target = self.find_entry(chat, entry.reply_to_message_id or 0)
        if target is not None and not nested:
            message["reply_to_message"] = self.message_json(target, nested=True)
        return message

    def _content_json(self, entry: ChatEntry) -> dict:
        if entry.kind == "text":
            return {"text": entry.text} | ({"entities": entry.entities} if entry.entities else {})
        if entry.kind == "poll":
            return {"poll": entry.poll}
        stored = self.files[entry.file_id or ""]
        size = len(stored.content or b"")
        ids = {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_size": size}
        content: dict
        if entry.kind == "photo":
            width, height = _png_size(stored.content or b"")
            content = {"photo": [ids | {"width": width, "height": height}]}
        else:
            content = {"document": ids | {"file_name": stored.name, "mime_type": stored.mime_type}}
        if entry.caption is not None:
            content["caption"] = entry.caption
            if entry.caption_entities:
                content["caption_entities"] = entry.caption_entities
        return content


def inline_buttons(markup: dict | None) -> list[dict]:
    """Every button of an inline keyboard, row by row."""
    rows = (markup or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def _png_size(content: bytes) -> tuple[int, int]:
    """Width and height from a PNG header (the bot's charts are PNG); 0 x 0 otherwise."""
    if content[:8] != b"\x89PNG\r\n\x1a\n" or len(content) < 24:
        return 0, 0
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
