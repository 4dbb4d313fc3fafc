"""Fault runs of the real ``rangkul run`` process: SIGKILLs at random moments, or a share of
failing Bot API calls for minutes. Does anything get lost, sent twice, or stuck?

Both runs host the Bot API emulation over HTTP in this process and start the bot as its own
process (``python -m bot run``, the production path: HTTPX client, long polling, the rate
limiter at TELEGRAM_MAX_RATE=30) on one SQLite file seeded beforehand with one group of
``--members`` members, each due three outbox messages right now: a meeting's 24-hour reminder,
an announcement's copy and their weekly check-in prompt. ``--people`` newcomers go through
onboarding meanwhile, one tap after the other, tapping again when nothing happens for a while.

kills: ``--kills`` times in a row the bot is started and killed with SIGKILL after a random
  0.5-4 s (during start-up, the fan-out or someone's step); then it runs once more until all is
  settled. Prints, per kind, messages expected / delivered once / lost / sent twice; the sends
  Telegram accepted just before a kill, while their row was still "sending" (the outbox's known
  at-least-once window: such a row is resent after the restart), are counted on their own;
  the taps people had to repeat; and `PRAGMA integrity_check` after every kill.
faults: one bot process for ``--minutes`` while the emulation fails ``--rate`` of the calls
  (502, 429 with a random retry_after of 1-5 s, a hang until the client's timeout, a dropped
  connection); ``--users`` people also ask /help every few seconds. Prints the same delivery
  counts, the /help answers (real answer, apology, nothing), the busiest second's calls (a
  retry loop would show there), and the log's errors and tracebacks.

    .venv/bin/python bench/fault_run.py kills [--kills 20] [--members 60] [--people 4]
    .venv/bin/python bench/fault_run.py faults [--minutes 10] [--rate 0.1] [--members 1000]

The last line is ``RESULT {json}`` with every count (tests/faults read it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web
from made_up_people import made_up_member

from bot.app import build_application, setup, teardown
from bot.clock import ControllableClock
from bot.config import Settings
from bot.domain.broadcasts import Audience
from bot.domain.checkin_cadence import CheckinSchedule
from bot.domain.groups import GroupFormat, NewGroup
from bot.domain.meetings import NewMeeting
from bot.i18n import LANGUAGES, get_translator
from bot.jobs.planner import plan_ahead
from bot.sandbox.bot_api_http import add_bot_api_routes, start_server
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest
from bot.services.broadcasts import Target, start_broadcast
from bot.services.container import Services
from bot.services.meetings import schedule
from bot.storage.database import to_db_time
from bot.ui.menu import error_text

FIRST_MEMBER, AUTHOR, FIRST_NEWCOMER, FIRST_ASKER = (
    500_000_000,
    600_000_000,
    700_000_000,
    800_000_000,
)
PLACE = "Balai Uji Gangguan"  # in every reminder of the seeded meeting
ANNOUNCEMENT = "Pengumuman uji gangguan: pertemuan tetap jalan."
KINDS = ("reminder", "announcement", "prompt")
ONBOARDING = (
    "/start",
    "English",
    "Continue",
    "Yes, I'm 18 or older",
    "I agree",
    "Use this alias",
    "Next",  # the second page of provinces
    "Bali",
    "Anxiety",
    "Done",
)
TAP_PATIENCE = 8.0  # seconds without the next step before a person taps again
HELP_MARK = "/safetyplan"  # in every /help answer, not in the apology
APOLOGIES = {error_text(get_translator(lang)) for lang in LANGUAGES}
FAULT_KINDS = ("5xx", "429", "hang", "drop")
# The outbox retries a failed row after 30 s, 60 s, 120 s …: enough for three retries.
SETTLE_SECONDS = 300.0


# ---------------------------------------------------------------------- the world


@dataclass
class World:
    emulator: BotApiEmulator
    url: str
    database: Path
    log: Path
    members: list[int]
    rng: random.Random
    seeded: tuple[int, ...] = ()  # the outbox rows due now that seed() planned

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()

    def kind_of(self, text: str | None) -> str:
        """Which seeded message a member's chat entry is."""
        if text == ANNOUNCEMENT:
            return "announcement"
        return "reminder" if PLACE in (text or "") else "prompt"

    def delivered(self) -> Counter[tuple[int, str]]:
        """Messages in members' chats by (chat, kind)."""
        return Counter(
            (chat, self.kind_of(entry.text))
            for chat in self.members
            for entry in self.emulator.bot_messages(chat)
        )

    def unsettled(self) -> int:
        """Seeded rows not sent (or given up on) yet, also those waiting for a retry."""
        ids = ", ".join(map(str, self.seeded))
        return self.rows(
            f"SELECT count(*) FROM outbox WHERE id IN ({ids}) AND status IN ('pending', 'sending')"
        )[0][0]

    def integrity(self) -> str:
        return str(self.rows("PRAGMA integrity_check")[0][0])


async def seed(emulator: BotApiEmulator, database: Path, members: int) -> list[int]:
    """One group whose members are each due a reminder, an announcement and a check-in prompt
    now (real time): planned by the real use cases at a clock an hour back."""
    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo("Asia/Jakarta"))
    clock = ControllableClock(now - timedelta(hours=1))
    settings = Settings(token=emulator.token, database_path=database, max_rate=0)
    app = build_application(settings, request=EmulatorRequest(emulator), clock=clock)
    await app.initialize()
    await setup(app)
    s: Services = app.bot_data["services"]
    try:
        group = await s.groups.create(
            NewGroup(
                name="Lingkar Uji",
                description="A group for fault runs.",
                format=GroupFormat.IN_PERSON,
                province=None,
                city="Jakarta",
                languages=("id", "en"),
                timezone="Asia/Jakarta",
                max_members=members + 1,
                offers_trials=False,
                trial_seats=0,
                topics=(),
            ),
            clock.now(),
        )
        weekly = CheckinSchedule(
            weekday=local.weekday(), minute_of_day=local.hour * 60 + local.minute
        )
        chats = []
        for i in range(members):
            telegram_id = FIRST_MEMBER + i
            emulator.add_user(telegram_id, f"Member {i}", language_code="en")
            member = await s.members.create(made_up_member(telegram_id, i, clock.now()))
            await s.groups.add_member(group.id, member.id, clock.now())
            await s.checkins.save_schedule(member.id, weekly)
            chats.append(telegram_id)
        emulator.add_user(AUTHOR, "Penulis", language_code="en")
        author = await s.members.create(made_up_member(AUTHOR, members, clock.now()))
        source = emulator.user_sends_text(AUTHOR, ANNOUNCEMENT)["message"]["message_id"]
        meeting = NewMeeting(
            group.id, now + timedelta(hours=24, seconds=-30), 90, "once", PLACE, None, members
        )
        await schedule(s.meetings, s.groups, s.outbox, clock, meeting, None)
        await plan_ahead(s)  # the check-in prompts, at this minute of today
        clock.advance(timedelta(hours=1))
        await start_broadcast(
            s.broadcasts,
            s.outbox,
            clock,
            author_id=author.id,
            author_chat_id=AUTHOR,
            source_message_id=source,
            target=Target(Audience.GROUP, group.id),
        )
    finally:
        await app.shutdown()
        await teardown(app)
    return chats


async def start_bot(world: World) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": world.emulator.token,
        "TELEGRAM_BASE_URL": f"{world.url}/bot",
        "TELEGRAM_BASE_FILE_URL": f"{world.url}/file/bot",
        "DATABASE_PATH": str(world.database),
        "TELEGRAM_MAX_RATE": "30",
        "TELEGRAM_STARTUP_RETRY_SECONDS": "60",
        "LOG_LEVEL": "INFO",
    }
    with world.log.open("ab") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, stdout=log, stderr=log
        )


# ---------------------------------------------------------------------- people


@dataclass
class Newcomer:
    """Someone going through onboarding, tapping again when the bot seems not to react."""

    user_id: int
    step: int = 0
    retaps: int = 0

    @property
    def done(self) -> bool:
        return self.step >= len(ONBOARDING)


def offered(emulator: BotApiEmulator, chat: int, label: str) -> tuple[int, str] | None:
    """(message id, callback data) of the button whose text contains ``label`` on the newest
    bot message with inline buttons, if it has one."""
    for entry in reversed(emulator.bot_messages(chat)):
        rows = (entry.reply_markup or {}).get("inline_keyboard")
        if rows:
            return next(
                (
                    (entry.message_id, button["callback_data"])
                    for row in rows
                    for button in row
                    if label in button["text"] and "callback_data" in button
                ),
                None,
            )
    return None


async def offered_within(emulator: BotApiEmulator, chat: int, label: str, seconds: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while offered(emulator, chat, label) is None and loop.time() < deadline:
        await emulator.wait_for_change(emulator.version(), timeout=0.5)
    return offered(emulator, chat, label) is not None


def tap(emulator: BotApiEmulator, chat: int, label: str) -> None:
    if label.startswith("/"):
        emulator.user_sends_text(chat, label)
        return
    found = offered(emulator, chat, label)
    assert found is not None, label
    emulator.user_presses_button(chat, *found)


async def onboard(emulator: BotApiEmulator, person: Newcomer) -> None:
    """Taps through onboarding. While the next step does not show, the person waits; when it
    has not shown for a while and the last tap's button is still there (the bot never reacted
    to it), they tap that again, as people do."""
    chat = person.user_id
    while not person.done:
        label = ONBOARDING[person.step]
        if not label.startswith("/") and not await offered_within(
            emulator, chat, label, TAP_PATIENCE
        ):
            previous = ONBOARDING[person.step - 1]
            if previous.startswith("/") or offered(emulator, chat, previous):
                tap(emulator, chat, previous)
                person.retaps += 1
            continue
        tap(emulator, chat, label)
        person.step += 1
    # The last tap, too, may go unanswered: its button then stays.
    last = ONBOARDING[-1]
    while await still_offered_after(emulator, chat, last, TAP_PATIENCE):
        tap(emulator, chat, last)
        person.retaps += 1


async def still_offered_after(
    emulator: BotApiEmulator, chat: int, label: str, seconds: float
) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while offered(emulator, chat, label) is not None and loop.time() < deadline:
        await emulator.wait_for_change(emulator.version(), timeout=0.5)
    return offered(emulator, chat, label) is not None


def registered(world: World, people: list[Newcomer]) -> int:
    """How many of the newcomers are members now (onboarding stored them)."""
    ids = [person.user_id for person in people]
    marks = ", ".join("?" * len(ids))
    return world.rows(f"SELECT count(*) FROM members WHERE telegram_id IN ({marks})", tuple(ids))[
        0
    ][0]


@dataclass
class Asking:
    """People asking /help now and then: how many answers, apologies and silences."""

    answered: int = 0
    apology: int = 0
    nothing: int = 0
    latencies: list[float] = field(default_factory=list)


async def keep_asking(emulator: BotApiEmulator, user_id: int, until: float, asking: Asking) -> None:
    loop = asyncio.get_running_loop()
    emulator.add_user(user_id, "Tamu", language_code="en")
    while loop.time() < until:
        seen = len(emulator.bot_messages(user_id))
        started = loop.time()
        emulator.user_sends_text(user_id, "/help")
        texts: list[str] = []
        while loop.time() - started < 30 and not any(HELP_MARK in t for t in texts):
            await emulator.wait_for_change(emulator.version(), timeout=0.5)
            texts = [e.text or "" for e in emulator.bot_messages(user_id)[seen:]]
        if any(HELP_MARK in t for t in texts):
            asking.answered += 1
            asking.latencies.append(loop.time() - started)
        elif any(t in APOLOGIES for t in texts):
            asking.apology += 1
        else:
            asking.nothing += 1
        await asyncio.sleep(random.uniform(2, 5))


# ---------------------------------------------------------------------- counting


@dataclass
class Delivery:
    expected: Counter[str] = field(default_factory=Counter)
    once: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    twice: Counter[str] = field(default_factory=Counter)  # extra copies beyond the first


def count_delivery(world: World) -> Delivery:
    delivery, got = Delivery(), world.delivered()
    for chat in world.members:
        for kind in KINDS:
            copies = got[(chat, kind)]
            delivery.expected[kind] += 1
            if copies == 0:
                delivery.lost[kind] += 1
            else:
                delivery.once[kind] += 1
                delivery.twice[kind] += copies - 1
    return delivery


def in_flight_already_delivered(world: World) -> dict[int, str]:
    """Rows a kill left "sending" whose message Telegram had already accepted, by row id: the
    outbox's at-least-once window (they are sent again after the restart). A row stays
    "sending" through a start killed before its recovery, so callers merge these by id."""
    got = world.delivered()
    names = {"reminder": "reminder", "broadcast": "announcement", "checkin_prompt": "prompt"}
    return {
        row_id: names[kind]
        for row_id, kind, chat in world.rows(
            "SELECT o.id, o.kind, m.telegram_id FROM outbox o JOIN members m ON m.id = o.member_id"
            " WHERE o.status = 'sending'"
        )
        if kind in names and got[(chat, names[kind])]
    }


def log_problems(log: Path) -> tuple[int, int]:
    """(ERROR lines, tracebacks) in the bot's log."""
    text = log.read_text(errors="replace")
    return text.count(" ERROR "), text.count("Traceback")


def print_delivery(delivery: Delivery) -> None:
    for kind in KINDS:
        print(
            f"  {kind:12s} expected {delivery.expected[kind]:5d}  once {delivery.once[kind]:5d}"
            f"  lost {delivery.lost[kind]:3d}  sent twice {delivery.twice[kind]:3d}"
        )


async def settle(world: World, people: list[Newcomer]) -> float:
    """Waits until every due row is settled and everyone finished; returns the seconds."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    # At least a few seconds: a stop signal before start-up installed its handler would kill
    # the process rather than stop it cleanly (start-up takes 1-2 s here).
    while loop.time() - started < 5 or world.unsettled() or registered(world, people) < len(people):
        if loop.time() - started > SETTLE_SECONDS:
            break
        await asyncio.sleep(0.5)
    return loop.time() - started


async def stop_bot(process: asyncio.subprocess.Process) -> int:
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), timeout=60)


# ---------------------------------------------------------------------- the runs


async def with_world(members: int, seed_: int, run: Callable[[World], Awaitable[dict]]) -> dict:
    with tempfile.TemporaryDirectory(prefix="rangkul-faults-") as tmp:
        emulator = BotApiEmulator()
        app = web.Application()
        add_bot_api_routes(app, emulator)
        runner, url = await start_server(app)
        try:
            database = Path(tmp) / "rangkul.sqlite3"
            chats = await seed(emulator, database, members)
            world = World(
                emulator, url, database, Path(tmp) / "bot.log", chats, random.Random(seed_)
            )
            world.seeded = tuple(
                row[0]
                for row in world.rows(
                    "SELECT id FROM outbox WHERE status = 'pending' AND not_before <= ?"
                    " AND kind IN ('reminder', 'broadcast', 'checkin_prompt')",
                    (to_db_time(datetime.now(UTC)),),
                )
            )
            return await run(world)
        finally:
            await runner.cleanup()


async def kills_run(world: World, kills: int, people_count: int) -> dict:
    people = [Newcomer(FIRST_NEWCOMER + i) for i in range(people_count)]
    for person in people:
        world.emulator.add_user(person.user_id, "Pendatang", language_code="en")
    tasks = [asyncio.create_task(onboard(world.emulator, person)) for person in people]
    in_window: dict[int, str] = {}
    integrity: list[str] = []
    moments: list[float] = []
    for _ in range(kills):
        process = await start_bot(world)
        moment = world.rng.uniform(0.5, 4.0)
        await asyncio.sleep(moment)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        moments.append(moment)
        in_window |= in_flight_already_delivered(world)
        integrity.append(world.integrity())
    process = await start_bot(world)
    settle_seconds = await settle(world, people)
    exit_code = await stop_bot(process)
    for task in tasks:
        task.cancel()
    delivery = count_delivery(world)
    window = Counter(in_window.values())
    errors, tracebacks = log_problems(world.log)
    completed = sum(p.done for p in people)
    onboarded = registered(world, people)
    print(
        f"kills: {kills} SIGKILLs, each {min(moments, default=0):.1f}"
        f"-{max(moments, default=0):.1f} s after a start, {len(world.members)} members,"
        f" {people_count} people onboarding"
    )
    print_delivery(delivery)
    print(f"  at-least-once window (accepted just before a kill, resent): {dict(window)}")
    print(
        f"  onboarding: {completed}/{people_count} finished, {onboarded} registered;"
        f" taps repeated after {TAP_PATIENCE:g} s without a reaction:"
        f" {sum(p.retaps for p in people)}"
    )
    print(f"  integrity_check after each kill: {Counter(integrity)}  final: {world.integrity()}")
    print(
        f"  settled {settle_seconds:.1f} s after the last start; exit code {exit_code};"
        f" log: {errors} ERROR lines, {tracebacks} tracebacks"
    )
    return {
        "kills": kills,
        "expected": sum(delivery.expected.values()),
        "lost": sum(delivery.lost.values()),
        "sent_twice": sum(delivery.twice.values()),
        "window": sum(window.values()),
        "people": people_count,
        "onboarded": onboarded,
        "completed": completed,
        "retaps": sum(p.retaps for p in people),
        "integrity_ok": sum(result == "ok" for result in integrity) + (world.integrity() == "ok"),
        "exit_code": exit_code,
        "log_errors": errors,
        "tracebacks": tracebacks,
    }


async def faults_run(world: World, minutes: float, rate: float, users: int) -> dict:
    faults = world.emulator.faults
    faults.fail_randomly(
        rate, kinds=FAULT_KINDS, seed=world.rng.randrange(1000), retry_after=(1, 5)
    )
    loop = asyncio.get_running_loop()
    until = loop.time() + minutes * 60
    process = await start_bot(world)
    asking = Asking()
    askers = [
        asyncio.create_task(keep_asking(world.emulator, FIRST_ASKER + i, until, asking))
        for i in range(users)
    ]
    people = [Newcomer(FIRST_NEWCOMER + i) for i in range(max(1, users // 2))]
    for person in people:
        world.emulator.add_user(person.user_id, "Pendatang", language_code="en")
    tasks = [asyncio.create_task(onboard(world.emulator, p)) for p in people]
    started = time.monotonic()
    await asyncio.gather(*askers)
    alive = process.returncode is None
    faults.clear()
    settle_seconds = await settle(world, people)
    exit_code = await stop_bot(process)
    ran = time.monotonic() - started
    for task in tasks:
        task.cancel()
    delivery = count_delivery(world)
    errors, tracebacks = log_problems(world.log)
    per_second = faults.calls_per_second
    busiest = max(per_second.values(), default=0)
    served = faults.served_counts()
    completed = registered(world, people)
    print(
        f"faults: {rate:.0%} of calls failing for {minutes:g} min ({dict(served)}),"
        f" {len(world.members)} members, {users} people asking /help"
    )
    print_delivery(delivery)
    print(
        f"  /help: answered {asking.answered}  apology {asking.apology}  nothing {asking.nothing}"
        + (
            f"  p95 {sorted(asking.latencies)[int(0.95 * (len(asking.latencies) - 1))]:.2f} s"
            if asking.latencies
            else ""
        )
    )
    print(
        f"  onboarding: {completed}/{len(people)} finished, taps repeated"
        f" {sum(p.retaps for p in people)}"
    )
    print(
        f"  calls: {sum(per_second.values())} in {ran:.0f} s, busiest second {busiest},"
        f" faults served {sum(served.values())}"
    )
    print(
        f"  alive at the end: {alive}; settled {settle_seconds:.1f} s after; exit code"
        f" {exit_code}; log: {errors} ERROR lines, {tracebacks} tracebacks;"
        f" integrity_check {world.integrity()}"
    )
    return {
        "expected": sum(delivery.expected.values()),
        "lost": sum(delivery.lost.values()),
        "sent_twice": sum(delivery.twice.values()),
        "faults_served": sum(served.values()),
        "help_answered": asking.answered,
        "help_apology": asking.apology,
        "help_nothing": asking.nothing,
        "onboarding_completed": completed,
        "people": len(people),
        "busiest_second": busiest,
        "alive": alive,
        "exit_code": exit_code,
        "log_errors": errors,
        "tracebacks": tracebacks,
        "integrity": world.integrity(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    runs = parser.add_subparsers(dest="run", required=True)
    kills = runs.add_parser("kills", help="SIGKILL the bot at random moments, restart it")
    kills.add_argument("--kills", type=int, default=20)
    kills.add_argument("--members", type=int, default=60)
    kills.add_argument("--people", type=int, default=4)
    kills.add_argument("--seed", type=int, default=1)
    faults = runs.add_parser("faults", help="a share of Bot API calls fail for a while")
    faults.add_argument("--minutes", type=float, default=10.0)
    faults.add_argument("--rate", type=float, default=0.10)
    faults.add_argument("--members", type=int, default=1000)
    faults.add_argument("--users", type=int, default=6)
    faults.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.ERROR)
    if options.run == "kills":
        run = lambda world: kills_run(world, options.kills, options.people)  # noqa: E731
    else:
        run = lambda world: faults_run(world, options.minutes, options.rate, options.users)  # noqa: E731
    result = asyncio.run(with_world(options.members, options.seed, run))
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
