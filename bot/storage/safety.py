"""Crisis events, consented facilitator alerts and personal safety plans: queries and row
mapping (what an alert sends, and when, is bot.services.safety). Every method takes the
optional ``tx`` of bot.storage.database's convention.

Nothing here ever receives the words that triggered the crisis flow: an event is a member, a
time and how the reply was reached. Every table references ``members(id)`` with ``ON DELETE
CASCADE`` (0005_safety.sql), so ``/forget`` removes all of it with the member row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.safety import CrisisAlert, CrisisSource, PlanSection, SafetyPlan
from bot.storage.database import Repository, Tx, from_db_time, to_db_time

_SELECT_ALERT = """
    SELECT a.id, a.member_id, m.alias, a.group_id, a.created_at, a.acknowledged_at,
           a.escalated_at, ack.alias AS ack_alias
    FROM crisis_alerts AS a
    JOIN members AS m ON m.id = a.member_id
    LEFT JOIN members AS ack ON ack.id = a.acknowledged_by
"""


class SafetyRepository(Repository):
    async def record_event(
        self, member_id: int, source: CrisisSource, at: datetime, *, tx: Tx | None = None
    ) -> None:
        async with self._writing(tx) as conn:
            await conn.execute(
                "INSERT INTO crisis_events (member_id, happened_at, source) VALUES (?, ?, ?)",
                (member_id, to_db_time(at), source.value),
            )

    async def plan(self, member_id: int) -> SafetyPlan:
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT section, answer FROM safety_plans WHERE member_id = ?", (member_id,)
        ) as cursor:
            return SafetyPlan({PlanSection(row[0]): row[1] async for row in cursor})

    async def save_answer(
        self,
        member_id: int,
        section: PlanSection,
        answer: str,
        at: datetime,
        *,
        tx: Tx | None = None,
    ) -> None:
        async with self._writing(tx) as conn:
            await conn.execute(
                "INSERT INTO safety_plans (member_id, section, answer, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (member_id, section)"
                " DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at",
                (member_id, section.value, answer, to_db_time(at)),
            )

    async def alert_group(self, member_id: int, *, tx: Tx | None = None) -> tuple[int, int] | None:
        """(group id, first facilitator) of the active group the member joined first that has
        a facilitator other than themselves; None if there is none."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT gm.group_id, f.member_id FROM group_members AS gm"
            " JOIN groups AS g ON g.id = gm.group_id AND g.archived_at IS NULL"
            " JOIN group_facilitators AS f ON f.group_id = gm.group_id AND f.member_id != ?"
            " WHERE gm.member_id = ? ORDER BY gm.joined_at, gm.group_id, f.added_at, f.member_id"
            " LIMIT 1",
            (member_id, member_id),
        ) as cursor:
            row = await cursor.fetchone()
        return (row[0], row[1]) if row is not None else None

    async def open_alert(
        self, member_id: int, since: datetime, *, tx: Tx | None = None
    ) -> CrisisAlert | None:
        """The member's newest unacknowledged alert created at or after ``since``."""
        conn = await self._reading(tx)
        return await _one(
            conn,
            "WHERE a.member_id = ? AND a.acknowledged_at IS NULL AND a.created_at >= ?"
            " ORDER BY a.created_at DESC, a.id DESC LIMIT 1",
            member_id,
            to_db_time(since),
        )

    async def insert_alert(
        self, member_id: int, group_id: int, now: datetime, *, tx: Tx | None = None
    ) -> int:
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT INTO crisis_alerts (member_id, group_id, created_at) VALUES (?, ?, ?)",
                (member_id, group_id, to_db_time(now)),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def due_for_escalation(
        self, created_before: datetime, *, tx: Tx | None = None
    ) -> list[int]:
        """Ids of alerts created before ``created_before`` that nobody acknowledged and that
        have not escalated."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT id FROM crisis_alerts WHERE acknowledged_at IS NULL AND escalated_at IS NULL"
            " AND created_at <= ? ORDER BY created_at, id",
            (to_db_time(created_before),),
        ) as cursor:
            return [row[0] async for row in cursor]

    async def alert(self, alert_id: int, *, tx: Tx | None = None) -> CrisisAlert | None:
        return await _one(await self._reading(tx), "WHERE a.id = ?", alert_id)

    async def acknowledge(
        self, alert_id: int, by_member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """Marks the alert acknowledged; False if it already was (or is gone)."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "UPDATE crisis_alerts SET acknowledged_at = ?, acknowledged_by = ?"
                " WHERE id = ? AND acknowledged_at IS NULL",
                (to_db_time(now), by_member_id, alert_id),
            )
        return cursor.rowcount > 0

    async def mark_escalated(self, alert_id: int, now: datetime, *, tx: Tx | None = None) -> None:
        """Records when the escalation was planned (the outbox sends it moments later)."""
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE crisis_alerts SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL",
                (to_db_time(now), alert_id),
            )

    async def delete_old_events(self, before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: crisis events that happened at or before ``before``."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM crisis_events WHERE happened_at <= ?", (to_db_time(before),)
            )
        return cursor.rowcount

    async def delete_old_alerts(self, before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: alerts created at or before ``before`` that were acknowledged or passed
        on to everyone; one still waiting for either is kept whatever its age."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM crisis_alerts WHERE created_at <= ?"
                " AND (acknowledged_at IS NOT NULL OR escalated_at IS NOT NULL)",
                (to_db_time(before),),
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, Any]:
        """The member's safety plan, crisis events and alerts, JSON-ready, without row ids or
        anyone else's identity."""
        conn = await self._reading(None)
        plan = await self.plan(member_id)
        async with conn.execute(
            "SELECT happened_at, source FROM crisis_events WHERE member_id = ?"
            " ORDER BY happened_at, id",
            (member_id,),
        ) as cursor:
            events = [{"at": row[0], "source": row[1]} async for row in cursor]
        async with conn.execute(
            "SELECT created_at, acknowledged_at, escalated_at FROM crisis_alerts"
            " WHERE member_id = ? ORDER BY created_at, id",
            (member_id,),
        ) as cursor:
            alerts = [
                {"created_at": row[0], "acknowledged_at": row[1], "escalated_at": row[2]}
                async for row in cursor
            ]
        return {
            "safety_plan": {section.value: answer for section, answer in plan.ordered()},
            "crisis_events": events,
            "crisis_alerts": alerts,
        }


async def _one(conn: aiosqlite.Connection, where: str, *params: object) -> CrisisAlert | None:
    async with conn.execute(f"{_SELECT_ALERT} {where}", params) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return CrisisAlert(
        id=row["id"],
        member_id=row["member_id"],
        alias=row["alias"],
        group_id=row["group_id"],
        created_at=from_db_time(row["created_at"]),
        acknowledged_at=_time(row["acknowledged_at"]),
        acknowledged_by_alias=row["ack_alias"],
        escalated_at=_time(row["escalated_at"]),
    )


def _time(text: str | None) -> datetime | None:
    return from_db_time(text) if text is not None else None
