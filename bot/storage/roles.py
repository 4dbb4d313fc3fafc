"""Who may do what: facilitators of groups and coordinators of the network.

Roles are read fresh for every update and checked again at the moment of each privileged
action, so a forged or replayed button never acts on someone else's group.
"""

from __future__ import annotations

from bot.storage.database import Repository, Tx


class RoleRepository(Repository):
    async def facilitated_group_ids(
        self, member_id: int, *, tx: Tx | None = None
    ) -> frozenset[int]:
        """Active (not archived) groups this member facilitates (read for every update)."""
        rows = await self._fetch_all(
            tx,
            "SELECT f.group_id FROM group_facilitators AS f"
            " JOIN groups AS g ON g.id = f.group_id"
            " WHERE f.member_id = ? AND g.archived_at IS NULL",
            (member_id,),
        )
        return frozenset(row[0] for row in rows)

    async def facilitator_ids(self, group_id: int, *, tx: Tx | None = None) -> tuple[int, ...]:
        """Member ids of a group's facilitators, oldest first."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT member_id FROM group_facilitators WHERE group_id = ? ORDER BY added_at",
            (group_id,),
        ) as cursor:
            return tuple([row[0] async for row in cursor])

    async def coordinator_ids(
        self, admin_telegram_ids: frozenset[int], *, tx: Tx | None = None
    ) -> tuple[int, ...]:
        """Member ids of everyone who coordinates: promoted members and registered ADMIN_IDS."""
        conn = await self._reading(tx)
        marks = ",".join("?" * len(admin_telegram_ids)) or "NULL"
        async with conn.execute(
            f"SELECT id FROM members WHERE is_coordinator = 1 OR telegram_id IN ({marks})"
            " ORDER BY id",
            tuple(admin_telegram_ids),
        ) as cursor:
            return tuple([row[0] async for row in cursor])
