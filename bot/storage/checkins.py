"""The weekly check-in's side of storage: each member's schedule (``checkin_schedules``), who
is prompted, the planner's two queries, and whether someone completed a WHO-5 (read from
``questionnaires``, which the questionnaire itself writes). Every method takes the optional
``tx`` of bot.storage.database's convention.

Who is prompted: a member of at least one active group, whom the bot can reach (not blocked),
with prompts not stopped; a paused member is planned for after the pause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.checkin_cadence import CheckinSchedule
from bot.domain.checkin_notices import CheckinKind, week_of_key
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

# Conditions on ``members AS m LEFT JOIN checkin_schedules AS s``: who gets weekly prompts.
_PROMPTED = (
    "m.blocked_at IS NULL AND s.stopped_at IS NULL AND EXISTS (SELECT 1 FROM group_members"
    " AS gm JOIN groups AS g ON g.id = gm.group_id WHERE gm.member_id = m.id"
    " AND g.archived_at IS NULL)"
)
_SCHEDULE_COLUMNS = "s.weekday, s.minute_of_day, s.paused_until, s.stopped_at"
_PROMPT = CheckinKind.PROMPT.value
_NUDGE = CheckinKind.NUDGE.value


@dataclass(frozen=True, slots=True)
class PlanningCandidate:
    """A prompted member without a coming prompt in the outbox."""

    member_id: int
    timezone: str
    schedule: CheckinSchedule
    # The latest week that has a prompt row (sent, skipped, failed: anything not cancelled).
    last_week: str | None


@dataclass(frozen=True, slots=True)
class SentPrompt:
    """A prompt that went out and is still unanswered: what its nudge needs."""

    outbox_id: int
    member_id: int
    dedupe_key: str
    prompt_at: datetime
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class Audience:
    """What a prompt needs to know about its recipient when it is sent."""

    schedule: CheckinSchedule
    in_active_group: bool
    first_joined_at: datetime | None

    def prompted_at(self, moment: datetime) -> bool:
        return (
            self.in_active_group
            and self.schedule.stopped_at is None
            and not self.schedule.paused_at(moment)
        )


class CheckinRepository(Repository):
    async def schedule(self, member_id: int, *, tx: Tx | None = None) -> CheckinSchedule:
        """The member's schedule; the default one if they never changed it."""
        rows = await self._fetch_all(
            tx,
            f"SELECT {_SCHEDULE_COLUMNS} FROM checkin_schedules AS s WHERE s.member_id = ?",
            (member_id,),
        )
        return _schedule(rows[0]) if rows else CheckinSchedule()

    async def save_schedule(
        self, member_id: int, schedule: CheckinSchedule, *, tx: Tx | None = None
    ) -> None:
        """Stores the schedule; the default one is stored as no row at all."""
        async with self._writing(tx) as conn:
            if schedule.is_default:
                await conn.execute(
                    "DELETE FROM checkin_schedules WHERE member_id = ?", (member_id,)
                )
                return
            await conn.execute(
                "INSERT INTO checkin_schedules (member_id, weekday, minute_of_day, paused_until,"
                " stopped_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET"
                " weekday = excluded.weekday, minute_of_day = excluded.minute_of_day,"
                " paused_until = excluded.paused_until, stopped_at = excluded.stopped_at",
                (
                    member_id,
                    schedule.weekday,
                    schedule.minute_of_day,
                    _time_or_none(schedule.paused_until),
                    _time_or_none(schedule.stopped_at),
                ),
            )

    async def without_coming_prompt(
        self, *, after: int, limit: int, tx: Tx | None = None
    ) -> list[PlanningCandidate]:
        """Prompted members (by id, past ``after``) with no pending or in-flight prompt: those
        whose next prompt is still to be planned. Everyone else already has theirs, so a pass
        over a network where nothing changed finds nobody."""
        rows = await self._fetch_all(
            tx,
            f"SELECT m.id, m.timezone, {_SCHEDULE_COLUMNS},"
            " (SELECT max(o.dedupe_key) FROM outbox AS o WHERE o.member_id = m.id"
            f"   AND o.kind = '{_PROMPT}' AND o.status <> 'cancelled') AS last_key"
            " FROM members AS m LEFT JOIN checkin_schedules AS s ON s.member_id = m.id"
            f" WHERE m.id > ? AND {_PROMPTED} AND NOT EXISTS (SELECT 1 FROM outbox AS o"
            "   WHERE o.member_id = m.id AND o.status IN ('pending', 'sending')"
            f"   AND o.kind = '{_PROMPT}')"
            " ORDER BY m.id LIMIT ?",
            (after, limit),
        )
        return [
            PlanningCandidate(
                member_id=row["id"],
                timezone=row["timezone"],
                schedule=_schedule(row),
                # Keys of one member differ only in the week, which sorts in time order.
                last_week=week_of_key(row["last_key"]) if row["last_key"] else None,
            )
            for row in rows
        ]

    async def unanswered_prompts(
        self,
        *,
        sent_from: datetime,
        sent_until: datetime,
        now: datetime,
        after_id: int,
        limit: int,
        tx: Tx | None = None,
    ) -> list[SentPrompt]:
        """Prompts sent in (``sent_from``, ``sent_until``] (by outbox id, past ``after_id``)
        to members still prompted and not paused at ``now``, with no WHO-5 completed since the
        prompt's time and no nudge planned yet."""
        rows = await self._fetch_all(
            tx,
            "SELECT o.id, o.member_id, o.dedupe_key, o.not_before, o.sent_at FROM outbox AS o"
            # Without statistics SQLite prefers outbox_due, which walks every sent message.
            " INDEXED BY outbox_sent_checkin_prompts"
            " JOIN members AS m ON m.id = o.member_id"
            " LEFT JOIN checkin_schedules AS s ON s.member_id = m.id"
            f" WHERE o.kind = '{_PROMPT}' AND o.status = 'sent'"
            "   AND o.sent_at > ? AND o.sent_at <= ? AND o.id > ?"
            f"   AND {_PROMPTED} AND (s.paused_until IS NULL OR s.paused_until <= ?)"
            # The nudge key is the prompt key with the nudge's kind in front of ":member:week".
            "   AND NOT EXISTS (SELECT 1 FROM outbox AS n"
            f"     WHERE n.dedupe_key = '{_NUDGE}'"
            "       || substr(o.dedupe_key, instr(o.dedupe_key, ':')))"
            "   AND NOT EXISTS (SELECT 1 FROM questionnaires AS q WHERE q.member_id = o.member_id"
            "     AND q.instrument = 'who5' AND q.completed_at >= o.not_before)"
            " ORDER BY o.id LIMIT ?",
            (to_db_time(sent_from), to_db_time(sent_until), after_id, to_db_time(now), limit),
        )
        return [
            SentPrompt(
                outbox_id=row["id"],
                member_id=row["member_id"],
                dedupe_key=row["dedupe_key"],
                prompt_at=from_db_time(row["not_before"]),
                sent_at=from_db_time(row["sent_at"]),
            )
            for row in rows
        ]

    async def audience(self, member_id: int, *, tx: Tx | None = None) -> Audience | None:
        """The member's schedule and groups as a prompt needs them; None if they are gone."""
        rows = await self._fetch_all(
            tx,
            f"SELECT {_SCHEDULE_COLUMNS},"
            " EXISTS (SELECT 1 FROM group_members AS gm JOIN groups AS g ON g.id = gm.group_id"
            "   WHERE gm.member_id = m.id AND g.archived_at IS NULL) AS in_group,"
            " (SELECT min(gm.joined_at) FROM group_members AS gm WHERE gm.member_id = m.id)"
            "   AS first_joined"
            " FROM members AS m LEFT JOIN checkin_schedules AS s ON s.member_id = m.id"
            " WHERE m.id = ?",
            (member_id,),
        )
        if not rows:
            return None
        row = rows[0]
        first = from_db_time(row["first_joined"]) if row["first_joined"] else None
        return Audience(_schedule(row), bool(row["in_group"]), first)

    async def completed_who5_since(
        self, member_id: int, since: datetime | None = None, *, tx: Tx | None = None
    ) -> bool:
        """Whether the member completed a WHO-5 at or after ``since`` (None: ever)."""
        rows = await self._fetch_all(
            tx,
            "SELECT 1 FROM questionnaires WHERE member_id = ? AND instrument = 'who5'"
            " AND completed_at IS NOT NULL AND completed_at >= ? LIMIT 1",
            (member_id, to_db_time(since) if since is not None else ""),
        )
        return bool(rows)

    async def export(self, member_id: int) -> dict[str, Any]:
        """The member's check-in schedule, if they changed it from the default."""
        return await export_sections(await self._db.connection(), _EXPORT, member_id)


_EXPORT = {
    "checkin_schedule": "SELECT weekday, minute_of_day, paused_until, stopped_at"
    " FROM checkin_schedules WHERE member_id = ?",
}


def _schedule(row: aiosqlite.Row) -> CheckinSchedule:
    if row["weekday"] is None:  # no row: the default
        return CheckinSchedule()
    paused, stopped = row["paused_until"], row["stopped_at"]
    return CheckinSchedule(
        weekday=row["weekday"],
        minute_of_day=row["minute_of_day"],
        paused_until=from_db_time(paused) if paused else None,
        stopped_at=from_db_time(stopped) if stopped else None,
    )


def _time_or_none(moment: datetime | None) -> str | None:
    return to_db_time(moment) if moment is not None else None
