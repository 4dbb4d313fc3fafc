"""Meeting series, their materialised occurrences, seats, trial outcomes and attendance.

Module functions that take ``conn`` run inside the caller's ``db.transaction()`` (archiving a
group, leaving it, signing up for a trial); :class:`MeetingRepository` holds the reads.

Seats of members are created lazily, when they answer going / not going: a group member
without a seat is expected (they get reminders) but not counted as going. Trial guests always
have a seat. "Invitees" of a meeting — who hears about a cancellation or a move — are the
group's members who did not decline plus everyone with an active seat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.domain.meetings import (
    Meeting,
    MeetingSeries,
    MeetingStatus,
    NewMeeting,
    NoticeKind,
    ReminderPlan,
    Seat,
    SeatCounts,
    SeatKind,
    SeatStatus,
    first_to_promote,
    planned_reminders,
    reminder_from_key,
    reminder_prefix,
    seats_left,
)
from bot.storage import outbox
from bot.storage.database import Database, from_db_time, to_db_time
from bot.storage.exports import export_sections

ACTIVE = (SeatStatus.GOING, SeatStatus.WAITLIST)
_ACTIVE_SQL = "('going', 'waitlist')"
# When a meeting (aliased m) ends, comparable with julianday(?) of a stored time.
_ENDS = "(julianday(m.starts_at) + m.duration_minutes / 1440.0)"
# How long after a trial meeting its guest may still be asked whether to join.
FOLLOWUP_WINDOW = timedelta(days=7)
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


@dataclass(frozen=True, slots=True)
class MeetingOverview:
    """A meeting with how full it is, for facilitators' lists and group cards."""

    meeting: Meeting
    counts: SeatCounts


@dataclass(frozen=True, slots=True)
class NextMeeting:
    """The next meeting of a group with the seats still free (for group cards)."""

    meeting: Meeting
    seats_left: int
    trial_seats_left: int


@dataclass(frozen=True, slots=True)
class ReminderGap:
    """Someone expected at a meeting who has no reminders planned for it yet."""

    meeting: Meeting
    member_id: int
    offsets: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FinishedTrial:
    group_id: int
    member_id: int
    meeting_id: int


class MeetingRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, meeting_id: int) -> Meeting | None:
        return await load_meeting(await self._db.connection(), meeting_id)

    async def series(self, series_id: int) -> MeetingSeries | None:
        return await load_series(await self._db.connection(), series_id)

    async def seat(self, meeting_id: int, member_id: int) -> Seat | None:
        return await load_seat(await self._db.connection(), meeting_id, member_id)

    async def overview(self, meeting_id: int) -> MeetingOverview | None:
        conn = await self._db.connection()
        meeting = await load_meeting(conn, meeting_id)
        if meeting is None:
            return None
        return MeetingOverview(meeting, await seat_counts(conn, meeting_id))

    async def upcoming(
        self, group_ids: Iterable[int], now: datetime, limit: int = 20
    ) -> list[MeetingOverview]:
        """Scheduled meetings of these groups that have not ended, soonest first."""
        ids = tuple(group_ids)
        if not ids:
            return []
        conn = await self._db.connection()
        marks = ",".join("?" * len(ids))
        meetings = await _meetings(
            conn,
            f"group_id IN ({marks}) AND status = 'scheduled' AND {_ENDS} > julianday(?)"
            " ORDER BY starts_at, id LIMIT ?",
            (*ids, to_db_time(now), limit),
        )
        return [MeetingOverview(m, await seat_counts(conn, m.id)) for m in meetings]

    async def recent(
        self, group_ids: Iterable[int], now: datetime, since: datetime, limit: int = 10
    ) -> list[Meeting]:
        """Meetings of these groups that started between ``since`` and ``now``, latest first."""
        ids = tuple(group_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return await _meetings(
            await self._db.connection(),
            f"group_id IN ({marks}) AND status = 'scheduled' AND starts_at BETWEEN ? AND ?"
            " ORDER BY starts_at DESC, id LIMIT ?",
            (*ids, to_db_time(since), to_db_time(now), limit),
        )

    async def next_meeting_with_seats(self, group_id: int, now: datetime) -> NextMeeting | None:
        return await next_meeting_with_seats(await self._db.connection(), group_id, now)

    async def agenda(
        self, member_id: int, now: datetime, limit: int = 8
    ) -> list[tuple[Meeting, Seat | None]]:
        """A person's coming meetings: their active seats and their groups' meetings."""
        conn = await self._db.connection()
        async with conn.execute(
            f"SELECT {_MEETING_COLUMNS} FROM meetings AS m"
            f" WHERE m.status = 'scheduled' AND {_ENDS} > julianday(?) AND ("
            "   EXISTS (SELECT 1 FROM group_members AS gm"
            "           WHERE gm.group_id = m.group_id AND gm.member_id = ?)"
            f"  OR EXISTS (SELECT 1 FROM seats AS s WHERE s.meeting_id = m.id"
            f"             AND s.member_id = ? AND s.status IN {_ACTIVE_SQL}))"
            " ORDER BY m.starts_at, m.id LIMIT ?",
            (to_db_time(now), member_id, member_id, limit),
        ) as cursor:
            meetings = [_meeting(row) async for row in cursor]
        return [(m, await load_seat(conn, m.id, member_id)) for m in meetings]

    async def attendance_candidates(self, meeting_id: int) -> list[tuple[int, str]]:
        """(member id, alias) of everyone who could have come: members and trial guests."""
        conn = await self._db.connection()
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
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT member_id FROM attendance WHERE meeting_id = ?", (meeting_id,)
        ) as cursor:
            return frozenset([row[0] async for row in cursor])

    async def toggle_attendance(self, meeting_id: int, member_id: int, now: datetime) -> bool:
        """Marks or unmarks one person; returns whether they are now marked as present."""
        async with self._db.transaction() as conn:
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

    async def active_series_ids(self) -> list[int]:
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT s.id FROM meeting_series AS s JOIN groups AS g ON g.id = s.group_id"
            " WHERE s.cancelled_at IS NULL AND g.archived_at IS NULL ORDER BY s.id"
        ) as cursor:
            return [row[0] async for row in cursor]

    async def reminder_gaps(self, now: datetime, limit: int = 500) -> list[ReminderGap]:
        """Expected people of coming meetings with no reminder row at all for that meeting.

        A reminder row in any state counts (sent, cancelled …): a declined RSVP or a move
        already decided about those, so the planner never second-guesses them.
        """
        conn = await self._db.connection()
        async with conn.execute(
            f"SELECT DISTINCT {_MEETING_COLUMNS}, e.member_id, g.reminder_offsets"
            " FROM meetings AS m"
            " JOIN groups AS g ON g.id = m.group_id AND g.archived_at IS NULL"
            " JOIN (SELECT gm.group_id AS group_id, NULL AS meeting_id, gm.member_id"
            "       FROM group_members AS gm"
            "       UNION SELECT NULL, s.meeting_id, s.member_id FROM seats AS s"
            "       WHERE s.status = 'going') AS e"
            "   ON e.group_id = m.group_id OR e.meeting_id = m.id"
            " JOIN members AS mb ON mb.id = e.member_id AND mb.blocked_at IS NULL"
            " WHERE m.status = 'scheduled' AND m.starts_at > ?"
            "   AND NOT EXISTS (SELECT 1 FROM seats AS s WHERE s.meeting_id = m.id"
            "       AND s.member_id = e.member_id AND s.status IN ('not_going', 'cancelled',"
            "       'waitlist'))"
            "   AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.meeting_id = m.id"
            "       AND o.member_id = e.member_id AND o.kind = 'reminder')"
            " ORDER BY m.starts_at LIMIT ?",
            (to_db_time(now), limit),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            ReminderGap(_meeting(row), row["member_id"], _offsets(row["reminder_offsets"]))
            for row in rows
        ]

    async def finished_trials(self, now: datetime) -> list[FinishedTrial]:
        """Trial guests of meetings that ended lately, never asked and not members since."""
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT DISTINCT m.group_id, s.member_id, m.id FROM seats AS s"
            " JOIN meetings AS m ON m.id = s.meeting_id"
            " JOIN groups AS g ON g.id = m.group_id AND g.archived_at IS NULL"
            " WHERE s.kind = 'trial' AND s.status = 'going' AND m.status = 'scheduled'"
            f"   AND {_ENDS} <= julianday(?) AND {_ENDS} > julianday(?)"
            "   AND NOT EXISTS (SELECT 1 FROM trial_outcomes AS t"
            "       WHERE t.group_id = m.group_id AND t.member_id = s.member_id)"
            "   AND NOT EXISTS (SELECT 1 FROM group_members AS gm"
            "       WHERE gm.group_id = m.group_id AND gm.member_id = s.member_id)",
            (to_db_time(now), to_db_time(now - FOLLOWUP_WINDOW)),
        ) as cursor:
            return [FinishedTrial(row[0], row[1], row[2]) async for row in cursor]

    async def reminder_plans(self, meeting_id: int, member_id: int) -> list[ReminderPlan]:
        """The reminders of this meeting for this person still going out or already out."""
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT dedupe_key FROM outbox WHERE meeting_id = ? AND member_id = ?"
            " AND kind = 'reminder' AND status IN ('pending', 'sending', 'sent')",
            (meeting_id, member_id),
        ) as cursor:
            keys = [row[0] for row in await cursor.fetchall()]
        return [plan for plan in map(reminder_from_key, keys) if plan is not None]

    async def had_trial(self, group_id: int, member_id: int, now: datetime) -> bool:
        """Whether this person attended (held a seat at) a finished trial meeting of the group."""
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT 1 FROM seats AS s JOIN meetings AS m ON m.id = s.meeting_id"
            " WHERE m.group_id = ? AND s.member_id = ? AND s.kind = 'trial'"
            f" AND s.status = 'going' AND {_ENDS} <= julianday(?) LIMIT 1",
            (group_id, member_id, to_db_time(now)),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The person's seats, trial answers, attendance and the meetings they scheduled,
        JSON-ready (UU PDP right of access); nobody else's seat or presence."""
        return await export_sections(await self._db.connection(), _EXPORT, member_id)


# --- reads usable inside a transaction --------------------------------------------------------

_MEETING_COLUMNS = (
    "m.id, m.series_id, m.group_id, m.occurrence, m.starts_at, m.duration_minutes,"
    " m.place, m.join_link, m.capacity, m.status"
)


async def load_meeting(conn: aiosqlite.Connection, meeting_id: int) -> Meeting | None:
    meetings = await _meetings(conn, "id = ?", (meeting_id,))
    return meetings[0] if meetings else None


async def load_series(conn: aiosqlite.Connection, series_id: int) -> MeetingSeries | None:
    async with conn.execute("SELECT * FROM meeting_series WHERE id = ?", (series_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
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


async def load_seat(conn: aiosqlite.Connection, meeting_id: int, member_id: int) -> Seat | None:
    async with conn.execute(
        "SELECT * FROM seats WHERE meeting_id = ? AND member_id = ?", (meeting_id, member_id)
    ) as cursor:
        row = await cursor.fetchone()
    return _seat(row) if row is not None else None


async def seat_counts(conn: aiosqlite.Connection, meeting_id: int) -> SeatCounts:
    async with conn.execute(
        "SELECT coalesce(sum(kind = 'member' AND status = 'going'), 0),"
        " coalesce(sum(kind = 'trial' AND status = 'going'), 0),"
        " coalesce(sum(status = 'waitlist'), 0) FROM seats WHERE meeting_id = ?",
        (meeting_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return SeatCounts(row[0], row[1], row[2])


async def next_meeting(
    conn: aiosqlite.Connection, group_id: int, now: datetime
) -> tuple[datetime, int] | None:
    """(start, seats left) of the group's next meeting, for group cards."""
    found = await next_meeting_with_seats(conn, group_id, now)
    return (found.meeting.starts_at, found.seats_left) if found else None


async def next_meeting_with_seats(
    conn: aiosqlite.Connection, group_id: int, now: datetime
) -> NextMeeting | None:
    """The group's next scheduled meeting that has not started, with seats left."""
    meetings = await _meetings(
        conn,
        "group_id = ? AND status = 'scheduled' AND starts_at > ? ORDER BY starts_at LIMIT 1",
        (group_id, to_db_time(now)),
    )
    if not meetings:
        return None
    meeting = meetings[0]
    trial_seats, _ = await group_rules(conn, group_id)
    left, trial_left = seats_left(
        await seat_counts(conn, meeting.id), meeting.capacity, trial_seats
    )
    return NextMeeting(meeting, left, trial_left)


async def group_rules(conn: aiosqlite.Connection, group_id: int) -> tuple[int, tuple[int, ...]]:
    """(trial seats per meeting, reminder offsets) of a group; (0, ()) if it is gone."""
    async with conn.execute(
        "SELECT trial_seats, reminder_offsets FROM groups WHERE id = ?", (group_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return (row[0], _offsets(row[1])) if row else (0, ())


async def active_trial(
    conn: aiosqlite.Connection, group_id: int, member_id: int, now: datetime
) -> Meeting | None:
    """This person's trial seat (or waitlist place) at a coming meeting of the group."""
    meetings = await _meetings(
        conn,
        f"group_id = ? AND status = 'scheduled' AND {_ENDS} > julianday(?) AND id IN ("
        f" SELECT meeting_id FROM seats WHERE member_id = ? AND kind = 'trial'"
        f" AND status IN {_ACTIVE_SQL}) ORDER BY starts_at LIMIT 1",
        (group_id, to_db_time(now), member_id),
    )
    return meetings[0] if meetings else None


async def invitees(conn: aiosqlite.Connection, meeting_id: int) -> list[int]:
    """Member ids to tell about a change: members who did not decline, and active seats."""
    async with conn.execute(
        "SELECT gm.member_id FROM group_members AS gm JOIN meetings AS m"
        " ON m.group_id = gm.group_id WHERE m.id = ? AND NOT EXISTS ("
        "  SELECT 1 FROM seats AS s WHERE s.meeting_id = m.id AND s.member_id = gm.member_id"
        "  AND s.status IN ('not_going', 'cancelled'))"
        f" UNION SELECT member_id FROM seats WHERE meeting_id = ? AND status IN {_ACTIVE_SQL}"
        " ORDER BY 1",
        (meeting_id, meeting_id),
    ) as cursor:
        return [row[0] async for row in cursor]


async def expected(conn: aiosqlite.Connection, meeting_id: int) -> list[int]:
    """Member ids who get reminders: invitees except those still waiting for a seat."""
    async with conn.execute(
        "SELECT member_id FROM seats WHERE meeting_id = ? AND status = 'waitlist'", (meeting_id,)
    ) as cursor:
        waiting = {row[0] async for row in cursor}
    return [member_id for member_id in await invitees(conn, meeting_id) if member_id not in waiting]


# --- writes inside the caller's transaction ---------------------------------------------------


async def insert_series(
    conn: aiosqlite.Connection, new: NewMeeting, created_by: int | None, now: datetime
) -> int:
    cursor = await conn.execute(
        "INSERT INTO meeting_series (group_id, first_starts_at, duration_minutes, recurrence,"
        " place, join_link, capacity, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def occurrence_state(
    conn: aiosqlite.Connection, series_id: int, now: datetime
) -> tuple[int, int]:
    """(next occurrence index to create, how many scheduled ones are still ahead)."""
    async with conn.execute(
        "SELECT coalesce(max(occurrence) + 1, 0),"
        " coalesce(sum(status = 'scheduled' AND starts_at > ?), 0)"
        " FROM meetings WHERE series_id = ?",
        (to_db_time(now), series_id),
    ) as cursor:
        row = await cursor.fetchone()
    return row[0], row[1]


async def insert_occurrences(
    conn: aiosqlite.Connection, series: MeetingSeries, starts: Sequence[tuple[int, datetime]]
) -> list[int]:
    """Materialises occurrences (an index already there is left alone); returns new ids."""
    ids = []
    for index, start in starts:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO meetings (series_id, group_id, occurrence, starts_at,"
            " duration_minutes, place, join_link, capacity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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


async def set_seat(
    conn: aiosqlite.Connection,
    meeting_id: int,
    member_id: int,
    kind: SeatKind,
    status: SeatStatus,
    now: datetime,
    *,
    requeue: bool,
) -> None:
    """Creates or updates a seat; ``requeue`` puts the person at the back of the waitlist."""
    await conn.execute(
        "INSERT INTO seats (meeting_id, member_id, kind, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, member_id) DO UPDATE SET"
        " kind = excluded.kind, status = excluded.status, updated_at = excluded.updated_at,"
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


async def plan_reminders(
    conn: aiosqlite.Connection,
    meeting: Meeting,
    member_id: int,
    offsets: Sequence[int],
    now: datetime,
) -> int:
    """Enqueues the person's reminders still ahead; a late one is sent until the start."""
    added = 0
    for reminder in planned_reminders(meeting.id, member_id, meeting.starts_at, offsets, now):
        added += await outbox.enqueue(
            conn,
            member_id=member_id,
            kind=NoticeKind.REMINDER,
            payload={
                "meeting_id": meeting.id,
                "start": to_db_time(meeting.starts_at),
                "offset": reminder.offset,
            },
            not_before=reminder.send_at,
            expires_at=meeting.starts_at,
            dedupe_key=reminder.dedupe_key,
            meeting_id=meeting.id,
            now=now,
        )
    return added


async def notify(
    conn: aiosqlite.Connection,
    kind: NoticeKind,
    meeting: Meeting,
    member_ids: Iterable[int],
    now: datetime,
    *,
    key: str,
    payload: dict[str, object] | None = None,
) -> None:
    """One notice per person about ``meeting``, sent as soon as possible (before it starts)."""
    for member_id in member_ids:
        await outbox.enqueue(
            conn,
            member_id=member_id,
            kind=kind,
            payload={"meeting_id": meeting.id, **(payload or {})},
            not_before=now,
            expires_at=max(meeting.starts_at, now + timedelta(days=1)),
            dedupe_key=f"{kind}:{key}:{member_id}",
            meeting_id=meeting.id,
            now=now,
        )


async def promote_waiting(
    conn: aiosqlite.Connection, meeting: Meeting, now: datetime
) -> list[Seat]:
    """Fills freed seats from the waitlist, first come first served, and tells each person."""
    trial_seats, offsets = await group_rules(conn, meeting.group_id)
    promoted: list[Seat] = []
    while True:
        async with conn.execute(
            "SELECT * FROM seats WHERE meeting_id = ? AND status = 'waitlist'", (meeting.id,)
        ) as cursor:
            waiting = [_seat(row) async for row in cursor]
        counts = await seat_counts(conn, meeting.id)
        seat = first_to_promote(waiting, counts, meeting.capacity, trial_seats)
        if seat is None:
            return promoted
        await set_seat(
            conn, meeting.id, seat.member_id, seat.kind, SeatStatus.GOING, now, requeue=False
        )
        await notify(
            conn,
            NoticeKind.PROMOTED,
            meeting,
            [seat.member_id],
            now,
            key=f"{meeting.id}:{to_db_time(now)}",
        )
        await plan_reminders(conn, meeting, seat.member_id, offsets, now)
        promoted.append(seat)


async def cancel_meetings(
    conn: aiosqlite.Connection, meetings: Sequence[Meeting], now: datetime, *, key: str
) -> None:
    """Marks meetings cancelled, drops their pending messages and tells the invitees once.

    Everyone is told about the first of them only: one notice per person, not one per week.
    """
    notified: set[int] = set()
    for meeting in meetings:
        people = await invitees(conn, meeting.id)
        await conn.execute("UPDATE meetings SET status = 'cancelled' WHERE id = ?", (meeting.id,))
        await outbox.cancel_pending(conn, meeting_id=meeting.id)
        fresh = [member_id for member_id in people if member_id not in notified]
        await notify(
            conn,
            NoticeKind.CANCELLED,
            meeting,
            fresh,
            now,
            key=key,
            payload={"series": len(meetings) > 1},
        )
        notified.update(fresh)


async def future_occurrences(
    conn: aiosqlite.Connection, series_id: int, now: datetime
) -> list[Meeting]:
    return await _meetings(
        conn,
        "series_id = ? AND status = 'scheduled' AND starts_at > ? ORDER BY starts_at",
        (series_id, to_db_time(now)),
    )


async def cancel_series(conn: aiosqlite.Connection, series_id: int, now: datetime) -> list[int]:
    """Ends a series: no more occurrences, the coming ones cancelled with one notice each."""
    await conn.execute(
        "UPDATE meeting_series SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
        (to_db_time(now), series_id),
    )
    meetings = await future_occurrences(conn, series_id, now)
    await cancel_meetings(conn, meetings, now, key=f"series{series_id}")
    return [meeting.id for meeting in meetings]


async def cancel_group_meetings(
    conn: aiosqlite.Connection, group_id: int, now: datetime
) -> list[tuple[int, int]]:
    """For an archived group: ends every series; returns (series id, meeting id) cancelled."""
    async with conn.execute(
        "SELECT id FROM meeting_series WHERE group_id = ? AND cancelled_at IS NULL", (group_id,)
    ) as cursor:
        series_ids = [row[0] async for row in cursor]
    cancelled = []
    for series_id in series_ids:
        cancelled += [(series_id, mid) for mid in await cancel_series(conn, series_id, now)]
    return cancelled


async def release_member_seats(
    conn: aiosqlite.Connection, group_id: int, member_id: int, now: datetime
) -> None:
    """Someone left the group: their seats at its coming meetings go to whoever waits."""
    meetings = await _meetings(
        conn,
        "group_id = ? AND status = 'scheduled' AND starts_at > ? AND id IN ("
        " SELECT meeting_id FROM seats WHERE member_id = ? AND status IN ('going', 'waitlist'))",
        (group_id, to_db_time(now), member_id),
    )
    for meeting in meetings:
        await conn.execute(
            "UPDATE seats SET status = 'cancelled', updated_at = ?"
            " WHERE meeting_id = ? AND member_id = ?",
            (to_db_time(now), meeting.id, member_id),
        )
        await outbox.cancel_pending(
            conn,
            meeting_id=meeting.id,
            member_id=member_id,
            dedupe_prefix=reminder_prefix(meeting.id),
        )
        await promote_waiting(conn, meeting, now)


async def record_trial_outcome(
    conn: aiosqlite.Connection, group_id: int, member_id: int, answer: str, now: datetime
) -> bool:
    """Stores the answer to "join this group?"; False if it was answered before."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO trial_outcomes (group_id, member_id, answer, answered_at)"
        " VALUES (?, ?, ?, ?)",
        (group_id, member_id, answer, to_db_time(now)),
    )
    return cursor.rowcount > 0


async def move_meeting(conn: aiosqlite.Connection, meeting_id: int, start: datetime) -> None:
    await conn.execute(
        "UPDATE meetings SET starts_at = ? WHERE id = ?",
        (to_db_time(start), meeting_id),
    )


# --- row mapping ------------------------------------------------------------------------------


async def _meetings(
    conn: aiosqlite.Connection, where: str, params: Sequence[object]
) -> list[Meeting]:
    """Meetings matching ``where`` (fixed SQL fragments only, never user input)."""
    async with conn.execute(
        f"SELECT {_MEETING_COLUMNS} FROM meetings AS m WHERE {where}", tuple(params)
    ) as cursor:
        return [_meeting(row) async for row in cursor]


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
