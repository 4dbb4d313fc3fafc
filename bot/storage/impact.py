"""The rows impact reports are computed from, for a set of groups: the whole set's (the
network) and each group's, read in one pass; the aggregation and k-anonymity are
bot.domain.impact's.

WHO-5 scores are not read one by one (a network holds millions): SQL picks each member's
baseline and latest sitting through the index, and counts the weeks each member answered
(bot.domain.impact.WeeksAnswered). Nothing here leaves the process: the service turns these
rows into figures at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiosqlite import Row

from bot.domain.impact import (
    WEEK,
    Membership,
    Presence,
    Rating,
    ScopeData,
    TrialSignup,
    WeeksAnswered,
    Who5Pair,
)
from bot.storage.database import Repository, from_db_time, to_db_time

# The beginning of time, for "all": every stored time sorts after it.
_EVER = "0000"
# A stored time (bot.domain.messages.instant_text, always UTC with microseconds) in
# microseconds since the epoch, for counting weeks exactly as Python's timedelta does.
_MICROS = "(CAST(strftime('%s', {0}) AS INTEGER) * 1000000 + CAST(substr({0}, 21, 6) AS INTEGER))"
_WEEK_MICROS = WEEK // timedelta(microseconds=1)
# A member's completed WHO-5s up to now (the parameter); ordered by time, then by id (the
# order they came in).
_WHO5 = (
    "SELECT q.id FROM questionnaires AS q WHERE q.member_id = p.member_id"
    " AND q.instrument = 'who5' AND q.completed_at <= ? AND q.score IS NOT NULL"
)


@dataclass(frozen=True, slots=True)
class ReportsData:
    """The rows of a set of groups as one scope (``whole``), and of each group (``groups``;
    a group without any row is absent: use :meth:`group`)."""

    whole: ScopeData
    groups: dict[int, ScopeData] = field(default_factory=dict)

    def group(self, group_id: int) -> ScopeData:
        return self.groups.get(group_id, ScopeData())


class ImpactRepository(Repository):
    async def reports_data(
        self, group_ids: Sequence[int], start: datetime | None, now: datetime
    ) -> ReportsData:
        """The rows of the groups ``group_ids``, together and each, for the period from
        ``start`` (None: all) to ``now``. Plain reads, outside any transaction: a report must
        never hold the write lock that every reply waits for."""
        groups = ",".join("?" * len(group_ids)) or "NULL"
        since = to_db_time(start) if start is not None else _EVER
        until = to_db_time(now)
        ids = tuple(group_ids)
        joins = await self._fetch_all(
            None,
            "SELECT group_id, member_id, joined_at FROM group_members"
            f" WHERE group_id IN ({groups})",
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
            "WITH held AS (SELECT m.id, m.group_id FROM meetings AS m"
            f"   WHERE m.group_id IN ({groups}) AND m.status = 'scheduled'"
            "   AND m.starts_at >= ? AND m.starts_at <= ?"
            "   AND EXISTS (SELECT 1 FROM attendance AS a WHERE a.meeting_id = m.id))"
            " SELECT h.group_id, a.meeting_id, a.member_id, 1 FROM attendance AS a"
            " JOIN held AS h ON h.id = a.meeting_id"
            " UNION SELECT h.group_id, s.meeting_id, s.member_id, 0 FROM seats AS s"
            " JOIN held AS h ON h.id = s.meeting_id WHERE s.status = 'going' AND NOT EXISTS"
            "   (SELECT 1 FROM attendance AS a WHERE a.meeting_id = s.meeting_id"
            "   AND a.member_id = s.member_id)",
            (*ids, since, until),
        )
        ratings = await self._fetch_all(
            None,
            "SELECT m.group_id, f.member_id, f.rating FROM meeting_feedback AS f"
            " JOIN meetings AS m ON m.id = f.meeting_id"
            f" WHERE m.group_id IN ({groups}) AND f.rating IS NOT NULL"
            " AND m.starts_at >= ? AND m.starts_at <= ?",
            (*ids, since, until),
        )
        # Each member's first sitting and their last, if another: two index look-ups each.
        pairs = await self._fetch_all(
            None,
            "WITH people AS (SELECT DISTINCT member_id FROM group_members"
            f"   WHERE group_id IN ({groups})),"
            " ends AS MATERIALIZED (SELECT p.member_id,"
            f"   ({_WHO5} ORDER BY q.completed_at, q.id LIMIT 1) AS first,"
            f"   ({_WHO5} ORDER BY q.completed_at DESC, q.id DESC LIMIT 1) AS last"
            "   FROM people AS p)"
            " SELECT e.member_id, f.score, l.score, l.completed_at FROM ends AS e"
            " JOIN questionnaires AS f ON f.id = e.first"
            " JOIN questionnaires AS l ON l.id = e.last WHERE e.last <> e.first",
            (*ids, until, until),
        )
        # The weeks each member answered from each begin a scope gives them: joining the group,
        # or the period's start if later. The whole's is one of them: the earliest.
        answered = await self._fetch_all(
            None,
            "WITH spans AS (SELECT DISTINCT member_id, max(joined_at, ?) AS begin"
            f"   FROM group_members WHERE group_id IN ({groups})),"
            f" begins AS MATERIALIZED (SELECT *, {_MICROS.format('begin')} AS micros FROM spans)"
            # A subquery per begin: each counts along the index, with no sorting of all rows.
            " SELECT s.member_id, s.begin, (SELECT"
            f"   count(DISTINCT ({_MICROS.format('q.completed_at')} - s.micros) / {_WEEK_MICROS})"
            "   FROM questionnaires AS q WHERE q.member_id = s.member_id"
            "   AND q.instrument = 'who5' AND q.completed_at >= s.begin AND q.completed_at <= ?"
            "   AND q.score IS NOT NULL)"
            " FROM begins AS s",
            (since, *ids, until),
        )
        who5 = {r[0]: Who5Pair(r[0], r[1], r[2], from_db_time(r[3])) for r in pairs}
        weeks: dict[int, list[WeeksAnswered]] = {}
        for r in answered:
            weeks.setdefault(r[0], []).append(WeeksAnswered(r[0], from_db_time(r[1]), r[2]))
        whole, each = _by_group(joins, trials, presences, ratings)
        return ReportsData(
            whole.scope(who5, weeks),
            {group_id: rows.scope(who5, weeks) for group_id, rows in each.items()},
        )

    async def referral_counts(self) -> list[tuple[str, int]]:
        """Arrivals per referral source (network-wide only: never linked to a group)."""
        rows = await self._fetch_all(None, "SELECT source, count FROM referral_counts")
        return [(row[0], row[1]) for row in rows]


@dataclass(slots=True)
class _Rows:
    """One scope's rows as they are sorted out."""

    memberships: list[Membership] = field(default_factory=list)
    trials: list[TrialSignup] = field(default_factory=list)
    presences: list[Presence] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)

    def scope(
        self, who5: dict[int, Who5Pair], answered: dict[int, list[WeeksAnswered]]
    ) -> ScopeData:
        """The scope's data, with the WHO-5 rows of its members (by member id; the domain
        matches each member's weeks answered to their begin in this scope)."""
        members = [m.member_id for m in self.memberships]
        return ScopeData(
            memberships=self.memberships,
            trials=self.trials,
            presences=self.presences,
            who5=[who5[m] for m in members if m in who5],
            answered=[row for m in members for row in answered.get(m, ())],
            ratings=self.ratings,
        )


def _by_group(
    joins: Sequence[Row], trials: Sequence[Row], presences: Sequence[Row], ratings: Sequence[Row]
) -> tuple[_Rows, dict[int, _Rows]]:
    """The rows (each led by its group's id) of the whole set of groups, and of each group.
    A member of several groups is in the whole once, from when they first joined one."""
    each: dict[int, _Rows] = {}
    first_joined: dict[int, datetime] = {}
    for group_id, member_id, joined_text in joins:
        joined = from_db_time(joined_text)
        each.setdefault(group_id, _Rows()).memberships.append(Membership(member_id, joined))
        first_joined[member_id] = min(joined, first_joined.get(member_id, joined))
    for row in trials:
        each.setdefault(row[0], _Rows()).trials.append(TrialSignup(row[0], row[1], bool(row[2])))
    for row in presences:
        each.setdefault(row[0], _Rows()).presences.append(Presence(row[1], row[2], bool(row[3])))
    for row in ratings:
        each.setdefault(row[0], _Rows()).ratings.append(Rating(row[1], row[2]))
    whole = _Rows([Membership(m, joined) for m, joined in first_joined.items()])
    for rows in each.values():
        whole.trials.extend(rows.trials)
        whole.presences.extend(rows.presences)
        whole.ratings.extend(rows.ratings)
    return whole, each
