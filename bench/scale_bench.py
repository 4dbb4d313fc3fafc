"""Scale: a network of 10,000 members in 100 groups with one million weekly check-ins.

1. The database: M members in G groups (F facilitators) made through the services
   (reply_path_bench.make_network), then C completed WHO-5 weekly check-ins spread evenly over
   the members, one a week back from now, written with ``executemany`` in one transaction.
   Reported: how long that took and the database's size on disk. Everyone joined at T0, so
   every check-in is from before they joined and counts for no group's response rate;
   ``--joined-weeks-ago W`` moves every joining W weeks back (W above the check-ins' weeks:
   every check-in counts, the reports' heaviest case).
2. Services on that database (the code the handlers call, on the bot's own Database):
   p95 of recording a check-in: a mood (one tap: bot.services.moods.record_mood) and a WHO-5
   check-in's answers (bot.services.checkin.answer: every tap, and the last one, which scores
   the sitting against the member's earlier ones); p95 of building a group's report
   (bot.services.impact.group_reports, what /impact shows a facilitator) for each period, and
   of the coordinators' network report (every group).
3. The bot as ``rangkul run`` runs it, in a process of its own (``python -m bot run``) against
   the Bot API emulation served over HTTP from this process: cold start (process started ->
   its first getUpdates), its RSS once started, and its RSS after ``--minutes`` of load (users
   in turn asking /help and doing a mood check-in, ``--rate`` updates/s, TELEGRAM_MAX_RATE=30,
   flood limits on), with that load's p95.

    .venv/bin/python bench/scale_bench.py [--members 10000 --groups 100 --checkins 1000000
        --minutes 10 --rate 10] [--joined-weeks-ago 0] [--services-only] [--database PATH]

``--minutes`` defaults to 2 for a quick run; the issue's figure is ``--minutes 10``.
``--services-only`` skips part 3; ``--database PATH`` builds the database there (kept) or, if
it exists, reuses it, so a change to the services can be measured on the same data.
Not part of the test suite (tests/unit/test_benchmarks_run.py runs it with tiny sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler
from reply_path_bench import (
    T0,
    Sizes,
    WatchedEmulator,
    make_network,
    new_emulator,
    percentile,
    with_services,
)
from update_bench import Kind, ask_help, check_mood, offered_load

from bot.clock import ControllableClock
from bot.data_files import phq9, who5
from bot.domain.impact import Period
from bot.domain.questionnaires import Purpose
from bot.sandbox.bot_api_http import MAX_UPLOAD_BYTES, add_bot_api_routes, start_server
from bot.services import checkin, impact, moods
from bot.services.checkin import Instruments
from bot.services.container import Services
from bot.storage.database import to_db_time

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------- 1. the database


def add_checkins(path: Path, count: int) -> float:
    """``count`` completed WHO-5 weekly check-ins, round-robin over the members, each member's
    a week apart back from T0, in one transaction; returns the seconds it took."""
    items = [item.key for item in who5().items]
    rng = random.Random(1)
    started = time.perf_counter()
    with sqlite3.connect(path) as db:
        members = [row[0] for row in db.execute("SELECT id FROM members ORDER BY id")]

        def rows() -> object:
            for n in range(count):
                week, member = divmod(n, len(members))
                at = to_db_time(T0 - timedelta(weeks=week + 1))
                answers = {key: rng.randint(0, 5) for key in items}
                score = sum(answers[key] for key in items[:5]) * 4
                yield (members[member], json.dumps(answers), score, at, at)

        db.executemany(
            "INSERT INTO questionnaires (member_id, instrument, purpose, answers, score,"
            " started_at, completed_at) VALUES (?, 'who5', 'weekly', ?, ?, ?, ?)",
            rows(),
        )
    return time.perf_counter() - started


def joined_back(path: Path, weeks: int) -> None:
    """Every group membership joined ``weeks`` weeks before T0 (0: as made, at T0)."""
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE group_members SET joined_at = ?", (to_db_time(T0 - timedelta(weeks=weeks)),)
        )


# ---------------------------------------------------------------------- 2. services


async def timed(samples: int, call: Callable[[int], Awaitable[object]]) -> list[float]:
    """Seconds each of ``samples`` calls took (``call(n)``, one after another)."""
    times = []
    for n in range(samples):
        started = time.perf_counter()
        await call(n)
        times.append(time.perf_counter() - started)
    return times


async def services_figures(path: Path, samples: int) -> list[str]:
    lines: list[str] = []
    instruments = Instruments(who5(), phq9())
    rng = random.Random(2)

    async def measure(s: Services) -> None:
        chosen = rng.sample(await member_ids(s), samples)
        people = [await s.members.by_id(member_id) for member_id in chosen]

        async def mood(n: int) -> None:
            member = people[n]
            assert member is not None
            await moods.record_mood(s.moods, s.clock, member, 3)

        taps: list[float] = []

        async def who5_checkin(n: int) -> None:
            began = await checkin.begin(s.questionnaires, s.clock, chosen[n], Purpose.WEEKLY)
            for item in instruments.who5.items:
                started = time.perf_counter()
                await checkin.answer(
                    s.questionnaires, s.clock, instruments, chosen[n], began.sitting.id, item.key, 3
                )
                taps.append(time.perf_counter() - started)

        lines.append(figure("recording a mood (record_mood)", await timed(samples, mood)))
        last = await timed(samples, who5_checkin)
        lines.append(figure("a WHO-5 check-in's answer (each tap)", taps))
        lines.append(figure("a whole WHO-5 check-in (begin + every tap)", last))
        groups = [summary.group for summary in await s.groups.list_all()]
        for period in Period:

            async def report(n: int, period: Period = period) -> None:
                await impact.group_reports(s.impact, s.clock, [groups[n % len(groups)]], period)

            lines.append(figure(f"a group's report, period {period}", await timed(samples, report)))

        async def network(n: int) -> None:
            await impact.network_report(s.impact, s.groups, s.clock, Period.ALL)

        lines.append(
            figure(
                "the network report (every group), all", await timed(max(1, samples // 10), network)
            )
        )

    await with_services(path, measure)
    return lines


async def member_ids(s: Services) -> list[int]:
    conn = await s.db.connection()
    async with conn.execute("SELECT id FROM members") as cursor:
        return [row[0] for row in await cursor.fetchall()]


def figure(name: str, times: list[float]) -> str:
    return (
        f"  {name:44s} p50 {percentile(times, 0.5) * 1000:7.2f} ms"
        f"  p95 {percentile(times, 0.95) * 1000:7.2f} ms  ({len(times)})"
    )


# ---------------------------------------------------------------------- 3. the bot's process


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def bot_process(path: Path, sizes: Sizes, options: argparse.Namespace) -> list[str]:
    emulator = new_emulator(ControllableClock(T0), sizes, flood=True)
    emulator.count_edits = True
    arrivals = Arrivals()
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES, middlewares=[arrivals.note])
    add_bot_api_routes(app, emulator)
    runner, url = await start_server(app)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_BASE_URL": f"{url}/bot",
        "TELEGRAM_BASE_FILE_URL": f"{url}/file/bot",
        "DATABASE_PATH": str(path),
        "TELEGRAM_MAX_RATE": "30",
        "ADMIN_IDS": ",".join(map(str, sorted(sizes.admin_ids()))),
        "LOG_LEVEL": "WARNING",
    }
    try:
        child, first = await start_bot(env, arrivals)
        await stop(child)
        child, again = await start_bot(env, arrivals)
        try:
            await asyncio.sleep(5)  # the planner's and dispatcher's first passes
            after_start = rss_mb(child.pid)
            users = [sizes.telegram_id(n) for n in range(options.users)]
            kind = Kind("/help and a mood check-in", both, 3)
            run = await offered_load(
                emulator, users, kind, options.rate / kind.updates, options.minutes * 60
            )
            after_load = rss_mb(child.pid)
        finally:
            await stop(child)
    finally:
        await runner.cleanup()
    return [
        f"  cold start (process started -> its first getUpdates arrives): first start on"
        f" this database {first.cold:.2f} s, restart {again.cold:.2f} s ({first.menus} and"
        f" {again.menus} setMyCommands calls before it)",
        f"  RSS after start {after_start:.1f} MB; after {options.minutes:g} min of load"
        f" {after_load:.1f} MB",
        f"  the load: /help, /mood and a tap, {options.rate:g} updates/s from {len(users)} users"
        f" ({len(run.latencies)} rounds), TELEGRAM_MAX_RATE=30, flood limits on:"
        f" p95 {run.p95 * 1000:.0f} ms per round of three answers",
    ]


@dataclass(frozen=True)
class Start:
    cold: float  # seconds from the process's start to its first getUpdates
    menus: int  # setMyCommands calls before that


class Arrivals:
    """Bot API requests as they arrive (the emulator counts a call once it has answered, and
    a long poll answers only when updates come or its timeout ends)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.polled = asyncio.Event()

    @web.middleware
    async def note(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        method = request.path.rsplit("/", 1)[-1]
        self.counts[method] += 1
        if method == "getUpdates":
            self.polled.set()
        return await handler(request)


async def start_bot(
    env: dict[str, str], arrivals: Arrivals
) -> tuple[asyncio.subprocess.Process, Start]:
    """``python -m bot run`` started; returns once its first getUpdates has arrived."""
    loop = asyncio.get_running_loop()
    arrivals.polled.clear()
    menus = arrivals.counts["setMyCommands"]
    started = loop.time()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL
    )
    async with asyncio.timeout(300):
        await arrivals.polled.wait()
    return child, Start(loop.time() - started, arrivals.counts["setMyCommands"] - menus)


async def stop(child: asyncio.subprocess.Process) -> None:
    """SIGTERM: the bot stops as it would under systemd (state saved, database closed)."""
    child.terminate()
    await child.wait()


async def both(emulator: WatchedEmulator, user: int) -> float:
    return await ask_help(emulator, user) + await check_mood(emulator, user)


# ---------------------------------------------------------------------- report


async def main(options: argparse.Namespace) -> None:
    sizes = Sizes(options.members, options.groups, options.facilitators)
    with tempfile.TemporaryDirectory() as tmp_name:
        path = options.database or Path(tmp_name) / "scale.sqlite3"
        if path.exists():
            print(f"database: reused {path}; size {path.stat().st_size / 2**20:.1f} MB")
        else:
            started = time.perf_counter()
            await make_network(path, sizes)
            network_seconds = time.perf_counter() - started
            checkin_seconds = add_checkins(path, options.checkins)
            joined_back(path, options.joined_weeks_ago)
            print(
                f"database: {sizes.members} members, {sizes.groups} groups, {options.checkins}"
                f" WHO-5 check-ins (network made in {network_seconds:.1f} s, check-ins written"
                f" in {checkin_seconds:.1f} s); size {path.stat().st_size / 2**20:.1f} MB"
            )
        print("services on it (p50, p95; samples in brackets):")
        for line in await services_figures(path, options.samples):
            print(line)
        if options.services_only:
            return
        print("the bot in a process of its own (python -m bot run) over HTTP:")
        for line in await bot_process(path, sizes, options):
            print(line)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--facilitators", type=int, default=100)
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument(
        "--joined-weeks-ago", type=int, default=0, help="when everyone joined their group"
    )
    parser.add_argument("--users", type=int, default=200, help="users of the load")
    parser.add_argument(
        "--samples", type=int, default=200, help="timed calls per figure (network report: 1/10)"
    )
    parser.add_argument("--rate", type=float, default=10.0, help="the load's updates/s")
    parser.add_argument("--minutes", type=float, default=2.0, help="of load (the issue: 10)")
    parser.add_argument("--services-only", action="store_true", help="skip the bot's process")
    parser.add_argument("--database", type=Path, help="build here and keep, or reuse if it exists")
    options = parser.parse_args()
    if options.users > Sizes(options.members, 1, options.facilitators).warm_up_member:
        parser.error("the load's users must be plain members: raise --members")
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.ERROR)
    asyncio.run(main(options))
