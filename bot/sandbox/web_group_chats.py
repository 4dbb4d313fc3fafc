"""The web chat's routes for group chats: read a group chat as the current persona sees it,
ask to join it, write in it, vote in a poll posted there (a time poll, anonymous). As on
Telegram, only people in the chat can write or vote there; asking to join sends the bot a
chat_join_request, which the bot answers.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.sandbox.emulator import ChatEntry
from bot.sandbox.web_api import (
    MAX_USER_TEXT_UTF16,
    STATE,
    WebState,
    _bad_request,
    _iso,
    _json_body,
    _not_found,
    _persona_from,
    _utf16_len,
    vote,
)

# Enough of a chat's recent talk for the side panel.
_SHOWN = 12
_IN_CHAT = frozenset({"creator", "administrator", "member", "restricted"})


def add_group_chat_routes(app: web.Application) -> None:
    app.router.add_get("/api/groups/{user_id}", list_group_chats)
    app.router.add_post("/api/groups/{user_id}/{chat_id}/join", ask_to_join)
    app.router.add_post("/api/groups/{user_id}/{chat_id}/messages", write_in_group)
    app.router.add_post("/api/groups/{user_id}/{chat_id}/polls", vote_in_group)


async def list_group_chats(request: web.Request) -> web.Response:
    state = request.app[STATE]
    persona = _persona_from(request)
    chats = [
        {
            "chat_id": chat_id,
            "title": title,
            "status": state.emulator.member_status(chat_id, persona.user_id),
            "waiting": persona.user_id in state.emulator.join_requests(chat_id),
            "messages": [
                _line(state, persona.user_id, entry)
                for entry in state.emulator.chat_log(chat_id)[-_SHOWN:]
            ],
        }
        for chat_id, title in state.emulator.groups()
    ]
    return web.json_response({"groups": chats})


async def ask_to_join(request: web.Request) -> web.Response:
    state = request.app[STATE]
    persona = _persona_from(request)
    chat_id = _group_id(state, request)
    if state.emulator.member_status(chat_id, persona.user_id) in _IN_CHAT:
        raise _bad_request("already in this chat")
    update = state.emulator.user_requests_to_join(persona.user_id, chat_id)
    return web.json_response({"update_id": update["update_id"]})


async def write_in_group(request: web.Request) -> web.Response:
    state, user_id, chat_id = _someone_in_the_chat(request, "write")
    text = (await _json_body(request)).get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad_request("text must be a non-empty string")
    if _utf16_len(text) > MAX_USER_TEXT_UTF16:
        raise _bad_request(f"a Telegram message holds at most {MAX_USER_TEXT_UTF16} characters")
    update = state.emulator.user_sends_text(user_id, text, chat_id=chat_id)
    return web.json_response({"update_id": update["update_id"]})


async def vote_in_group(request: web.Request) -> web.Response:
    state, user_id, chat_id = _someone_in_the_chat(request, "vote")
    body = await _json_body(request)
    entry = next(
        (e for e in state.emulator.chat_log(chat_id) if e.message_id == body.get("message_id")),
        None,
    )
    if entry is None or entry.poll is None:
        raise _bad_request("that message is not a poll in this chat")
    return vote(state, user_id, entry.poll, body.get("option_ids"))


def _someone_in_the_chat(request: web.Request, doing: str) -> tuple[WebState, int, int]:
    """The page's state, the persona (who must be in the chat) and the chat of a request."""
    state = request.app[STATE]
    persona = _persona_from(request)
    chat_id = _group_id(state, request)
    if state.emulator.member_status(chat_id, persona.user_id) not in _IN_CHAT:
        raise _bad_request(f"only people in the chat can {doing} there")
    return state, persona.user_id, chat_id


def _group_id(state: WebState, request: web.Request) -> int:
    raw = request.match_info["chat_id"]
    if raw.lstrip("-").isdigit() and int(raw) in {chat for chat, _ in state.emulator.groups()}:
        return int(raw)
    raise _not_found("no such group chat")


def _line(state: WebState, user_id: int, entry: ChatEntry) -> dict[str, Any]:
    """One message as the panel shows it: who wrote it (as Telegram shows the sender), text,
    its buttons, and a poll with the persona's own vote (an anonymous poll shows nobody
    else's)."""
    sender = "Rangkul" if entry.from_bot else (entry.sender or {}).get("first_name", "")
    poll = None
    if entry.poll is not None:
        poll = entry.poll | {"my_votes": state.votes.get((user_id, entry.poll["id"]))}
    return {
        "message_id": entry.message_id,
        "from_bot": entry.from_bot,
        "sender": sender,
        "date": _iso(entry.date),
        "kind": entry.kind,
        "text": entry.text or entry.caption or "",
        "inline_keyboard": (entry.reply_markup or {}).get("inline_keyboard"),
        "poll": poll,
    }
