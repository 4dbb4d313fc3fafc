"""PTB persistence in the bot's own SQLite file, so a restart resumes every conversation.

Conversation states and in-flight drafts (``user_data``) live next to the domain tables, which
lets ``/forget`` erase them in the same transaction as the member (see ``MemberRepository``).
Values are stored as JSON: readable in an export, and no unpickling of stored bytes.

JSON cannot tell ``{1: …}`` from ``{"1": …}``, so non-string dict keys are refused with a
``TypeError`` instead of silently coming back as strings; tuples come back as lists.

Every conversation times out (``conversation_timeouts``, filled from the handlers): PTB ends it
in a running process, and at start-up, before anything is loaded, conversations idle for longer
than their timeout are deleted, and with them the drafts of people who never joined and are in
no conversation any more. So nothing of someone who only looked around stays for long.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.clock import Clock, SystemClock
from bot.storage.database import Database, to_db_time

# The shapes PTB uses (its own aliases live in a private module).
ConversationKey = tuple[int | str, ...]
CallbackData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]

# bot_data holds the live service container (database connection, clock), not data worth
# saving, and PTB deep-copies it before every save; callback_data is off because the bot's
# buttons carry plain strings, not arbitrary objects. Both can be switched on via store_data.
DEFAULT_STORE = PersistenceInput(bot_data=False, chat_data=False, callback_data=False)


def conversation_key_json(key: ConversationKey) -> str:
    """The stored form of a ConversationHandler key, e.g. ``[chat_id, user_id]``."""
    return json.dumps(list(key))


def parse_conversation_key(text: str) -> ConversationKey:
    """The key tuple PTB uses, from :func:`conversation_key_json` text."""
    return tuple(json.loads(text))


def to_json(value: object) -> str:
    """JSON text for a persisted value; refuses dict keys that would not survive the trip."""
    _require_str_keys(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _require_str_keys(value: object) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"persisted dict keys must be str, not {type(key).__name__}")
            _require_str_keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _require_str_keys(item)


def _user_data_text(data: dict[Any, Any]) -> str | None:
    """The stored text of a user_data: None (no row) for an empty one. PTB hands over an empty
    dict for everyone who merely wrote to the bot; keeping no row then means no trace of people
    who never registered (data minimisation)."""
    return to_json(data) if data else None


class SqlitePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """:class:`telegram.ext.BasePersistence` backed by :class:`Database`.

    Every write is its own small transaction: PTB calls these after updates, many at once
    through ``asyncio.gather``, and ``Database.transaction`` queues them.

    PTB hands over every sender's ``user_data`` after every update, changed or not; what this
    process last stored is remembered (as its JSON text), so an unchanged one costs no SQL at
    all: no transaction, no commit, no wait for the write lock. (Before, every update of
    everyone ended in ``BEGIN``/``DELETE``/``COMMIT``.) Only people with stored drafts are
    remembered; everyone else's empty ``user_data`` matches "no row". Until
    :meth:`get_user_data` has read the table, nothing is known and every call writes.
    """

    __slots__ = ("_clock", "_db", "_stored_user_data", "conversation_timeouts")

    def __init__(
        self,
        db: Database,
        update_interval: float = 5,
        store_data: PersistenceInput | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(store_data=store_data or DEFAULT_STORE, update_interval=update_interval)
        self._db = db
        self._clock = clock or SystemClock()
        # Conversation name -> how long it may sit idle (bot.app fills it from the handlers).
        self.conversation_timeouts: dict[str, timedelta] = {}
        # user_id -> the JSON text of their ptb_user_data row, for every row there is (None:
        # not read yet).
        self._stored_user_data: dict[int, str] | None = None

    # --- loading (Application.initialize, ConversationHandler registration) ---

    async def expire_idle(self) -> None:
        """Deletes conversations idle past their timeout, then the drafts of non-members who
        are in no conversation any more. PTB loads user data first, so this runs there."""
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE ptb_conversations SET touched_at = ? WHERE touched_at IS NULL",
                (to_db_time(now),),
            )
            for name, timeout in self.conversation_timeouts.items():
                await conn.execute(
                    "DELETE FROM ptb_conversations WHERE name = ? AND touched_at <= ?",
                    (name, to_db_time(now - timeout)),
                )
            await conn.execute(
                "DELETE FROM ptb_user_data WHERE user_id NOT IN (SELECT telegram_id FROM members)"
                " AND user_id NOT IN (SELECT json_extract(conv_key, '$[1]')"
                " FROM ptb_conversations)"
            )

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        await self.expire_idle()
        conn = await self._db.connection()
        async with conn.execute("SELECT user_id, data FROM ptb_user_data") as cursor:
            stored = {row["user_id"]: row["data"] async for row in cursor}
        self._stored_user_data = stored
        return {user_id: json.loads(data) for user_id, data in stored.items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        conn = await self._db.connection()
        async with conn.execute("SELECT chat_id, data FROM ptb_chat_data") as cursor:
            return {row["chat_id"]: json.loads(row["data"]) async for row in cursor}

    async def get_bot_data(self) -> dict[Any, Any]:
        conn = await self._db.connection()
        async with conn.execute("SELECT data FROM ptb_bot_data WHERE id = 1") as cursor:
            row = await cursor.fetchone()
        return json.loads(row["data"]) if row is not None else {}

    async def get_callback_data(self) -> CallbackData | None:
        conn = await self._db.connection()
        async with conn.execute("SELECT data FROM ptb_callback_data WHERE id = 1") as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        keyboards, mapping = json.loads(row["data"])
        return [(uuid, ts, data) for uuid, ts, data in keyboards], mapping

    async def get_conversations(self, name: str) -> dict[ConversationKey, object]:
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT conv_key, state FROM ptb_conversations WHERE name = ?", (name,)
        ) as cursor:
            return {
                parse_conversation_key(row["conv_key"]): json.loads(row["state"])
                async for row in cursor
            }

    # --- saving (after updates, on the update_interval timer, on stop) ---

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        async with self._db.transaction() as conn:
            if new_state is None:
                # PTB's signal that the conversation ended.
                await conn.execute(
                    "DELETE FROM ptb_conversations WHERE name = ? AND conv_key = ?",
                    (name, conversation_key_json(key)),
                )
            else:
                await conn.execute(
                    "INSERT INTO ptb_conversations (name, conv_key, state, touched_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (name, conv_key)"
                    " DO UPDATE SET state = excluded.state, touched_at = excluded.touched_at",
                    (
                        name,
                        conversation_key_json(key),
                        to_json(new_state),
                        to_db_time(self._clock.now()),
                    ),
                )

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        if self.user_data_is_stored(user_id, data):
            return
        text = _user_data_text(data)
        async with self._db.transaction() as conn:
            if text is not None:
                await conn.execute(
                    "INSERT INTO ptb_user_data (user_id, data) VALUES (?, ?)"
                    " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                    (user_id, text),
                )
            else:
                await conn.execute("DELETE FROM ptb_user_data WHERE user_id = ?", (user_id,))
        self._remember_user_data(user_id, text)

    def user_data_is_stored(self, user_id: int, data: dict[Any, Any]) -> bool:
        """Whether the row of ``user_id`` already says ``data`` (or there is none, and none is
        wanted); False while the table has not been read, or for data that cannot be stored
        (the write then raises, as it should)."""
        stored = self._stored_user_data
        if stored is None:
            return False
        try:
            return stored.get(user_id) == _user_data_text(data)
        except TypeError:
            return False

    def _remember_user_data(self, user_id: int, text: str | None) -> None:
        """Records what the row of ``user_id`` now holds (None: there is no row)."""
        if self._stored_user_data is None:
            return
        if text is None:
            self._stored_user_data.pop(user_id, None)
        else:
            self._stored_user_data[user_id] = text

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        # Same reasoning as update_user_data: a private chat's id is the person's user id.
        async with self._db.transaction() as conn:
            if data:
                await conn.execute(
                    "INSERT INTO ptb_chat_data (chat_id, data) VALUES (?, ?)"
                    " ON CONFLICT (chat_id) DO UPDATE SET data = excluded.data",
                    (chat_id, to_json(data)),
                )
            else:
                await conn.execute("DELETE FROM ptb_chat_data WHERE chat_id = ?", (chat_id,))

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO ptb_bot_data (id, data) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                (to_json(data),),
            )

    async def update_callback_data(self, data: CallbackData) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO ptb_callback_data (id, data) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                (to_json(data),),
            )

    async def drop_user_data(self, user_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM ptb_user_data WHERE user_id = ?", (user_id,))
        self._remember_user_data(user_id, None)

    async def drop_chat_data(self, chat_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM ptb_chat_data WHERE chat_id = ?", (chat_id,))

    # --- refreshing: this process is the only writer, so memory is always current ---

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        """Called by ``Application.stop``: waits for pending writes. Closing the database is
        the application's shutdown step, since repositories share the connection."""
        await self._db.commit()
