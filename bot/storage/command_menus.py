"""Which per-chat command menus Telegram has: the ones the bot set and has not cleared since."""

from __future__ import annotations

from bot.storage.database import Repository


class CommandMenuRepository(Repository):
    """Chat id -> the menu set there (JSON text, compared as text, never parsed)."""

    async def all(self) -> dict[int, str]:
        rows = await self._fetch_all(None, "SELECT chat_id, commands FROM command_menus")
        return {row[0]: row[1] for row in rows}

    async def of(self, chat_id: int) -> str | None:
        rows = await self._fetch_all(
            None, "SELECT commands FROM command_menus WHERE chat_id = ?", (chat_id,)
        )
        return rows[0][0] if rows else None

    async def record(self, chat_id: int, commands: str) -> None:
        async with self._writing(None) as conn:
            await conn.execute(
                "INSERT INTO command_menus (chat_id, commands) VALUES (?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET commands = excluded.commands",
                (chat_id, commands),
            )

    async def forget(self, chat_id: int) -> None:
        async with self._writing(None) as conn:
            await conn.execute("DELETE FROM command_menus WHERE chat_id = ?", (chat_id,))
