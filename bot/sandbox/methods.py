"""The Bot API methods that act on chats: sending, editing, deleting, polls, commands, files.

Each handler takes the call's Params and returns the Bot API `result`, or raises ApiError with
Telegram's status and description. The emulator (bot.sandbox.emulator) routes calls here and
handles getMe, webhooks and getUpdates itself.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

from bot.sandbox.group_members import may_delete
from bot.sandbox.params import Params
from bot.sandbox.rules import (
    FloodControl,
    bad_request,
    check_callback_answer,
    check_caption,
    check_commands,
    check_reply_markup,
    check_text,
    forbidden,
    render,
)
from bot.sandbox.store import Chat, ChatEntry, ChatStore, PollState

Handler = Callable[[Params], object]

_CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice"}
    | {"upload_document", "choose_sticker", "find_location", "record_video_note"}
    | {"upload_video_note"}
)
_MIN_POLL_OPTIONS, _MAX_POLL_OPTIONS = 2, 12
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def scope_key(scope: dict | None) -> str:
    """The key under which setMyCommands stores a BotCommandScope (default scope if None)."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


class BotMethods:
    """Handlers for the chat-facing Bot API methods."""

    def __init__(
        self,
        store: ChatStore,
        flood: FloodControl | None,
        push_update: Callable[[str, dict], dict],
    ) -> None:
        self.store = store
        self.flood = flood
        self.push_update = push_update
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.menu_buttons: dict[int | None, dict] = {}
        self.callback_answers: dict[str, dict] = {}

    def handlers(self) -> dict[str, Handler]:
        """Method name (as the Bot API spells it) -> handler."""
        return {
            "sendMessage": self.send_message,
            "sendPhoto": lambda p: self.send_file(p, "photo"),
            "sendDocument": lambda p: self.send_file(p, "document"),
            "sendPoll": self.send_poll,
            "copyMessage": self.copy_message,
            "stopPoll": self.stop_poll,
            "sendChatAction": self.send_chat_action,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "getChat": self.get_chat,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "getFile": self.get_file,
        }

    # -- sending

    def send_message(self, p: Params) -> dict:
        chat = self._sendable_chat(p)
        text, entities = render(p.text("text") or "", p.text("parse_mode"), p.json("entities"))
        check_text(text)
        markup, reply_to = self._reply_markup(p), self._reply_target(chat, p)
        self._consume_flood(chat)
        entry = self.store.add_entry(chat, "text", from_bot=True, text=text, entities=entities)
        return self._attach(chat, entry, markup, reply_to)

    def send_file(self, p: Params, kind: str) -> dict:
        chat = self._sendable_chat(p)
        upload = p.upload(kind)
        if not upload:
            raise bad_request(f"there is no {kind} in the request")
        caption, caption_entities = self._caption(p)
        markup, reply_to = self._reply_markup(p), self._reply_target(chat, p)
        self._consume_flood(chat)
        stored = self.store.store_file(upload, kind)
        entry = self.store.add_entry(
            chat,
            kind,
            from_bot=True,
            caption=caption,
            caption_entities=caption_entities,
            file_id=stored.file_id,
            file_name=stored.name,
            file_bytes=stored.content,
            mime_type=stored.mime_type,
        )
        return self._attach(chat, entry, markup, reply_to)

    def send_poll(self, p: Params) -> dict:
        chat = self._sendable_chat(p)
        question = (p.text("question") or "").strip()
        raw_options = p.json("options")
        if not isinstance(raw_options, list):
            raise bad_request("can't parse options JSON object")
        options = [o.get("text") if isinstance(o, dict) else o for o in raw_options]
        if not question:
            raise bad_request("poll question must be non-empty")
        if len(options) < _MIN_POLL_OPTIONS:
            raise bad_request(f"poll must have at least {_MIN_POLL_OPTIONS} option")
        if len(options) > _MAX_POLL_OPTIONS:
            raise bad_request(f"poll can't have more than {_MAX_POLL_OPTIONS} options")
        markup, reply_to = self._reply_markup(p), self._reply_target(chat, p)
        self._consume_flood(chat)
        poll_id = self.store.new_id()
        poll = {
            "id": poll_id,
            "question": question,
            "options": [
                {"text": str(text), "voter_count": 0, "persistent_id": str(index)}
                for index, text in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": p.flag("is_anonymous", default=True),
            "type": p.text("type") or "regular",
            "allows_multiple_answers": p.flag("allows_multiple_answers"),
            "allows_revoting": True,
            "members_only": False,
        }
        entry = self.store.add_entry(chat, "poll", from_bot=True, poll=poll)
        self.store.polls[poll_id] = PollState(chat.id, entry.message_id)
        return self._attach(chat, entry, markup, reply_to)

    def copy_message(self, p: Params) -> dict:
        """Sends a copy of a message without a link to the original (no "forwarded from"):
        text, entities, media and caption as they are, unless a new caption is given. As on
        Telegram, the source message must exist; the result is only the new message's id."""
        chat = self._sendable_chat(p)
        source_chat = self.store.chats.get(p.integer("from_chat_id") or 0)
        if source_chat is None:
            raise bad_request("chat not found")
        source = self.store.find_entry(source_chat, p.message_id())
        if source is None:
            raise bad_request("message to copy not found")
        if source.kind == "poll":
            raise bad_request("the message can't be copied")  # the bot never copies polls
        caption, caption_entities = source.caption, copy.deepcopy(source.caption_entities)
        if p.has("caption"):
            caption, caption_entities = self._caption(p)
        markup, reply_to = self._reply_markup(p), self._reply_target(chat, p)
        self._consume_flood(chat)
        entry = self.store.add_entry(
            chat,
            source.kind,
            from_bot=True,
            text=source.text,
            entities=copy.deepcopy(source.entities),
            caption=caption,
            caption_entities=caption_entities,
            file_id=source.file_id,
            file_name=source.file_name,
            file_bytes=source.file_bytes,
            mime_type=source.mime_type,
        )
        self._attach(chat, entry, markup, reply_to)
        return {"message_id": entry.message_id}

    def stop_poll(self, p: Params) -> dict:
        chat = self._known_chat(p)
        entry = self.store.find_entry(chat, p.message_id())
        if entry is None or entry.poll is None:
            raise bad_request("message with poll to stop not found")
        if entry.poll["is_closed"]:
            raise bad_request("poll has already been closed")
        entry.reply_markup = self._inline_markup(p)
        entry.poll["is_closed"] = True
        self.push_update("poll", entry.poll)  # Telegram tells the bot about stopped polls
        return copy.deepcopy(entry.poll)

    def send_chat_action(self, p: Params) -> bool:
        self._sendable_chat(p)
        if p.text("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # -- editing and deleting

    def edit_message_text(self, p: Params) -> dict:
        chat, entry = self._editable(p)
        if entry.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text, entities = render(p.text("text") or "", p.text("parse_mode"), p.json("entities"))
        check_text(text)
        # Omitting reply_markup removes the keyboard, as on Telegram.
        markup = self._inline_markup(p)
        if (text, entities, markup) == (entry.text, entry.entities, entry.reply_markup):
            raise bad_request(_NOT_MODIFIED)
        self._consume_flood(chat)
        entry.text, entry.entities, entry.reply_markup = text, entities, markup
        return self._edited(entry)

    def edit_message_caption(self, p: Params) -> dict:
        chat, entry = self._editable(p)
        if entry.kind not in {"photo", "document"}:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(p)
        markup = self._inline_markup(p)
        if (caption, entities, markup) == (
            entry.caption,
            entry.caption_entities,
            entry.reply_markup,
        ):
            raise bad_request(_NOT_MODIFIED)
        self._consume_flood(chat)
        entry.caption, entry.caption_entities, entry.reply_markup = caption, entities, markup
        return self._edited(entry)

    def edit_message_reply_markup(self, p: Params) -> dict:
        chat, entry = self._editable(p)
        markup = self._inline_markup(p)
        if markup == entry.reply_markup:
            raise bad_request(_NOT_MODIFIED)
        self._consume_flood(chat)
        entry.reply_markup = markup
        return self._edited(entry)

    def delete_message(self, p: Params) -> bool:
        chat = self._known_chat(p)
        entry = self.store.find_entry(chat, p.message_id())
        if entry is None:
            raise bad_request("message to delete not found")
        if not may_delete(chat, entry.from_bot):
            raise bad_request("message can't be deleted")
        chat.log.remove(entry)
        return True

    # -- callbacks, commands, chats, files

    def answer_callback_query(self, p: Params) -> bool:
        query_id = p.text("callback_query_id") or ""
        if query_id not in self.store.open_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.text("text")
        check_callback_answer(text)
        self.store.open_callbacks.discard(query_id)
        self.callback_answers[query_id] = {"text": text, "show_alert": p.flag("show_alert")}
        return True

    def set_my_commands(self, p: Params) -> bool:
        self.commands[self._commands_key(p)] = check_commands(p.json("commands"))
        return True

    def get_my_commands(self, p: Params) -> list[dict]:
        return list(self.commands.get(self._commands_key(p), []))

    def delete_my_commands(self, p: Params) -> bool:
        self.commands.pop(self._commands_key(p), None)
        return True

    @staticmethod
    def _commands_key(p: Params) -> tuple[str, str]:
        scope = p.json("scope")
        return scope_key(scope if isinstance(scope, dict) else None), p.text("language_code") or ""

    def get_chat(self, p: Params) -> dict:
        chat = self.store.chat_json(self._known_chat(p))
        return chat | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict(_NO_GIFTS),
        }

    def set_chat_menu_button(self, p: Params) -> bool:
        chat_id = self._known_chat(p).id if p.has("chat_id") else None
        button = p.json("menu_button")
        self.menu_buttons[chat_id] = button if isinstance(button, dict) else {"type": "default"}
        return True

    def get_chat_menu_button(self, p: Params) -> dict:
        chat_id = self._known_chat(p).id if p.has("chat_id") else None
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    def get_file(self, p: Params) -> dict:
        stored = self.store.files.get(p.text("file_id") or "")
        if stored is None or stored.content is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(stored.content),
            "file_path": stored.path,
        }

    # -- helpers

    def _known_chat(self, p: Params) -> Chat:
        chat = self.store.chats.get(p.chat_id())
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _sendable_chat(self, p: Params) -> Chat:
        chat = self._known_chat(p)
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        if chat.group_type is not None and chat.bot_status in {"left", "kicked"}:
            raise forbidden("bot was kicked from the group chat")
        return chat

    def _editable(self, p: Params) -> tuple[Chat, ChatEntry]:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # the bot has no inline mode
        chat = self._known_chat(p)
        entry = self.store.find_entry(chat, p.message_id())
        if entry is None:
            raise bad_request("message to edit not found")
        if not entry.from_bot:
            raise bad_request("message can't be edited")
        return chat, entry

    def _edited(self, entry: ChatEntry) -> dict:
        entry.edited += 1
        entry.edit_date = self.store.clock.now()
        return self.store.message_json(entry)

    def _consume_flood(self, chat: Chat) -> None:
        if self.flood is not None:
            self.flood.consume(chat.id)

    def _caption(self, p: Params) -> tuple[str | None, list[dict]]:
        raw = p.text("caption")
        if raw is None:
            return None, []
        caption, entities = render(raw, p.text("parse_mode"), p.json("caption_entities"))
        check_caption(caption)
        return caption or None, entities

    @staticmethod
    def _reply_markup(p: Params) -> dict | None:
        return check_reply_markup(p.json("reply_markup"))

    def _inline_markup(self, p: Params) -> dict | None:
        markup = self._reply_markup(p)
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("can't parse inline keyboard markup JSON object")
        return markup or None

    def _reply_target(self, chat: Chat, p: Params) -> int | None:
        reply = p.json("reply_parameters")
        lenient = isinstance(reply, dict) and bool(reply.get("allow_sending_without_reply"))
        target = reply.get("message_id") if isinstance(reply, dict) else None
        if target is None:
            target = p.integer("reply_to_message_id")
        if target is None or self.store.find_entry(chat, int(target)) is not None:
            return target
        if lenient:
            return None
        raise bad_request("message to be replied not found")

    def _attach(
        self, chat: Chat, entry: ChatEntry, markup: dict | None, reply_to: int | None
    ) -> dict:
        """Finishes a sent message (keyboard, reply) and returns its Message JSON."""
        entry.reply_markup = markup
        entry.reply_to_message_id = reply_to
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and "remove_keyboard" in markup:
            chat.reply_keyboard = None
        return self.store.message_json(entry)
