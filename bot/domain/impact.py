"""Impact reports (pure): k-anonymous aggregates of a group, or of the whole network, over a
period.

k-anonymity: a figure is computed from a set of people, and shown only when that set holds at
least :data:`K_MIN` people; otherwise it is :data:`SUPPRESSED` ("fewer than 5") and no chart
point is drawn from it. For a count, the people are those counted (2 new members: suppressed);
for a rate, a median or a mean, the people of its base (the denominator). Every figure below
names its people.

Definitions (documented in the report's own words, bot/ui/impact.py):

- members: current members of the scope's groups; new members: those who joined in the period.
- trial sign-ups: trial seats taken (going or waiting) in the period, one per person and group;
  joins: those of them who answered "yes" to joining; conversion = joins / sign-ups (people:
  those who signed up).
- attendance rate: at meetings in the period where attendance was taken, people marked present
  / people expected (a seat marked going, or marked present); people: everyone expected.
- check-in response rate: completed WHO-5 questionnaires as weeks answered / weeks a member
  was in the scope during the period (each started week counts, a week answered twice counts
  once; storage counts the weeks answered, see :class:`WeeksAnswered`); people: the members.
  What is stored is counted, not prompts sent: a member who set their prompt to pause still
  counts those weeks.
- WHO-5 baseline vs latest: per member, the first completed WHO-5 ever (the baseline) and the
  last completed in the period, if it is a later one; medians of both and how many improved
  by at least :data:`IMPROVEMENT` points; people: members with both.
- mean meeting rating: ratings of meetings held in the period; people: who rated.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# The fewest people a shown figure may come from.
K_MIN = 5
# Points (of 0-100) a WHO-5 score must rise by to count as improved (issue 11).
IMPROVEMENT = 10
WEEK = timedelta(days=7)


class Period(enum.StrEnum):
    WEEKS_4 = "4w"
    MONTHS_3 = "3m"
    ALL = "all"

    def start(self, now: datetime) -> datetime | None:
        """Where the period begins (None: since the beginning)."""
        length = {Period.WEEKS_4: 4 * WEEK, Period.MONTHS_3: 13 * WEEK}.get(self)
        return now - length if length is not None else None


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a report; ``value`` is None when it came from fewer than K_MIN people
    (nothing else about it is kept, so nothing can leak from it)."""

    value: float | None

    @property
    def shown(self) -> bool:
        return self.value is not None


SUPPRESSED = Figure(None)


def k_anonymous(value: float | None, people: int) -> Figure:
    """``value`` if it came from at least K_MIN people, else suppressed."""
    return Figure(value) if people >= K_MIN and value is not None else SUPPRESSED


# --- what storage reads for one scope ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Membership:
    member_id: int
    joined_at: datetime  # the first time they joined a group of the scope


@dataclass(frozen=True, slots=True)
class TrialSignup:
    group_id: int
    member_id: int
    joined: bool  # answered "yes" to joining the group


@dataclass(frozen=True, slots=True)
class Presence:
    meeting_id: int
    member_id: int
    present: bool


@dataclass(frozen=True, slots=True)
class Who5Pair:
    """A member's first completed WHO-5 ever (the baseline) and their last one up to now, a
    later sitting than the first (a member with one sitting has no pair)."""

    member_id: int
    baseline: int  # WHO-5, 0-100
    latest: int
    latest_at: datetime


@dataclass(frozen=True, slots=True)
class WeeksAnswered:
    """How many weeks a member answered, of their weeks in the scope within the period: the
    distinct week numbers ``(completed_at - begin) // WEEK`` of their completed WHO-5s from
    ``begin`` (when they were first in the scope within the period) up to now."""

    member_id: int
    begin: datetime
    weeks: int


@dataclass(frozen=True, slots=True)
class Rating:
    member_id: int
    rating: int


@dataclass(frozen=True, slots=True)
class ScopeData:
    """The rows one scope's figures come from (member ids stay here; no figure carries one)."""

    memberships: Sequence[Membership] = ()
    trials: Sequence[TrialSignup] = ()  # signed up in the period
    presences: Sequence[Presence] = ()  # meetings in the period with attendance taken
    who5: Sequence[Who5Pair] = ()  # of the members
    answered: Sequence[WeeksAnswered] = ()  # of the members, from their begin in this scope
    ratings: Sequence[Rating] = ()  # meetings in the period


@dataclass(frozen=True, slots=True)
class Impact:
    members: Figure = SUPPRESSED
    new_members: Figure = SUPPRESSED
    trial_signups: Figure = SUPPRESSED
    trial_joins: Figure = SUPPRESSED
    conversion: Figure = SUPPRESSED  # 0-1
    attendance_rate: Figure = SUPPRESSED  # 0-1
    checkin_rate: Figure = SUPPRESSED  # 0-1
    who5_people: Figure = SUPPRESSED
    who5_baseline: Figure = SUPPRESSED  # median, 0-100
    who5_latest: Figure = SUPPRESSED  # median, 0-100
    who5_improved: Figure = SUPPRESSED  # how many of who5_people
    mean_rating: Figure = SUPPRESSED  # 1-5

    @property
    def anything_shown(self) -> bool:
        return any(getattr(self, name).shown for name in FIGURES)


# The figures in the order reports and exports list them.
FIGURES: tuple[str, ...] = tuple(Impact.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class ScopeImpact:
    """A group's figures (``name``), or the whole network's (``name`` None)."""

    name: str | None
    impact: Impact
    referrals: Sequence[tuple[str, Figure]] = field(default=())  # the network's only


def impact(data: ScopeData, start: datetime | None, now: datetime) -> Impact:
    """Every figure of one scope over the period from ``start`` (None: all time) to ``now``."""
    members = {m.member_id: m.joined_at for m in data.memberships}
    new = [joined for joined in members.values() if start is None or joined >= start]
    signups = {(t.group_id, t.member_id): t.joined for t in data.trials}
    signup_people = len({member for _, member in signups})
    joins = [key for key, joined in signups.items() if joined]
    join_people = len({member for _, member in joins})
    return Impact(
        members=k_anonymous(len(members), len(members)),
        new_members=k_anonymous(len(new), len(new)),
        trial_signups=k_anonymous(len(signups), signup_people),
        trial_joins=k_anonymous(len(joins), join_people),
        conversion=k_anonymous(_ratio(len(joins), len(signups)), signup_people),
        attendance_rate=_attendance(data.presences),
        checkin_rate=_checkin_rate(members, data.answered, start, now),
        **_who5(members, data.who5, start),
        mean_rating=_mean_rating(data.ratings),
    )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _attendance(presences: Iterable[Presence]) -> Figure:
    rows = {(p.meeting_id, p.member_id): p.present for p in presences}
    people = len({member for _, member in rows})
    return k_anonymous(_ratio(sum(rows.values()), len(rows)), people)


def _checkin_rate(
    members: dict[int, datetime],
    answered: Iterable[WeeksAnswered],
    start: datetime | None,
    now: datetime,
) -> Figure:
    # Each member's weeks count from when they were in the scope within the period.
    since = {m: joined if start is None else max(joined, start) for m, joined in members.items()}
    weeks_in = sum(max(1, math.ceil((now - begin) / WEEK)) for begin in since.values())
    weeks = sum(a.weeks for a in answered if since.get(a.member_id) == a.begin)
    return k_anonymous(_ratio(weeks, weeks_in), len(members))


def _who5(
    members: dict[int, datetime], who5: Iterable[Who5Pair], start: datetime | None
) -> dict[str, Figure]:
    pairs = [
        (pair.baseline, pair.latest)
        for pair in who5
        if pair.member_id in members and (start is None or pair.latest_at >= start)
    ]
    people = len(pairs)
    improved = sum(1 for before, after in pairs if after - before >= IMPROVEMENT)
    return {
        "who5_people": k_anonymous(people, people),
        "who5_baseline": k_anonymous(_median([b for b, _ in pairs]), people),
        "who5_latest": k_anonymous(_median([a for _, a in pairs]), people),
        "who5_improved": k_anonymous(improved, people),
    }


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _mean_rating(ratings: Iterable[Rating]) -> Figure:
    rows = list(ratings)
    people = len({r.member_id for r in rows})
    mean = statistics.fmean(r.rating for r in rows) if rows else None
    return k_anonymous(mean, people)


def referrals(counts: Iterable[tuple[str, int]]) -> list[tuple[str, Figure]]:
    """How many people came from each source (each count is its people), by source."""
    return [(source, k_anonymous(count, count)) for source, count in sorted(counts)]


def who5_bars(scopes: Iterable[ScopeImpact]) -> list[tuple[str | None, float, float]]:
    """(scope name, median baseline, median latest) of every scope whose medians are shown:
    the chart's points; a suppressed scope draws none."""
    bars = []
    for scope in scopes:
        before, after = scope.impact.who5_baseline.value, scope.impact.who5_latest.value
        if before is not None and after is not None:
            bars.append((scope.name, before, after))
    return bars
