"""Linked group chats (schema: 0020_group_chats.sql; rules: bot.domain.group_chats; use cases:
bot.services.group_chats). Only the chat's id and title and the bot's own welcome message id
are kept, never anything written in the chat.

Every method takes the optional ``tx`` of bot.storage.database's convention.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.group_chats import GroupChat
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

_SELECT = (
    "SELECT c.chat_id, c.group_id, g.name, c.title, c.linked_at, c.share_join_link,"
    " c.welcome_message_id FROM group_chats AS c JOIN groups AS g ON g.id = c.group_id"
)

# The chats a member linked (the chat's title and group; never its Telegram id).
_EXPORT = {
    "group_chats_linked": "SELECT c.title AS chat_title, g.name AS group_name, c.linked_at"
    " FROM group_chats AS c JOIN groups AS g ON g.id = c.group_id"
    " WHERE c.linked_by = ? ORDER BY c.linked_at",
}


class GroupChatRepository(Repository):
    async def by_chat(self, chat_id: int, *, tx: Tx | None = None) -> GroupChat | None:
        rows = await self._fetch_all(tx, f"{_SELECT} WHERE c.chat_id = ?", (chat_id,))
        return _chat(rows[0]) if rows else None

    async def by_group(self, group_id: int, *, tx: Tx | None = None) -> GroupChat | None:
        rows = await self._fetch_all(tx, f"{_SELECT} WHERE c.group_id = ?", (group_id,))
        return _chat(rows[0]) if rows else None

    async def all_linked(self) -> list[GroupChat]:
        """Chats of active groups, for the planner."""
        rows = await self._fetch_all(
            None, f"{_SELECT} WHERE g.archived_at IS NULL ORDER BY c.chat_id"
        )
        return [_chat(row) for row in rows]

    async def link(
        self,
        chat_id: int,
        group_id: int,
        title: str,
        linked_by: int,
        now: datetime,
        *,
        tx: Tx,
    ) -> None:
        self._db.require_transaction(tx)
        await tx.execute(
            "INSERT INTO group_chats (chat_id, group_id, title, linked_by, linked_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (chat_id, group_id, title, linked_by, to_db_time(now)),
        )

    async def unlink(self, chat_id: int, *, tx: Tx) -> bool:
        """Removes the link and every post still planned for the chat; False if not linked."""
        self._db.require_transaction(tx)
        await tx.execute(
            "DELETE FROM outbox WHERE chat_id = ? AND status IN ('pending', 'cancelled')",
            (chat_id,),
        )
        cursor = await tx.execute("DELETE FROM group_chats WHERE chat_id = ?", (chat_id,))
        return cursor.rowcount > 0

    async def set_share_join_link(self, chat_id: int, share: bool) -> None:
        async with self._writing(None) as tx:
            await tx.execute(
                "UPDATE group_chats SET share_join_link = ? WHERE chat_id = ?",
                (int(share), chat_id),
            )

    async def swap_welcome(self, chat_id: int, message_id: int) -> int | None:
        """Records the bot's newest welcome in the chat; returns the one before it (to delete)."""
        async with self._writing(None) as tx:
            rows = await self._fetch_all(
                tx, "SELECT welcome_message_id FROM group_chats WHERE chat_id = ?", (chat_id,)
            )
            await tx.execute(
                "UPDATE group_chats SET welcome_message_id = ? WHERE chat_id = ?",
                (message_id, chat_id),
            )
        return rows[0][0] if rows else None

    async def may_join(
        self, group_id: int, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> tuple[bool, bool]:
        """(is a member of the group, holds a confirmed trial seat at a meeting of it that has
        not ended)."""
        rows = await self._fetch_all(
            tx,
            "SELECT EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?),"
            " EXISTS (SELECT 1 FROM seats AS s JOIN meetings AS m ON m.id = s.meeting_id"
            "   WHERE m.group_id = ? AND s.member_id = ? AND s.kind = 'trial'"
            "   AND s.status = 'going' AND m.status = 'scheduled'"
            "   AND julianday(m.starts_at) + m.duration_minutes / 1440.0 > julianday(?))",
            (group_id, member_id, group_id, member_id, to_db_time(now)),
        )
        return bool(rows[0][0]), bool(rows[0][1])

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        return await export_sections(await self._reading(None), _EXPORT, member_id)


def _chat(row: aiosqlite.Row) -> GroupChat:
    return GroupChat(
        chat_id=row[0],
        group_id=row[1],
        group_name=row[2],
        title=row[3],
        linked_at=from_db_time(row[4]),
        share_join_link=bool(row[5]),
        welcome_message_id=row[6],
    )
