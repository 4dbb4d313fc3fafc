"""Group chats' members in the emulated Telegram: who is in a group with which status and admin
rights (the bot too), join requests, and the Bot API methods about them (getChatMember,
approveChatJoinRequest, declineChatJoinRequest).

The users' side (someone asks to join, joins, an admin removes the bot …) is driven by the
emulator (bot.sandbox.emulator), which pushes the updates Telegram would send: chat_join_request,
chat_member (only to a bot that is an administrator, as on Telegram) and my_chat_member.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.sandbox.params import Params
from bot.sandbox.rules import bad_request
from bot.sandbox.store import Chat, ChatStore

# Every admin right a ChatMemberAdministrator carries (PTB needs them all); each False unless
# given.
ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)
_NOT_ENOUGH_RIGHTS = "not enough rights"


def chat_member_json(user: dict, status: str, rights: dict[str, bool] | None = None) -> dict:
    """A ChatMember object: 'creator', 'administrator' (with ``rights``), 'member', 'left' or
    'kicked'."""
    member: dict = {"status": status, "user": user}
    if status == "administrator":
        given = rights or {}
        member |= {"can_be_edited": False, "is_anonymous": False}
        member |= {right: bool(given.get(right)) for right in ADMIN_RIGHTS}
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member


class GroupMembers:
    """The members' side of group chats, and the Bot API methods that read or change it."""

    def __init__(
        self,
        store: ChatStore,
        push_update: Callable[[str, dict], dict],
        clock_stamp: Callable[[], int],
    ) -> None:
        self.store = store
        self.push_update = push_update
        self.stamp = clock_stamp

    def handlers(self) -> dict[str, Callable[[Params], object]]:
        return {
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "approveChatJoinRequest": lambda p: self.decide(p, approve=True),
            "declineChatJoinRequest": lambda p: self.decide(p, approve=False),
        }

    # -- the state

    def group(self, chat_id: int) -> Chat:
        chat = self.store.chats.get(chat_id)
        if chat is None or chat.group_type is None:
            raise KeyError(f"unknown group chat {chat_id}: call add_group first")
        return chat

    def member(self, chat: Chat, user_id: int) -> dict:
        """The ChatMember of a user (or the bot) in the group as it is now."""
        if user_id == self.store.bot_user["id"]:
            return chat_member_json(self.store.bot_user, chat.bot_status, chat.bot_rights)
        status, rights = chat.members.get(user_id, ("left", {}))
        return chat_member_json(self.store.user_chat(user_id).user, status, rights)

    def set_status(
        self, chat_id: int, user_id: int, status: str, rights: dict[str, bool] | None = None
    ) -> dict | None:
        """Changes a user's (or the bot's) status; returns the chat_member or my_chat_member
        update Telegram sends, if it sends one."""
        chat = self.group(chat_id)
        old = self.member(chat, user_id)
        if user_id == self.store.bot_user["id"]:
            chat.bot_status, chat.bot_rights = status, dict(rights or {})
            kind = "my_chat_member"
        else:
            chat.members[user_id] = (status, dict(rights or {}))
            kind = "chat_member"
            if chat.bot_status not in {"administrator", "creator"}:
                return None  # Telegram tells only administrator bots about members
        body = {
            "chat": self.store.chat_json(chat),
            "from": old["user"] if kind == "chat_member" else self._some_admin(chat),
            "date": self.stamp(),
            "old_chat_member": old,
            "new_chat_member": self.member(chat, user_id),
        }
        return self.push_update(kind, body)

    def _some_admin(self, chat: Chat) -> dict:
        """Who changed the bot's status: the chat's creator or first administrator."""
        for user_id, (status, _) in chat.members.items():
            if status in {"creator", "administrator"}:
                return self.store.user_chat(user_id).user
        return self.store.bot_user

    def request_to_join(self, user_id: int, chat_id: int) -> dict:
        chat = self.group(chat_id)
        user = self.store.user_chat(user_id).user
        chat.join_requests.add(user_id)
        body = {
            "chat": self.store.chat_json(chat),
            "from": user,
            "user_chat_id": user_id,
            "date": self.stamp(),
        }
        return self.push_update("chat_join_request", body)

    # -- the bot's methods

    def _bot_group(self, p: Params) -> Chat:
        chat = self.store.chats.get(p.chat_id())
        if chat is None or chat.group_type is None:
            raise bad_request("chat not found")
        if chat.bot_status in {"left", "kicked"}:
            raise bad_request("chat not found")  # Telegram shows a bot nothing of such a chat
        return chat

    def get_chat_member(self, p: Params) -> dict:
        chat = self._bot_group(p)
        user_id = p.integer("user_id")
        if user_id is None:
            raise bad_request("user not found")
        if user_id != self.store.bot_user["id"] and user_id not in self.store.chats:
            raise bad_request("user not found")
        return self.member(chat, user_id)

    def get_chat_administrators(self, p: Params) -> list[dict]:
        chat = self._bot_group(p)
        admins = [
            self.member(chat, user_id)
            for user_id, (status, _) in chat.members.items()
            if status in {"creator", "administrator"}
        ]
        if chat.bot_status == "administrator":
            admins.append(self.member(chat, self.store.bot_user["id"]))
        return admins

    def decide(self, p: Params, *, approve: bool) -> bool:
        chat = self._bot_group(p)
        if chat.bot_status != "administrator" or not chat.bot_rights.get("can_invite_users"):
            raise bad_request(_NOT_ENOUGH_RIGHTS)
        user_id = p.integer("user_id") or 0
        if user_id not in chat.join_requests:
            raise bad_request("HIDE_REQUESTER_MISSING")
        chat.join_requests.discard(user_id)
        if approve:
            self.set_status(chat.id, user_id, "member")
        return True


def may_delete(chat: Chat, from_bot: bool) -> bool:
    """In a group the bot deletes its own messages, and others' only with the right."""
    if chat.group_type is None or from_bot:
        return True
    return chat.bot_status == "creator" or (
        chat.bot_status == "administrator" and bool(chat.bot_rights.get("can_delete_messages"))
    )
