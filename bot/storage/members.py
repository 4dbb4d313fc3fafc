"""Members, their topics and consent history; the personal-data export and ``/forget``.

Erasure design: every table that holds rows about a member references ``members(id)`` with
``ON DELETE CASCADE`` (0001 does so for topics and consents; later tables such as the outbox and
RSVPs must too), so deleting the ``members`` row erases them in the same statement. Only PTB's
persistence tables are keyed by Telegram id instead and are cleared here explicitly.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

import aiosqlite

from bot.domain.member import AliasTaken, Member, MemberExists, NewMember
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.persistence import parse_conversation_key

log = logging.getLogger(__name__)

_SELECT_MEMBER = """
    SELECT m.id, m.telegram_id, m.alias, m.language, m.timezone, m.province,
           m.is_coordinator, m.adult_confirmed_at, m.created_at,
           c.notice_version, c.given_at,
           (SELECT json_group_array(topic) FROM member_topics WHERE member_id = m.id) AS topics
    FROM members AS m
    JOIN consents AS c ON c.id = (
        SELECT id FROM consents WHERE member_id = m.id ORDER BY given_at DESC, id DESC LIMIT 1
    )
"""


class MemberRepository(Repository):
    """Storage of members. Methods taking a ``member_id`` raise ``LookupError`` if it is gone."""

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        conn = await self._reading(None)
        return await _load(conn, "m.telegram_id", telegram_id)

    async def by_id(self, member_id: int) -> Member | None:
        conn = await self._reading(None)
        return await _load(conn, "m.id", member_id)

    async def alias_taken(self, alias_key: str, *, except_member_id: int | None = None) -> bool:
        """Whether someone (other than ``except_member_id``) uses this alias key."""
        conn = await self._reading(None)
        # "id IS NOT NULL" is always true, so no exception member means everyone counts.
        async with conn.execute(
            "SELECT 1 FROM members WHERE alias_key = ? AND id IS NOT ?",
            (alias_key, except_member_id),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def create(self, new: NewMember, *, tx: Tx | None = None) -> Member:
        """Stores the member, their topics and their first consent together.

        Raises:
            AliasTaken: the alias key is in use.
            MemberExists: this Telegram account is already registered.
        """
        async with self._writing(tx) as conn:
            # Checked before the insert: when both the account and the alias are already there
            # (a double tap on "confirm"), SQLite would report the alias, a misleading reason.
            async with conn.execute(
                "SELECT 1 FROM members WHERE telegram_id = ?", (new.telegram_id,)
            ) as existing:
                if await existing.fetchone() is not None:
                    raise MemberExists("this Telegram account is already a member")
            try:
                cursor = await conn.execute(
                    "INSERT INTO members (telegram_id, alias, alias_key, language, timezone,"
                    " province, adult_confirmed_at, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        new.telegram_id,
                        new.alias,
                        new.alias_key,
                        new.language,
                        new.timezone,
                        new.province,
                        to_db_time(new.adult_confirmed_at),
                        to_db_time(new.created_at),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                if _unique_failed(exc, "members.alias_key"):
                    raise AliasTaken("alias already in use") from exc
                raise
            assert cursor.lastrowid is not None  # set by the INSERT just above
            member_id = cursor.lastrowid
            await _insert_topics(conn, member_id, new.topics)
            await _insert_consent(conn, member_id, new.consent_version, new.consent_at)
            member = await _load(conn, "m.id", member_id)
        assert member is not None  # written in this very transaction
        return member

    async def set_alias(self, member_id: int, alias: str, alias_key: str) -> None:
        """Raises ``AliasTaken`` if another member uses ``alias_key``."""
        async with self._db.transaction() as conn:
            try:
                cursor = await conn.execute(
                    "UPDATE members SET alias = ?, alias_key = ? WHERE id = ?",
                    (alias, alias_key, member_id),
                )
            except sqlite3.IntegrityError as exc:
                if _unique_failed(exc, "members.alias_key"):
                    raise AliasTaken("alias already in use") from exc
                raise
            _require_updated(cursor)

    async def set_language(self, member_id: int, lang: str) -> None:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET language = ? WHERE id = ?", (lang, member_id)
            )
            _require_updated(cursor)

    async def set_topics(self, member_id: int, topics: Iterable[str]) -> None:
        """Replaces the member's topics."""
        async with self._db.transaction() as conn:
            await _require_member(conn, member_id)
            await conn.execute("DELETE FROM member_topics WHERE member_id = ?", (member_id,))
            await _insert_topics(conn, member_id, topics)

    async def set_region(self, member_id: int, province: str | None, timezone: str) -> None:
        """Province code (``None``: online only) and the timezone that goes with it."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET province = ?, timezone = ? WHERE id = ?",
                (province, timezone, member_id),
            )
            _require_updated(cursor)

    async def record_consent(self, member_id: int, notice_version: int, at: datetime) -> None:
        """Adds to the consent history; earlier consents stay as proof of what was agreed."""
        async with self._db.transaction() as conn:
            await _require_member(conn, member_id)
            await _insert_consent(conn, member_id, notice_version, at)

    async def make_coordinator(self, member_id: int, *, tx: Tx | None = None) -> bool:
        """False if they coordinate already."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "UPDATE members SET is_coordinator = 1 WHERE id = ? AND is_coordinator = 0",
                (member_id,),
            )
        return cursor.rowcount > 0

    async def count_referral(self, source: str, *, tx: Tx | None = None) -> None:
        """Counts one arrival from ``source``. Callers pass known source codes only: the table
        is aggregate by design and must not turn into a log of free text."""
        async with self._writing(tx) as conn:
            await conn.execute(
                "INSERT INTO referral_counts (source, count) VALUES (?, 1)"
                " ON CONFLICT (source) DO UPDATE SET count = count + 1",
                (source,),
            )

    async def export(self, telegram_id: int) -> dict[str, Any] | None:
        """Everything stored about this person (UU PDP right of access and portability).

        JSON-ready: profile, topics, consent history, and the bot's saved state for them (their
        ``user_data``, their private chat's ``chat_data``, conversations keyed by their id).
        Internal row ids are left out, so no member id (theirs or anyone's) appears. ``None``
        if nothing at all is stored. ``profile`` is ``None`` for someone who started but never
        finished signing up and only has saved drafts.
        """
        # One transaction gives a consistent snapshot across the tables.
        async with self._db.transaction() as conn:
            member = await _load(conn, "m.telegram_id", telegram_id)
            consents: list[dict[str, Any]] = []
            if member is not None:
                async with conn.execute(
                    "SELECT notice_version, given_at FROM consents WHERE member_id = ?"
                    " ORDER BY given_at, id",
                    (member.id,),
                ) as cursor:
                    consents = [
                        {"notice_version": row["notice_version"], "given_at": row["given_at"]}
                        async for row in cursor
                    ]
            user_data = await _json_value(
                conn, "SELECT data FROM ptb_user_data WHERE user_id = ?", telegram_id
            )
            chat_data = await _json_value(
                conn, "SELECT data FROM ptb_chat_data WHERE chat_id = ?", telegram_id
            )
            conversations = [
                # The key is their chat and user id: exports never carry Telegram ids.
                {"name": name, "state": json.loads(state)}
                for name, _key, state in await _conversations_of(conn, telegram_id)
            ]
        if member is None and user_data is None and chat_data is None and not conversations:
            return None
        return {
            "profile": _profile(member) if member is not None else None,
            "topics": list(member.topics) if member is not None else [],
            "consents": consents,
            "user_data": user_data,
            "private_chat_data": chat_data,
            "conversations": conversations,
        }

    async def conversation_names(self, telegram_id: int) -> list[str]:
        """Names of the saved conversations this person is in (as of the last saved update)."""
        conn = await self._reading(None)
        return [name for name, _key, _state in await _conversations_of(conn, telegram_id)]

    async def drop_conversations_of_members(self, name: str) -> int:
        """Deletes saved ``name`` conversations of people who are members (onboarding state a
        crash left between registering and saving); returns how many went."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM ptb_conversations WHERE name = ? AND EXISTS (SELECT 1 FROM members"
                " WHERE members.telegram_id = json_extract(ptb_conversations.conv_key, '$[1]'))",
                (name,),
            )
            return cursor.rowcount

    async def forget(self, telegram_id: int) -> bool:
        """Deletes every row about this person, in one transaction; False if there was none
        (a second "delete everything" changes nothing, not even the files on disk).

        The ``members`` row takes everything referencing it along (ON DELETE CASCADE, see the
        module docstring); PTB's tables are keyed by Telegram id and are cleared here. The
        running Application still holds the person's ``user_data``/``chat_data`` and
        conversation state in memory and would write them back: the caller must also call
        ``application.drop_user_data``/``drop_chat_data`` and end the conversation.

        Afterwards the WAL is checkpointed and emptied, so the erased rows are gone from the
        files on disk too, not only from the tables.
        """
        async with self._db.transaction() as conn:
            deleted = 0
            for sql in (
                "DELETE FROM members WHERE telegram_id = ?",
                "DELETE FROM ptb_user_data WHERE user_id = ?",
                # A private chat's id equals the person's user id.
                "DELETE FROM ptb_chat_data WHERE chat_id = ?",
                "DELETE FROM command_menus WHERE chat_id = ?",
            ):
                cursor = await conn.execute(sql, (telegram_id,))
                deleted += cursor.rowcount
            doomed = [
                (name, raw_key) for name, raw_key, _ in await _conversations_of(conn, telegram_id)
            ]
            await conn.executemany(
                "DELETE FROM ptb_conversations WHERE name = ? AND conv_key = ?", doomed
            )
        if not deleted and not doomed:
            return False
        if not await self._db.checkpoint():
            log.warning("forget: the WAL still holds erased rows until the next checkpoint")
        return True


def _unique_failed(exc: sqlite3.IntegrityError, column: str) -> bool:
    return f"UNIQUE constraint failed: {column}" in str(exc)


def _require_updated(cursor: aiosqlite.Cursor) -> None:
    if cursor.rowcount == 0:
        raise LookupError("no such member")


async def _require_member(conn: aiosqlite.Connection, member_id: int) -> None:
    async with conn.execute("SELECT 1 FROM members WHERE id = ?", (member_id,)) as cursor:
        if await cursor.fetchone() is None:
            raise LookupError("no such member")


async def _insert_topics(conn: aiosqlite.Connection, member_id: int, topics: Iterable[str]) -> None:
    await conn.executemany(
        "INSERT OR IGNORE INTO member_topics (member_id, topic) VALUES (?, ?)",
        [(member_id, topic) for topic in topics],
    )


async def _insert_consent(
    conn: aiosqlite.Connection, member_id: int, notice_version: int, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO consents (member_id, notice_version, given_at) VALUES (?, ?, ?)",
        (member_id, notice_version, to_db_time(at)),
    )


async def _load(
    conn: aiosqlite.Connection, column: Literal["m.id", "m.telegram_id"], value: int
) -> Member | None:
    """The member whose ``column`` matches ``value`` (the column name is never user input).

    One statement, topics included, fetched in one trip to the connection's thread: every
    update reads the sender's member row.
    """
    rows = await conn.execute_fetchall(f"{_SELECT_MEMBER} WHERE {column} = ?", (value,))
    row = next(iter(rows), None)
    if row is None:
        return None
    topics = tuple(sorted(json.loads(row["topics"])))
    return Member(
        id=row["id"],
        telegram_id=row["telegram_id"],
        alias=row["alias"],
        language=row["language"],
        timezone=row["timezone"],
        province=row["province"],
        topics=topics,
        is_coordinator=bool(row["is_coordinator"]),
        consent_version=row["notice_version"],
        consent_at=from_db_time(row["given_at"]),
        adult_confirmed_at=from_db_time(row["adult_confirmed_at"]),
        created_at=from_db_time(row["created_at"]),
    )


def _profile(member: Member) -> dict[str, Any]:
    return {
        "alias": member.alias,
        "language": member.language,
        "timezone": member.timezone,
        "province": member.province,
        "is_coordinator": member.is_coordinator,
        "adult_confirmed_at": to_db_time(member.adult_confirmed_at),
        "created_at": to_db_time(member.created_at),
    }


async def _json_value(conn: aiosqlite.Connection, sql: str, key: int) -> Any:
    async with conn.execute(sql, (key,)) as cursor:
        row = await cursor.fetchone()
    return json.loads(row["data"]) if row is not None else None


async def _conversations_of(conn: aiosqlite.Connection, user_id: int) -> list[tuple[str, str, str]]:
    """(name, stored key, stored state) of every conversation whose key contains ``user_id``.

    Keys are decoded and compared element by element: a substring match on the JSON text would
    also hit ids that merely contain the digits (``12`` in ``[5123]``).
    """
    async with conn.execute("SELECT name, conv_key, state FROM ptb_conversations") as cursor:
        rows = [(row["name"], row["conv_key"], row["state"]) async for row in cursor]
    return [
        (name, raw_key, state)
        for name, raw_key, state in rows
        # Keys mix chat/user ids with message ids (ints) and inline message ids (str).
        if any(type(part) is int and part == user_id for part in parse_conversation_key(raw_key))
    ]
