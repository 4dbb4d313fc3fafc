"""How long the meeting use cases hold the database's one write lock, at a realistic size.

One group with 500 members (five times what a coordinator can set in the bot: a worst case),
a weekly meeting scheduled eight weeks ahead, then the planner a week later, a move and the
cancellation of the whole series. For each step it prints the longest single transaction and
the longest wait of a tiny concurrent write (a member's reply) that runs every 2 ms meanwhile:
every reply waits for the one lock (bot/storage/database.py). Each figure is the median of
``--runs`` fresh runs (a busy machine makes single runs noisy).

As a baseline in the same run, the first row schedules the series the way it was done before
issue 9: the series, its occurrences and everyone's reminders in one transaction (with today's
statements, which are faster than the old ones: the old code took 0.7-1.2 s here).

    .venv/bin/python bench/transactions_bench.py [--members 500] [--runs 3]

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
from made_up_people import made_up_member

from bot.clock import ControllableClock
from bot.config import Settings
from bot.domain.groups import GroupFormat, NewGroup
from bot.domain.meeting_notices import reminders
from bot.domain.meetings import NewMeeting
from bot.services.container import Services
from bot.services.meetings import cancel_series, move_occurrence, schedule
from bot.services.planner import materialise, plan_ahead
from bot.storage.database import Database

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PROBE_INTERVAL = 0.002
BASELINE = "before: schedule in one tx"
STEPS = (
    BASELINE,
    "schedule a weekly meeting",
    "planner pass a week later",
    "move one meeting",
    "cancel the series",
)


class TimedDatabase(Database):
    """Records how long each transaction held the lock (BEGIN to COMMIT), by task."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.held: list[float] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with super().transaction() as conn:
            started = time.perf_counter()
            yield conn
        if _task_name() != "probe":
            self.held.append(time.perf_counter() - started)


def _task_name() -> str:
    task = asyncio.current_task()
    return task.get_name() if task else ""


async def measure(db: TimedDatabase, step: Awaitable[object]) -> tuple[float, float, int]:
    """(longest transaction, longest wait of a concurrent one-row write, transactions), in ms."""
    db.held.clear()
    waits: list[float] = []
    done = asyncio.Event()

    async def probe() -> None:
        while not done.is_set():
            started = time.perf_counter()
            async with db.transaction() as conn:
                await conn.execute("UPDATE referral_counts SET count = count WHERE 0")
            waits.append(time.perf_counter() - started)
            await asyncio.sleep(PROBE_INTERVAL)

    prober = asyncio.create_task(probe(), name="probe")
    await asyncio.sleep(PROBE_INTERVAL)
    try:
        await step
    finally:
        done.set()
        await prober
    return max(db.held, default=0) * 1000, max(waits, default=0) * 1000, len(db.held)


async def one_run(members: int) -> dict[str, tuple[float, float, int]]:
    """Every step once, on a fresh database; its figures by step."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = ControllableClock(T0)
        db = TimedDatabase(Path(tmp) / "bench.sqlite3")
        s = Services(
            settings=Settings(token="1:bench", database_path=db.path, max_rate=0),
            clock=clock,
            db=db,
            contacts=(),
            rng=random.Random(1),
        )
        try:
            group_id, facilitator = await make_group(s, members)
            facilitated = frozenset({group_id})
            repos = (s.meetings, s.groups, s.outbox, s.clock)
            new = NewMeeting(
                group_id, T0 + timedelta(days=2), 90, "weekly", "Balai warga", None, members
            )
            baseline = NewMeeting(
                group_id, T0 + timedelta(days=3), 90, "weekly", "Taman kota", None, members
            )
            figures = {BASELINE: await measure(db, schedule_in_one_transaction(s, baseline))}
            figures[STEPS[1]] = await measure(db, schedule(*repos, new, facilitator))
            clock.advance(timedelta(days=7, hours=1))
            figures[STEPS[2]] = await measure(db, plan_ahead(*repos))
            coming = await s.meetings.upcoming([group_id], clock.now(), limit=2)
            moved = coming[0].meeting
            later = moved.starts_at + timedelta(hours=1)
            move = move_occurrence(*repos, facilitated, moved.id, later)
            figures[STEPS[3]] = await measure(db, move)
            series_meeting = coming[1].meeting.id
            cancel = cancel_series(s.meetings, s.outbox, s.clock, facilitated, series_meeting)
            figures[STEPS[4]] = await measure(db, cancel)
        finally:
            await db.close()
    return figures


async def schedule_in_one_transaction(s: Services, new: NewMeeting) -> None:
    """The shape of scheduling before issue 9: people x weeks in one transaction."""
    now = s.clock.now()
    async with s.meetings.transaction() as tx:
        group = await s.groups.get(new.group_id, tx=tx)
        assert group is not None
        series_id = await s.meetings.insert_series(new, None, now, tx=tx)
        for meeting_id in await materialise(s.meetings, series_id, group.timezone, now, tx=tx):
            meeting = await s.meetings.get(meeting_id, tx=tx)
            assert meeting is not None
            planned = [
                reminder
                for member_id in await s.meetings.expected(meeting_id, tx=tx)
                for reminder in reminders(meeting, member_id, group.reminder_offsets, now)
            ]
            await s.outbox.enqueue(planned, now=now, tx=tx)


async def main(members: int, runs: int) -> None:
    results = [await one_run(members) for _ in range(runs)]
    print(f"{members} members, weekly meeting, eight weeks ahead; median of {runs} run(s)")
    print(f"{'step':<28} {'longest tx ms':>14} {'reply wait ms':>14} {'transactions':>13}")
    medians = {}
    for step in STEPS:
        held, wait, count = (statistics.median(run[step][i] for run in results) for i in range(3))
        medians[step] = held
        print(f"{step:<28} {held:>14.1f} {wait:>14.1f} {count:>13.0f}")
    now = {step: held for step, held in medians.items() if step != BASELINE}
    worst = max(now, key=now.__getitem__)
    print(f"longest single transaction now: {now[worst]:.1f} ms ({worst})")
    print(f"ratio one-transaction schedule / longest now: {medians[BASELINE] / now[worst]:.1f}")


async def make_group(services: Services, members: int) -> tuple[int, int]:
    """A group of ``members`` members; returns (group id, member id of its facilitator)."""
    group = await services.groups.create(
        NewGroup(
            name="Bench group",
            description="A large group for the transactions benchmark.",
            format=GroupFormat.IN_PERSON,
            province="jkt",
            city="Jakarta",
            languages=("id",),
            timezone="Asia/Jakarta",
            max_members=members + 1,
            offers_trials=True,
            trial_seats=2,
            topics=("anxiety",),
        ),
        T0,
    )
    ids = []
    for i in range(members + 1):
        member = await services.members.create(
            made_up_member(200_000_000 + i, i, T0, language="id", name="Bench")
        )
        ids.append(member.id)
    await services.groups.add_facilitator(group.id, ids[0], T0)
    for member_id in ids[1:]:
        await services.groups.add_member(group.id, member_id, T0)
    return group.id, ids[0]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.runs))
