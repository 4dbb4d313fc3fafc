"""Meeting feedback: who to ask after a meeting, answers, their delivery in batches, retention
and the personal-data export (the rules are bot.domain.feedback; the use cases,
bot.services.feedback).

Every method takes the optional ``tx`` of bot.storage.database's convention.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.feedback import (
    FEEDBACK_DELAY,
    DeliveredAnswer,
    FeedbackKind,
    ReadyAnswer,
    question_key,
)
from bot.storage.database import Repository, Tx, to_db_time
from bot.storage.exports import export_sections

# When the feedback question of meeting m is due: FEEDBACK_DELAY after it ends.
_DELAY_MINUTES = int(FEEDBACK_DELAY.total_seconds() // 60)
_DUE = f"(julianday(m.starts_at) + (m.duration_minutes + {_DELAY_MINUTES}) / 1440.0)"
# Ready: complete, or rated at or before ? (the comment step has timed out).
_READY = "(f.completed_at IS NOT NULL OR f.answered_at <= ?)"

_EXPORT = {
    "meeting_feedback": "SELECT g.name AS group_name, m.starts_at AS meeting_starts_at,"
    " f.rating, f.comment, f.answered_at, f.delivered_at AS passed_on_at"
    " FROM meeting_feedback AS f JOIN meetings AS m ON m.id = f.meeting_id"
    " JOIN groups AS g ON g.id = m.group_id WHERE f.member_id = ? ORDER BY m.starts_at, m.id",
}


class FeedbackRepository(Repository):
    # --- asking -------------------------------------------------------------------------------

    async def due_meetings(
        self, now: datetime, since: datetime, *, tx: Tx | None = None
    ) -> list[int]:
        """Meetings (held, of active groups) whose question fell due after ``since`` and by
        ``now``."""
        rows = await self._fetch_all(
            tx,
            "SELECT m.id FROM meetings AS m JOIN groups AS g ON g.id = m.group_id"
            " WHERE m.status = 'scheduled' AND g.archived_at IS NULL"
            f" AND {_DUE} <= julianday(?) AND {_DUE} > julianday(?) ORDER BY m.id",
            (to_db_time(now), to_db_time(since)),
        )
        return [row[0] for row in rows]

    async def to_ask(
        self, meeting_id: int, *, after: int, limit: int, tx: Tx | None = None
    ) -> list[int]:
        """Who is asked about the meeting and has no question planned yet, by member id past
        ``after``: those marked present or, if nobody was, those with a seat marked going."""
        rows = await self._fetch_all(
            tx,
            "SELECT member_id FROM attendance WHERE meeting_id = ?"
            " UNION SELECT member_id FROM seats WHERE meeting_id = ? AND status = 'going'"
            "   AND NOT EXISTS (SELECT 1 FROM attendance WHERE meeting_id = ?)",
            (meeting_id, meeting_id, meeting_id),
        )
        people = sorted(row[0] for row in rows if row[0] > after)
        asked = await self._asked(meeting_id, people, tx)
        return [person for person in people if person not in asked][:limit]

    async def _asked(self, meeting_id: int, people: list[int], tx: Tx | None) -> set[int]:
        if not people:
            return set()
        keys = [question_key(meeting_id, person) for person in people]
        rows = await self._fetch_all(
            tx,
            f"SELECT member_id FROM outbox WHERE dedupe_key IN ({','.join('?' * len(keys))})",
            keys,
        )
        return {row[0] for row in rows}

    async def was_asked(self, meeting_id: int, member_id: int, *, tx: Tx | None = None) -> bool:
        """Whether the question about this meeting was sent to this person."""
        rows = await self._fetch_all(
            tx,
            "SELECT 1 FROM outbox WHERE dedupe_key = ? AND kind = ? AND status = 'sent'",
            (question_key(meeting_id, member_id), FeedbackKind.QUESTION.value),
        )
        return bool(rows)

    # --- answers ------------------------------------------------------------------------------

    async def has_answered(self, meeting_id: int, member_id: int, *, tx: Tx | None = None) -> bool:
        rows = await self._fetch_all(
            tx,
            "SELECT 1 FROM meeting_feedback WHERE meeting_id = ? AND member_id = ?",
            (meeting_id, member_id),
        )
        return bool(rows)

    async def rate(
        self, meeting_id: int, member_id: int, rating: int, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """Stores the rating; False if this person rated this meeting before (nothing changes)."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO meeting_feedback (meeting_id, member_id, rating,"
                " answered_at) VALUES (?, ?, ?, ?)",
                (meeting_id, member_id, rating, to_db_time(now)),
            )
        return cursor.rowcount > 0

    async def complete(
        self,
        meeting_id: int,
        member_id: int,
        now: datetime,
        comment: str | None = None,
        *,
        tx: Tx | None = None,
    ) -> bool:
        """Adds the comment (None: skipped) and marks the answer complete; False once it was
        complete or delivered already (nothing changes then)."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "UPDATE meeting_feedback SET comment = ?, completed_at = ?"
                " WHERE meeting_id = ? AND member_id = ?"
                " AND completed_at IS NULL AND delivered_at IS NULL",
                (comment, to_db_time(now), meeting_id, member_id),
            )
        return cursor.rowcount > 0

    # --- delivery -----------------------------------------------------------------------------

    async def meetings_with_ready(
        self, min_count: int, rated_before: datetime, *, tx: Tx | None = None
    ) -> list[int]:
        """Meetings with at least ``min_count`` ready, undelivered answers."""
        rows = await self._fetch_all(
            tx,
            "SELECT f.meeting_id FROM meeting_feedback AS f"
            f" WHERE f.delivered_at IS NULL AND {_READY}"
            " GROUP BY f.meeting_id HAVING count(*) >= ? ORDER BY f.meeting_id",
            (to_db_time(rated_before), min_count),
        )
        return [row[0] for row in rows]

    async def ready(
        self, meeting_id: int, rated_before: datetime, *, tx: Tx | None = None
    ) -> list[ReadyAnswer]:
        """The meeting's ready, undelivered answers, oldest first."""
        rows = await self._fetch_all(
            tx,
            "SELECT f.id, f.comment FROM meeting_feedback AS f"
            f" WHERE f.meeting_id = ? AND f.delivered_at IS NULL AND {_READY}"
            " ORDER BY f.answered_at, f.id",
            (meeting_id, to_db_time(rated_before)),
        )
        return [ReadyAnswer(row[0], row[1]) for row in rows]

    async def mark_delivered(self, ids: list[int], now: datetime, *, tx: Tx) -> None:
        """The batch of ``ids`` goes to the facilitators, stamped ``now``."""
        self._db.require_transaction(tx)
        await tx.execute(
            "UPDATE meeting_feedback SET delivered_at = ?"
            f" WHERE id IN ({','.join('?' * len(ids))})",
            (to_db_time(now), *ids),
        )

    async def batch(self, meeting_id: int, delivered_at: str) -> list[DeliveredAnswer]:
        """The answers of one delivered batch (rating and comment, nobody's id), by rating."""
        rows = await self._fetch_all(
            None,
            "SELECT rating, comment FROM meeting_feedback WHERE meeting_id = ?"
            " AND delivered_at = ? AND rating IS NOT NULL ORDER BY rating, comment",
            (meeting_id, delivered_at),
        )
        return [DeliveredAnswer(row[0], row[1]) for row in rows]

    # --- retention and export -----------------------------------------------------------------

    async def delete_old(self, answered_before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: answers given at or before ``answered_before``."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM meeting_feedback WHERE answered_at <= ?",
                (to_db_time(answered_before),),
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The person's own answers (their ratings and comments), JSON-ready."""
        return await export_sections(await self._reading(None), _EXPORT, member_id)
