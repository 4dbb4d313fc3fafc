"""The rows impact reports are computed from, per scope (one group, or several for the
network); the aggregation and k-anonymity are bot.domain.impact's.

Nothing here leaves the process: the service turns these rows into figures at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.impact import Membership, Presence, Rating, ScopeData, Score, TrialSignup
from bot.storage.database import Repository, from_db_time, to_db_time

# The beginning of time, for "all": every stored time sorts after it.
_EVER = "0000"


class ImpactRepository(Repository):
    async def scope_data(
        self, group_ids: Sequence[int], start: datetime | None, now: datetime
    ) -> ScopeData:
        """The rows of the groups ``group_ids`` for the period from ``start`` (None: all) to
        ``now``. Plain reads, outside any transaction: a report must never hold the write lock
        that every reply waits for."""
        groups = ",".join("?" * len(group_ids)) or "NULL"
        since = to_db_time(start) if start is not None else _EVER
        until = to_db_time(now)
        ids = tuple(group_ids)
        members = await self._fetch_all(
            None,
            "SELECT member_id, min(joined_at) FROM group_members"
            f" WHERE group_id IN ({groups}) GROUP BY member_id",
            ids,
        )
        trials = await self._fetch_all(
            None,
            "SELECT DISTINCT m.group_id, s.member_id, EXISTS (SELECT 1 FROM trial_outcomes"
            "   AS t WHERE t.group_id = m.group_id AND t.member_id = s.member_id"
            "   AND t.answer = 'yes')"
            " FROM seats AS s JOIN meetings AS m ON m.id = s.meeting_id"
            f" WHERE m.group_id IN ({groups}) AND s.kind = 'trial'"
            " AND s.status IN ('going', 'waitlist') AND s.created_at >= ? AND s.created_at <= ?",
            (*ids, since, until),
        )
        # Expected at a meeting where attendance was taken: a seat marked going, or present.
        presences = await self._fetch_all(
            None,
            "WITH held AS (SELECT m.id FROM meetings AS m"
            f"   WHERE m.group_id IN ({groups}) AND m.status = 'scheduled'"
            "   AND m.starts_at >= ? AND m.starts_at <= ?"
            "   AND EXISTS (SELECT 1 FROM attendance AS a WHERE a.meeting_id = m.id))"
            " SELECT meeting_id, member_id, 1 FROM attendance WHERE meeting_id IN held"
            " UNION SELECT s.meeting_id, s.member_id, 0 FROM seats AS s"
            " WHERE s.meeting_id IN held AND s.status = 'going' AND NOT EXISTS (SELECT 1"
            "   FROM attendance AS a WHERE a.meeting_id = s.meeting_id"
            "   AND a.member_id = s.member_id)",
            (*ids, since, until),
        )
        scores = await self._fetch_all(
            None,
            "SELECT q.member_id, q.completed_at, q.score FROM questionnaires AS q"
            " WHERE q.instrument = 'who5' AND q.completed_at IS NOT NULL"
            " AND q.score IS NOT NULL AND q.completed_at <= ? AND q.member_id IN ("
            f"   SELECT member_id FROM group_members WHERE group_id IN ({groups}))",
            (until, *ids),
        )
        ratings = await self._fetch_all(
            None,
            "SELECT f.member_id, f.rating FROM meeting_feedback AS f"
            " JOIN meetings AS m ON m.id = f.meeting_id"
            f" WHERE m.group_id IN ({groups}) AND f.rating IS NOT NULL"
            " AND m.starts_at >= ? AND m.starts_at <= ?",
            (*ids, since, until),
        )
        return ScopeData(
            memberships=[Membership(r[0], from_db_time(r[1])) for r in members],
            trials=[TrialSignup(r[0], r[1], bool(r[2])) for r in trials],
            presences=[Presence(r[0], r[1], bool(r[2])) for r in presences],
            scores=[Score(r[0], from_db_time(r[1]), r[2]) for r in scores],
            ratings=[Rating(r[0], r[1]) for r in ratings],
        )

    async def referral_counts(self) -> list[tuple[str, int]]:
        """Arrivals per referral source (network-wide only: never linked to a group)."""
        rows = await self._fetch_all(None, "SELECT source, count FROM referral_counts")
        return [(row[0], row[1]) for row in rows]
