"""Questionnaire sittings (the ``questionnaires`` table of 0009_wellbeing.sql): opening one,
saving each answer as it is given, completing it with its score, and the scores a result is
compared with. Every method takes the optional ``tx`` of bot.storage.database's convention.

``score`` keeps one meaning for every reader (/mood, /progress, reports): WHO-5 0-100 or
PHQ-9 0-27, NULL until the sitting is complete or when too few items were answered to score it.
The baseline is the person's first completed WHO-5 with a score, whatever it was asked for.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.instruments import PHQ9, WHO5
from bot.domain.questionnaires import Answers, Purpose, Sitting
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

_COLUMNS = "id, member_id, instrument, purpose, answers, score, started_at, completed_at"

_EXPORT = {
    "questionnaires": "SELECT instrument, purpose, answers, score, started_at, completed_at"
    " FROM questionnaires WHERE member_id = ? ORDER BY started_at, id",
}


class QuestionnaireRepository(Repository):
    async def sitting(self, sitting_id: int, *, tx: Tx | None = None) -> Sitting | None:
        rows = await self._fetch_all(
            tx, f"SELECT {_COLUMNS} FROM questionnaires WHERE id = ?", (sitting_id,)
        )
        return _sitting(rows[0]) if rows else None

    async def open_sitting(
        self, member_id: int, instrument: str, since: datetime, *, tx: Tx | None = None
    ) -> Sitting | None:
        """The member's newest unfinished sitting of ``instrument`` started at or after
        ``since`` (older ones are not resumed)."""
        rows = await self._fetch_all(
            tx,
            f"SELECT {_COLUMNS} FROM questionnaires WHERE member_id = ? AND instrument = ?"
            " AND completed_at IS NULL AND started_at >= ? ORDER BY started_at DESC, id DESC"
            " LIMIT 1",
            (member_id, instrument, to_db_time(since)),
        )
        return _sitting(rows[0]) if rows else None

    async def start(
        self,
        member_id: int,
        instrument: str,
        purpose: Purpose,
        at: datetime,
        *,
        tx: Tx | None = None,
    ) -> Sitting:
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT INTO questionnaires (member_id, instrument, purpose, started_at)"
                " VALUES (?, ?, ?, ?)",
                (member_id, instrument, purpose.value, to_db_time(at)),
            )
        assert cursor.lastrowid is not None
        return Sitting(cursor.lastrowid, member_id, instrument, purpose, {}, None, at, None)

    async def save_answers(self, sitting_id: int, answers: Answers, *, tx: Tx) -> None:
        """Stores the sitting's answers so far (only while it is open)."""
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE questionnaires SET answers = ? WHERE id = ? AND completed_at IS NULL",
                (json.dumps(dict(answers), separators=(",", ":")), sitting_id),
            )

    async def complete(self, sitting_id: int, score: int | None, at: datetime, *, tx: Tx) -> None:
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE questionnaires SET score = ?, completed_at = ?"
                " WHERE id = ? AND completed_at IS NULL",
                (score, to_db_time(at), sitting_id),
            )

    async def baseline_score(
        self, member_id: int, *, tx: Tx | None = None
    ) -> tuple[int, int] | None:
        """(sitting id, score) of the member's first completed WHO-5 with a score."""
        return await self._scored(
            tx, "member_id = ? ORDER BY completed_at, id LIMIT 1", (member_id,)
        )

    async def previous_score(
        self, member_id: int, before: Sitting, *, tx: Tx | None = None
    ) -> int | None:
        """The score of the member's last completed, scored WHO-5 before ``before``."""
        found = await self._scored(
            tx,
            "member_id = ? AND id != ? AND completed_at <= ?"
            " ORDER BY completed_at DESC, id DESC LIMIT 1",
            (member_id, before.id, to_db_time(before.completed_at or before.started_at)),
        )
        return None if found is None else found[1]

    async def _scored(
        self, tx: Tx | None, where: str, params: tuple[object, ...]
    ) -> tuple[int, int] | None:
        rows = await self._fetch_all(
            tx,
            "SELECT id, score FROM questionnaires WHERE instrument = ?"
            f" AND completed_at IS NOT NULL AND score IS NOT NULL AND {where}",
            (WHO5, *params),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    async def phq9_since(
        self, member_id: int, since: datetime, *, tx: Tx | None = None
    ) -> Sitting | None:
        """The member's PHQ-9 sitting started at or after ``since`` (the offer's WHO-5 sitting
        was completed then): the offer's answer, if it was taken."""
        rows = await self._fetch_all(
            tx,
            f"SELECT {_COLUMNS} FROM questionnaires WHERE member_id = ? AND instrument = ?"
            " AND started_at >= ? ORDER BY started_at, id LIMIT 1",
            (member_id, PHQ9, to_db_time(since)),
        )
        return _sitting(rows[0]) if rows else None

    async def delete_old(self, answered_before: datetime, *, tx: Tx | None = None) -> int:
        """Retention (KEEP_CHECKIN_ANSWERS_DAYS): sittings finished at or before
        ``answered_before``, and unfinished ones started by then."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM questionnaires WHERE COALESCE(completed_at, started_at) <= ?",
                (to_db_time(answered_before),),
            )
        return cursor.rowcount

    async def facilitators_of(self, member_id: int, *, tx: Tx | None = None) -> list[int]:
        """Everyone who facilitates an active group the member belongs to (never the member)."""
        rows = await self._fetch_all(
            tx,
            "SELECT DISTINCT f.member_id FROM group_members AS gm"
            " JOIN groups AS g ON g.id = gm.group_id AND g.archived_at IS NULL"
            " JOIN group_facilitators AS f ON f.group_id = gm.group_id AND f.member_id != ?"
            " WHERE gm.member_id = ? ORDER BY f.member_id",
            (member_id, member_id),
        )
        return [row[0] for row in rows]

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The person's sittings with their answers and scores, JSON-ready (UU PDP access)."""
        sections = await export_sections(await self._reading(None), _EXPORT, member_id)
        for row in sections["questionnaires"]:
            row["answers"] = json.loads(row["answers"])
        return sections


def _sitting(row: aiosqlite.Row) -> Sitting:
    completed = row["completed_at"]
    return Sitting(
        id=row["id"],
        member_id=row["member_id"],
        instrument=row["instrument"],
        purpose=Purpose(row["purpose"]),
        answers=json.loads(row["answers"]),
        score=row["score"],
        started_at=from_db_time(row["started_at"]),
        completed_at=from_db_time(completed) if completed else None,
    )
