"""How long the meeting use cases hold the database's one write lock, at a realistic size.

One group with 500 members (five times what a coordinator can set in the bot: a worst case),
a weekly meeting scheduled eight weeks ahead, then the planner a week later, a move and the
cancellation of the whole series. For each step it prints the longest single transaction and
the longest wait of a tiny concurrent write (a member's reply) that runs every 2 ms meanwhile:
every reply waits for the one lock (bot/storage/database.py).

    .venv/bin/python bench/transactions_bench.py [--members 500]

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.clock import ControllableClock
from bot.config import Settings
from bot.domain.groups import GroupFormat, NewGroup
from bot.domain.meetings import NewMeeting
from bot.domain.member import NewMember
from bot.services import meetings
from bot.services.container import Services
from bot.storage.database import Database

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PROBE_INTERVAL = 0.002


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


async def main(members: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = ControllableClock(T0)
        db = TimedDatabase(Path(tmp) / "bench.sqlite3")
        services = Services(
            settings=Settings(token="1:bench", database_path=db.path, max_rate=0),
            clock=clock,
            db=db,
            contacts=(),
            rng=random.Random(1),
        )
        try:
            group_id, facilitator = await make_group(services, members)
            facilitated = frozenset({group_id})
            new = NewMeeting(
                group_id, T0 + timedelta(days=2), 90, "weekly", "Balai warga", None, members
            )
            steps: list[tuple[str, Awaitable[object]]] = [
                ("schedule a weekly meeting", meetings.schedule(services, new, facilitator))
            ]
            rows = []
            for name, step in steps:
                rows.append((name, *await measure(db, step)))
            clock.advance(timedelta(days=7, hours=1))
            rows.append(("planner pass a week later", *await measure(db, planner(services))))
            upcoming = await services.meetings.upcoming([group_id], clock.now(), limit=2)
            moved = upcoming[0].meeting
            rows.append(
                (
                    "move one meeting",
                    *await measure(
                        db,
                        meetings.move_occurrence(
                            services, facilitated, moved.id, moved.starts_at + timedelta(hours=1)
                        ),
                    ),
                )
            )
            rows.append(
                (
                    "cancel the series",
                    *await measure(
                        db, meetings.cancel_series(services, facilitated, upcoming[1].meeting.id)
                    ),
                )
            )
        finally:
            await db.close()
    print(f"{members} members, weekly meeting, eight weeks ahead")
    print(f"{'step':<28} {'longest tx ms':>14} {'reply wait ms':>14} {'transactions':>13}")
    for name, held, wait, count in rows:
        print(f"{name:<28} {held:>14.1f} {wait:>14.1f} {count:>13}")
    worst = max(rows, key=lambda row: row[1])
    print(f"longest single transaction: {worst[1]:.1f} ms ({worst[0]})")


async def planner(services: Services) -> None:
    await meetings.plan_ahead(services)


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
            NewMember(
                telegram_id=200_000_000 + i,
                alias=f"Bench {i}",
                alias_key=f"bench {i}",
                language="id",
                timezone="Asia/Jakarta",
                province=None,
                topics=(),
                consent_version=1,
                consent_at=T0,
                adult_confirmed_at=T0,
                created_at=T0,
            )
        )
        ids.append(member.id)
    await services.groups.add_facilitator(group.id, ids[0], T0)
    for member_id in ids[1:]:
        await services.groups.add_member(group.id, member_id, T0)
    return group.id, ids[0]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    asyncio.run(main(parser.parse_args().members))
