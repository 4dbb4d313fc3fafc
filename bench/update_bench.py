"""Update handling: /help, a mood check-in answer and a resource search against a bare PTB echo
bot, flat out and at a fixed offered load.

Everything runs in one invocation on the in-process Bot API emulation (bot/sandbox), with the
real Application started as ``rangkul run`` starts it (reply_path_bench's helpers), on a network
of M members (G groups, F facilitators); the U talking users are registered members.

1. Flat out: TELEGRAM_MAX_RATE=0 and no flood limits for both bots; every user has one message
   outstanding (the next once the answer is there), N each. Kinds:
   - ``/help``: the answer is one message;
   - mood check-in answer: ``/mood`` (the scale, not timed), then a tap on "Okay", which stores
     the mood (a database write) and edits the scale into the tags question: the tap is timed,
     both updates count as handled;
   - resource search: after ``/resources`` and "🔎 Search" (not timed), typed words, answered
     with the results (the search conversation keeps listening, so each message searches).
   The echo bot echoes ``/help`` in the same run. Per kind: updates handled per second, CPU
   per update (process time: emulator and users included for both bots), p50/p95/p99 latency
   (update sent -> its answer there), and the ratios to the echo bot (min-max over the
   repetitions; medians shown). Every answer is checked against the warm-up user's (aliases
   aside), and the mood rows written are counted in the database.
2. Fixed offered load: ``/help`` at R updates/s (20) from the same users, for S seconds, with
   the default limiter (TELEGRAM_MAX_RATE=30, the bot's ChatRateLimiter) for both bots and
   Telegram's flood limits in the emulator: p95 against the echo bot's.

    .venv/bin/python bench/update_bench.py [--members 10000 --groups 500 --facilitators 500
        --users 200 --messages 10 --repetitions 3 --rate 20 --seconds 30]

Not part of the test suite (tests/unit/test_benchmarks_run.py runs it with tiny sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reply_path_bench import (
    FIRST_MEMBER,
    T0,
    BotApi,
    Run,
    Sizes,
    WatchedEmulator,
    answers,
    bare_bot,
    copy_database,
    make_network,
    median,
    menus_set,
    new_emulator,
    percentile,
    rangkul,
    span,
)

from bot.clock import ControllableClock
from bot.rate_limiter import ChatRateLimiter
from bot.sandbox.request import EmulatorRequest

QUERY = "psikolog"  # the search prompt's own example: it finds entries
REPLY_TIMEOUT = 120.0
# One timed update from a user: returns its latency (s).
Step = Callable[[WatchedEmulator, int], Awaitable[float]]
Prepare = Callable[[WatchedEmulator, int], Awaitable[None]]


async def send(emulator: WatchedEmulator, user: int, text: str) -> float:
    """The user sends ``text``; returns once the one answer is there, with its latency."""
    loop = asyncio.get_running_loop()
    expected = emulator.sent[user] + 1
    started = loop.time()
    emulator.user_sends_text(user, text)
    async with asyncio.timeout(REPLY_TIMEOUT):
        await emulator.until_sent(user, expected)
    return loop.time() - started


async def press(emulator: WatchedEmulator, user: int, label: str) -> float:
    """The user taps the button ``label`` of the bot's newest message with it; returns once
    the answer (a new or edited message) is there, with its latency."""
    loop = asyncio.get_running_loop()
    message_id, data = emulator.find_button(user, label)
    expected = emulator.sent[user] + 1
    started = loop.time()
    emulator.user_presses_button(user, message_id, data)
    async with asyncio.timeout(REPLY_TIMEOUT):
        await emulator.until_sent(user, expected)
    return loop.time() - started


async def ask_help(emulator: WatchedEmulator, user: int) -> float:
    return await send(emulator, user, "/help")


async def check_mood(emulator: WatchedEmulator, user: int) -> float:
    await send(emulator, user, "/mood")
    return await press(emulator, user, "😐 Okay")


async def search(emulator: WatchedEmulator, user: int) -> float:
    return await send(emulator, user, QUERY)


async def open_search(emulator: WatchedEmulator, user: int) -> None:
    await send(emulator, user, "/resources")
    await press(emulator, user, "🔎 Search")


async def nothing(emulator: WatchedEmulator, user: int) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    name: str
    step: Step
    updates: int  # updates a step sends (handled per step)
    prepare: Prepare = nothing


KINDS = (
    Kind("/help", ask_help, 1),
    Kind("mood check-in answer", check_mood, 2),
    Kind("resource search", search, 1, open_search),
)
ECHO = Kind("echo bot (/help echoed)", ask_help, 1)


@dataclass
class Measured:
    run: Run
    correct: int
    written: int | None = None  # mood rows stored by the measured users

    @property
    def updates_per_second(self) -> float:
        return self.run.replies / self.run.seconds

    @property
    def cpu_per_update(self) -> float:
        return self.run.cpu_per_reply


@dataclass
class Row:
    kind: Kind
    ours: list[Measured] = field(default_factory=list)


# ---------------------------------------------------------------------- drivers


async def closed_loop(emulator: WatchedEmulator, users: list[int], kind: Kind, n: int) -> Run:
    """Every user does ``n`` steps, each once the previous one's answer is there."""
    run = Run()

    async def converse(user: int) -> None:
        for _ in range(n):
            run.latencies.append(await kind.step(emulator, user))

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*map(converse, users))
    run.seconds, run.cpu = time.perf_counter() - started, time.process_time() - cpu
    run.replies = len(users) * n * kind.updates
    return run


async def offered_load(
    emulator: WatchedEmulator, users: list[int], kind: Kind, rate: float, seconds: float
) -> Run:
    """Steps started at ``rate`` per second whatever the answers do (the users in turn; a
    user whose previous step is still going waits for it, which few users at a high rate
    would make part of the load's pace)."""
    loop = asyncio.get_running_loop()
    run = Run()
    busy = {user: asyncio.Lock() for user in users}

    async def one(user: int) -> None:
        async with busy[user]:
            run.latencies.append(await kind.step(emulator, user))

    cpu, started = time.process_time(), loop.time()
    steps = []
    for n in range(round(rate * seconds)):
        await asyncio.sleep(max(0.0, started + n / rate - loop.time()))
        steps.append(asyncio.ensure_future(one(users[n % len(users)])))
    await asyncio.gather(*steps)
    run.seconds, run.cpu = loop.time() - started, time.process_time() - cpu
    run.replies = len(steps) * kind.updates
    return run


Drive = Callable[[WatchedEmulator, list[int], Kind], Awaitable[Run]]


# ---------------------------------------------------------------------- the bots


@dataclass(frozen=True)
class Setting:
    """Where one measurement runs: the network, its template database, the limiter."""

    sizes: Sizes
    template: Path
    tmp: Path
    max_rate: float  # 0: no limiter, no flood limits

    def emulator(self) -> WatchedEmulator:
        emulator = new_emulator(ControllableClock(T0), self.sizes, flood=self.max_rate > 0)
        emulator.count_edits = True  # the mood tap is answered by an edit
        return emulator


async def measure(
    setting: Setting, kind: Kind, users: list[int], drive: Drive, *, echo: bool
) -> Measured:
    """One bot (Rangkul, or the echo bot) on a fresh emulator and database: the warm-up
    user's answer is the reference, every user prepares, then ``drive`` runs."""
    emulator = setting.emulator()
    api = BotApi(emulator.token, EmulatorRequest(emulator))
    sizes = setting.sizes
    db_path = copy_database(setting.template, setting.tmp / "update" / "bench.sqlite3")
    bot: AbstractAsyncContextManager[object]
    if echo:
        limiter = ChatRateLimiter(setting.max_rate) if setting.max_rate > 0 else None
        bot = bare_bot(api, rate_limiter=limiter)
    else:
        bot = rangkul(db_path, api, ControllableClock(T0), sizes, max_rate=setting.max_rate)
    warm = sizes.telegram_id(sizes.warm_up_member)
    async with bot:
        await kind.prepare(emulator, warm)
        await kind.step(emulator, warm)
        reference = answers(emulator, warm, alias_of(warm))[-1]
        await asyncio.gather(*(kind.prepare(emulator, user) for user in users))
        prepared = {user: len(emulator.bot_messages(user)) for user in users}
        run = await drive(emulator, users, kind)
    correct = sum(
        text == reference
        for user in users
        for text in answers(emulator, user, alias_of(user))[prepared[user] :]
    )
    measured = Measured(run, correct)
    if kind.step is check_mood and not echo:
        with sqlite3.connect(db_path) as db:
            (measured.written,) = db.execute(
                "SELECT count(*) FROM moods JOIN members AS m ON m.id = member_id"
                f" WHERE m.telegram_id IN ({','.join('?' * len(users))})",
                users,
            ).fetchone()
    return measured


def alias_of(user: int) -> str:
    return f"Member {user - FIRST_MEMBER}"


# ---------------------------------------------------------------------- report


async def flat_out(setting: Setting, users: list[int], options: argparse.Namespace) -> None:
    steps = len(users) * options.messages

    async def drive(emulator: WatchedEmulator, users: list[int], kind: Kind) -> Run:
        return await closed_loop(emulator, users, kind, options.messages)

    rows = [Row(kind) for kind in KINDS]
    echo: list[Measured] = []
    for _ in range(options.repetitions):
        echo.append(await measure(setting, ECHO, users, drive, echo=True))
        for row in rows:
            row.ours.append(await measure(setting, row.kind, users, drive, echo=False))
    print(
        f"update handling, flat out: {len(users)} users x {options.messages} each, one"
        f" outstanding, TELEGRAM_MAX_RATE=0, no flood limits, {options.repetitions}"
        " repetitions (medians; ratios to the echo bot min-max; CPU: the whole process)"
    )
    print(
        f"  {'kind':26s} {'updates/s':>9s} {'CPU ms/upd':>10s} {'p50 ms':>7s} {'p95 ms':>7s}"
        f" {'p99 ms':>7s}  {'throughput':>12s} {'p95':>12s} {'CPU/update':>12s}  correct"
    )
    print("  " + figures(ECHO.name, echo) + f"  {'':38s}  {min(m.correct for m in echo)}/{steps}")
    for row in rows:
        written = [m.written for m in row.ours if m.written is not None]
        stored = f", mood rows stored {min(written)}/{steps}" if written else ""
        print(
            "  "
            + figures(row.kind.name, row.ours)
            + f"  {ratios(row.ours, echo, lambda m: m.updates_per_second)}"
            + f" {ratios(row.ours, echo, lambda m: m.run.p95)}"
            + f" {ratios(row.ours, echo, lambda m: m.cpu_per_update)}"
            + f"  {min(m.correct for m in row.ours)}/{steps}{stored}"
        )


def figures(name: str, runs: list[Measured]) -> str:
    def ms(share: float) -> float:
        return median(percentile(m.run.latencies, share) for m in runs) * 1000

    return (
        f"{name:26s} {median(m.updates_per_second for m in runs):9.0f}"
        f" {median(m.cpu_per_update for m in runs) * 1000:10.2f}"
        f" {ms(0.5):7.1f} {ms(0.95):7.1f} {ms(0.99):7.1f}"
    )


def ratios(ours: list[Measured], echo: list[Measured], of: Callable[[Measured], float]) -> str:
    values = [of(a) / of(b) for a, b in zip(ours, echo, strict=True)]
    return span((min(values), max(values)))


async def fixed_load(setting: Setting, users: list[int], options: argparse.Namespace) -> None:
    async def drive(emulator: WatchedEmulator, users: list[int], kind: Kind) -> Run:
        return await offered_load(emulator, users, kind, options.rate, options.seconds)

    steps = round(options.rate * options.seconds)
    echo = await measure(setting, ECHO, users, drive, echo=True)
    ours = await measure(setting, KINDS[0], users, drive, echo=False)
    print(
        f"update handling at a fixed offered load: /help at {options.rate:g} updates/s for"
        f" {options.seconds:g} s from {len(users)} users, TELEGRAM_MAX_RATE={setting.max_rate:g}"
        " (ChatRateLimiter) for both bots, flood limits on:"
    )
    for name, m in (("echo bot", echo), ("Rangkul", ours)):
        print(
            f"  {name:10s} p50 {percentile(m.run.latencies, 0.5) * 1000:6.1f} ms"
            f"  p95 {m.run.p95 * 1000:6.1f} ms  p99 {percentile(m.run.latencies, 0.99) * 1000:6.1f}"
            f" ms  CPU {m.cpu_per_update * 1000:5.2f} ms/update  correct {m.correct}/{steps}"
        )
    print(f"  ratio p95 Rangkul / echo {ours.run.p95 / echo.run.p95:.2f}")


@asynccontextmanager
async def network(options: argparse.Namespace) -> AsyncIterator[tuple[Sizes, Path, Path]]:
    """The network's template database (started on once, members' menus set)."""
    sizes = Sizes(options.members, options.groups, options.facilitators)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        template = tmp / "template.sqlite3"
        await make_network(template, sizes)
        emulator = new_emulator(ControllableClock(T0), sizes)
        api = BotApi(emulator.token, EmulatorRequest(emulator))
        async with rangkul(template, api, ControllableClock(T0), sizes) as app:
            await menus_set(app)
        print(
            f"network: {sizes.members} members, {sizes.groups} groups, {sizes.facilitators}"
            f" facilitators (made in {time.perf_counter() - started:.1f} s)"
        )
        yield sizes, template, tmp


async def main(options: argparse.Namespace) -> None:
    async with network(options) as (sizes, template, tmp):
        users = [sizes.telegram_id(n) for n in range(options.users)]
        await flat_out(Setting(sizes, template, tmp, 0), users, options)
        await fixed_load(Setting(sizes, template, tmp, options.max_rate), users, options)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--facilitators", type=int, default=500)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--rate", type=float, default=20.0, help="offered load, updates/s")
    parser.add_argument("--seconds", type=float, default=30.0, help="of the offered load")
    parser.add_argument("--max-rate", type=float, default=30.0, help="at the offered load")
    options = parser.parse_args()
    if options.users > Sizes(options.members, 1, options.facilitators).warm_up_member:
        parser.error("the talking users must be plain members: raise --members")
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.ERROR)
    asyncio.run(main(options))
