"""Announcements (broadcasts), their recipients' candidates and announcement mutes: SQL only.

The copies themselves are outbox rows (bot.storage.outbox); a broadcast row holds counts and
where the author's progress message is, never the announcement's text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.broadcasts import (
    Audience,
    Broadcast,
    Candidate,
    GroupAnnouncements,
    Progress,
    copy_key_range,
    progress_of,
)
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

# Who an audience reaches, through which group (a person in several groups comes once per
# group; the domain decides). Facilitators are part of their groups.
_PEOPLE_OF_ACTIVE_GROUPS = (
    "SELECT gm.member_id, gm.group_id, gm.facilitator FROM ("
    "  SELECT member_id, group_id, 0 AS facilitator FROM group_members"
    "  UNION ALL SELECT member_id, group_id, 1 FROM group_facilitators"
    ") AS gm JOIN groups g ON g.id = gm.group_id AND g.archived_at IS NULL"
)
_AUDIENCE_FILTERS = {
    Audience.GROUP: "p.group_id = ?",
    Audience.MEMBERS: "1",
    Audience.FACILITATORS: "p.facilitator = 1",
    Audience.PROVINCE: "m.province = ?",
}


class BroadcastRepository(Repository):
    async def candidates(
        self,
        audience: Audience,
        *,
        group_id: int | None = None,
        province: str | None = None,
        tx: Tx | None = None,
    ) -> list[Candidate]:
        """Everyone the audience reaches, once each: blocked or not, and whether they muted
        announcements of every group through which it reaches them."""
        rows = await self._fetch_all(
            tx,
            f"SELECT m.id, m.blocked_at IS NOT NULL AS blocked,"
            f" MIN(mu.member_id IS NOT NULL) AS muted"
            f" FROM ({_PEOPLE_OF_ACTIVE_GROUPS}) AS p JOIN members m ON m.id = p.member_id"
            f" LEFT JOIN announcement_mutes mu"
            f"   ON mu.member_id = p.member_id AND mu.group_id = p.group_id"
            f" WHERE {_AUDIENCE_FILTERS[audience]} GROUP BY m.id",
            _audience_params(audience, group_id, province),
        )
        return [Candidate(row[0], bool(row[1]), bool(row[2])) for row in rows]

    async def create(
        self,
        *,
        author_id: int,
        audience: Audience,
        group_id: int | None,
        province: str | None,
        source_message_id: int,
        recipients: int,
        now: datetime,
        tx: Tx,
    ) -> int | None:
        """The new broadcast's id; None if this message was broadcast already (a double tap)."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "INSERT INTO broadcasts (author_id, audience, group_id, province, source_message_id,"
            " recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (author_id, source_message_id) DO NOTHING",
            (
                author_id,
                audience.value,
                group_id,
                province,
                source_message_id,
                recipients,
                to_db_time(now),
            ),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    async def get(self, broadcast_id: int, *, tx: Tx | None = None) -> Broadcast | None:
        rows = await self._fetch_all(tx, "SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(rows[0]) if rows else None

    async def running(self) -> list[Broadcast]:
        rows = await self._fetch_all(
            None, "SELECT * FROM broadcasts WHERE finished_at IS NULL ORDER BY id"
        )
        return [_broadcast(row) for row in rows]

    async def recent(self, author_id: int | None, limit: int) -> list[Broadcast]:
        """The newest broadcasts, of one author (None: everyone's)."""
        rows = await self._fetch_all(
            None,
            "SELECT * FROM broadcasts WHERE ? IS NULL OR author_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (author_id, author_id, limit),
        )
        return [_broadcast(row) for row in rows]

    async def progress(self, broadcast_id: int, *, tx: Tx | None = None) -> Progress:
        """Counts of the broadcast's copies by outcome (a range of the outbox's unique index)."""
        low, high = copy_key_range(broadcast_id)
        rows = await self._fetch_all(
            tx,
            "SELECT status, CASE WHEN last_error LIKE 'Forbidden%' THEN 'Forbidden'"
            " ELSE last_error END AS error, COUNT(*) FROM outbox"
            " WHERE dedupe_key >= ? AND dedupe_key < ? GROUP BY 1, 2",
            (low, high),
        )
        return progress_of((row[0], row[1], row[2]) for row in rows)

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """The author's message that shows the progress; it starts at "0 / n sent", so the
        progress heartbeat does not repeat that (Telegram refuses an edit that changes nothing)."""
        async with self._writing(None) as conn:
            await conn.execute(
                "UPDATE broadcasts SET progress_message_id = ?, progress_shown = 0 WHERE id = ?",
                (message_id, broadcast_id),
            )

    async def progress_shown(self, broadcast_id: int, shown: int, now: datetime) -> None:
        async with self._writing(None) as conn:
            await conn.execute(
                "UPDATE broadcasts SET progress_shown = ?, progress_at = ? WHERE id = ?",
                (shown, to_db_time(now), broadcast_id),
            )

    async def finish(self, broadcast_id: int, report: Progress, now: datetime, *, tx: Tx) -> bool:
        """Records the final report; False if it was recorded already."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "UPDATE broadcasts SET delivered = ?, blocked = ?, failed = ?, finished_at = ?"
            " WHERE id = ? AND finished_at IS NULL",
            (report.delivered, report.blocked, report.failed, to_db_time(now), broadcast_id),
        )
        return cursor.rowcount == 1

    async def mute(self, member_id: int, group_id: int, muted: bool, now: datetime) -> bool:
        """Whether anything changed (False: it was muted, or not, already)."""
        async with self._writing(None) as conn:
            if muted:
                cursor = await conn.execute(
                    "INSERT INTO announcement_mutes (member_id, group_id, muted_at)"
                    " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (member_id, group_id, to_db_time(now)),
                )
            else:
                cursor = await conn.execute(
                    "DELETE FROM announcement_mutes WHERE member_id = ? AND group_id = ?",
                    (member_id, group_id),
                )
        return cursor.rowcount == 1

    async def muted_groups(self, member_id: int) -> frozenset[int]:
        rows = await self._fetch_all(
            None, "SELECT group_id FROM announcement_mutes WHERE member_id = ?", (member_id,)
        )
        return frozenset(row[0] for row in rows)

    async def groups_of(self, member_id: int) -> list[GroupAnnouncements]:
        """The active groups the person is a member of, by name, and whether they muted each."""
        rows = await self._fetch_all(
            None,
            "SELECT g.id, g.name, mu.member_id IS NOT NULL AS muted"
            " FROM group_members AS gm JOIN groups AS g ON g.id = gm.group_id"
            " LEFT JOIN announcement_mutes AS mu"
            "   ON mu.member_id = gm.member_id AND mu.group_id = gm.group_id"
            " WHERE gm.member_id = ? AND g.archived_at IS NULL ORDER BY g.name, g.id",
            (member_id,),
        )
        return [GroupAnnouncements(row[0], row[1], bool(row[2])) for row in rows]

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """Announcements the person sent (to whom and how they went; never their text) and the
        groups whose announcements they muted."""
        return await export_sections(await self._reading(None), _EXPORT, member_id)


_EXPORT = {
    "announcements_sent": "SELECT b.audience, g.name AS group_name, b.province, b.recipients,"
    " b.delivered, b.blocked, b.failed, b.created_at AS sent_at, b.finished_at"
    " FROM broadcasts b LEFT JOIN groups g ON g.id = b.group_id"
    " WHERE b.author_id = ? ORDER BY b.created_at",
    "announcements_muted": "SELECT g.name AS group_name, mu.muted_at FROM announcement_mutes mu"
    " JOIN groups g ON g.id = mu.group_id WHERE mu.member_id = ? ORDER BY mu.muted_at",
}


def _audience_params(
    audience: Audience, group_id: int | None, province: str | None
) -> tuple[object, ...]:
    """The values of the audience's filter's ``?``."""
    if audience is Audience.GROUP:
        return (group_id,)
    if audience is Audience.PROVINCE:
        return (province,)
    return ()


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    finished = row["finished_at"]
    return Broadcast(
        id=row["id"],
        author_id=row["author_id"],
        audience=Audience(row["audience"]),
        group_id=row["group_id"],
        province=row["province"],
        source_message_id=row["source_message_id"],
        recipients=row["recipients"],
        progress_message_id=row["progress_message_id"],
        progress_shown=row["progress_shown"],
        progress_at=from_db_time(row["progress_at"]) if row["progress_at"] else None,
        report=(
            Progress(row["delivered"], row["blocked"], row["failed"])
            if finished is not None
            else None
        ),
        created_at=from_db_time(row["created_at"]),
        finished_at=from_db_time(finished) if finished is not None else None,
    )
