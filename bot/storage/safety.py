"""Crisis events, consented facilitator alerts and personal safety plans.

Nothing here ever receives the words that triggered the crisis flow: an event is a member, a
time and how the reply was reached. Every table references ``members(id)`` with ``ON DELETE
CASCADE`` (0005_safety.sql), so ``/forget`` removes all of it with the member row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.safety import CrisisAlert, CrisisSource, PlanSection, SafetyPlan
from bot.storage import outbox
from bot.storage.database import Database, from_db_time, to_db_time

ALERT_KIND = "crisis_alert"
ALERT_SEEN_KIND = "crisis_alert_seen"
# A facilitator's message to the person an alert is about. Its text lives only in the outbox
# payload, which the outbox empties as soon as the row is sent, skipped, failed or cancelled.
RELAY_KIND = "crisis_relay"

_SELECT_ALERT = """
    SELECT a.id, a.member_id, m.alias, a.group_id, a.created_at, a.acknowledged_at,
           a.escalated_at, ack.alias AS ack_alias
    FROM crisis_alerts AS a
    JOIN members AS m ON m.id = a.member_id
    LEFT JOIN members AS ack ON ack.id = a.acknowledged_by
"""


class SafetyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record_event(self, member_id: int, source: CrisisSource, at: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO crisis_events (member_id, happened_at, source) VALUES (?, ?, ?)",
                (member_id, to_db_time(at), source.value),
            )

    async def plan(self, member_id: int) -> SafetyPlan:
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT section, answer FROM safety_plans WHERE member_id = ?", (member_id,)
        ) as cursor:
            return SafetyPlan({PlanSection(row[0]): row[1] async for row in cursor})

    async def save_answer(
        self, member_id: int, section: PlanSection, answer: str, at: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO safety_plans (member_id, section, answer, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (member_id, section)"
                " DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at",
                (member_id, section.value, answer, to_db_time(at)),
            )

    async def alert_group(self, member_id: int) -> tuple[int, int] | None:
        """(group id, first facilitator) of the active group the member joined first that has
        a facilitator other than themselves; None if there is none."""
        conn = await self._db.connection()
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

    async def open_alert(self, member_id: int, since: datetime) -> CrisisAlert | None:
        """The member's newest unacknowledged alert created at or after ``since``."""
        conn = await self._db.connection()
        return await _one(
            conn,
            "WHERE a.member_id = ? AND a.acknowledged_at IS NULL AND a.created_at >= ?"
            " ORDER BY a.created_at DESC, a.id DESC LIMIT 1",
            member_id,
            to_db_time(since),
        )

    async def create_alert(
        self,
        *,
        member_id: int,
        group_id: int,
        first_facilitator: int,
        escalate_to: Iterable[int],
        now: datetime,
        escalate_at: datetime,
    ) -> int:
        """Stores the alert and plans its messages in the same transaction: now to the first
        facilitator, at ``escalate_at`` to everyone in ``escalate_to`` (the renderer drops
        those if the alert was acknowledged by then)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO crisis_alerts (member_id, group_id, created_at) VALUES (?, ?, ?)",
                (member_id, group_id, to_db_time(now)),
            )
            alert_id = int(cursor.lastrowid)
            await outbox.enqueue(
                conn,
                member_id=first_facilitator,
                kind=ALERT_KIND,
                payload={"alert_id": alert_id, "escalation": False},
                not_before=now,
                dedupe_key=f"{ALERT_KIND}:{alert_id}:first",
                now=now,
                about_member_id=member_id,
            )
            for recipient in dict.fromkeys(escalate_to):
                await _enqueue_escalation(conn, alert_id, member_id, recipient, escalate_at, now)
            return alert_id

    async def plan_escalation(
        self, alert_id: int, recipients: Iterable[int], now: datetime
    ) -> None:
        """Escalation rows, due now, for recipients who have none yet (the dedupe key is the
        one :meth:`create_alert` uses, so nobody is told twice)."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT member_id FROM crisis_alerts WHERE id = ?", (alert_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:  # the person used /forget meanwhile: nobody is told about them
                return
            for recipient in dict.fromkeys(recipients):
                await _enqueue_escalation(conn, alert_id, row[0], recipient, now, now)

    async def relay(
        self, *, alert_id: int, sender_id: int, recipient_id: int, text: str, now: datetime
    ) -> None:
        """Plans a facilitator's message to the person (the outbox forgets the text once sent)."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT count(*) FROM outbox"
                " WHERE kind = ? AND json_extract(payload, '$.alert_id') = ?",
                (RELAY_KIND, alert_id),
            ) as cursor:
                (sent_before,) = await cursor.fetchone()
            key = f"{RELAY_KIND}:{alert_id}:{sent_before + 1}"
            await outbox.enqueue(
                conn,
                member_id=recipient_id,
                kind=RELAY_KIND,
                payload={"alert_id": alert_id, "from": sender_id, "text": text, "key": key},
                not_before=now,
                dedupe_key=key,
                now=now,
                # The sender's own words: their /forget takes the unsent message along.
                about_member_id=sender_id,
            )

    async def alert(self, alert_id: int) -> CrisisAlert | None:
        conn = await self._db.connection()
        return await _one(conn, "WHERE a.id = ?", alert_id)

    async def acknowledge(self, alert_id: int, by_member_id: int, now: datetime) -> bool:
        """Marks the alert acknowledged and tells the person; False if it already was (or is
        gone). Pending escalations are cancelled in the same transaction."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE crisis_alerts SET acknowledged_at = ?, acknowledged_by = ?"
                " WHERE id = ? AND acknowledged_at IS NULL",
                (to_db_time(now), by_member_id, alert_id),
            )
            if cursor.rowcount == 0:
                return False
            await outbox.cancel_pending(conn, dedupe_prefix=f"{ALERT_KIND}:{alert_id}:")
            async with conn.execute(
                "SELECT member_id FROM crisis_alerts WHERE id = ?", (alert_id,)
            ) as rows:
                (member_id,) = await rows.fetchone()
            await outbox.enqueue(
                conn,
                member_id=member_id,
                kind=ALERT_SEEN_KIND,
                payload={"alert_id": alert_id},
                not_before=now,
                dedupe_key=f"{ALERT_SEEN_KIND}:{alert_id}",
                now=now,
            )
            return True

    async def mark_escalated(self, alert_id: int, now: datetime) -> None:
        """Records when the escalation went out (the first escalated message's time)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE crisis_alerts SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL",
                (to_db_time(now), alert_id),
            )

    async def export(self, member_id: int) -> dict[str, Any]:
        """The member's safety plan, crisis events and alerts, JSON-ready, without row ids or
        anyone else's identity."""
        conn = await self._db.connection()
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


async def _enqueue_escalation(
    conn: aiosqlite.Connection,
    alert_id: int,
    about: int,
    recipient: int,
    at: datetime,
    now: datetime,
) -> None:
    """One escalation row; its key is per alert and recipient, so nobody is told twice."""
    await outbox.enqueue(
        conn,
        member_id=recipient,
        kind=ALERT_KIND,
        payload={"alert_id": alert_id, "escalation": True},
        not_before=at,
        dedupe_key=f"{ALERT_KIND}:{alert_id}:escalation:{recipient}",
        now=now,
        about_member_id=about,
    )


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
