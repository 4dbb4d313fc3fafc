"""Moderation: reports on buddy messages and pairings, relay pauses, the audit log, and the
buddy rows moderation reads and ends (schema: 0016_buddies.sql, 0017_moderation.sql; rules:
bot.domain.moderation; use cases: bot.services.moderation).

Every method takes the optional ``tx`` of bot.storage.database's convention.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.moderation import (
    AuditAction,
    AuditEntry,
    ModerationAction,
    Pairing,
    RelayedMessage,
    Report,
    ReportAbout,
    ReportReason,
)
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

_REPORT = (
    "SELECT r.id, r.group_id, g.name AS group_name, r.reporter_id, a.alias AS reporter_alias,"
    " r.reported_id, b.alias AS reported_alias, r.about, r.reason, r.created_at, r.pairing_id,"
    " p.ended_at IS NULL AND p.id IS NOT NULL AS pairing_active, m.text AS message_text,"
    " r.handled_at, h.alias AS handled_by_alias, r.action"
    " FROM reports AS r JOIN groups AS g ON g.id = r.group_id"
    " JOIN members AS a ON a.id = r.reporter_id JOIN members AS b ON b.id = r.reported_id"
    " LEFT JOIN buddy_pairings AS p ON p.id = r.pairing_id"
    " LEFT JOIN buddy_messages AS m ON m.id = r.message_id"
    " LEFT JOIN members AS h ON h.id = r.handled_by"
)

# A member's own reports (never the reported message: those are the buddy's words), reports
# about them (never who made them), their relay pauses, and the moderation log about them and
# by them (never the other person).
_EXPORT = {
    "reports_made": "SELECT g.name AS group_name, r.about, r.reason, r.created_at,"
    " r.handled_at, r.action FROM reports AS r JOIN groups AS g ON g.id = r.group_id"
    " WHERE r.reporter_id = ? ORDER BY r.created_at",
    "reports_about_you": "SELECT g.name AS group_name, r.about, r.reason, r.created_at,"
    " r.handled_at, r.action FROM reports AS r JOIN groups AS g ON g.id = r.group_id"
    " WHERE r.reported_id = ? ORDER BY r.created_at",
    "relay_suspensions": "SELECT g.name AS group_name, s.starts_at, s.ends_at"
    " FROM relay_suspensions AS s JOIN groups AS g ON g.id = s.group_id"
    " WHERE s.member_id = ? ORDER BY s.starts_at",
    "moderation_about_you": "SELECT l.action, g.name AS group_name, l.at FROM audit_log AS l"
    " LEFT JOIN groups AS g ON g.id = l.group_id WHERE l.subject_id = ? ORDER BY l.at",
    "moderation_actions_taken": "SELECT l.action, g.name AS group_name, l.at"
    " FROM audit_log AS l LEFT JOIN groups AS g ON g.id = l.group_id"
    " WHERE l.actor_id = ? ORDER BY l.at",
}


class ModerationRepository(Repository):
    # --- the buddy rows a report is about ------------------------------------------------------

    async def relayed_message(
        self, message_id: int, *, tx: Tx | None = None
    ) -> RelayedMessage | None:
        rows = await self._fetch_all(
            tx,
            "SELECT m.id, m.pairing_id, p.group_id, m.sender_id,"
            " CASE WHEN m.sender_id = p.member_a THEN p.member_b ELSE p.member_a END"
            " FROM buddy_messages AS m JOIN buddy_pairings AS p ON p.id = m.pairing_id"
            " WHERE m.id = ?",
            (message_id,),
        )
        return RelayedMessage(*rows[0]) if rows else None

    async def pairing(self, pairing_id: int, *, tx: Tx | None = None) -> Pairing | None:
        rows = await self._fetch_all(
            tx,
            "SELECT id, group_id, member_a, member_b, ended_at IS NULL FROM buddy_pairings"
            " WHERE id = ?",
            (pairing_id,),
        )
        return _pairing(rows[0]) if rows else None

    async def active_pairings(
        self, member_id: int, group_id: int, *, tx: Tx | None = None
    ) -> list[Pairing]:
        rows = await self._fetch_all(
            tx,
            "SELECT id, group_id, member_a, member_b, 1 FROM buddy_pairings"
            " WHERE group_id = ? AND ended_at IS NULL AND ? IN (member_a, member_b)",
            (group_id, member_id),
        )
        return [_pairing(row) for row in rows]

    async def end_pairing(self, pairing_id: int, reason: str, now: datetime, *, tx: Tx) -> bool:
        """Ends a running pairing (``reason``: 'moderator' or 'left_group'); False if it had
        ended already."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "UPDATE buddy_pairings SET ended_at = ?, ended_reason = ?"
            " WHERE id = ? AND ended_at IS NULL",
            (to_db_time(now), reason, pairing_id),
        )
        return cursor.rowcount > 0

    # --- reports -------------------------------------------------------------------------------

    async def insert_report_once(
        self,
        *,
        group_id: int,
        reporter_id: int,
        reported_id: int,
        pairing_id: int,
        message_id: int | None,
        reason: ReportReason,
        now: datetime,
        tx: Tx,
    ) -> int | None:
        """The new report's id; None if this person already reported this message (or, with
        no message, this pairing)."""
        self._db.require_transaction(tx)
        about = ReportAbout.PAIRING if message_id is None else ReportAbout.MESSAGE
        column, target = (
            ("message_id", message_id) if message_id is not None else ("pairing_id", pairing_id)
        )
        rows = await self._fetch_all(
            tx,
            f"SELECT 1 FROM reports WHERE reporter_id = ? AND about = ? AND {column} = ?",
            (reporter_id, about.value, target),
        )
        if rows:
            return None
        cursor = await tx.execute(
            "INSERT INTO reports (group_id, reporter_id, reported_id, pairing_id, message_id,"
            " about, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                group_id,
                reporter_id,
                reported_id,
                pairing_id,
                message_id,
                about.value,
                reason.value,
                to_db_time(now),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def report(self, report_id: int, *, tx: Tx | None = None) -> Report | None:
        rows = await self._fetch_all(tx, f"{_REPORT} WHERE r.id = ?", (report_id,))
        return _report(rows[0]) if rows else None

    async def open_reports(self, group_ids: frozenset[int] | None) -> list[Report]:
        """Reports nobody has acted on yet in these groups (None: every group), oldest
        first."""
        where = ""
        params: tuple[int, ...] = ()
        if group_ids is not None:
            where = f" AND r.group_id IN ({','.join('?' * len(group_ids)) or 'NULL'})"
            params = tuple(group_ids)
        rows = await self._fetch_all(
            None,
            f"{_REPORT} WHERE r.handled_at IS NULL{where} ORDER BY r.created_at, r.id",
            params,
        )
        return [_report(row) for row in rows]

    async def mark_handled(
        self, report_id: int, action: ModerationAction, by: int, now: datetime, *, tx: Tx
    ) -> bool:
        """Records the action unless someone acted first; whether this one was recorded."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "UPDATE reports SET handled_at = ?, handled_by = ?, action = ?"
            " WHERE id = ? AND handled_at IS NULL",
            (to_db_time(now), by, action.value, report_id),
        )
        return cursor.rowcount > 0

    # --- relay pauses --------------------------------------------------------------------------

    async def add_suspension(
        self,
        member_id: int,
        group_id: int,
        report_id: int | None,
        starts_at: datetime,
        ends_at: datetime,
        *,
        tx: Tx,
    ) -> int:
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "INSERT INTO relay_suspensions (member_id, group_id, report_id, starts_at, ends_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (member_id, group_id, report_id, to_db_time(starts_at), to_db_time(ends_at)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def suspension(
        self, suspension_id: int, *, tx: Tx | None = None
    ) -> tuple[str, datetime] | None:
        """(group name, end) of a relay pause."""
        rows = await self._fetch_all(
            tx,
            "SELECT g.name, s.ends_at FROM relay_suspensions AS s"
            " JOIN groups AS g ON g.id = s.group_id WHERE s.id = ?",
            (suspension_id,),
        )
        return (rows[0][0], from_db_time(rows[0][1])) if rows else None

    async def suspended_until(
        self, member_id: int, group_id: int, now: datetime, *, tx: Tx | None = None
    ) -> datetime | None:
        """The end of the latest pause of this member's relay in the group running at ``now``."""
        rows = await self._fetch_all(
            tx,
            "SELECT max(ends_at) FROM relay_suspensions WHERE member_id = ? AND group_id = ?"
            " AND starts_at <= ? AND ends_at > ?",
            (member_id, group_id, to_db_time(now), to_db_time(now)),
        )
        ends = rows[0][0]
        return from_db_time(ends) if ends is not None else None

    # --- the audit log -------------------------------------------------------------------------

    async def log(
        self,
        actor_id: int | None,
        action: AuditAction,
        subject_id: int | None,
        group_id: int | None,
        now: datetime,
        *,
        detail: str | None = None,
        tx: Tx,
    ) -> None:
        self._db.require_transaction(tx)
        await tx.execute(
            "INSERT INTO audit_log (actor_id, action, subject_id, group_id, at, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (actor_id, action.value, subject_id, group_id, to_db_time(now), detail),
        )

    async def audit_count(self) -> int:
        rows = await self._fetch_all(None, "SELECT count(*) FROM audit_log")
        count: int = rows[0][0]
        return count

    async def audit_entries(self, limit: int, offset: int) -> list[AuditEntry]:
        """Newest first, with the aliases and group names as they are now."""
        rows = await self._fetch_all(
            None,
            "SELECT l.at, l.action, a.alias, s.alias, g.name FROM audit_log AS l"
            " LEFT JOIN members AS a ON a.id = l.actor_id"
            " LEFT JOIN members AS s ON s.id = l.subject_id"
            " LEFT JOIN groups AS g ON g.id = l.group_id"
            " ORDER BY l.at DESC, l.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            AuditEntry(from_db_time(row[0]), AuditAction(row[1]), row[2], row[3], row[4])
            for row in rows
        ]

    # --- a group's members, for a coordinator's removal ----------------------------------------

    async def group_members(self, group_id: int) -> list[tuple[int, str]]:
        """(member id, alias) of a group's members, by alias."""
        rows = await self._fetch_all(
            None,
            "SELECT m.id, m.alias FROM group_members AS gm JOIN members AS m ON m.id = gm.member_id"
            " WHERE gm.group_id = ? ORDER BY m.alias_key, m.id",
            (group_id,),
        )
        return [(row[0], row[1]) for row in rows]

    # --- retention and /mydata -----------------------------------------------------------------

    async def delete_old_reports(self, before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: reports acted on at or before ``before``, and unhandled ones made by
        then."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM reports WHERE coalesce(handled_at, created_at) <= ?",
                (to_db_time(before),),
            )
        return cursor.rowcount

    async def delete_ended_suspensions(self, before: datetime, *, tx: Tx | None = None) -> int:
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM relay_suspensions WHERE ends_at <= ?", (to_db_time(before),)
            )
        return cursor.rowcount

    async def delete_old_audit(self, before: datetime, *, tx: Tx | None = None) -> int:
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM audit_log WHERE at <= ?", (to_db_time(before),)
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        return await export_sections(await self._reading(None), _EXPORT, member_id)


def _pairing(row: aiosqlite.Row) -> Pairing:
    return Pairing(row[0], row[1], row[2], row[3], bool(row[4]))


def _report(row: aiosqlite.Row) -> Report:
    handled_at, action = row["handled_at"], row["action"]
    return Report(
        id=row["id"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        reporter_id=row["reporter_id"],
        reporter_alias=row["reporter_alias"],
        reported_id=row["reported_id"],
        reported_alias=row["reported_alias"],
        about=ReportAbout(row["about"]),
        reason=ReportReason(row["reason"]),
        created_at=from_db_time(row["created_at"]),
        pairing_id=row["pairing_id"],
        pairing_active=bool(row["pairing_active"]),
        message_text=row["message_text"],
        handled_at=from_db_time(handled_at) if handled_at is not None else None,
        handled_by_alias=row["handled_by_alias"],
        action=ModerationAction(action) if action is not None else None,
    )
