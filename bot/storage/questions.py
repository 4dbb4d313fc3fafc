"""Anonymous questions (/ask): who may ask which group, the questions and their answers,
retention and the personal-data export (rules: bot.domain.questions; use cases:
bot.services.questions).

Every method takes the optional ``tx`` of bot.storage.database's convention.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.questions import Question
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

_COLUMNS = (
    "q.id, q.group_id, g.name AS group_name, q.member_id, q.ticket, q.question, q.asked_at,"
    " q.answer, q.answered_at"
)

# The asker's own questions with their answers (never who answered), and the answers a
# facilitator wrote (never the question: those are someone else's words).
_EXPORT = {
    "questions_asked": "SELECT g.name AS group_name, q.ticket, q.question, q.asked_at,"
    " q.answer, q.answered_at FROM questions AS q JOIN groups AS g ON g.id = q.group_id"
    " WHERE q.member_id = ? ORDER BY q.asked_at",
    "answers_given": "SELECT g.name AS group_name, q.answer, q.answered_at"
    " FROM questions AS q JOIN groups AS g ON g.id = q.group_id"
    " WHERE q.answered_by = ? ORDER BY q.answered_at",
}


class QuestionRepository(Repository):
    async def askable_groups(
        self, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> list[tuple[int, str]]:
        """(id, name) of the active groups this person may ask, by name: those they belong
        to, and those where they hold a trial seat (status going) at a meeting that has not
        ended yet; only groups with a facilitator other than themselves, who could answer."""
        rows = await self._fetch_all(
            tx,
            "SELECT g.id, g.name FROM groups AS g WHERE g.archived_at IS NULL AND ("
            " g.id IN (SELECT group_id FROM group_members WHERE member_id = ?)"
            " OR g.id IN (SELECT m.group_id FROM meetings AS m JOIN seats AS s"
            "   ON s.meeting_id = m.id WHERE s.member_id = ? AND s.kind = 'trial'"
            "   AND s.status = 'going' AND m.status = 'scheduled'"
            "   AND julianday(m.starts_at) + m.duration_minutes / 1440.0 > julianday(?)))"
            " AND EXISTS (SELECT 1 FROM group_facilitators AS f"
            "   WHERE f.group_id = g.id AND f.member_id != ?)"
            " ORDER BY g.name, g.id",
            (member_id, member_id, to_db_time(now), member_id),
        )
        return [(row[0], row[1]) for row in rows]

    async def open_count(self, member_id: int, *, tx: Tx | None = None) -> int:
        rows = await self._fetch_all(
            tx,
            "SELECT count(*) FROM questions WHERE member_id = ? AND answered_at IS NULL",
            (member_id,),
        )
        count: int = rows[0][0]
        return count

    async def open_tickets(self, *, tx: Tx | None = None) -> set[int]:
        rows = await self._fetch_all(
            tx, "SELECT ticket FROM questions WHERE answered_at IS NULL", ()
        )
        return {row[0] for row in rows}

    async def id_taken(self, question_id: int, *, tx: Tx | None = None) -> bool:
        rows = await self._fetch_all(tx, "SELECT 1 FROM questions WHERE id = ?", (question_id,))
        return bool(rows)

    async def insert(
        self,
        question_id: int,
        group_id: int,
        member_id: int,
        ticket: int,
        text: str,
        now: datetime,
        *,
        tx: Tx,
    ) -> None:
        self._db.require_transaction(tx)
        await tx.execute(
            "INSERT INTO questions (id, group_id, member_id, ticket, question, asked_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (question_id, group_id, member_id, ticket, text, to_db_time(now)),
        )

    async def get(self, question_id: int, *, tx: Tx | None = None) -> Question | None:
        rows = await self._fetch_all(
            tx,
            f"SELECT {_COLUMNS} FROM questions AS q JOIN groups AS g ON g.id = q.group_id"
            " WHERE q.id = ?",
            (question_id,),
        )
        return _question(rows[0]) if rows else None

    async def answer(
        self, question_id: int, answer: str, answered_by: int, now: datetime, *, tx: Tx
    ) -> bool:
        """Records the answer unless one is there already; whether this one was recorded."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "UPDATE questions SET answer = ?, answered_at = ?, answered_by = ?"
            " WHERE id = ? AND answered_at IS NULL",
            (answer, to_db_time(now), answered_by, question_id),
        )
        return cursor.rowcount > 0

    async def delete_old(self, before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: questions answered at or before ``before``, and unanswered ones asked
        by then."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM questions WHERE coalesce(answered_at, asked_at) <= ?",
                (to_db_time(before),),
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        return await export_sections(await self._reading(None), _EXPORT, member_id)


def _question(row: aiosqlite.Row) -> Question:
    answered_at = row["answered_at"]
    return Question(
        id=row["id"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        asker_id=row["member_id"],
        ticket=row["ticket"],
        text=row["question"],
        asked_at=from_db_time(row["asked_at"]),
        answer=row["answer"],
        answered_at=from_db_time(answered_at) if answered_at is not None else None,
    )
