"""The Bot API emulation's core and its in-process PTB front.

The emulator's value is fidelity: it must accept what Telegram accepts, refuse what Telegram
refuses with Telegram's wording, and return shapes PTB can parse. The HTML cases come from the
behaviour of Telegram's own parser.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.clock import ControllableClock
from bot.sandbox.emulator import BotApiEmulator, FloodLimits, scope_key
from bot.sandbox.entities import EntityParseError, parse_html, utf16_len
from bot.sandbox.request import EmulatorRequest
from bot.sandbox.rules import ApiError, FloodControl

AYU = 1001
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ControllableClock:
    return ControllableClock(START)


@pytest.fixture
def emulator(clock: ControllableClock) -> BotApiEmulator:
    emulator = BotApiEmulator(clock=clock)
    emulator.add_user(AYU, "Ayu")
    return emulator


async def call(emulator: BotApiEmulator, method: str, **params: object) -> tuple[int, dict]:
    return await emulator.call(emulator.token, method, params)


def keyboard(*rows: list[dict]) -> dict:
    return {"inline_keyboard": list(rows)}


# ---------------------------------------------------------------- HTML parse mode


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            "🏟 🏟&lt;<i>a</em   >",
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
        ),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("&#57311;", "Text contains invalid Unicode characters after decoding HTML entities"),
    ],
)
def test_html_that_telegram_refuses_is_refused_with_its_words(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_html(html)
    assert str(raised.value).startswith(error)


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("&lt;&gt;&amp;&quot;&laquo;&#128578;&#x41;", '<>&"&laquo;🙂A', []),
        ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", [("italic", 5, 6)]),
        (
            "<b>x</b><strong>y</strong><u>z</u><ins>w</ins>",
            "xyzw",
            [("bold", 0, 1), ("bold", 1, 1), ("underline", 2, 1), ("underline", 3, 1)],
        ),
        (
            "<s>a</s><del>b</del><tg-spoiler>c</tg-spoiler>",
            "abc",
            [("strikethrough", 0, 1), ("strikethrough", 1, 1), ("spoiler", 2, 1)],
        ),
        ("<i>a</>", "a", [("italic", 0, 1)]),
        ("<b></b>x", "x", []),
        ("<a href=telegram.org>t</a>", "t", [("text_link", 0, 1)]),
        ("<a href='localhost'>t</a>", "t", []),
        ("<pre><code>x</code></pre>", "x", [("pre", 0, 1), ("code", 0, 1)]),
        ('<pre><code class="language-py">x</code></pre>', "x", [("pre", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", [("custom_emoji", 0, 2)]),
    ],
)
def test_html_becomes_plain_text_and_utf16_entities(
    html: str, text: str, entities: list[tuple[str, int, int]]
) -> None:
    parsed_text, parsed_entities = parse_html(html)
    assert parsed_text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed_entities] == entities


def test_html_entities_carry_their_arguments() -> None:
    _, entities = parse_html(
        '<a href="https://Example.org">a</a><pre><code class="language-py">b</code></pre>'
    )
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 1, "url": "https://example.org/"},
        {"type": "pre", "offset": 1, "length": 1, "language": "py"},
    ]


# ---------------------------------------------------------------- sending rules


async def test_a_sent_message_is_returned_and_logged_as_the_user_sees_it(
    emulator: BotApiEmulator, clock: ControllableClock
) -> None:
    status, body = await call(
        emulator, "sendMessage", chat_id=AYU, text="<b>Halo</b> 🙂", parse_mode="HTML"
    )
    assert status == 200
    message = body["result"]
    assert message["text"] == "Halo 🙂"
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert message["date"] == int(START.timestamp())
    assert message["from"]["is_bot"] is True

    (entry,) = emulator.bot_messages(AYU)
    assert (entry.text, entry.date, entry.kind) == ("Halo 🙂", START, "text")


async def test_a_copy_keeps_a_users_photo_caption_and_entities_and_needs_its_source(
    emulator: BotApiEmulator,
) -> None:
    emulator.add_user(AYU + 1, "Budi")
    italic = [{"type": "italic", "offset": 0, "length": 4}]
    sent = emulator.user_sends_file(
        AYU, "photo", ("p.png", b"png", "image/png"), caption="Halo semua", caption_entities=italic
    )
    source = sent["message"]["message_id"]
    status, body = await call(
        emulator,
        "copyMessage",
        chat_id=AYU + 1,
        from_chat_id=AYU,
        message_id=source,
        parse_mode="HTML",  # applies to a new caption only: there is none
    )
    assert status == 200 and set(body["result"]) == {"message_id"}
    (copy,) = emulator.bot_messages(AYU + 1)
    assert (copy.kind, copy.caption, copy.caption_entities) == ("photo", "Halo semua", italic)

    status, body = await call(
        emulator, "copyMessage", chat_id=AYU + 1, from_chat_id=AYU, message_id=source + 50
    )
    assert (status, body["description"]) == (400, "Bad Request: message to copy not found")


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("", "Bad Request: message text is empty"),
        ("\ud83d", "Bad Request: text must be encoded in UTF-8"),
        ("<b> </b>\n", "Bad Request: message text is empty"),
        ("x" * 4097, "Bad Request: message is too long"),
        ("🙂" * 2049, "Bad Request: message is too long"),  # 4098 UTF-16 units
        ("<b>x", "Bad Request: can't parse entities: Can't find end tag corresponding"),
        ("1 < 2", "Bad Request: can't parse entities: Unsupported start tag"),
    ],
)
async def test_text_that_telegram_refuses_is_refused(
    emulator: BotApiEmulator, text: str, description: str
) -> None:
    status, body = await call(emulator, "sendMessage", chat_id=AYU, text=text, parse_mode="HTML")
    assert status == 400
    assert body["description"].startswith(description)
    assert emulator.bot_messages(AYU) == []


async def test_length_is_counted_after_parsing_in_utf16_units(emulator: BotApiEmulator) -> None:
    text = "<b>" + "🙂" * 2048 + "</b>"
    status, _ = await call(emulator, "sendMessage", chat_id=AYU, text=text, parse_mode="HTML")
    assert status == 200
    assert utf16_len(emulator.bot_messages(AYU)[0].text) == 4096


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        (keyboard([{"text": "a", "callback_data": "é" * 33}]), "Bad Request: BUTTON_DATA_INVALID"),
        (keyboard([{"text": "a", "callback_data": ""}]), "Bad Request: BUTTON_DATA_INVALID"),
        (keyboard([{"text": "a"}]), "Text buttons are unallowed in the inline keyboard"),
        (keyboard([{"text": "a", "url": "localhost/x"}]), "is invalid: Wrong HTTP URL"),
        (keyboard([{"text": "a", "url": "ftp://x.org"}]), "is invalid: Unsupported URL protocol"),
        (
            keyboard([{"text": "a", "url": "https://x.org", "callback_data": "x"}]),
            "exactly one of the optional fields",
        ),
        (keyboard([{"text": str(i), "callback_data": "x"} for i in range(9)]), "too long"),
        (
            keyboard(*[[{"text": "b", "callback_data": "x"}] * 5 for _ in range(21)]),
            "Bad Request: reply markup is too long",
        ),
    ],
)
async def test_inline_keyboards_follow_telegrams_limits(
    emulator: BotApiEmulator, markup: dict, description: str
) -> None:
    status, body = await call(
        emulator, "sendMessage", chat_id=AYU, text="pilih", reply_markup=json.dumps(markup)
    )
    assert status == 400
    assert description in body["description"]


async def test_callback_data_of_64_bytes_is_accepted(emulator: BotApiEmulator) -> None:
    markup = keyboard([{"text": "a", "callback_data": "é" * 32}], [{"text": "u", "url": "t.me/x"}])
    status, _ = await call(emulator, "sendMessage", chat_id=AYU, text="ok", reply_markup=markup)
    assert status == 200


async def test_caption_over_1024_is_too_long(emulator: BotApiEmulator) -> None:
    files = {"document": ("a.csv", b"1,2", "text/csv")}
    status, body = await emulator.call(
        emulator.token, "sendDocument", {"chat_id": AYU, "caption": "c" * 1025}, files
    )
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")


async def test_unknown_chat_token_and_method_are_refused_and_recorded(
    emulator: BotApiEmulator,
) -> None:
    assert (await call(emulator, "sendMessage", chat_id=999, text="x"))[0] == 400
    assert await emulator.call("1:WRONG", "getMe", {}) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert (await call(emulator, "sendSticker", chat_id=AYU))[1]["description"] == "Not Found"
    assert [(r.method, r.chat_id, r.status) for r in emulator.rejected] == [
        ("sendMessage", 999, 400),
        ("getMe", None, 401),
        ("sendSticker", AYU, 404),
    ]
    assert emulator.rejected[0].description == "Bad Request: chat not found"


# ---------------------------------------------------------------- editing and deleting


async def test_edits_apply_in_place_and_refuse_no_op_edits(
    emulator: BotApiEmulator, clock: ControllableClock
) -> None:
    markup = keyboard([{"text": "Ya", "callback_data": "yes"}])
    _, sent = await call(emulator, "sendMessage", chat_id=AYU, text="a", reply_markup=markup)
    message_id = sent["result"]["message_id"]
    status, body = await call(
        emulator,
        "editMessageText",
        chat_id=AYU,
        message_id=message_id,
        text="a",
        reply_markup=markup,
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: message is not modified")

    clock.advance(timedelta(minutes=1))
    _, edited = await call(
        emulator, "editMessageText", chat_id=AYU, message_id=message_id, text="b"
    )
    assert edited["result"]["edit_date"] == int(clock.now().timestamp())
    assert "reply_markup" not in edited["result"]  # omitting the markup removes the keyboard
    (entry,) = emulator.chat_log(AYU)
    assert (entry.text, entry.edited, entry.reply_markup) == ("b", 1, None)


async def test_editing_or_deleting_a_missing_message_is_refused(emulator: BotApiEmulator) -> None:
    _, edit = await call(emulator, "editMessageText", chat_id=AYU, message_id=42, text="x")
    _, delete = await call(emulator, "deleteMessage", chat_id=AYU, message_id=42)
    assert edit["description"] == "Bad Request: message to edit not found"
    assert delete["description"] == "Bad Request: message to delete not found"


async def test_deleted_messages_leave_the_chat_log(emulator: BotApiEmulator) -> None:
    emulator.user_sends_text(AYU, "halo")
    _, sent = await call(emulator, "sendMessage", chat_id=AYU, text="hai")
    await call(emulator, "deleteMessage", chat_id=AYU, message_id=sent["result"]["message_id"])
    assert [(e.from_bot, e.text) for e in emulator.chat_log(AYU)] == [(False, "halo")]


# ---------------------------------------------------------------- the users' side


def test_commands_get_bot_command_entities_in_utf16(emulator: BotApiEmulator) -> None:
    update = emulator.user_sends_text(AYU, "/start@RangkulBot abc")
    message = update["message"]
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 17}]
    later = emulator.user_sends_text(AYU, "🙂 /help")
    assert later["message"]["entities"] == [{"type": "bot_command", "offset": 3, "length": 5}]
    assert later["update_id"] == update["update_id"] + 1


async def test_a_button_press_is_a_callback_query_answered_once(emulator: BotApiEmulator) -> None:
    markup = keyboard([{"text": "Hadir", "callback_data": "rsvp:1"}])
    await call(emulator, "sendMessage", chat_id=AYU, text="Datang?", reply_markup=markup)
    message_id, data = emulator.find_button(AYU, "Hadir")
    query = emulator.user_presses_button(AYU, message_id, data)["callback_query"]
    assert (query["data"], query["message"]["message_id"]) == ("rsvp:1", message_id)

    too_long = await call(
        emulator, "answerCallbackQuery", callback_query_id=query["id"], text="x" * 201
    )
    assert too_long == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: MESSAGE_TOO_LONG"},
    )
    assert (await call(emulator, "answerCallbackQuery", callback_query_id=query["id"], text="ok"))[
        0
    ] == 200
    assert emulator.callback_answers[query["id"]]["text"] == "ok"
    again = await call(emulator, "answerCallbackQuery", callback_query_id=query["id"])
    assert again[1]["description"].startswith("Bad Request: query is too old")


def test_find_button_fails_loudly_when_there_is_no_such_button(emulator: BotApiEmulator) -> None:
    with pytest.raises(LookupError):
        emulator.find_button(AYU, "Hadir")


async def test_blocking_forbids_sending_until_the_user_writes_again(
    emulator: BotApiEmulator,
) -> None:
    blocked = emulator.user_blocks_bot(AYU)["my_chat_member"]
    assert blocked["new_chat_member"]["status"] == "kicked"
    status, body = await call(emulator, "sendMessage", chat_id=AYU, text="halo")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")

    emulator.user_sends_text(AYU, "/start")
    kinds = [next(k for k in u if k != "update_id") for u in emulator.pending_updates()]
    assert kinds == ["my_chat_member", "my_chat_member", "message"]
    assert (await call(emulator, "sendMessage", chat_id=AYU, text="halo"))[0] == 200


async def test_polls_tally_votes_and_report_answers(emulator: BotApiEmulator) -> None:
    _, sent = await call(
        emulator,
        "sendPoll",
        chat_id=AYU,
        question="Hari?",
        options=json.dumps([{"text": "Senin"}, {"text": "Selasa"}]),
        is_anonymous="false",
    )
    poll_id = sent["result"]["poll"]["id"]
    answer = emulator.user_answers_poll(AYU, poll_id, [1])["poll_answer"]
    assert answer["option_ids"] == [1]
    poll = emulator.bot_messages(AYU)[0].poll
    assert [o["voter_count"] for o in poll["options"]] == [0, 1]

    _, stopped = await call(
        emulator, "stopPoll", chat_id=AYU, message_id=sent["result"]["message_id"]
    )
    assert stopped["result"]["is_closed"] is True
    with pytest.raises(ValueError, match="closed"):
        emulator.user_answers_poll(AYU, poll_id, [0])


async def test_commands_are_kept_per_scope_and_language(emulator: BotApiEmulator) -> None:
    commands = [{"command": "start", "description": "Mulai"}]
    scope = {"type": "chat", "chat_id": AYU}
    await call(emulator, "setMyCommands", commands=commands, scope=scope, language_code="id")
    assert emulator.commands[(scope_key(scope), "id")] == commands
    _, listed = await call(emulator, "getMyCommands", scope=json.dumps(scope), language_code="id")
    assert listed["result"] == commands
    _, bad = await call(
        emulator, "setMyCommands", commands=[{"command": "Start", "description": "x"}]
    )
    assert bad["description"] == "Bad Request: BOT_COMMAND_INVALID"


# ---------------------------------------------------------------- getUpdates and waiting


async def test_get_updates_long_polls_and_wakes_when_a_user_acts(emulator: BotApiEmulator) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    loop.call_later(0.05, emulator.user_sends_text, AYU, "halo")
    _, body = await call(emulator, "getUpdates", timeout=5)
    assert [u["message"]["text"] for u in body["result"]] == ["halo"]
    assert loop.time() - started < 1

    offset = body["result"][-1]["update_id"] + 1
    _, empty = await call(emulator, "getUpdates", offset=offset, timeout=0)
    assert empty["result"] == []
    assert emulator.pending_updates() == []


async def test_a_second_poller_ends_the_first_with_409(emulator: BotApiEmulator) -> None:
    first = asyncio.create_task(call(emulator, "getUpdates", timeout=5))
    await asyncio.sleep(0.01)
    await call(emulator, "getUpdates", timeout=0)
    status, body = await first
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_updates_the_bot_did_not_ask_for_are_dropped(emulator: BotApiEmulator) -> None:
    emulator.user_blocks_bot(AYU)
    emulator.user_sends_text(AYU, "halo")
    _, body = await call(emulator, "getUpdates", allowed_updates=json.dumps(["message"]))
    assert [list(u)[1] for u in body["result"]] == ["message"]


async def test_wait_for_change_wakes_on_any_change(emulator: BotApiEmulator) -> None:
    since = emulator.version()
    asyncio.get_running_loop().call_later(0.05, emulator.user_sends_text, AYU, "halo")
    assert await emulator.wait_for_change(since, timeout=5) > since
    now = emulator.version()
    assert await emulator.wait_for_change(now, timeout=0.01) == now


# ---------------------------------------------------------------- flood control


async def test_flood_limits_answer_429_with_retry_after(clock: ControllableClock) -> None:
    emulator = BotApiEmulator(clock=clock, flood_limits=FloodLimits(private_burst=2))
    emulator.add_user(AYU, "Ayu")
    statuses = [(await call(emulator, "sendMessage", chat_id=AYU, text="x"))[0] for _ in range(2)]
    status, body = await call(emulator, "sendMessage", chat_id=AYU, text="x")
    assert statuses == [200, 200]
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    assert body["description"] == "Too Many Requests: retry after 1"


def test_flood_control_refills_with_real_time() -> None:
    now = [0.0]
    flood = FloodControl(FloodLimits(group_per_minute=20), monotonic=lambda: now[0])
    for _ in range(20):
        flood.consume(-100)
    with pytest.raises(ApiError) as refused:
        flood.consume(-100)
    assert refused.value.retry_after == 3  # 20 per minute: one slot every 3 s
    now[0] += 3
    flood.consume(-100)


async def test_flood_limits_count_the_seconds_they_are_given(clock: ControllableClock) -> None:
    seconds = [0.0]
    emulator = BotApiEmulator(
        clock=clock, flood_limits=FloodLimits(private_burst=1), flood_clock=lambda: seconds[0]
    )
    emulator.add_user(AYU, "Ayu")
    assert (await call(emulator, "sendMessage", chat_id=AYU, text="x"))[0] == 200
    assert (await call(emulator, "sendMessage", chat_id=AYU, text="x"))[0] == 429
    seconds[0] += 1  # a second on the given clock, none in real time
    assert (await call(emulator, "sendMessage", chat_id=AYU, text="x"))[0] == 200


# ---------------------------------------------------------------- the real PTB Bot, in-process


async def test_a_real_ptb_bot_round_trips_through_the_in_process_front(
    emulator: BotApiEmulator,
) -> None:
    request = EmulatorRequest(emulator)
    async with Bot(emulator.token, request=request, get_updates_request=request) as bot:
        assert bot.username == "RangkulBot"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]])
        sent = await bot.send_message(AYU, "<i>Halo</i>", parse_mode="HTML", reply_markup=markup)
        assert sent.text == "Halo"
        assert sent.reply_markup == markup
        edited = await bot.edit_message_reply_markup(AYU, sent.message_id)
        assert edited.reply_markup is None

        # PTB drops "Bad Request: " and re-capitalises the rest of Telegram's description.
        with pytest.raises(BadRequest, match="can't find end tag corresponding"):
            await bot.send_message(AYU, "<b>x", parse_mode="HTML")

        document = await bot.send_document(AYU, b"a,b\n", filename="laporan.csv")
        file = await bot.get_file(document.document.file_id)
        assert await file.download_as_bytearray() == b"a,b\n"

        scope = BotCommandScopeChat(AYU)
        await bot.set_my_commands([BotCommand("start", "Mulai")], scope=scope)
        assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["start"]

        emulator.user_sends_text(AYU, "/start")
        (update,) = await bot.get_updates(timeout=1)
        assert update.message.text == "/start"
        assert update.message.from_user.id == AYU

        emulator.user_blocks_bot(AYU)
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(AYU, "halo")


async def test_ptb_maps_flood_and_token_errors(
    clock: ControllableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # read retry_after as PTB 23 will
    emulator = BotApiEmulator(clock=clock, flood_limits=FloodLimits(private_burst=1))
    emulator.add_user(AYU, "Ayu")
    request = EmulatorRequest(emulator)
    async with Bot(emulator.token, request=request) as bot:
        await bot.send_message(AYU, "satu")
        with pytest.raises(RetryAfter) as flooded:
            await bot.send_message(AYU, "dua")
        assert flooded.value.retry_after == timedelta(seconds=1)
    with pytest.raises(InvalidToken):
        await Bot("1:WRONG", request=EmulatorRequest(emulator)).get_me()


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]])
    await update.message.reply_text("Ikut?", reply_markup=markup)


async def chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Tercatat")
    await query.edit_message_text("Ikut: ya")


async def test_a_polling_application_runs_in_process(emulator: BotApiEmulator) -> None:
    request = EmulatorRequest(emulator)
    application = (
        ApplicationBuilder()
        .token(emulator.token)
        .request(request)
        .get_updates_request(EmulatorRequest(emulator))
        .build()
    )
    application.add_handlers([CommandHandler("start", ask), CallbackQueryHandler(chosen)])

    async def settle(condition: Callable[[], object]) -> None:
        async with asyncio.timeout(5):
            while not condition():
                await emulator.wait_for_change(emulator.version(), timeout=1)

    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        emulator.user_sends_text(AYU, "/start")
        await settle(lambda: emulator.bot_messages(AYU))
        emulator.user_presses_button(AYU, *emulator.find_button(AYU, "Ya"))
        await settle(lambda: emulator.bot_messages(AYU)[0].edited)
        await application.updater.stop()
        await application.stop()
    assert [e.text for e in emulator.chat_log(AYU)] == ["/start", "Ikut: ya"]
    assert list(emulator.callback_answers.values()) == [{"text": "Tercatat", "show_alert": False}]
    assert emulator.rejected == []
    assert emulator.pending_updates() == []
