"""The web chat's JSON API: be a persona, read their chat, act in it, move the sandbox clock.

The page never talks to the bot: it acts as a Telegram user through the emulator (which queues
the update the bot then fetches with getUpdates) and reads back the chat as Telegram would show
it. Everything is returned as data (text plus entities, keyboards, polls); the page turns it into
DOM nodes itself, so nothing here builds HTML.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.clock import OffsetClock
from bot.sandbox.demo import Persona
from bot.sandbox.emulator import BotApiEmulator, ChatEntry
from bot.sandbox.methods import scope_key

CLOCK_STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}
MAX_USER_TEXT_UTF16 = 4096  # what a Telegram client lets a person send in one message
MAX_LONG_POLL_SECONDS = 30.0


@dataclass
class WebState:
    """What the JSON routes share: the emulated Telegram, its clock and the personas."""

    emulator: BotApiEmulator
    clock: OffsetClock
    personas: tuple[Persona, ...]
    # For each refused call (by its index in emulator.rejected): the id of the newest message in
    # its chat when it was first seen, so the page can show the error where it happened.
    rejection_anchors: list[int] = field(default_factory=list)
    presses: dict[str, int] = field(default_factory=dict)  # callback query id -> user id
    # The emulator tallies votes but does not say who chose what; Telegram shows a voter their
    # own choice, so the page keeps it here.
    votes: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    # Runs right after a fast-forward (the sandbox: one planner and one outbox pass), so what
    # became due shows at once instead of on the bot's next real-time heartbeat.
    on_clock_moved: Callable[[], Awaitable[None]] | None = None

    def persona(self, user_id: int) -> Persona | None:
        return next((p for p in self.personas if p.user_id == user_id), None)

    def anchor_rejections(self) -> None:
        """Places refusals not seen before after their chat's newest message."""
        rejected = self.emulator.rejected
        for call in rejected[len(self.rejection_anchors) :]:
            log = self.emulator.chat_log(call.chat_id) if call.chat_id is not None else []
            self.rejection_anchors.append(log[-1].message_id if log else 0)


STATE = web.AppKey("rangkul_sandbox_web_state", WebState)


def add_web_api_routes(app: web.Application, state: WebState) -> None:
    """Registers the page's JSON routes under /api/."""
    app[STATE] = state
    app.router.add_get("/api/personas", list_personas)
    app.router.add_get("/api/chats/{user_id}", get_chat)
    app.router.add_post("/api/chats/{user_id}/messages", send_text)
    app.router.add_post("/api/chats/{user_id}/buttons", press_button)
    app.router.add_post("/api/chats/{user_id}/polls", answer_poll)
    app.router.add_get("/api/chats/{user_id}/files/{message_id}", download_file)
    app.router.add_get("/api/clock", get_clock)
    app.router.add_post("/api/clock", fast_forward)
    app.router.add_get("/api/rejected", list_rejected)
    app.router.add_get("/api/changes", wait_for_changes)


# ---------------------------------------------------------------------- routes


async def list_personas(request: web.Request) -> web.Response:
    state = request.app[STATE]
    return web.json_response(
        {"personas": [_persona_json(state, p) for p in state.personas], "now": _now(state)}
    )


async def get_chat(request: web.Request) -> web.Response:
    state = request.app[STATE]
    persona = _persona_from(request)
    # Read the version first: a change made while this view is built shows up on the next poll.
    version = state.emulator.version()
    state.anchor_rejections()
    log = state.emulator.chat_log(persona.user_id)
    return web.json_response(
        {
            "user_id": persona.user_id,
            "version": version,
            "now": _now(state),
            "messages": [_message_json(state, entry) for entry in log],
            "reply_keyboard": _reply_keyboard_json(state.emulator.reply_keyboard(persona.user_id)),
            "rejected": _chat_rejections(state, persona.user_id),
            "toasts": _toasts(state, persona.user_id),
            "commands": _commands(state, persona),
        }
    )


async def send_text(request: web.Request) -> web.Response:
    state = request.app[STATE]
    persona = _persona_from(request)
    text = (await _json_body(request)).get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad_request("text must be a non-empty string")
    if _utf16_len(text) > MAX_USER_TEXT_UTF16:
        raise _bad_request(f"a Telegram message holds at most {MAX_USER_TEXT_UTF16} characters")
    update = state.emulator.user_sends_text(persona.user_id, text)
    return web.json_response({"update_id": update["update_id"]})


async def press_button(request: web.Request) -> web.Response:
    state = request.app[STATE]
    persona = _persona_from(request)
    body = await _json_body(request)
    message_id, data = body.get("message_id"), body.get("callback_data")
    entry = _entry(state, persona.user_id, message_id)
    # Only buttons that are really on the message can be pressed, as in a Telegram client.
    if not isinstance(data, str) or data not in _callback_data(entry):
        raise _bad_request("that message has no button with this callback_data")
    update = state.emulator.user_presses_button(persona.user_id, entry.message_id, data)
    query_id = update["callback_query"]["id"]
    state.presses[query_id] = persona.user_id
    return web.json_response({"update_id": update["update_id"], "query_id": query_id})


async def answer_poll(request: web.Request) -> web.Response:
    state = request.app[STATE]
    persona = _persona_from(request)
    body = await _json_body(request)
    entry = _entry(state, persona.user_id, body.get("message_id"))
    if entry.poll is None:
        raise _bad_request("that message is not a poll")
    return vote(state, persona.user_id, entry.poll, body.get("option_ids"))


def vote(state: WebState, user_id: int, poll: dict, options: object) -> web.Response:
    """The persona votes in a poll (of their private chat or a group chat); the page keeps
    their own vote, which an anonymous poll does not show."""
    if not isinstance(options, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in options
    ):
        raise _bad_request("option_ids must be a list of option numbers")
    try:
        update = state.emulator.user_answers_poll(user_id, poll["id"], options)
    except ValueError as problem:
        raise _bad_request(str(problem)) from None
    state.votes[(user_id, poll["id"])] = list(options)
    return web.json_response({"update_id": update["update_id"]})


async def download_file(request: web.Request) -> web.Response:
    state = request.app[STATE]
    persona = _persona_from(request)
    entry = _entry(state, persona.user_id, _int(request.match_info["message_id"]))
    if entry.file_bytes is None:
        raise _not_found("that message has no uploaded file")
    mime_type = entry.mime_type or "application/octet-stream"
    # Only images open in the page; anything else (an HTML "document" included) is a download,
    # and the sandbox CSP keeps even a mislabelled file from running script on this origin.
    inline = entry.kind == "photo" and mime_type.startswith("image/")
    disposition = "inline" if inline else "attachment"
    name = entry.file_name or f"file-{entry.message_id}"
    return web.Response(
        body=entry.file_bytes,
        content_type=mime_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def get_clock(request: web.Request) -> web.Response:
    return web.json_response({"now": _now(request.app[STATE])})


async def fast_forward(request: web.Request) -> web.Response:
    state = request.app[STATE]
    step = (await _json_body(request)).get("step")
    if step not in CLOCK_STEPS:
        raise _bad_request(f"step must be one of {', '.join(CLOCK_STEPS)}")
    state.clock.advance(CLOCK_STEPS[step])
    if state.on_clock_moved is not None:
        await state.on_clock_moved()
    return web.json_response({"now": _now(state)})


async def list_rejected(request: web.Request) -> web.Response:
    state = request.app[STATE]
    state.anchor_rejections()
    calls = [
        _rejection_json(state, index) | {"chat_id": call.chat_id}
        for index, call in enumerate(state.emulator.rejected)
    ]
    return web.json_response({"rejected": calls})


async def wait_for_changes(request: web.Request) -> web.Response:
    """Long poll: answers as soon as anything changes in the emulator, or after `timeout`."""
    state = request.app[STATE]
    since = _int(request.query.get("since", "-1"))
    timeout = min(max(_float(request.query.get("timeout", "25")), 0.0), MAX_LONG_POLL_SECONDS)
    version = await state.emulator.wait_for_change(since, timeout)
    state.anchor_rejections()  # a refusal is placed while its chat still looks as it did
    return web.json_response({"version": version, "now": _now(state)})


# ---------------------------------------------------------------------- JSON shapes


def _persona_json(state: WebState, persona: Persona) -> dict[str, Any]:
    return {
        "user_id": persona.user_id,
        "name": persona.first_name,
        "role": persona.role,
        "language": persona.language,
        "timezone": persona.timezone,
        "message_count": len(state.emulator.chat_log(persona.user_id)),
    }


def _message_json(state: WebState, entry: ChatEntry) -> dict[str, Any]:
    markup = entry.reply_markup or {}
    poll = None
    if entry.poll is not None:
        poll = entry.poll | {"my_votes": state.votes.get((entry.chat_id, entry.poll["id"]))}
    return {
        "message_id": entry.message_id,
        "from_bot": entry.from_bot,
        "date": _iso(entry.date),
        "kind": entry.kind,
        "text": entry.text,
        "entities": entry.entities,
        "caption": entry.caption,
        "caption_entities": entry.caption_entities,
        # A reply keyboard sent with a message shows under the input, not on the message.
        "inline_keyboard": markup.get("inline_keyboard"),
        "poll": poll,
        "file": _file_json(entry),
        "edited": entry.edited,
        "reply_to_message_id": entry.reply_to_message_id,
    }


def _file_json(entry: ChatEntry) -> dict[str, Any] | None:
    if entry.kind not in {"photo", "document"}:
        return None
    return {
        "name": entry.file_name,
        "mime_type": entry.mime_type,
        "size": len(entry.file_bytes) if entry.file_bytes is not None else None,
        "url": (
            f"/api/chats/{entry.chat_id}/files/{entry.message_id}"
            if entry.file_bytes is not None
            else None
        ),
    }


def _reply_keyboard_json(markup: dict | None) -> dict[str, Any] | None:
    if not markup or "keyboard" not in markup:
        return None
    rows = [
        [button["text"] if isinstance(button, dict) else str(button) for button in row]
        for row in markup["keyboard"]
    ]
    return {"rows": rows, "placeholder": markup.get("input_field_placeholder")}


def _chat_rejections(state: WebState, chat_id: int) -> list[dict[str, Any]]:
    return [
        _rejection_json(state, index)
        for index, call in enumerate(state.emulator.rejected)
        if call.chat_id == chat_id
    ]


def _rejection_json(state: WebState, index: int) -> dict[str, Any]:
    call = state.emulator.rejected[index]
    return {
        "index": index,
        "after_message_id": state.rejection_anchors[index],
        "method": call.method,
        "status": call.status,
        "description": call.description,
        "time": _iso(call.time),
    }


def _toasts(state: WebState, user_id: int) -> list[dict[str, Any]]:
    """answerCallbackQuery texts for this persona's presses (Telegram's toast or alert)."""
    answers = state.emulator.callback_answers
    return [
        {"id": query_id, "text": answer["text"], "alert": answer["show_alert"]}
        for query_id, owner in state.presses.items()
        if owner == user_id and (answer := answers.get(query_id)) and answer.get("text")
    ]


def _commands(state: WebState, persona: Persona) -> list[dict[str, str]]:
    """The command menu this persona's Telegram app would show (narrowest scope that is set).

    A menu set for this chat alone (a coordinator's or facilitator's) comes first, as in
    Telegram's own scope order.
    """
    own = scope_key({"type": "chat", "chat_id": persona.user_id})
    private, default = scope_key({"type": "all_private_chats"}), scope_key(None)
    for key in (
        (own, persona.language),
        (own, ""),
        (private, persona.language),
        (private, ""),
        (default, persona.language),
    ):
        if key in state.emulator.commands:
            return state.emulator.commands[key]
    return state.emulator.commands.get((default, ""), [])


def _callback_data(entry: ChatEntry) -> set[str]:
    rows = (entry.reply_markup or {}).get("inline_keyboard") or []
    return {b["callback_data"] for row in rows for b in row if "callback_data" in b}


# ---------------------------------------------------------------------- request helpers


def _persona_from(request: web.Request) -> Persona:
    persona = request.app[STATE].persona(_int(request.match_info["user_id"]))
    if persona is None:
        raise _not_found("no such persona")
    return persona


def _entry(state: WebState, chat_id: int, message_id: object) -> ChatEntry:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise _bad_request("message_id must be a number")
    for entry in state.emulator.chat_log(chat_id):
        if entry.message_id == message_id:
            return entry
    raise _not_found("no such message in this chat")


async def _json_body(request: web.Request) -> dict[str, Any]:
    # Requiring JSON means a page on another origin cannot post here without a CORS
    # preflight, which this server never approves.
    if request.content_type != "application/json":
        raise _error(web.HTTPUnsupportedMediaType, "send application/json")
    try:
        body = await request.json()
    except ValueError:
        raise _bad_request("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _bad_request("the body must be a JSON object")
    return body


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise _bad_request("expected a whole number") from None


def _float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _bad_request("expected a number") from None
    if value != value:  # NaN
        raise _bad_request("expected a number")
    return value


def _bad_request(reason: str) -> web.HTTPException:
    return _error(web.HTTPBadRequest, reason)


def _not_found(reason: str) -> web.HTTPException:
    return _error(web.HTTPNotFound, reason)


def _error(kind: type[web.HTTPException], reason: str) -> web.HTTPException:
    return kind(text=json.dumps({"error": reason}), content_type="application/json")


def _now(state: WebState) -> str:
    return _iso(state.clock.now())


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
