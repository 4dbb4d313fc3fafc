"""The coordinators' network report and the facilitators' group reports, pinned on a made-up
network: every figure of every scope and period must stay exactly what it was when these
reports were built one group after another from every WHO-5 score (before issue 15's speed-up).

The network is random but fixed (a seeded generator): six groups, one archived, some of fewer
than K_MIN people, people in several groups who joined them at different moments, check-ins
before joining, on week boundaries, exactly at the report's moment, in the future, without a
score, unfinished, PHQ-9s, and two at the same moment; meetings with seats, attendance, trials
and ratings.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.clock import ControllableClock
from bot.domain.impact import FIGURES, Period, ScopeImpact
from bot.services import impact as service
from bot.storage.database import Database, to_db_time
from bot.storage.groups import GroupRepository
from bot.storage.impact import ImpactRepository

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
DAY = timedelta(days=1)
WEEK = 7 * DAY
# (name, members, archived)
GROUPS = (
    ("Pin Besar", 14, False),
    ("Pin Tujuh", 7, False),
    ("Pin Lima", 5, False),
    ("Pin Empat", 4, False),
    ("Pin Dua", 2, False),
    ("Pin Arsip", 6, True),
)
PEOPLE = 30


def _moment(rng: random.Random, earliest: timedelta, latest: timedelta = timedelta()) -> str:
    """A random time between NOW - earliest and NOW - latest, to the microsecond."""
    span = (earliest - latest).total_seconds()
    return to_db_time(NOW - earliest + timedelta(seconds=rng.uniform(0, span)))


def _checkins(rng: random.Random, member: int, joins: list[str]) -> Iterator[tuple[object, ...]]:
    """(member, instrument, score, completed_at) rows: a random history with the edge cases."""
    for _ in range(rng.randint(0, 24)):
        score = rng.choice([None, *range(0, 101, 4), *range(0, 101, 4)])
        yield member, "who5", score, _moment(rng, 420 * DAY, -3 * DAY)
    if joins:
        joined = datetime.fromisoformat(rng.choice(joins))
        for weeks in (0, 1, rng.randint(2, 40)):  # exactly on a week boundary of membership
            yield member, "who5", rng.randrange(0, 101, 4), to_db_time(joined + weeks * WEEK)
        # and a microsecond before one
        late = joined + rng.randint(2, 40) * WEEK - timedelta(microseconds=1)
        yield member, "who5", rng.randrange(0, 101, 4), to_db_time(late)
    for period in (Period.WEEKS_4, Period.MONTHS_3):  # exactly on a week boundary of a period
        start = period.start(NOW)
        assert start is not None
        if rng.random() < 0.3:
            yield member, "who5", rng.randrange(0, 101, 4), to_db_time(start + WEEK)
    if rng.random() < 0.2:
        yield member, "who5", rng.randrange(0, 101, 4), to_db_time(NOW)
    if rng.random() < 0.2:
        yield member, "phq9", rng.randint(0, 27), _moment(rng, 100 * DAY)
    if rng.random() < 0.2:
        yield member, "who5", None, None  # unfinished


async def _made_up_network(conn: aiosqlite.Connection) -> None:
    rng = random.Random(15)
    created = to_db_time(NOW - 500 * DAY)
    await conn.executemany(
        "INSERT INTO members (id, telegram_id, alias, alias_key, language, timezone,"
        " adult_confirmed_at, created_at) VALUES (?, ?, ?, ?, 'id', 'Asia/Jakarta', ?, ?)",
        [(p, 9000 + p, f"Pin {p}", f"pin {p}", created, created) for p in range(1, PEOPLE + 1)],
    )
    joins: dict[int, list[str]] = {p: [] for p in range(1, PEOPLE + 1)}
    for group_id, (name, size, archived) in enumerate(GROUPS, start=1):
        await conn.execute(
            "INSERT INTO groups (id, name, description, format, languages, timezone,"
            " max_members, invite_code, archived_at, created_at)"
            " VALUES (?, ?, 'Made up.', 'online', 'id', 'Asia/Jakarta', 50, ?, ?, ?)",
            (group_id, name, f"pin{group_id}", created if archived else None, created),
        )
        members = rng.sample(range(1, PEOPLE + 1), size)
        for member in members:
            joined = _moment(rng, 400 * DAY)
            joins[member].append(joined)
            await conn.execute(
                "INSERT INTO group_members (group_id, member_id, joined_at) VALUES (?, ?, ?)",
                (group_id, member, joined),
            )
        await _meetings(conn, rng, group_id, members)
    rows = [row for p in range(1, PEOPLE + 1) for row in _checkins(rng, p, joins[p])]
    # Two latest at the same moment (the later row is the latest), and two first (the earlier
    # row is the baseline).
    first = to_db_time(NOW - 500 * DAY)
    rows += [(1, "who5", 20, to_db_time(NOW)), (1, "who5", 80, to_db_time(NOW))]
    rows += [(2, "who5", 60, first), (2, "who5", 40, first)]
    # Completed without a score (too few answers) first and last: neither counts.
    rows += [(3, "who5", None, first), (3, "who5", None, to_db_time(NOW))]
    await conn.executemany(
        "INSERT INTO questionnaires (member_id, instrument, purpose, score, started_at,"
        " completed_at) VALUES (?, ?, 'weekly', ?, ?, ?)",
        [(m, kind, score, done or first, done) for m, kind, score, done in rows],
    )
    await conn.executemany(
        "INSERT INTO referral_counts (source, count) VALUES (?, ?)",
        [("clinic", 7), ("radio", 4), ("friend", 5)],
    )


async def _meetings(
    conn: aiosqlite.Connection, rng: random.Random, group_id: int, members: list[int]
) -> None:
    """A weekly series of meetings over the last 200 days (a few cancelled), with seats,
    attendance at some, trial guests and their answers, and ratings."""
    created = to_db_time(NOW - 300 * DAY)
    cursor = await conn.execute(
        "INSERT INTO meeting_series (group_id, first_starts_at, duration_minutes, recurrence,"
        " capacity, created_at) VALUES (?, ?, 90, 'weekly', 20, ?)",
        (group_id, created, created),
    )
    series = cursor.lastrowid
    guests = rng.sample(range(1, PEOPLE + 1), 6)
    for occurrence in range(rng.randint(3, 12)):
        starts = _moment(rng, 200 * DAY, -5 * DAY)
        cancelled = rng.random() < 0.15
        cursor = await conn.execute(
            "INSERT INTO meetings (series_id, group_id, occurrence, starts_at, duration_minutes,"
            " capacity, status) VALUES (?, ?, ?, ?, 90, 20, ?)",
            (series, group_id, occurrence, starts, "cancelled" if cancelled else "scheduled"),
        )
        meeting = cursor.lastrowid
        taken = rng.random() < 0.7
        for member in members:
            status = rng.choice(["going", "going", "not_going", "waitlist", "cancelled"])
            await _seat(conn, meeting, member, "member", status, starts)
            if taken and rng.random() < 0.6:
                await conn.execute(
                    "INSERT INTO attendance (meeting_id, member_id, marked_at) VALUES (?, ?, ?)",
                    (meeting, member, starts),
                )
            if rng.random() < 0.5:
                await conn.execute(
                    "INSERT INTO meeting_feedback (meeting_id, member_id, rating, answered_at)"
                    " VALUES (?, ?, ?, ?)",
                    (meeting, member, rng.choice([None, 1, 2, 3, 4, 5]), starts),
                )
        guest = rng.choice(guests)
        if guest not in members:
            status = rng.choice(["going", "waitlist", "cancelled"])
            signed = _moment(rng, 210 * DAY)
            await _seat(conn, meeting, guest, "trial", status, signed)
            await conn.execute(
                "INSERT OR IGNORE INTO trial_outcomes (group_id, member_id, answer, answered_at)"
                " VALUES (?, ?, ?, ?)",
                (group_id, guest, rng.choice(["yes", "no", "waitlist"]), starts),
            )


async def _seat(
    conn: aiosqlite.Connection, meeting: int | None, member: int, kind: str, status: str, at: str
) -> None:
    await conn.execute(
        "INSERT INTO seats (meeting_id, member_id, kind, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (meeting, member, kind, status, at, at),
    )


def _shown(scopes: list[ScopeImpact]) -> list[tuple[object, ...]]:
    """Each scope as (name, its figures' values in FIGURES order, its referrals)."""
    return [
        (
            scope.name,
            tuple(getattr(scope.impact, name).value for name in FIGURES),
            tuple((source, figure.value) for source, figure in scope.referrals),
        )
        for scope in scopes
    ]


@pytest.fixture
async def reports(tmp_path: Path) -> dict[Period, list[tuple[object, ...]]]:
    """The network report of every period; each group's report is checked against it."""
    db = Database(tmp_path / "pinned.sqlite3")
    async with db.transaction() as conn:
        await _made_up_network(conn)
    store, groups, clock = ImpactRepository(db), GroupRepository(db), ControllableClock(NOW)
    found = {}
    try:
        active = [summary.group for summary in await groups.list_all()]
        for period in Period:
            network = _shown(await service.network_report(store, groups, clock, period))
            # A facilitator's report of a group shows what the network report shows of it.
            assert _shown(await service.group_reports(store, clock, active, period)) == network[1:]
            found[period] = network
    finally:
        await db.close()
    return found


async def test_a_report_reads_as_often_for_one_group_as_for_every_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The network report's reads do not grow with the network (issue 15: one pass over each
    group's rows after another took ~10 s for 100 groups)."""
    db = Database(tmp_path / "reads.sqlite3")
    async with db.transaction() as conn:
        await _made_up_network(conn)
    store, groups, clock = ImpactRepository(db), GroupRepository(db), ControllableClock(NOW)
    reads: list[str] = []
    fetch_all = ImpactRepository._fetch_all

    async def counted(self: ImpactRepository, *args: Any) -> list[aiosqlite.Row]:
        reads.append(args[1])
        return await fetch_all(self, *args)

    monkeypatch.setattr(ImpactRepository, "_fetch_all", counted)
    try:
        active = [summary.group for summary in await groups.list_all()]
        await service.group_reports(store, clock, active[:1], Period.ALL)
        one = len(reads)
        reads.clear()
        await service.group_reports(store, clock, active, Period.ALL)
        every = len(reads)
        reads.clear()
        await service.network_report(store, groups, clock, Period.ALL)
    finally:
        await db.close()
    assert len(active) > 1 and one == every
    assert len(reads) == every + 1  # and the referral sources


def test_the_reports_show_what_they_showed_before(
    reports: dict[Period, list[tuple[object, ...]]],
) -> None:
    assert reports == PINNED


PINNED: dict[Period, list[tuple[object, ...]]] = {
    Period.WEEKS_4: [
        (
            None,
            (
                23,
                None,
                None,
                None,
                None,
                0.7222222222222222,
                0.4606741573033708,
                21,
                56.0,
                56.0,
                9,
                2.5,
            ),
            (("clinic", 7), ("friend", 5), ("radio", None)),
        ),
        ("Pin Besar", (14, None, None, None, None, 0.75, 0.5, 13, 48.0, 64.0, 8, 2.8), ()),
        ("Pin Dua", (None, None, None, None, None, None, None, None, None, None, None, None), ()),
        ("Pin Empat", (None, None, None, None, None, None, None, None, None, None, None, None), ()),
        (
            "Pin Lima",
            (5, None, None, None, None, 0.3333333333333333, 0.4, 5, 68.0, 44.0, 2, None),
            (),
        ),
        ("Pin Tujuh", (7, None, None, None, None, 1.0, 0.44, 7, 48.0, 28.0, 2, None), ()),
    ],
    Period.MONTHS_3: [
        (
            None,
            (
                23,
                None,
                5,
                None,
                0.4,
                0.7058823529411765,
                0.3054545454545455,
                23,
                48.0,
                56.0,
                10,
                2.972972972972973,
            ),
            (("clinic", 7), ("friend", 5), ("radio", None)),
        ),
        (
            "Pin Besar",
            (
                14,
                None,
                None,
                None,
                None,
                0.7419354838709677,
                0.3235294117647059,
                14,
                46.0,
                66.0,
                9,
                2.5714285714285716,
            ),
            (),
        ),
        ("Pin Dua", (None, None, None, None, None, None, None, None, None, None, None, None), ()),
        ("Pin Empat", (None, None, None, None, None, None, None, None, None, None, None, None), ()),
        (
            "Pin Lima",
            (
                5,
                None,
                None,
                None,
                None,
                0.3333333333333333,
                0.3275862068965517,
                5,
                68.0,
                44.0,
                2,
                3.0,
            ),
            (),
        ),
        (
            "Pin Tujuh",
            (
                7,
                None,
                None,
                None,
                None,
                0.9,
                0.3157894736842105,
                7,
                48.0,
                28.0,
                2,
                3.2222222222222223,
            ),
            (),
        ),
    ],
    Period.ALL: [
        (
            None,
            (
                23,
                23,
                11,
                5,
                0.45454545454545453,
                0.7419354838709677,
                0.24428571428571427,
                23,
                48.0,
                56.0,
                10,
                3.2282608695652173,
            ),
            (("clinic", 7), ("friend", 5), ("radio", None)),
        ),
        (
            "Pin Besar",
            (
                14,
                14,
                None,
                None,
                None,
                0.7346938775510204,
                0.26004728132387706,
                14,
                46.0,
                66.0,
                9,
                3.2564102564102564,
            ),
            (),
        ),
        ("Pin Dua", (None, None, None, None, None, None, None, None, None, None, None, None), ()),
        (
            "Pin Empat",
            (None, None, None, None, None, 0.7058823529411765, None, None, None, None, None, None),
            (),
        ),
        (
            "Pin Lima",
            (
                5,
                5,
                None,
                None,
                None,
                0.3333333333333333,
                0.26229508196721313,
                5,
                68.0,
                44.0,
                2,
                3.2222222222222223,
            ),
            (),
        ),
        ("Pin Tujuh", (7, 7, None, None, None, 0.9375, 0.28, 7, 48.0, 28.0, 2, 3.05), ()),
    ],
}
