"""SqlitePersistence against a real SQLite file, including a close-and-reopen round trip."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PersistenceInput,
    filters,
)
from telegram.request import BaseRequest

from bot.clock import ControllableClock
from bot.storage.database import Database
from bot.storage.persistence import SqlitePersistence

EVERYTHING = PersistenceInput(bot_data=True, chat_data=True, user_data=True, callback_data=True)


def test_defaults_store_only_user_data(db: Database) -> None:
    persistence = SqlitePersistence(db)
    assert persistence.store_data == PersistenceInput(
        bot_data=False, chat_data=False, callback_data=False
    )
    assert persistence.update_interval == 5
    assert SqlitePersistence(db, update_interval=1).update_interval == 1


async def test_empty_database_yields_empty_defaults(db: Database) -> None:
    # First use of the Database: PTB calls these during Application.initialize().
    persistence = SqlitePersistence(db, store_data=EVERYTHING)
    assert await persistence.get_user_data() == {}
    assert await persistence.get_chat_data() == {}
    assert await persistence.get_bot_data() == {}
    assert await persistence.get_callback_data() is None
    assert await persistence.get_conversations("onboarding") == {}


async def test_round_trip_survives_close_and_reopen(tmp_path: Path, make_db) -> None:
    path = tmp_path / "rangkul.sqlite3"
    first_db = make_db(path)
    first = SqlitePersistence(first_db, store_data=EVERYTHING)
    await first.update_user_data(11, {"lang": "en", "draft": {"alias": "Ayu", "step": 2}})
    await first.update_user_data(22, {"answers": [0, 3, 2]})
    await first.update_chat_data(-100, {"group": "Bandung"})
    await first.update_bot_data({"broadcast_paused": True})
    await first.update_callback_data(([("kb-1", 1700000000.5, {"btn": "yes"})], {"q": "kb-1"}))
    await first.update_conversation("onboarding", (11, 11), "ASK_ALIAS")
    await first.update_conversation("onboarding", (22, 22), 4)
    await first.update_conversation("checkin", (-100, 11), 1)
    await first.update_conversation("inline", ("AgAAAB-x",), 2)
    await first.flush()
    await first_db.close()

    second_db = make_db(path)
    second = SqlitePersistence(second_db, store_data=EVERYTHING)
    assert await second.get_user_data() == {
        11: {"lang": "en", "draft": {"alias": "Ayu", "step": 2}},
        22: {"answers": [0, 3, 2]},
    }
    assert await second.get_chat_data() == {-100: {"group": "Bandung"}}
    assert await second.get_bot_data() == {"broadcast_paused": True}
    assert await second.get_callback_data() == (
        [("kb-1", 1700000000.5, {"btn": "yes"})],
        {"q": "kb-1"},
    )
    assert await second.get_conversations("onboarding") == {(11, 11): "ASK_ALIAS", (22, 22): 4}
    assert await second.get_conversations("checkin") == {(-100, 11): 1}
    assert await second.get_conversations("inline") == {("AgAAAB-x",): 2}


async def test_ended_conversation_is_deleted(db: Database) -> None:
    persistence = SqlitePersistence(db)
    await persistence.update_conversation("onboarding", (1, 1), "A")
    await persistence.update_conversation("onboarding", (1, 1), "B")
    await persistence.update_conversation("onboarding", (2, 2), "A")
    assert await persistence.get_conversations("onboarding") == {(1, 1): "B", (2, 2): "A"}
    await persistence.update_conversation("onboarding", (1, 1), None)
    assert await persistence.get_conversations("onboarding") == {(2, 2): "A"}


async def test_empty_data_keeps_no_row_and_drop_deletes(db: Database) -> None:
    persistence = SqlitePersistence(db)
    await persistence.update_conversation("onboarding", (1, 1), "A")  # joining: drafts kept
    await persistence.update_user_data(1, {"lang": "id"})
    await persistence.update_user_data(2, {})
    await persistence.update_chat_data(1, {"x": 1})
    await persistence.update_chat_data(3, {})
    assert await persistence.get_user_data() == {1: {"lang": "id"}}
    assert await persistence.get_chat_data() == {1: {"x": 1}}

    await persistence.update_user_data(1, {})
    assert await persistence.get_user_data() == {}

    await persistence.update_user_data(1, {"lang": "id"})
    await persistence.drop_user_data(1)
    await persistence.drop_chat_data(1)
    assert await persistence.get_user_data() == {}
    assert await persistence.get_chat_data() == {}


async def test_non_string_keys_are_refused_rather_than_silently_changed(db: Database) -> None:
    persistence = SqlitePersistence(db)
    with pytest.raises(TypeError, match="str"):
        await persistence.update_user_data(1, {"answers": {1: 3}})
    assert await persistence.get_user_data() == {}


async def test_many_concurrent_writes_like_update_persistence(db: Database) -> None:
    persistence = SqlitePersistence(db)
    # Application.update_persistence fires all writes at once with asyncio.gather.
    await asyncio.gather(
        *(persistence.update_user_data(uid, {"n": uid}) for uid in range(1, 101)),
        *(persistence.update_conversation("c", (uid, uid), uid) for uid in range(1, 101)),
    )
    assert len(await persistence.get_user_data()) == 100
    assert len(await persistence.get_conversations("c")) == 100


async def test_refresh_methods_leave_data_alone(db: Database) -> None:
    persistence = SqlitePersistence(db)
    data = {"lang": "en"}
    await persistence.refresh_user_data(1, data)
    await persistence.refresh_chat_data(1, data)
    await persistence.refresh_bot_data(data)
    assert data == {"lang": "en"}


class _GetMeOnly(BaseRequest):
    """Answers the getMe that Application.initialize() makes; the test sends nothing else."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, *args: object, **kwargs: object):
        assert url.endswith("/getMe"), url
        me = {"id": 1, "is_bot": True, "first_name": "Rangkul", "username": "rangkul_bot"}
        return 200, json.dumps({"ok": True, "result": me}).encode()


def _build_app(db: Database, seen: list[str]) -> Application:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data["step"] = "asked"
        seen.append("start")
        return 1

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        seen.append(f"answer:{context.user_data.get('step')}")
        return ConversationHandler.END

    app = (
        Application.builder()
        .token("123:TEST")
        .request(_GetMeOnly())
        .get_updates_request(_GetMeOnly())
        .persistence(SqlitePersistence(db))
        .build()
    )
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={1: [MessageHandler(filters.TEXT & ~filters.COMMAND, answer)]},
            fallbacks=[],
            name="flow",
            persistent=True,
        )
    )
    return app


def _message(app: Application, update_id: int, text: str) -> Update:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    data = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": 4242, "type": "private", "first_name": "A"},
            "from": {"id": 4242, "is_bot": False, "first_name": "A"},
            "text": text,
            **({"entities": entities} if text.startswith("/") else {}),
        },
    }
    return Update.de_json(data, app.bot)


async def test_application_resumes_conversation_after_restart(tmp_path: Path, make_db) -> None:
    path = tmp_path / "rangkul.sqlite3"
    seen: list[str] = []
    # Not connected yet: Application.initialize() is the first user, as in production.
    first_db = make_db(path)
    app = _build_app(first_db, seen)
    async with app:
        await app.process_update(_message(app, 1, "/start"))
        await app.update_persistence()
    await first_db.close()

    second_db = make_db(path)
    app = _build_app(second_db, seen)
    async with app:
        assert app.user_data[4242] == {"step": "asked"}
        await app.process_update(_message(app, 2, "my answer"))
        await app.update_persistence()
    assert seen == ["start", "answer:asked"]
    assert await SqlitePersistence(second_db).get_conversations("flow") == {}


async def test_idle_conversations_time_out_at_load_and_take_strangers_drafts(db: Database) -> None:
    clock = ControllableClock(datetime(2026, 12, 1, tzinfo=UTC))
    persistence = SqlitePersistence(db, clock=clock)
    persistence.conversation_timeouts = {"search": timedelta(minutes=30)}
    await persistence.update_conversation("search", (1, 1), 1)
    await persistence.update_user_data(1, {"search": {"page": 0}})
    await persistence.update_user_data(2, {"lang": "en"})  # in no conversation at all
    clock.advance(timedelta(minutes=29))
    await persistence.update_conversation("search", (3, 3), 1)
    await persistence.update_user_data(3, {"search": {}})
    clock.advance(timedelta(minutes=1))

    assert await persistence.get_user_data() == {3: {"search": {}}}
    assert await persistence.get_conversations("search") == {(3, 3): 1}


async def test_conversations_without_a_timeout_and_rows_from_before_are_kept(db: Database) -> None:
    clock = ControllableClock(datetime(2026, 12, 1, tzinfo=UTC))
    persistence = SqlitePersistence(db, clock=clock)
    await persistence.update_conversation("forever", (1, 1), 1)
    conn = await db.connection()
    await conn.execute(
        "INSERT INTO ptb_conversations (name, conv_key, state) VALUES ('search', '[2, 2]', '1')"
    )
    persistence.conversation_timeouts = {"search": timedelta(minutes=30)}
    clock.advance(timedelta(days=30))
    await persistence.get_user_data()
    assert await persistence.get_conversations("forever") == {(1, 1): 1}
    # A row saved before touched_at existed counts as touched at this start.
    assert await persistence.get_conversations("search") == {(2, 2): 1}


async def test_unchanged_user_data_costs_no_sql_and_changes_still_land(
    tmp_path: Path, make_db
) -> None:
    # PTB hands over every sender's user_data after every update: the unchanged ones (an
    # empty dict for someone with no row, the same draft again) must not open a transaction.
    path = tmp_path / "rangkul.sqlite3"
    db = make_db(path)
    persistence = SqlitePersistence(db)
    assert await persistence.get_user_data() == {}
    await persistence.update_user_data(11, {"draft": "kept"})
    statements: list[str] = []
    conn = await db.connection()
    await conn.set_trace_callback(statements.append)
    await persistence.update_user_data(11, {"draft": "kept"})
    await persistence.update_user_data(22, {})
    assert statements == []
    await persistence.update_user_data(22, {"lang": "en"})
    await persistence.update_user_data(11, {})
    await persistence.drop_user_data(22)
    await persistence.update_user_data(22, {"lang": "id"})  # dropped, so written again
    await conn.set_trace_callback(None)
    assert sum(s.startswith("COMMIT") for s in statements) == 4
    async with conn.execute("SELECT user_id, data FROM ptb_user_data") as cursor:
        assert [tuple(row) async for row in cursor] == [(22, '{"lang":"id"}')]


async def test_user_data_is_stored_says_what_a_write_would_change(db: Database) -> None:
    # RangkulApplication asks this after every update to skip an update_persistence() that
    # would write nothing.
    persistence = SqlitePersistence(db)
    assert not persistence.user_data_is_stored(11, {})  # table not read yet: unknown
    await persistence.get_user_data()
    assert persistence.user_data_is_stored(11, {})
    assert not persistence.user_data_is_stored(11, {"draft": "new"})
    await persistence.update_user_data(11, {"draft": "new"})
    assert persistence.user_data_is_stored(11, {"draft": "new"})
    assert not persistence.user_data_is_stored(11, {})
    assert not persistence.user_data_is_stored(11, {1: "refused"})  # the write raises
