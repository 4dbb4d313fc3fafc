"""The sandbox server: loopback-only binding, the web chat's JSON API, demo data, clean stops."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ControllableClock
from bot.domain.alias import check_alias
from bot.domain.regions import WIT, WITA
from bot.sandbox.cli import parse_sandbox_arguments, run_sandbox_command
from bot.sandbox.demo import (
    DEMO_MEETINGS,
    DEMO_SAFETY_PLAN,
    PERSONAS,
    coordinator_ids,
    load_demo_data,
)
from bot.sandbox.demo_history import MADE_UP_PEOPLE
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.server import (
    Sandbox,
    SandboxError,
    SandboxOptions,
    build_web_app,
    check_host,
    is_loopback,
)
from bot.sandbox.web_api import STATE, WebState
from bot.storage.database import Database

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
VISITOR = next(p for p in PERSONAS if p.role == "visitor" and p.language == "id")


# ---------------------------------------------------------------------- binding


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert is_loopback(host)
    assert check_host(host, allow_remote=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.20", "sandbox.example.org"])
def test_other_hosts_are_refused_unless_allowed(host: str) -> None:
    with pytest.raises(SandboxError, match="--allow-remote"):
        check_host(host, allow_remote=False)
    assert "without any authentication" in (check_host(host, allow_remote=True) or "")


async def test_a_refused_host_starts_nothing() -> None:
    sandbox = Sandbox(SandboxOptions(host="0.0.0.0", port=0))
    with pytest.raises(SandboxError):
        await sandbox.start()
    assert sandbox.url == "" and sandbox.application is None


def test_the_command_refuses_a_public_host_with_one_line(capsys: pytest.CaptureFixture) -> None:
    code = run_sandbox_command(["--host", "0.0.0.0", "--port", "0"])

    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--allow-remote" in err


def test_command_defaults() -> None:
    options = parse_sandbox_arguments([])
    assert (options.host, options.port, options.database) == ("127.0.0.1", 8080, None)
    assert (options.demo, options.allow_remote, options.language) == (True, False, "id")
    assert parse_sandbox_arguments(["--no-demo"]).demo is False


# ---------------------------------------------------------------------- demo data


def test_demo_personas_are_clearly_fake_and_cover_every_role() -> None:
    roles = {p.role for p in PERSONAS}
    assert roles == {"coordinator", "facilitator", "member", "visitor"}
    assert all("(demo)" in p.first_name for p in PERSONAS)
    assert all(
        p.alias.startswith("Demo ") and check_alias(p.alias) is None for p in PERSONAS if p.alias
    )
    assert {WITA, WIT} <= {p.timezone for p in PERSONAS if p.role == "member"}
    assert {p.language for p in PERSONAS if p.role == "visitor"} == {"id", "en"}
    assert coordinator_ids() == {p.user_id for p in PERSONAS if p.role == "coordinator"}


async def test_demo_data_registers_everyone_but_visitors_once(tmp_path: Path) -> None:
    db = Database(tmp_path / "demo.sqlite3")
    clock = ControllableClock(START)
    await load_demo_data(db, clock)
    await load_demo_data(db, clock)  # a reused --database
    await db.close()

    with sqlite3.connect(tmp_path / "demo.sqlite3") as conn:
        registered = {row[0] for row in conn.execute("SELECT telegram_id FROM members")}
        consents = conn.execute("SELECT COUNT(*) FROM consents").fetchone()[0]
    made_up = {person.telegram_id for person in MADE_UP_PEOPLE}
    assert registered == {p.user_id for p in PERSONAS if p.role != "visitor"} | made_up
    assert consents == len(registered)
    with sqlite3.connect(tmp_path / "demo.sqlite3") as conn:
        plan_rows = conn.execute("SELECT COUNT(*) FROM safety_plans").fetchone()[0]
    assert plan_rows == len(DEMO_SAFETY_PLAN[1])  # once, though loaded twice


@pytest.mark.parametrize("minute", [0, 1, 29, 30, 31, 59])
def test_the_demo_meeting_soon_brings_a_reminder_per_fast_forward(minute: int) -> None:
    # Whatever the time of day: after "+1 day" the day-before reminder is due and the
    # hour-before one not yet; after "+1 hour" that one too, and the meeting has not begun.
    [soon] = [m for m in DEMO_MEETINGS if m.hour is None]
    start = START.replace(minute=minute, second=17)
    first = soon.first_start(start, "Asia/Jakarta")
    assert first.minute in (0, 30) and first.second == 0
    day_before, hour_before = first - timedelta(days=1), first - timedelta(hours=1)
    after_day, after_hour = start + timedelta(days=1), start + timedelta(days=1, hours=1)
    assert start < day_before <= after_day < hour_before <= after_hour < first


# ---------------------------------------------------------------------- the web API


@dataclass
class Api:
    client: TestClient
    emulator: BotApiEmulator
    clock: ControllableClock

    async def bot(self, method: str, **params: object) -> dict:
        """A call from the bot's side, straight into the emulator."""
        status, body = await self.emulator.call(self.emulator.token, method, params)
        assert status == 200, body
        return body["result"]

    async def post(self, path: str, body: object, status: int = 200) -> dict:
        response = await self.client.post(path, json=body)
        assert response.status == status, await response.text()
        return await response.json()

    async def chat(self, user_id: int = VISITOR.user_id) -> dict:
        response = await self.client.get(f"/api/chats/{user_id}")
        assert response.status == 200
        return await response.json()


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    clock = ControllableClock(START)
    emulator = BotApiEmulator(clock=clock)
    for persona in PERSONAS:
        emulator.add_user(persona.user_id, persona.first_name, language_code=persona.language)
    app = build_web_app(emulator, WebState(emulator, clock, PERSONAS))
    async with TestClient(TestServer(app)) as client:
        yield Api(client, emulator, clock)


async def test_personas_are_listed_with_role_language_and_timezone(api: Api) -> None:
    body = await (await api.client.get("/api/personas")).json()
    assert [p["user_id"] for p in body["personas"]] == [p.user_id for p in PERSONAS]
    first = body["personas"][0]
    assert (first["role"], first["language"], first["timezone"]) == (
        "coordinator",
        "id",
        "Asia/Jakarta",
    )
    assert body["now"] == START.isoformat()


async def test_sending_text_queues_the_update_telegram_would_send(api: Api) -> None:
    await api.post(f"/api/chats/{VISITOR.user_id}/messages", {"text": "/start"})

    [update] = api.emulator.pending_updates()
    assert update["message"]["text"] == "/start"
    assert update["message"]["from"]["language_code"] == "id"
    [mine] = (await api.chat())["messages"]
    assert (mine["from_bot"], mine["text"]) == (False, "/start")


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        (f"/api/chats/{VISITOR.user_id}/messages", {"text": "  "}, 400),
        (f"/api/chats/{VISITOR.user_id}/messages", {"text": "x" * 4097}, 400),
        (f"/api/chats/{VISITOR.user_id}/messages", ["not", "an", "object"], 400),
        ("/api/chats/12345/messages", {"text": "hi"}, 404),
        (f"/api/chats/{VISITOR.user_id}/buttons", {"message_id": 99, "callback_data": "x"}, 404),
        ("/api/clock", {"step": "year"}, 400),
    ],
)
async def test_bad_requests_are_refused(api: Api, path: str, body: object, status: int) -> None:
    assert "error" in await api.post(path, body, status)
    assert api.emulator.pending_updates() == []


async def test_posts_must_be_json_so_other_sites_cannot_post_here(api: Api) -> None:
    response = await api.client.post(
        f"/api/chats/{VISITOR.user_id}/messages",
        data="text=hi",
        headers={"Content-Type": "text/plain"},
    )
    assert response.status == 415


async def test_requests_for_a_foreign_host_name_are_refused(api: Api) -> None:
    response = await api.client.get("/api/personas", headers={"Host": "attacker.example:8080"})
    assert response.status == 421


async def test_the_chat_view_carries_entities_keyboards_and_edits(api: Api) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Lanjut", "callback_data": "ob:next"}]]}
    sent = await api.bot(
        "sendMessage",
        chat_id=VISITOR.user_id,
        text="<b>Halo</b> &lt;script&gt;",
        parse_mode="HTML",
        reply_markup=keyboard,
    )
    await api.bot(
        "editMessageText",
        chat_id=VISITOR.user_id,
        message_id=sent["message_id"],
        text="<i>Halo lagi</i>",
        parse_mode="HTML",
    )
    await api.bot(
        "sendMessage",
        chat_id=VISITOR.user_id,
        text="Pilih",
        reply_markup={"keyboard": [["Ya", "Tidak"]], "input_field_placeholder": "Jawab"},
    )

    chat = await api.chat()
    edited, question = chat["messages"]
    assert (edited["text"], edited["edited"], edited["inline_keyboard"]) == ("Halo lagi", 1, None)
    assert edited["entities"] == [{"type": "italic", "offset": 0, "length": 9}]
    assert question["inline_keyboard"] is None  # a reply keyboard is not on the message
    assert chat["reply_keyboard"] == {"rows": [["Ya", "Tidak"]], "placeholder": "Jawab"}


async def test_only_buttons_on_the_message_can_be_pressed(api: Api) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Lanjut", "callback_data": "ob:next"}]]}
    sent = await api.bot("sendMessage", chat_id=VISITOR.user_id, text="Hi", reply_markup=keyboard)
    path = f"/api/chats/{VISITOR.user_id}/buttons"

    await api.post(path, {"message_id": sent["message_id"], "callback_data": "admin:promote"}, 400)
    pressed = await api.post(path, {"message_id": sent["message_id"], "callback_data": "ob:next"})

    [update] = api.emulator.pending_updates()
    assert update["callback_query"]["data"] == "ob:next"
    await api.bot("answerCallbackQuery", callback_query_id=pressed["query_id"], text="Tersimpan")
    assert (await api.chat())["toasts"] == [
        {"id": pressed["query_id"], "text": "Tersimpan", "alert": False}
    ]


async def test_answering_a_poll_shows_the_voters_own_choice(api: Api) -> None:
    sent = await api.bot(
        "sendPoll", chat_id=VISITOR.user_id, question="Gimana?", options=["Baik", "Berat"]
    )
    path = f"/api/chats/{VISITOR.user_id}/polls"

    await api.post(path, {"message_id": sent["message_id"], "option_ids": [5]}, 400)
    await api.post(path, {"message_id": sent["message_id"], "option_ids": [1]})

    [poll_message] = (await api.chat())["messages"]
    poll = poll_message["poll"]
    assert poll["my_votes"] == [1] and poll["total_voter_count"] == 1
    assert [o["voter_count"] for o in poll["options"]] == [0, 1]


async def test_a_persona_in_a_group_chat_votes_in_its_anonymous_poll(api: Api) -> None:
    chat_id = -1001234567890
    api.emulator.add_group(chat_id, "Obrolan", supergroup=True)
    sent = await api.bot("sendPoll", chat_id=chat_id, question="Kapan?", options=["Kamis", "Sabtu"])
    path = f"/api/groups/{VISITOR.user_id}/{chat_id}/polls"
    await api.post(path, {"message_id": sent["message_id"], "option_ids": [1]}, 400)  # not in
    api.emulator.set_member(chat_id, VISITOR.user_id, "member")
    await api.post(path, {"message_id": sent["message_id"] + 99, "option_ids": [1]}, 400)
    await api.post(path, {"message_id": sent["message_id"], "option_ids": [1]})

    groups = (await (await api.client.get(f"/api/groups/{VISITOR.user_id}")).json())["groups"]
    [line] = [m for m in groups[0]["messages"] if m["kind"] == "poll"]
    assert line["poll"]["is_anonymous"] is True and line["poll"]["my_votes"] == [1]
    assert [o["voter_count"] for o in line["poll"]["options"]] == [0, 1]


async def test_documents_download_as_attachments(api: Api) -> None:
    content = b"alias,sessions\nDemo,3\n"
    status, body = await api.emulator.call(
        api.emulator.token,
        "sendDocument",
        {"chat_id": str(VISITOR.user_id)},
        {"document": ("export.csv", content, "text/csv")},
    )
    assert status == 200, body
    [message] = (await api.chat())["messages"]

    response = await api.client.get(message["file"]["url"])

    assert await response.read() == content
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_fast_forward_moves_the_clock(api: Api) -> None:
    for step, expected in [("hour", timedelta(hours=1)), ("day", timedelta(days=1))]:
        before = api.clock.now()
        body = await api.post("/api/clock", {"step": step})
        assert api.clock.now() - before == expected
        assert body["now"] == api.clock.now().isoformat()
    await api.post("/api/clock", {"step": "week"})
    assert api.clock.now() == START + timedelta(hours=1, days=1, weeks=1)


async def test_fast_forward_runs_what_became_due_before_answering(api: Api) -> None:
    moved_to = []

    async def catch_up() -> None:
        moved_to.append(api.clock.now())

    api.client.server.app[STATE].on_clock_moved = catch_up
    await api.post("/api/clock", {"step": "day"})
    assert moved_to == [START + timedelta(days=1)]


async def test_a_persona_with_a_role_sees_their_own_command_menu(api: Api) -> None:
    everyone = [{"command": "menu", "description": "Menu utama"}]
    own = [*everyone, {"command": "newgroup", "description": "Buat kelompok"}]
    await api.bot("setMyCommands", commands=everyone, scope={"type": "all_private_chats"})
    await api.bot(
        "setMyCommands", commands=own, scope={"type": "chat", "chat_id": PERSONAS[0].user_id}
    )
    assert (await api.chat(PERSONAS[0].user_id))["commands"] == own
    assert (await api.chat())["commands"] == everyone


async def test_a_rejected_call_is_listed_and_shown_where_it_happened(api: Api) -> None:
    first = await api.bot("sendMessage", chat_id=VISITOR.user_id, text="first")
    too_long = {"inline_keyboard": [[{"text": "x", "callback_data": "y" * 70}]]}
    status, _ = await api.emulator.call(
        api.emulator.token,
        "sendMessage",
        {"chat_id": VISITOR.user_id, "text": "second", "reply_markup": too_long},
    )
    assert status == 400
    # An open page long-polls, so it notices the refusal before the bot sends anything else.
    [listed] = (await (await api.client.get("/api/rejected")).json())["rejected"]
    await api.bot("sendMessage", chat_id=VISITOR.user_id, text="third")

    assert (listed["method"], listed["status"], listed["chat_id"]) == (
        "sendMessage",
        400,
        VISITOR.user_id,
    )
    [in_chat] = (await api.chat())["rejected"]
    assert in_chat["after_message_id"] == first["message_id"]
    assert in_chat["description"] == "Bad Request: BUTTON_DATA_INVALID"


async def test_the_long_poll_answers_when_something_changes(api: Api) -> None:
    version = (await api.chat())["version"]
    waiting = asyncio.create_task(api.client.get(f"/api/changes?since={version}&timeout=10"))
    await asyncio.sleep(0.05)
    assert not waiting.done()

    await api.post(f"/api/chats/{VISITOR.user_id}/messages", {"text": "halo"})

    response = await asyncio.wait_for(waiting, 2)
    assert (await response.json())["version"] > version


async def test_the_page_and_its_scripts_are_served_with_a_strict_policy(api: Api) -> None:
    page = await api.client.get("/")
    assert page.status == 200 and "app.js" in await page.text()
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    for asset in ("app.js", "style.css"):
        assert (await api.client.get(f"/static/{asset}")).status == 200


# ---------------------------------------------------------------------- the whole sandbox


def test_without_demo_data_only_the_new_visitors_remain() -> None:
    sandbox = Sandbox(SandboxOptions(port=0, demo=False))
    assert {p.role for p in sandbox.personas} == {"visitor"}


async def test_the_real_bot_answers_over_http_and_everything_stops_cleanly() -> None:
    sandbox = Sandbox(SandboxOptions(port=0))
    await sandbox.start()
    database = sandbox.application.bot_data["services"].db.path
    async with aiohttp.ClientSession(sandbox.url) as http:
        await http.post(f"/api/chats/{VISITOR.user_id}/messages", json={"text": "/start"})
        reply = await _first_bot_message(http, VISITOR.user_id)
        assert reply["inline_keyboard"]  # the language question, sent over real HTTP polling
        version = (await (await http.get(f"/api/chats/{VISITOR.user_id}")).json())["version"]
        # The page's long poll is still open when the sandbox stops.
        open_poll = asyncio.create_task(http.get(f"/api/changes?since={version}&timeout=25"))
        await asyncio.sleep(0.1)

        started = asyncio.get_running_loop().time()
        await sandbox.stop()

        assert asyncio.get_running_loop().time() - started < 5
        with contextlib.suppress(aiohttp.ClientError):
            (await open_poll).release()
    assert not database.parent.exists()  # the temporary database and its directory
    assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []


async def _first_bot_message(http: aiohttp.ClientSession, user_id: int) -> dict:
    for _ in range(50):
        chat = await (await http.get(f"/api/chats/{user_id}")).json()
        replies = [m for m in chat["messages"] if m["from_bot"]]
        if replies:
            return replies[0]
        await http.get(f"/api/changes?since={chat['version']}&timeout=1")
    raise AssertionError("the bot did not answer")
