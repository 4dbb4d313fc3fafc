"""Quick moods (their tags and private notes) and the WHO-5 scores the progress chart reads.

A note is private: it is written here and read back only by :meth:`MoodRepository.export`
(/mydata). Every row references ``members(id)`` with ``ON DELETE CASCADE`` (0009_wellbeing.sql),
so /forget removes them with the member.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.moods import MoodPoint
from bot.storage.database import Repository, Tx, from_db_time, to_db_time


class MoodRepository(Repository):
    async def add(self, member_id: int, score: int, at: datetime, *, tx: Tx | None = None) -> int:
        """A new mood with its score (tags and note come later, or never); its id."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT INTO moods (member_id, score, recorded_at) VALUES (?, ?, ?)",
                (member_id, score, to_db_time(at)),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def set_tags(
        self, mood_id: int, member_id: int, tags: tuple[str, ...], *, tx: Tx | None = None
    ) -> None:
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE moods SET tags = ? WHERE id = ? AND member_id = ?",
                (",".join(tags), mood_id, member_id),
            )

    async def set_note(
        self, mood_id: int, member_id: int, note: str, *, tx: Tx | None = None
    ) -> None:
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE moods SET note = ? WHERE id = ? AND member_id = ?",
                (note, mood_id, member_id),
            )

    async def mood(self, mood_id: int, member_id: int, *, tx: Tx | None = None) -> MoodPoint | None:
        rows = await self._fetch_all(
            tx,
            "SELECT recorded_at, score FROM moods WHERE id = ? AND member_id = ?",
            (mood_id, member_id),
        )
        return _points(rows)[0] if rows else None

    async def before(
        self, member_id: int, mood_id: int, since: datetime, *, tx: Tx | None = None
    ) -> tuple[list[MoodPoint], bool]:
        """The member's moods other than ``mood_id`` recorded at or after ``since``, and whether
        they recorded any other mood at all."""
        rows = await self._fetch_all(
            tx,
            "SELECT recorded_at, score FROM moods WHERE member_id = ? AND id != ?"
            " AND recorded_at >= ? ORDER BY recorded_at, id",
            (member_id, mood_id, to_db_time(since)),
        )
        if rows:
            return _points(rows), True
        older = await self._fetch_all(
            tx, "SELECT 1 FROM moods WHERE member_id = ? AND id != ? LIMIT 1", (member_id, mood_id)
        )
        return [], bool(older)

    async def moods_since(self, member_id: int, since: datetime) -> list[MoodPoint]:
        rows = await self._fetch_all(
            None,
            "SELECT recorded_at, score FROM moods WHERE member_id = ? AND recorded_at >= ?"
            " ORDER BY recorded_at, id",
            (member_id, to_db_time(since)),
        )
        return _points(rows)

    async def who5_since(self, member_id: int, since: datetime) -> list[MoodPoint]:
        """The member's WHO-5 scores (0-100) of questionnaires completed at or after ``since``;
        sittings with too few answers for a score have none and are left out."""
        rows = await self._fetch_all(
            None,
            "SELECT completed_at, score FROM questionnaires WHERE member_id = ?"
            " AND instrument = 'who5' AND completed_at IS NOT NULL AND score IS NOT NULL"
            " AND completed_at >= ? ORDER BY completed_at, id",
            (member_id, to_db_time(since)),
        )
        return _points(rows)

    async def add_who5_score(
        self, member_id: int, score: int, at: datetime, *, tx: Tx | None = None
    ) -> None:
        """A completed WHO-5 sitting with its score and no answers, for the progress chart's
        journeys and benchmark: the questionnaire that writes real sittings (answers and all)
        is built alongside this feature (issue 11) and has its own repository."""
        async with self._writing(tx) as conn:
            await conn.execute(
                "INSERT INTO questionnaires"
                " (member_id, instrument, purpose, score, started_at, completed_at)"
                " VALUES (?, 'who5', 'self', ?, ?, ?)",
                (member_id, score, to_db_time(at), to_db_time(at)),
            )

    async def delete_old(self, recorded_before: datetime, *, tx: Tx | None = None) -> int:
        """Retention (KEEP_MOODS_DAYS): moods recorded at or before ``recorded_before``, with
        their tags and notes."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM moods WHERE recorded_at <= ?", (to_db_time(recorded_before),)
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, Any]:
        """The member's moods with their tags and notes, JSON-ready, without row ids."""
        rows = await self._fetch_all(
            None,
            "SELECT recorded_at, score, tags, note FROM moods WHERE member_id = ?"
            " ORDER BY recorded_at, id",
            (member_id,),
        )
        return {
            "moods": [
                {
                    "recorded_at": row[0],
                    "score": row[1],
                    "tags": row[2].split(",") if row[2] else [],
                    "note": row[3],
                }
                for row in rows
            ]
        }


def _points(rows: list[Any]) -> list[MoodPoint]:
    return [MoodPoint(from_db_time(row[0]), row[1]) for row in rows]
