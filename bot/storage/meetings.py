"""Meeting series, their materialised occurrences, seats, trial outcomes and attendance: queries
and row mapping (the rules are bot.domain.meetings; the use cases, bot.services).

Every method takes the optional ``tx`` of bot.storage.database's convention.

Seats of members are created lazily, when they answer going / not going: a group member
without a seat is expected (they get reminders) but not counted as going. Trial guests always
have a seat. "Invitees" of a meeting — who hears about a cancellation or a move — are the
group's members who did not decline plus everyone with an active seat; "expected" people (who
get reminders) are the invitees not waiting for a seat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.meeting_notices import ReminderPlan, reminder_from_key
from bot.domain.meetings import (
    FinishedTrial,
    Meeting,
    MeetingKind,
    MeetingOverview,
    MeetingSeries,
    MeetingStatus,
    NewMeeting,
    Seat,
    SeatCounts,
    SeatKind,
    SeatStatus,
)
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

_ACTIVE_SQL = "('going', 'waitlist')"
# When a meeting (aliased m) ends, comparable with julianday(?) of a stored time.
_ENDS = "(julianday(m.starts_at) + m.duration_minutes / 1440.0)"
_MEETING_COLUMNS = (
    "m.id, m.series_id, m.group_id, m.occurrence, m.starts_at, m.duration_minutes,"
    " m.place, m.join_link, m.capacity, m.status,"
    # Kind, title and openness belong to the series (migration 0019): every occurrence shares
    # them. Subqueries, not a join, so the callers' conditions on id and group_id stay unambiguous.
    + ", ".join(
        f"(SELECT ms.{column} FROM meeting_series AS ms WHERE ms.id = m.series_id) AS {column}"
        for column in ("kind", "title", "open_to_all")
    )
)
# Seats at open events (guests of a seminar, stored as 'trial' seats) are not trials of the group:
# they neither use up its one trial nor lead to the "join this group?" question.
_NOT_OPEN_EVENT = (
    "NOT EXISTS (SELECT 1 FROM meeting_series AS os WHERE os.id = m.series_id AND os.open_to_all)"
)
# Invitees of meeting ? (twice): members who did not decline, and everyone with an active seat.
_INVITEES = (
    "SELECT gm.member_id FROM group_members AS gm JOIN meetings AS m"
    " ON m.group_id = gm.group_id WHERE m.id = ? AND NOT EXISTS ("
    "  SELECT 1 FROM seats AS s WHERE s.meeting_id = m.id AND s.member_id = gm.member_id"
    "  AND s.status IN ('not_going', 'cancelled'))"
    f" UNION SELECT member_id FROM seats WHERE meeting_id = ? AND status IN {_ACTIVE_SQL}"
)
# The personal-data export, by section (bot.storage.exports).
_EXPORT = {
    "meetings_scheduled": "SELECT g.name AS group_name, s.first_starts_at, s.duration_minutes,"
    " s.recurrence, s.created_at, s.cancelled_at FROM meeting_series AS s"
    " JOIN groups AS g ON g.id = s.group_id WHERE s.created_by = ? ORDER BY s.created_at, s.id",
    "seats": "SELECT g.name AS group_name, m.starts_at AS meeting_starts_at, s.kind, s.status,"
    " s.created_at, s.updated_at FROM seats AS s JOIN meetings AS m ON m.id = s.meeting_id"
    " JOIN groups AS g ON g.id = m.group_id WHERE s.member_id = ? ORDER BY m.starts_at, m.id",
    "trial_outcomes": "SELECT g.name AS group_name, t.answer, t.answered_at"
    " FROM trial_outcomes AS t JOIN groups AS g ON g.id = t.group_id"
    " WHERE t.member_id = ? ORDER BY t.answered_at, g.id",
    "attendance": "SELECT g.name AS group_name, m.starts_at AS meeting_starts_at, a.marked_at"
    " FROM attendance AS a JOIN meetings AS m ON m.id = a.meeting_id"
    " JOIN groups AS g ON g.id = m.group_id WHERE a.member_id = ? ORDER BY m.starts_at, m.id",
}


class MeetingRepository(Repository):
    # --- meetings and series ------------------------------------------------------------------

    async def get(self, meeting_id: int, *, tx: Tx | None = None) -> Meeting | None:
        meetings = await self._meetings(tx, "id = ?", (meeting_id,))
        return meetings[0] if meetings else None

    async def series(self, series_id: int, *, tx: Tx | None = None) -> MeetingSeries | None:
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT * FROM meeting_series WHERE id = ?", (series_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _series(row) if row is not None else None

    async def overview(self, meeting_id: int) -> MeetingOverview | None:
        meeting = await self.get(meeting_id)
        if meeting is None:
            return None
        return MeetingOverview(meeting, await self.counts(meeting_id))

    async def upcoming(
        self, group_ids: Iterable[int], now: datetime, limit: int = 20
    ) -> list[MeetingOverview]:
        """Scheduled meetings of these groups that have not ended, soonest first."""
        ids = tuple(group_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        meetings = await self._meetings(
            None,
            f"group_id IN ({marks}) AND status = 'scheduled' AND {_ENDS} > julianday(?)"
            " ORDER BY starts_at, id LIMIT ?",
            (*ids, to_db_time(now), limit),
        )
        return [MeetingOverview(m, await self.counts(m.id)) for m in meetings]

    async def recent(
        self, group_ids: Iterable[int], now: datetime, since: datetime, limit: int = 10
    ) -> list[Meeting]:
        """Meetings of these groups that started between ``since`` and ``now``, latest first."""
        ids = tuple(group_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return await self._meetings(
            None,
            f"group_id IN ({marks}) AND status = 'scheduled' AND starts_at BETWEEN ? AND ?"
            " ORDER BY starts_at DESC, id LIMIT ?",
            (*ids, to_db_time(since), to_db_time(now), limit),
        )

    async def next_scheduled(self, group_id: int, now: datetime) -> Meeting | None:
        """The group's next scheduled meeting that has not started."""
        meetings = await self._meetings(
            None,
            "group_id = ? AND status = 'scheduled' AND starts_at > ? ORDER BY starts_at LIMIT 1",
            (group_id, to_db_time(now)),
        )
        return meetings[0] if meetings else None

    async def open_events(self, now: datetime, limit: int = 20) -> list[MeetingOverview]:
        """Coming meetings open to everyone (seminars), of active groups, soonest first."""
        meetings = await self._meetings(
            None,
            "m.status = 'scheduled' AND m.starts_at > ? AND m.series_id IN ("
            " SELECT id FROM meeting_series WHERE open_to_all = 1 AND cancelled_at IS NULL)"
            " AND m.group_id IN (SELECT id FROM groups WHERE archived_at IS NULL)"
            " ORDER BY m.starts_at, m.id LIMIT ?",
            (to_db_time(now), limit),
        )
        return [MeetingOverview(m, await self.counts(m.id)) for m in meetings]

    async def coming(self, now: datetime) -> list[int]:
        """Ids of scheduled meetings of active groups that have not started, soonest first."""
        meetings = await self._meetings(
            None,
            "status = 'scheduled' AND starts_at > ? AND group_id IN"
            " (SELECT id FROM groups WHERE archived_at IS NULL) ORDER BY starts_at, id",
            (to_db_time(now),),
        )
        return [meeting.id for meeting in meetings]

    async def coming_in_series(
        self, series_id: int, now: datetime, *, tx: Tx | None = None
    ) -> list[Meeting]:
        """Scheduled occurrences of the series that have not started, soonest first."""
        return await self._meetings(
            tx,
            "series_id = ? AND status = 'scheduled' AND starts_at > ? ORDER BY starts_at",
            (series_id, to_db_time(now)),
        )

    async def coming_with_seat(
        self, group_id: int, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> list[Meeting]:
        """The group's coming meetings where the person holds a seat or waits for one."""
        return await self._meetings(
            tx,
            "group_id = ? AND status = 'scheduled' AND starts_at > ? AND id IN ("
            f" SELECT meeting_id FROM seats WHERE member_id = ? AND status IN {_ACTIVE_SQL})",
            (group_id, to_db_time(now), member_id),
        )

    async def active_trial(
        self, group_id: int, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> Meeting | None:
        """This person's trial seat (or waitlist place) at a coming meeting of the group."""
        meetings = await self._meetings(
            tx,
            f"group_id = ? AND status = 'scheduled' AND {_ENDS} > julianday(?) AND id IN ("
            f" SELECT meeting_id FROM seats WHERE member_id = ? AND kind = 'trial'"
            f" AND status IN {_ACTIVE_SQL}) AND {_NOT_OPEN_EVENT} ORDER BY starts_at LIMIT 1",
            (group_id, to_db_time(now), member_id),
        )
        return meetings[0] if meetings else None

    async def active_series_ids(
        self, group_id: int | None = None, *, tx: Tx | None = None
    ) -> list[int]:
        """Series not ended, of active groups (or of ``group_id``, archived or not)."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT s.id FROM meeting_series AS s JOIN groups AS g ON g.id = s.group_id"
            " WHERE s.cancelled_at IS NULL"
            " AND ((? IS NULL AND g.archived_at IS NULL) OR g.id = ?) ORDER BY s.id",
            (group_id, group_id),
        ) as cursor:
            return [row[0] async for row in cursor]

    async def occurrence_state(self, series_id: int, now: datetime, *, tx: Tx) -> tuple[int, int]:
        """(next occurrence index to create, how many scheduled ones are still ahead)."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT coalesce(max(occurrence) + 1, 0),"
            " coalesce(sum(status = 'scheduled' AND starts_at > ?), 0)"
            " FROM meetings WHERE series_id = ?",
            (to_db_time(now), series_id),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None  # an aggregate without GROUP BY always yields one row
        return row[0], row[1]

    async def insert_series(
        self, new: NewMeeting, created_by: int | None, now: datetime, *, tx: Tx | None = None
    ) -> int:
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT INTO meeting_series (group_id, first_starts_at, duration_minutes,"
                " recurrence, place, join_link, capacity, created_by, created_at, kind, title,"
                " open_to_all) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.group_id,
                    to_db_time(new.first_starts_at),
                    new.duration_minutes,
                    new.recurrence,
                    new.place,
                    new.join_link,
                    new.capacity,
                    created_by,
                    to_db_time(now),
                    new.kind.value,
                    new.title,
                    int(new.open_to_all),
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def insert_occurrences(
        self,
        series: MeetingSeries,
        starts: Sequence[tuple[int, datetime]],
        *,
        tx: Tx | None = None,
    ) -> list[int]:
        """Materialises occurrences (an index already there is left alone); returns new ids."""
        ids = []
        async with self._writing(tx) as conn:
            for index, start in starts:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO meetings (series_id, group_id, occurrence, starts_at,"
                    " duration_minutes, place, join_link, capacity)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        series.id,
                        series.group_id,
                        index,
                        to_db_time(start),
                        series.duration_minutes,
                        series.place,
                        series.join_link,
                        series.capacity,
                    ),
                )
                if cursor.rowcount:
                    assert cursor.lastrowid is not None
                    ids.append(cursor.lastrowid)
        return ids

    async def end_series(self, series_id: int, now: datetime, *, tx: Tx | None = None) -> bool:
        """No more occurrences of the series; False if it had ended already."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "UPDATE meeting_series SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
                (to_db_time(now), series_id),
            )
        return cursor.rowcount > 0

    async def cancel(self, meeting_ids: Iterable[int], *, tx: Tx | None = None) -> None:
        async with self._writing(tx) as conn:
            await conn.executemany(
                "UPDATE meetings SET status = 'cancelled' WHERE id = ?",
                [(meeting_id,) for meeting_id in meeting_ids],
            )

    async def move(self, meeting_id: int, start: datetime, *, tx: Tx | None = None) -> None:
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE meetings SET starts_at = ? WHERE id = ?", (to_db_time(start), meeting_id)
            )

    # --- seats --------------------------------------------------------------------------------

    async def seat(self, meeting_id: int, member_id: int, *, tx: Tx | None = None) -> Seat | None:
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT * FROM seats WHERE meeting_id = ? AND member_id = ?", (meeting_id, member_id)
        ) as cursor:
            row = await cursor.fetchone()
        return _seat(row) if row is not None else None

    async def counts(self, meeting_id: int, *, tx: Tx | None = None) -> SeatCounts:
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT coalesce(sum(kind = 'member' AND status = 'going'), 0),"
            " coalesce(sum(kind = 'trial' AND status = 'going'), 0),"
            " coalesce(sum(status = 'waitlist'), 0) FROM seats WHERE meeting_id = ?",
            (meeting_id,),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None  # an aggregate without GROUP BY always yields one row
        return SeatCounts(row[0], row[1], row[2])

    async def waiting(self, meeting_id: int, *, tx: Tx | None = None) -> list[Seat]:
        """Seats on the waitlist, in no particular order (the rule orders them)."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT * FROM seats WHERE meeting_id = ? AND status = 'waitlist'", (meeting_id,)
        ) as cursor:
            return [_seat(row) async for row in cursor]

    async def agenda(
        self, member_id: int, now: datetime, limit: int = 8
    ) -> list[tuple[Meeting, Seat | None]]:
        """A person's coming meetings: their active seats and their groups' meetings."""
        meetings = await self._meetings(
            None,
            f"m.status = 'scheduled' AND {_ENDS} > julianday(?) AND ("
            "   EXISTS (SELECT 1 FROM group_members AS gm"
            "           WHERE gm.group_id = m.group_id AND gm.member_id = ?)"
            "  OR EXISTS (SELECT 1 FROM seats AS s WHERE s.meeting_id = m.id"
            f"             AND s.member_id = ? AND s.status IN {_ACTIVE_SQL}))"
            " ORDER BY m.starts_at, m.id LIMIT ?",
            (to_db_time(now), member_id, member_id, limit),
        )
        return [(m, await self.seat(m.id, member_id)) for m in meetings]

    async def set_seat(
        self,
        meeting_id: int,
        member_id: int,
        kind: SeatKind,
        status: SeatStatus,
        now: datetime,
        *,
        requeue: bool,
        tx: Tx | None = None,
    ) -> None:
        """Creates or updates a seat; ``requeue`` puts the person at the back of the waitlist."""
        async with self._writing(tx) as conn:
            await conn.execute(
                "INSERT INTO seats (meeting_id, member_id, kind, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, member_id) DO UPDATE SET"
                " kind = excluded.kind, status = excluded.status,"
                " updated_at = excluded.updated_at,"
                " created_at = CASE WHEN ? THEN excluded.created_at ELSE seats.created_at END",
                (
                    meeting_id,
                    member_id,
                    kind.value,
                    status.value,
                    to_db_time(now),
                    to_db_time(now),
                    requeue,
                ),
            )

    async def set_seat_status(
        self,
        meeting_id: int,
        member_id: int,
        status: SeatStatus,
        now: datetime,
        *,
        tx: Tx | None = None,
    ) -> None:
        """Changes the status of an existing seat, keeping its kind and place in the queue."""
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE seats SET status = ?, updated_at = ?"
                " WHERE meeting_id = ? AND member_id = ?",
                (status.value, to_db_time(now), meeting_id, member_id),
            )

    # --- who hears about a meeting ------------------------------------------------------------

    async def invitees(self, meeting_id: int, *, tx: Tx | None = None) -> list[int]:
        """Member ids to tell about a change, in id order."""
        return await self._member_ids(tx, f"{_INVITEES} ORDER BY 1", (meeting_id, meeting_id))

    async def expected(self, meeting_id: int, *, tx: Tx | None = None) -> list[int]:
        """Member ids who get reminders: invitees not waiting for a seat, in id order."""
        return await self._member_ids(
            tx,
            f"SELECT * FROM ({_INVITEES}) EXCEPT SELECT member_id FROM seats"
            " WHERE meeting_id = ? AND status = 'waitlist' ORDER BY 1",
            (meeting_id, meeting_id, meeting_id),
        )

    async def without_reminders(
        self, meeting_id: int, key_end: str, *, after: int, limit: int, tx: Tx | None = None
    ) -> list[int]:
        """Expected people of the meeting (not blocked), past ``after`` in member id order,
        without a reminder row whose dedupe key ends with ``key_end`` (planned for the
        meeting's current start) that is pending, on its way or settled.

        A cancelled one does not count: whoever cancelled it (declining, leaving, waiting for
        a seat, blocking the bot) is not expected at the moment, so someone expected again
        (rejoined, unblocked, the meeting moved back to that time) gets it back.
        """
        return await self._member_ids(
            tx,
            f"SELECT member_id FROM ({_INVITEES} EXCEPT SELECT member_id FROM seats"
            "  WHERE meeting_id = ? AND status = 'waitlist')"
            " WHERE member_id > ?"
            "   AND member_id NOT IN (SELECT id FROM members WHERE blocked_at IS NOT NULL)"
            "   AND member_id NOT IN (SELECT member_id FROM outbox"
            "       WHERE meeting_id = ? AND kind = 'reminder' AND status != 'cancelled'"
            "       AND substr(dedupe_key, -length(?)) = ?)"
            " ORDER BY member_id LIMIT ?",
            (meeting_id, meeting_id, meeting_id, after, meeting_id, key_end, key_end, limit),
        )

    async def reminder_plans(self, meeting_id: int, member_id: int) -> list[ReminderPlan]:
        """The reminders of this meeting for this person still going out or already out."""
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT dedupe_key FROM outbox WHERE meeting_id = ? AND member_id = ?"
            " AND kind = 'reminder' AND status IN ('pending', 'sending', 'sent')",
            (meeting_id, member_id),
        ) as cursor:
            keys = [row[0] for row in await cursor.fetchall()]
        return [plan for plan in map(reminder_from_key, keys) if plan is not None]

    # --- trials -------------------------------------------------------------------------------

    async def finished_trials(
        self, now: datetime, since: datetime, *, tx: Tx | None = None
    ) -> list[FinishedTrial]:
        """Trial guests of meetings that ended between ``since`` and ``now``, never asked and
        not members since."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT DISTINCT m.group_id, s.member_id, m.id FROM seats AS s"
            " JOIN meetings AS m ON m.id = s.meeting_id"
            " JOIN groups AS g ON g.id = m.group_id AND g.archived_at IS NULL"
            " WHERE s.kind = 'trial' AND s.status = 'going' AND m.status = 'scheduled'"
            f"   AND {_ENDS} <= julianday(?) AND {_ENDS} > julianday(?) AND {_NOT_OPEN_EVENT}"
            "   AND NOT EXISTS (SELECT 1 FROM trial_outcomes AS t"
            "       WHERE t.group_id = m.group_id AND t.member_id = s.member_id)"
            "   AND NOT EXISTS (SELECT 1 FROM group_members AS gm"
            "       WHERE gm.group_id = m.group_id AND gm.member_id = s.member_id)",
            (to_db_time(now), to_db_time(since)),
        ) as cursor:
            return [FinishedTrial(row[0], row[1], row[2]) async for row in cursor]

    async def had_trial(
        self, group_id: int, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """Whether this person attended (held a seat at) a finished trial meeting of the group."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT 1 FROM seats AS s JOIN meetings AS m ON m.id = s.meeting_id"
            " WHERE m.group_id = ? AND s.member_id = ? AND s.kind = 'trial'"
            f" AND s.status = 'going' AND {_ENDS} <= julianday(?) AND {_NOT_OPEN_EVENT} LIMIT 1",
            (group_id, member_id, to_db_time(now)),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def record_trial_outcome(
        self, group_id: int, member_id: int, answer: str, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """Stores the answer to "join this group?"; False if it was answered before."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO trial_outcomes (group_id, member_id, answer, answered_at)"
                " VALUES (?, ?, ?, ?)",
                (group_id, member_id, answer, to_db_time(now)),
            )
        return cursor.rowcount > 0

    # --- attendance ---------------------------------------------------------------------------

    async def attendance_candidates(
        self, meeting_id: int, *, tx: Tx | None = None
    ) -> list[tuple[int, str]]:
        """(member id, alias) of everyone who could have come: members and trial guests."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT mb.id, mb.alias FROM members AS mb WHERE mb.id IN ("
            "  SELECT gm.member_id FROM group_members AS gm JOIN meetings AS m"
            "  ON m.group_id = gm.group_id WHERE m.id = ?"
            "  UNION SELECT member_id FROM seats WHERE meeting_id = ? AND status = 'going'"
            "  UNION SELECT member_id FROM attendance WHERE meeting_id = ?)"
            " ORDER BY mb.alias COLLATE NOCASE, mb.id",
            (meeting_id, meeting_id, meeting_id),
        ) as cursor:
            return [(row[0], row[1]) async for row in cursor]

    async def attended(self, meeting_id: int) -> frozenset[int]:
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT member_id FROM attendance WHERE meeting_id = ?", (meeting_id,)
        ) as cursor:
            return frozenset([row[0] async for row in cursor])

    async def toggle_attendance(
        self, meeting_id: int, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """Marks or unmarks one person; returns whether they are now marked as present."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM attendance WHERE meeting_id = ? AND member_id = ?",
                (meeting_id, member_id),
            )
            if cursor.rowcount:
                return False
            await conn.execute(
                "INSERT INTO attendance (meeting_id, member_id, marked_at) VALUES (?, ?, ?)",
                (meeting_id, member_id, to_db_time(now)),
            )
        return True

    # --- retention ------------------------------------------------------------------------------

    async def delete_old_seats(self, started_before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: seats and attendance of meetings that started at or before
        ``started_before`` (a meeting still coming keeps its seats); returns how many rows."""
        old = "meeting_id IN (SELECT id FROM meetings WHERE starts_at <= ?)"
        deleted = 0
        async with self._writing(tx) as conn:
            for table in ("seats", "attendance"):
                cursor = await conn.execute(
                    f"DELETE FROM {table} WHERE {old}", (to_db_time(started_before),)
                )
                deleted += cursor.rowcount
        return deleted

    async def delete_old_trial_outcomes(
        self, answered_before: datetime, *, tx: Tx | None = None
    ) -> int:
        """Retention: answers to "join this group?" given at or before ``answered_before``."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM trial_outcomes WHERE answered_at <= ?", (to_db_time(answered_before),)
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The person's seats, trial answers, attendance and the meetings they scheduled,
        JSON-ready (UU PDP right of access); nobody else's seat or presence."""
        return await export_sections(await self._reading(None), _EXPORT, member_id)

    # --- row mapping --------------------------------------------------------------------------

    async def _meetings(self, tx: Tx | None, where: str, params: Sequence[object]) -> list[Meeting]:
        """Meetings matching ``where`` (fixed SQL fragments only, never user input)."""
        conn = await self._reading(tx)
        async with conn.execute(
            f"SELECT {_MEETING_COLUMNS} FROM meetings AS m WHERE {where}", tuple(params)
        ) as cursor:
            return [_meeting(row) async for row in cursor]

    async def _member_ids(self, tx: Tx | None, sql: str, params: Sequence[object]) -> list[int]:
        conn = await self._reading(tx)
        async with conn.execute(sql, tuple(params)) as cursor:
            return [row[0] async for row in cursor]


def _meeting(row: aiosqlite.Row) -> Meeting:
    return Meeting(
        id=row["id"],
        series_id=row["series_id"],
        group_id=row["group_id"],
        occurrence=row["occurrence"],
        starts_at=from_db_time(row["starts_at"]),
        duration_minutes=row["duration_minutes"],
        place=row["place"],
        join_link=row["join_link"],
        capacity=row["capacity"],
        status=MeetingStatus(row["status"]),
        kind=MeetingKind(row["kind"]),
        title=row["title"],
        open_to_all=bool(row["open_to_all"]),
    )


def _series(row: aiosqlite.Row) -> MeetingSeries:
    return MeetingSeries(
        id=row["id"],
        group_id=row["group_id"],
        first_starts_at=from_db_time(row["first_starts_at"]),
        duration_minutes=row["duration_minutes"],
        recurrence=row["recurrence"],
        place=row["place"],
        join_link=row["join_link"],
        capacity=row["capacity"],
        cancelled_at=from_db_time(row["cancelled_at"]) if row["cancelled_at"] else None,
    )


def _seat(row: aiosqlite.Row) -> Seat:
    return Seat(
        meeting_id=row["meeting_id"],
        member_id=row["member_id"],
        kind=SeatKind(row["kind"]),
        status=SeatStatus(row["status"]),
        created_at=from_db_time(row["created_at"]),
    )


def _offsets(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "").split(",") if part.strip())
