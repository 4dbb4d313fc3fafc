"""The reply path against a bare python-telegram-bot echo bot, start-up, and reminders.

Everything runs in one invocation, on the in-process Bot API emulation (bot/sandbox), with the
real Application started the way ``rangkul run`` starts it (bot.polling.start: getMe, setup,
long-polling getUpdates):

1. reply path: a database of M members (every one in one of G groups, F of them facilitators),
   U registered members each send N messages, one after another (the next once the answer is
   there), all U at once; the same U users then do the same with a bare PTB echo bot (one
   handler that echoes the text), and with a bare PTB "same-reply" bot, which sends exactly
   the messages Rangkul's warm-up answer held (the same HTML text with the person's name in
   it, link preview options, and inline keyboard as a plain InlineKeyboardMarkup made once):
   what the reply's size costs any PTB bot, so Rangkul / same-reply is what Rangkul adds.
   TELEGRAM_MAX_RATE=0 (no limiter), no flood limits. Per request kind and repetition:
   throughput (messages/s), p95 latency (message sent -> its last reply arrived), CPU per reply
   (process time, emulator and users included for every bot); then the ratios Rangkul / echo
   (the issue's targets) and Rangkul / same-reply, min-max over the repetitions. Every answer
   is checked against the one a warm-up user got (aliases aside): "correct" counts the ones
   that match.
   Also the SQL statements and commits one /help costs (a trace on the connection).
   ``--emulator separate`` runs the emulation and the users in a child process that both bots
   reach over HTTP (CPU: the bot's process alone). Measured: PTB's HTTP client (httpx) then
   costs each bot 2.6-4.7 ms of CPU per reply at 10-200 users, so that table measures httpx
   more than either bot; in-process (the default) the emulator is ~20 % of both bots' CPU.
2. start-up: time from starting the process's work (getMe) to the first reply, to a /help
   sent before start, with every Bot API call taking 0 ms and then 50 ms (a round trip to
   Telegram), on a network whose members' own menus were never set.
3. reminders: R due 24-hour reminders (meetings of R / group size groups), TELEGRAM_MAX_RATE
   (30) with the emulator enforcing Telegram's flood limits; K other members keep asking
   /help (a think time apart). Reminder rate (first to last reminder sent) against the cap,
   and those members' p95 while reminders go out against their p95 before (idle).
4. broadcast: a facilitator sends a message to the bot and announces it to a group of B
   members through the real use case (start_broadcast), the first copy to a share of them
   answered with a 429 (retry_after 1); K2 members ask /help meanwhile (``--broadcast-think``
   apart). Copies' rate against the cap, copies lost / duplicated (copies per recipient in the
   emulator), 429s served, and the askers' p95 during the broadcast against idle. Then the
   same with nobody asking, and with nobody asking at ``--broadcast-fast-rate`` (300/s: the
   cap and the emulator's limit both), which shows whether the code keeps up with more than
   Telegram allows (``--broadcast-runs``). ``--only broadcast``. The bot's clock follows
   real time while a load goes out (3 and 4), so a message held back for a 429 is due again
   when it would be.

    .venv/bin/python bench/reply_path_bench.py [--members 10000 --groups 500
        --facilitators 500 --users 200 --messages 10 --many-users 1000 --repetitions 3
        --reminders 10000 --max-rate 30 --broadcast 10000 --broadcast-asking 50]

Not part of the test suite (tests/unit/test_benchmarks_run.py runs it with tiny sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import math
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from made_up_people import made_up_member
from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.app import build_application, teardown
from bot.clock import ControllableClock
from bot.config import Settings
from bot.domain.broadcasts import Audience
from bot.domain.groups import GroupFormat, NewGroup
from bot.domain.meetings import NewMeeting
from bot.polling import start
from bot.sandbox.bot_api_http import MAX_UPLOAD_BYTES, add_bot_api_routes, start_server
from bot.sandbox.emulator import BotApiEmulator, FloodLimits
from bot.sandbox.params import UploadedFile
from bot.sandbox.request import EmulatorRequest
from bot.services.broadcasts import Target, start_broadcast
from bot.services.container import Services
from bot.services.meetings import schedule
from bot.startup_retry import StartupRetry
from bot.storage.database import Database, Tx, to_db_time

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
MEETING = T0 + timedelta(hours=25)  # its 24-hour reminders are due an hour after T0
FIRST_MEMBER = 100_000_000
COORDINATORS = 3  # ADMIN_IDS
REQUESTS = {
    "/help (registered member)": "/help",
    "/menu": "/menu",
    "free text (no match)": "what time does the library open tomorrow",
    "crisis text (crisis reply)": "aku pengen mati aja",
}
MANY_USERS_ROW = "/help, {users} users"
ANNOUNCEMENT = "Kopdar Sabtu ini di taman kota, jam 10. Sampai ketemu!"
REPLY_TIMEOUT = 120.0
# One message of a bot's answer as it was sent: the method and its wire-form parameters
# (strings, objects JSON-encoded), the chat left out.
Sent = tuple[str, dict[str, str]]


@dataclass(frozen=True)
class Sizes:
    members: int
    groups: int
    facilitators: int

    @property
    def group_size(self) -> int:
        return math.ceil(self.members / self.groups)

    def telegram_id(self, number: int) -> int:
        return FIRST_MEMBER + number

    def admin_ids(self) -> frozenset[int]:
        """Plain members made coordinators by ADMIN_IDS: the last ones before the facilitators."""
        first = self.members - self.facilitators - COORDINATORS
        return frozenset(self.telegram_id(n) for n in range(first, first + COORDINATORS))

    @property
    def warm_up_member(self) -> int:
        """A plain member who talks to the bot before the measurement (not a talker)."""
        return self.members - self.facilitators - COORDINATORS - 1


# ---------------------------------------------------------------------- the Bot API side


class WatchedEmulator(BotApiEmulator):
    """The emulator, which also tells waiting users that the bot has sent something to their
    chat, and counts the bot's calls by method (whichever front the bot calls through).
    ``count_edits``: an edited message counts as one sent (an answer to a button press)."""

    count_edits = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent: Counter[int] = Counter()
        self.calls: Counter[str] = Counter()
        self.send_times: list[tuple[float, int, str]] = []  # (loop time, chat, method)
        self.watched: dict[int, list[Sent]] = {}  # chat -> what the bot sent there, in full
        self._sent_waiters: dict[int, list[tuple[int, asyncio.Future[None]]]] = {}

    async def call(
        self, token: str, method: str, params: dict, files: dict[str, UploadedFile] | None = None
    ) -> tuple[int, dict]:
        status, body = await super().call(token, method, params, files)
        self.calls[method] += 1
        # An announcement's copies are sends too (copyMessage: one new message in the chat).
        sends = method.startswith("send") or method == "copyMessage"
        sends = sends or (self.count_edits and method.startswith("edit"))
        if status == 200 and sends and "chat_id" in params:
            chat = int(params["chat_id"])
            self.sent[chat] += 1
            self.send_times.append((asyncio.get_running_loop().time(), chat, method))
            if chat in self.watched:
                self.watched[chat].append(
                    (method, {k: v for k, v in params.items() if k != "chat_id"})
                )
            waiting = self._sent_waiters.get(chat, [])
            for count, future in [w for w in waiting if w[0] <= self.sent[chat]]:
                waiting.remove((count, future))
                if not future.done():
                    future.set_result(None)
        return status, body

    async def until_sent(self, chat: int, count: int) -> None:
        """Returns once the bot has sent ``count`` messages to ``chat`` in all."""
        if self.sent[chat] >= count:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sent_waiters.setdefault(chat, []).append((count, future))
        await future


# ---------------------------------------------------------------------- the bare bots


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def same_reply(answer: list[Sent], name: str) -> Callback:
    """A handler that answers as Rangkul answered the warm-up user (whose name is ``name``),
    with the sender's name in its place, the way a plain PTB bot would: text and options as
    arguments of ``send_message``, each keyboard an InlineKeyboardMarkup made once."""
    messages = [_send_message_arguments(method, params) for method, params in answer]

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None and update.effective_user is not None
        chat, sender = update.effective_chat.id, html.escape(update.effective_user.first_name)
        for text, options in messages:
            await context.bot.send_message(chat, text.replace(name, sender), **options)

    return reply


def _send_message_arguments(method: str, params: dict[str, str]) -> tuple[str, dict[str, Any]]:
    if method != "sendMessage":
        raise ValueError(f"the same-reply bot sends only messages, not {method}")
    params = dict(params)
    text = params.pop("text")
    options: dict[str, Any] = {}
    if "parse_mode" in params:
        options["parse_mode"] = params.pop("parse_mode")
    if "link_preview_options" in params:
        wire = json.loads(params.pop("link_preview_options"))
        options["link_preview_options"] = LinkPreviewOptions.de_json(wire, None)
    if "reply_markup" in params:
        wire = json.loads(params.pop("reply_markup"))
        options["reply_markup"] = InlineKeyboardMarkup.de_json(wire, None)
    if params:  # sent with something this bot would leave out: not the same reply
        raise ValueError(f"the same-reply bot cannot send {sorted(params)}")
    return text, options


@dataclass(frozen=True)
class BotApi:
    """How a bot reaches the emulated Bot API: in-process (``request``) or over HTTP."""

    token: str
    request: BaseRequest | None = None  # None: PTB's own HTTP client, to base_url
    base_url: str = "https://api.telegram.org/bot"


@asynccontextmanager
async def bare_bot(
    api: BotApi, callback: Callback = echo, rate_limiter: BaseRateLimiter | None = None
) -> AsyncIterator[None]:
    """A bare PTB bot: one handler for any text (the echo by default), updates handled
    concurrently (as Rangkul's are), with ``rate_limiter`` if given."""
    builder = ApplicationBuilder().token(api.token).base_url(api.base_url)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if api.request is not None:
        builder = builder.request(api.request).get_updates_request(api.request)
    app = builder.concurrent_updates(True).build()
    app.add_handler(MessageHandler(filters.TEXT, callback))
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling()
    await app.start()
    try:
        yield
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@asynccontextmanager
async def rangkul(
    db_path: Path, api: BotApi, clock: ControllableClock, sizes: Sizes, max_rate: float = 0
) -> AsyncIterator[Application]:
    """The real Application, started as ``rangkul run`` starts it."""
    settings = Settings(
        token=api.token,
        base_url=api.base_url,
        database_path=db_path,
        max_rate=max_rate,
        admin_ids=sizes.admin_ids(),
    )
    app = build_application(settings, request=api.request, clock=clock, rng=random.Random(1))
    await start(app, StartupRetry(60))
    try:
        yield app
    finally:
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await teardown(app)


async def menus_set(app: Application) -> None:
    """Runs the job that sets members' own menus after start-up (if this bot has one) to the
    end, as it would within the first minute."""
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name("role menus"):
        while not job.removed:
            await job.run(app)


def new_emulator(
    clock: ControllableClock, sizes: Sizes, *, flood: bool | FloodLimits = False
) -> WatchedEmulator:
    """The emulator with the network's users; ``flood``: Telegram's limits (True), or these."""
    limits = flood if isinstance(flood, FloodLimits) else FloodLimits() if flood else None
    emulator = WatchedEmulator(clock=clock, flood_limits=limits)
    for number in range(sizes.members):
        emulator.add_user(sizes.telegram_id(number), f"Member {number}", language_code="en")
    return emulator


# ---------------------------------------------------------------------- the network


async def make_network(path: Path, sizes: Sizes) -> None:
    """M members (made-up, English), G groups holding all of them, F facilitators (the last
    members, one group each), in one transaction."""
    db = Database(path)
    services = Services(
        settings=Settings(token="1:bench", database_path=path, max_rate=0),
        clock=ControllableClock(T0),
        db=db,
        contacts=(),
    )
    try:
        async with db.transaction() as tx:
            groups = [
                await services.groups.create(a_group(n, sizes.group_size), T0, tx=tx)
                for n in range(sizes.groups)
            ]
            for number in range(sizes.members):
                new = made_up_member(sizes.telegram_id(number), number, T0)
                member = await services.members.create(new, tx=tx)
                await services.groups.add_member(
                    groups[number % sizes.groups].id, member.id, T0, tx=tx
                )
                if number >= sizes.members - sizes.facilitators:
                    group = groups[number % sizes.groups]
                    await services.groups.add_facilitator(group.id, member.id, T0, tx=tx)
    finally:
        await db.close()


def a_group(number: int, size: int) -> NewGroup:
    return NewGroup(
        name=f"Lingkar {number}",
        description="A benchmark group.",
        format=GroupFormat.ONLINE,
        province=None,
        city=None,
        languages=("id", "en"),
        timezone="Asia/Jakarta",
        max_members=size,
        offers_trials=False,
        trial_seats=0,
        topics=(),
    )


async def with_services(path: Path, work: Callable[[Services], Awaitable[None]]) -> None:
    db = Database(path)
    try:
        await work(
            Services(
                settings=Settings(token="1:bench", database_path=path, max_rate=0),
                clock=ControllableClock(T0),
                db=db,
                contacts=(),
            )
        )
    finally:
        await db.close()


def copy_database(template: Path, into: Path) -> Path:
    into.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, into)
    return into


# ---------------------------------------------------------------------- 1. reply path


@dataclass
class Run:
    """One bot's measurement of one request kind."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0
    replies: int = 0
    correct: int = 0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)

    @property
    def cpu_per_reply(self) -> float:
        return self.cpu / max(1, self.replies)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


async def conversations(
    emulator: WatchedEmulator, users: list[int], text: str, messages: int, per_message: int
) -> Run:
    """Every user sends ``messages`` times ``text``, each once the previous was answered."""
    loop = asyncio.get_running_loop()
    run = Run()

    async def converse(user: int) -> None:
        for _ in range(messages):
            expected = emulator.sent[user] + per_message
            started = loop.time()
            emulator.user_sends_text(user, text)
            await emulator.until_sent(user, expected)
            run.latencies.append(loop.time() - started)

    cpu, started = time.process_time(), time.perf_counter()
    async with asyncio.timeout(REPLY_TIMEOUT):
        await asyncio.gather(*map(converse, users))
    run.seconds, run.cpu = time.perf_counter() - started, time.process_time() - cpu
    run.replies = len(users) * messages * per_message
    return run


def answers(emulator: BotApiEmulator, user: int, alias: str) -> list[str]:
    """The bot's messages in the user's chat, with their alias taken out."""
    return [(entry.text or "").replace(alias, "<alias>") for entry in emulator.bot_messages(user)]


def count_correct(
    emulator: BotApiEmulator, users: list[int], reference: list[str], messages: int
) -> int:
    """Answers (of ``len(reference)`` messages each) equal to the warm-up user's."""
    correct = 0
    for user in users:
        got = answers(emulator, user, f"Member {user - FIRST_MEMBER}")
        for n in range(messages):
            chunk = got[n * len(reference) : (n + 1) * len(reference)]
            correct += chunk == reference
    return correct


async def warm_up(emulator: WatchedEmulator, user: int, text: str) -> list[str]:
    """One message from a user who is not measured: what a correct answer looks like."""
    before = len(emulator.bot_messages(user))
    emulator.user_sends_text(user, text)
    async with asyncio.timeout(REPLY_TIMEOUT):
        await emulator.until_sent(user, emulator.sent[user] + 1)
    # Every message of the answer (a crisis reply is several): they follow within moments.
    await asyncio.sleep(0.2)
    return answers(emulator, user, f"Member {user - FIRST_MEMBER}")[before:]


class Users:
    """The emulated Telegram and its users, as the reply path drives them: in this process
    (the bot calls the emulator directly), or in a process of their own that the bot reaches
    over HTTP, as production Telegram is another machine. In-process, the emulator's work for
    each reply (parsing the bot's HTML and keyboards, answering getUpdates) and the users' is
    counted in the bot's CPU; separate, CPU per reply is the bot's process alone."""

    api: BotApi

    async def warm_up(self, user: int, text: str) -> list[str]:
        raise NotImplementedError

    async def sent(self, user: int) -> list[Sent]:
        """Everything the bot sent the warm-up ``user`` (after ``warm_up``), in full."""
        raise NotImplementedError

    async def converse(self, users: list[int], text: str, messages: int, per_message: int) -> Run:
        raise NotImplementedError

    async def correct(self, users: list[int], reference: list[str], messages: int) -> int:
        raise NotImplementedError


class UsersHere(Users):
    def __init__(self, sizes: Sizes) -> None:
        self.emulator = new_emulator(ControllableClock(T0), sizes)
        self.api = BotApi(self.emulator.token, EmulatorRequest(self.emulator))

    async def warm_up(self, user: int, text: str) -> list[str]:
        self.emulator.watched.setdefault(user, [])
        return await warm_up(self.emulator, user, text)

    async def sent(self, user: int) -> list[Sent]:
        return self.emulator.watched[user]

    async def converse(self, users: list[int], text: str, messages: int, per_message: int) -> Run:
        return await conversations(self.emulator, users, text, messages, per_message)

    async def correct(self, users: list[int], reference: list[str], messages: int) -> int:
        return count_correct(self.emulator, users, reference, messages)


class UsersElsewhere(Users):
    """Talks to ``serve_users`` in a child process: the Bot API under /bot, the users' actions
    under /bench/<action> (JSON in and out)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.api = BotApi(BotApiEmulator().token, base_url=f"{url}/bot")
        self.client = httpx.AsyncClient(timeout=REPLY_TIMEOUT + 30)

    async def _ask(self, action: str, **arguments: object) -> Any:
        answer = await self.client.post(f"{self.url}/bench/{action}", json=arguments)
        answer.raise_for_status()
        return answer.json()

    async def warm_up(self, user: int, text: str) -> list[str]:
        return list(await self._ask("warm_up", user=user, text=text))

    async def sent(self, user: int) -> list[Sent]:
        return [(method, params) for method, params in await self._ask("sent", user=user)]

    async def converse(self, users: list[int], text: str, messages: int, per_message: int) -> Run:
        cpu = time.process_time()
        got = await self._ask(
            "converse", users=users, text=text, messages=messages, per_message=per_message
        )
        return Run(
            latencies=got["latencies"],
            seconds=got["seconds"],
            cpu=time.process_time() - cpu,  # the bot's process only
            replies=got["replies"],
        )

    async def correct(self, users: list[int], reference: list[str], messages: int) -> int:
        return int(await self._ask("correct", users=users, reference=reference, messages=messages))


@asynccontextmanager
async def users_for(sizes: Sizes, separate: bool) -> AsyncIterator[Users]:
    """A fresh emulator with the network's users, here or in a child process."""
    if not separate:
        yield UsersHere(sizes)
        return
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve-users",
        "--members",
        str(sizes.members),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        url = (await child.stdout.readline()).decode().strip()
        if not url.startswith("http"):
            raise RuntimeError("the users' process did not start")
        users = UsersElsewhere(url)
        try:
            yield users
        finally:
            await users.client.aclose()
    finally:
        child.terminate()
        await child.wait()


def serve_users(members: int) -> None:
    """The child of ``users_for``: the emulator's HTTP front and the users, until killed."""

    async def serve() -> None:
        emulator = new_emulator(ControllableClock(T0), Sizes(members, 1, 0))

        async def act(request: web.Request) -> web.Response:
            arguments = await request.json()
            action = request.match_info["action"]
            if action == "warm_up":
                emulator.watched.setdefault(arguments["user"], [])
                return web.json_response(await warm_up(emulator, **arguments))
            if action == "sent":
                return web.json_response(emulator.watched[arguments["user"]])
            if action == "converse":
                run = await conversations(emulator, **arguments)
                body = {"latencies": run.latencies, "seconds": run.seconds, "replies": run.replies}
                return web.json_response(body)
            if action == "correct":
                return web.json_response(count_correct(emulator, **arguments))
            raise web.HTTPNotFound()

        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        add_bot_api_routes(app, emulator)
        app.router.add_post("/bench/{action}", act)
        _, url = await start_server(app)
        print(url, flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


@dataclass
class Row:
    name: str
    ours: list[Run] = field(default_factory=list)
    echo: list[Run] = field(default_factory=list)
    same: list[Run] = field(default_factory=list)  # the same-reply bot

    def ratios(self, of: Callable[[Run], float], against: str = "echo") -> tuple[float, float]:
        """min-max over the repetitions of Rangkul / the bare bot ``against`` ("echo", "same")."""
        base: list[Run] = getattr(self, against)
        values = [of(a) / of(b) for a, b in zip(self.ours, base, strict=True)]
        return min(values), max(values)


async def reply_path_row(
    template: Path,
    tmp: Path,
    sizes: Sizes,
    row: Row,
    text: str,
    users: int,
    messages: int,
    separate: bool,
) -> None:
    """One repetition of one row: Rangkul, the echo bot, then the same-reply bot, on fresh
    emulators."""
    clock = ControllableClock(T0)
    talkers = [sizes.telegram_id(n) for n in range(users)]
    warm_up_user = sizes.telegram_id(sizes.warm_up_member)
    db_path = copy_database(template, tmp / f"reply-{len(row.ours)}" / "bench.sqlite3")
    async with users_for(sizes, separate) as people:
        async with rangkul(db_path, people.api, clock, sizes):
            reference = await people.warm_up(warm_up_user, text)
            run = await people.converse(talkers, text, messages, len(reference))
        run.correct = await people.correct(talkers, reference, messages)
        answer = await people.sent(warm_up_user)
    row.ours.append(run)

    async with users_for(sizes, separate) as people:
        async with bare_bot(people.api):
            await people.warm_up(warm_up_user, text)
            run = await people.converse(talkers, text, messages, 1)
        run.correct = await people.correct(talkers, [text], messages)
    row.echo.append(run)

    async with users_for(sizes, separate) as people:
        async with bare_bot(people.api, same_reply(answer, f"Member {sizes.warm_up_member}")):
            await people.warm_up(warm_up_user, text)
            run = await people.converse(talkers, text, messages, len(answer))
        run.correct = await people.correct(talkers, reference, messages)
    row.same.append(run)


async def sql_per_help(template: Path, tmp: Path, sizes: Sizes, repeat: int = 20) -> str:
    """Statements and COMMITs on the bot's connection for one /help of a registered member."""
    clock = ControllableClock(T0)
    people = UsersHere(sizes)
    db_path = copy_database(template, tmp / "sql" / "bench.sqlite3")
    user = sizes.telegram_id(0)
    statements: list[str] = []
    async with rangkul(db_path, people.api, clock, sizes) as app:
        await people.warm_up(user, "/help")
        conn = await app.bot_data["services"].db.connection()
        await conn.set_trace_callback(statements.append)
        await people.converse([user], "/help", repeat, 1)
        await asyncio.sleep(0.1)  # anything written after the reply
        await conn.set_trace_callback(None)
    commits = sum(1 for s in statements if s.strip().upper().startswith("COMMIT"))
    kinds = Counter(s.split(None, 1)[0].upper() for s in statements if s.strip())
    detail = ", ".join(f"{kind} {count / repeat:g}" for kind, count in kinds.most_common())
    return (
        f"SQL per /help (registered member): {len(statements) / repeat:g} statements,"
        f" {commits / repeat:g} commits ({detail})"
    )


# ---------------------------------------------------------------------- 2. start-up


async def time_to_first_reply(template: Path, tmp: Path, sizes: Sizes, latency: float) -> str:
    clock = ControllableClock(T0)
    emulator = new_emulator(clock, sizes)
    api = BotApi(emulator.token, EmulatorRequest(emulator, latency=latency))
    db_path = copy_database(template, tmp / f"startup-{latency}" / "bench.sqlite3")
    user = sizes.telegram_id(0)
    emulator.user_sends_text(user, "/help")  # waiting when the bot starts
    loop = asyncio.get_running_loop()
    started = loop.time()
    first_reply = asyncio.ensure_future(emulator.until_sent(user, 1))
    async with rangkul(db_path, api, clock, sizes):
        async with asyncio.timeout(REPLY_TIMEOUT):
            await first_reply
        seconds = loop.time() - started
        menus_before = emulator.calls["setMyCommands"]
    return (
        f"  {latency * 1000:3.0f} ms round trip: first reply after {seconds:6.2f} s"
        f" ({menus_before} setMyCommands calls before it)"
    )


# ---------------------------------------------------------------- 3./4. sends while members ask


@dataclass(frozen=True)
class Load:
    """Messages the bot sends on its own while members ask /help: ``start`` sets them off and
    returns how many there will be; ``method`` is the Bot API method that sends them."""

    start: Callable[[Application, WatchedEmulator, ControllableClock], Awaitable[int]]
    method: str


@dataclass
class LoadRun:
    sent: int
    seconds: float  # first to last of the load's messages
    all_sent: int  # every message sent meanwhile, the askers' replies included
    idle: list[float]
    during: list[float]
    emulator: WatchedEmulator


def extra_people(sizes: Sizes, count: int) -> list[int]:
    """Telegram ids of people beyond the network's members (askers, an announcement's author)."""
    return [sizes.telegram_id(sizes.members + n) for n in range(count)]


async def add_people(services: Services, sizes: Sizes, count: int, *, tx: Tx) -> list[int]:
    """Registers ``extra_people``; returns their member ids."""
    ids = []
    for n in range(count):
        number = sizes.members + n
        new = made_up_member(sizes.telegram_id(number), number, T0)
        ids.append((await services.members.create(new, tx=tx)).id)
    return ids


@dataclass(frozen=True)
class Askers:
    """Members who keep asking /help, ``think`` seconds after each answer."""

    count: int
    think: float


async def while_members_ask(
    db_path: Path,
    sizes: Sizes,
    options: argparse.Namespace,
    load: Load,
    asking: Askers,
    people: int,
) -> LoadRun:
    """The bot on ``db_path`` (where ``people`` extra people exist, the first of them the
    askers) with Telegram's flood limits: the askers keep asking /help, idle for a while, then
    while ``load`` goes out, until its last message is sent."""
    clock = ControllableClock(T0)
    emulator = new_emulator(clock, sizes, flood=FloodLimits(global_per_second=options.flood_rate))
    for n, person in enumerate(extra_people(sizes, people)):
        emulator.add_user(person, f"Member {sizes.members + n}", language_code="en")
    askers = extra_people(sizes, asking.count)
    api = BotApi(emulator.token, EmulatorRequest(emulator))
    loop = asyncio.get_running_loop()
    idle: list[float] = []
    during: list[float] = []
    load_started = asyncio.Event()
    done = asyncio.Event()

    # Each starts at their own moment within the first think time, as people do: all starting
    # together made one burst of 50 /help beyond the 30/s cap, and that queue was the idle p95.
    offsets = random.Random(1)

    async def ask(user: int) -> None:
        await asyncio.sleep(offsets.uniform(0, asking.think))
        while not done.is_set():
            expected = emulator.sent[user] + 1
            started = loop.time()
            emulator.user_sends_text(user, "/help")
            await emulator.until_sent(user, expected)
            (during if load_started.is_set() else idle).append(loop.time() - started)
            await asyncio.sleep(asking.think)

    asker_set = set(askers)

    def load_sends() -> list[float]:
        return [
            at
            for at, chat, method in emulator.send_times
            if method == load.method and chat not in asker_set
        ]

    async with rangkul(db_path, api, clock, sizes, max_rate=options.max_rate) as app:
        # A first answer each, not measured (cold caches, new chats).
        await asyncio.gather(*(warm_up(emulator, user, "/help") for user in askers))
        # 50 warm-up replies at once overdraw the 30/s bucket; let it refill, or the first
        # measured asks wait out the warm-up's queue and that wait becomes the idle p95.
        await asyncio.sleep(2)
        askers_tasks = [asyncio.ensure_future(ask(user)) for user in askers]
        await asyncio.sleep(options.idle_seconds)
        expected = await load.start(app, emulator, clock)
        last = loop.time()
        deadline = last + expected / options.max_rate * 3 + 30
        while len(load_sends()) < expected and loop.time() < deadline:
            if load_sends():
                load_started.set()
            await asyncio.sleep(0.05)
            # The bot's clock follows real time meanwhile: a message held back for a 429's
            # retry_after is due again when it would be.
            clock.advance(timedelta(seconds=loop.time() - last))
            last = loop.time()
        done.set()
        await asyncio.gather(*askers_tasks)
    sends = load_sends()
    if len(sends) < 2:
        return LoadRun(len(sends), math.nan, len(sends), idle, during, emulator)
    meanwhile = sum(1 for at, _, _ in emulator.send_times if sends[0] <= at <= sends[-1])
    return LoadRun(len(sends), sends[-1] - sends[0], meanwhile, idle, during, emulator)


def rate_line(run: LoadRun, what: str, max_rate: float) -> str:
    rate = (run.sent - 1) / run.seconds
    every = (run.all_sent - 1) / run.seconds
    return (
        f"{run.sent} {what} sent, TELEGRAM_MAX_RATE={max_rate:g}, flood limits on:"
        f" {rate:.1f} msg/s ({rate / max_rate:.2f} of the cap); with the askers' replies"
        f" {every:.1f} msg/s ({every / max_rate:.2f})"
    )


def p95_line(run: LoadRun, asking: int, during: str) -> str:
    idle95, during95 = percentile(run.idle, 0.95), percentile(run.during, 0.95)
    return (
        f"  {asking} members asking /help meanwhile: p95 idle {idle95 * 1000:.0f} ms"
        f" ({len(run.idle)}), during {during} {during95 * 1000:.0f} ms ({len(run.during)});"
        f" ratio during / idle {during95 / idle95:.2f}"
    )


# ---------------------------------------------------------------------- 3. reminders


async def reminders_under_interaction(
    template: Path, tmp: Path, sizes: Sizes, options: argparse.Namespace
) -> LoadRun:
    """R due 24-hour reminders (meetings of the first R / group size groups)."""
    db_path = copy_database(template, tmp / "reminders" / "bench.sqlite3")

    async def prepare(services: Services) -> None:
        async with services.db.transaction() as tx:
            await add_people(services, sizes, options.asking, tx=tx)
        groups = await services.groups.list_all()
        for summary in groups[: math.ceil(options.reminders / sizes.group_size)]:
            meeting = NewMeeting(
                summary.group.id, MEETING, 90, "once", None, None, sizes.group_size
            )
            s = services
            await schedule(s.meetings, s.groups, s.outbox, s.clock, meeting, None)

    async def reminders_due(app: Application, _: WatchedEmulator, clock: ControllableClock) -> int:
        services: Services = app.bot_data["services"]
        due = await services.db.connection()
        # Everything pending that is due at the 24-hour mark: those reminders, nothing else.
        async with due.execute(
            "SELECT count(*) FROM outbox WHERE status = 'pending' AND not_before <= ?",
            (to_db_time(MEETING - timedelta(hours=24)),),
        ) as cursor:
            row = await cursor.fetchone()
        clock.advance(MEETING - timedelta(hours=24) - clock.now())
        return row[0] if row else 0

    await with_services(db_path, prepare)
    load = Load(reminders_due, "sendMessage")
    asking = Askers(options.asking, options.think)
    return await while_members_ask(db_path, sizes, options, load, asking, options.asking)


# ---------------------------------------------------------------------- 4. broadcast


@dataclass
class BroadcastRun:
    run: LoadRun
    recipients: list[int]  # Telegram ids
    copies: Counter[int]  # recipient -> copies that reached them


async def broadcast_under_interaction(
    template: Path, tmp: Path, sizes: Sizes, options: argparse.Namespace
) -> BroadcastRun:
    """A facilitator of a group of B members (the network's first B, in a big group besides
    their own) announces to it through the real use case, after sending the message to the
    bot; the first copy to a share of the recipients gets an injected 429."""
    db_path = copy_database(template, tmp / "broadcast" / "bench.sqlite3")
    asking = options.broadcast_asking
    author = extra_people(sizes, asking + 1)[-1]
    recipients = [sizes.telegram_id(n) for n in range(options.broadcast)]
    ids: dict[str, int] = {}
    share = options.broadcast_429

    async def prepare(services: Services) -> None:
        async with services.db.transaction() as tx:
            *_, ids["author"] = await add_people(services, sizes, asking + 1, tx=tx)
            big = a_group(sizes.groups, options.broadcast)
            group = await services.groups.create(big, T0, tx=tx)
            ids["group"] = group.id
            async with tx.execute(
                "SELECT id FROM members WHERE telegram_id BETWEEN ? AND ?",
                (recipients[0], recipients[-1]),
            ) as cursor:
                for (member_id,) in await cursor.fetchall():
                    await services.groups.add_member(group.id, member_id, T0, tx=tx)
            await services.groups.add_facilitator(group.id, ids["author"], T0, tx=tx)

    async def announce(app: Application, emulator: WatchedEmulator, _: ControllableClock) -> int:
        services: Services = app.bot_data["services"]
        await warm_up(emulator, author, ANNOUNCEMENT)  # the message to copy, in the bot's chat
        source = next(e.message_id for e in reversed(emulator.chat_log(author)) if not e.from_bot)
        # 429s on copies only: a random one on an asker's own reply would put its retry_after
        # into their p95, which measures that 429, not what the broadcast does to replies.
        for chat in random.Random(0).sample(recipients, round(len(recipients) * share)):
            emulator.faults.fail_next("429", method="copyMessage", chat_id=chat, retry_after=1)
        started = await start_broadcast(
            services.broadcasts,
            services.outbox,
            services.clock,
            author_id=ids["author"],
            author_chat_id=author,
            source_message_id=source,
            target=Target(Audience.GROUP, ids["group"]),
        )
        assert started is not None
        return started[1]

    await with_services(db_path, prepare)
    load = Load(announce, "copyMessage")
    askers = Askers(asking, options.broadcast_think)
    run = await while_members_ask(db_path, sizes, options, load, askers, asking + 1)
    copies = Counter(c for _, c, m in run.emulator.send_times if m == "copyMessage")
    return BroadcastRun(run, recipients, copies)


# ---------------------------------------------------------------------- report


async def main(options: argparse.Namespace) -> None:
    sizes = Sizes(options.members, options.groups, options.facilitators)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        fresh = tmp / "fresh.sqlite3"
        started = time.perf_counter()
        await make_network(fresh, sizes)
        # Rangkul has started on this network once (what a restart finds).
        template = copy_database(fresh, tmp / "template.sqlite3")
        clock = ControllableClock(T0)
        emulator = new_emulator(clock, sizes)
        api = BotApi(emulator.token, EmulatorRequest(emulator))
        async with rangkul(template, api, clock, sizes) as app:
            await menus_set(app)
        print(
            f"network: {sizes.members} members, {sizes.groups} groups, {sizes.facilitators}"
            f" facilitators, {COORDINATORS} coordinators (made in"
            f" {time.perf_counter() - started:.1f} s)"
        )

        if "reply" in options.only:
            await reply_path(template, tmp, sizes, options)
        if "startup" in options.only:
            await startup(fresh, tmp, sizes)
        if "reminders" in options.only:
            await reminders(template, tmp, sizes, options)
        if "broadcast" in options.only:
            await broadcast(template, tmp, sizes, options)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (both bots, emulator, users): {peak:.1f} MB")


async def reply_path(template: Path, tmp: Path, sizes: Sizes, options: argparse.Namespace) -> None:
    rows = [(name, text, options.users) for name, text in REQUESTS.items()]
    rows.insert(1, (MANY_USERS_ROW.format(users=options.many_users), "/help", options.many_users))
    for where in options.emulator:
        await reply_path_table(template, tmp, sizes, options, rows, separate=where == "separate")
    print("  " + await sql_per_help(template, tmp, sizes))


async def reply_path_table(
    template: Path,
    tmp: Path,
    sizes: Sizes,
    options: argparse.Namespace,
    rows: list[tuple[str, str, int]],
    *,
    separate: bool,
) -> None:
    where = (
        "Bot API emulation and users in a separate process, over HTTP (CPU: the bot's process)"
        if separate
        else "Bot API emulation and users in this process (CPU: all of it)"
    )
    print(
        f"reply path, {where}: users x {options.messages} messages each, limiter off,"
        f" {options.repetitions} repetitions (min-max of the ratios Rangkul / echo; then"
        " Rangkul / same-reply bot, which sends Rangkul's answer: what Rangkul adds)"
    )
    print(
        f"  {'request':32s} {'users':>5s} {'throughput':>12s} {'p95':>12s} {'CPU/reply':>12s}"
        f"   {'Rangkul msg/s':>13s} {'echo msg/s':>10s} {'p95 ms':>15s}  correct"
        f"  | vs same-reply: {'throughput':>12s} {'p95':>12s} {'CPU/reply':>12s}"
        f" {'msg/s':>6s} {'p95 ms':>7s}  correct"
    )
    for name, text, users in rows:
        row = Row(name)
        for _ in range(options.repetitions):
            await reply_path_row(template, tmp, sizes, row, text, users, options.messages, separate)
        print(
            f"  {name:32s} {users:5d} {span(row.ratios(lambda r: r.throughput))}"
            f" {span(row.ratios(lambda r: r.p95))}"
            f" {span(row.ratios(lambda r: r.cpu_per_reply))}"
            f"   {median(r.throughput for r in row.ours):13.0f}"
            f" {median(r.throughput for r in row.echo):10.0f}"
            f" {median(r.p95 for r in row.ours) * 1000:7.1f}/"
            f"{median(r.p95 for r in row.echo) * 1000:<7.1f}"
            f"  {min(r.correct for r in row.ours)}/{users * options.messages}"
            f"  | {'':15s}{span(row.ratios(lambda r: r.throughput, 'same'))}"
            f" {span(row.ratios(lambda r: r.p95, 'same'))}"
            f" {span(row.ratios(lambda r: r.cpu_per_reply, 'same'))}"
            f" {median(r.throughput for r in row.same):6.0f}"
            f" {median(r.p95 for r in row.same) * 1000:7.1f}"
            f"  {min(r.correct for r in row.same)}/{users * options.messages}"
        )


async def startup(fresh: Path, tmp: Path, sizes: Sizes) -> None:
    print(
        f"start-up to the first reply, {sizes.members} members,"
        f" {sizes.facilitators + COORDINATORS} with a role (members' own menus never set before):"
    )
    for latency in (0.0, 0.05):
        print(await time_to_first_reply(fresh, tmp, sizes, latency))


async def reminders(template: Path, tmp: Path, sizes: Sizes, options: argparse.Namespace) -> None:
    run = await reminders_under_interaction(template, tmp, sizes, options)
    print("reminders: " + rate_line(run, "reminders", options.max_rate))
    print(p95_line(run, options.asking, "reminders"))


# The broadcast's runs (--broadcast-runs): with members asking meanwhile at the cap; nobody
# asking; nobody asking with the cap and the emulator's limit raised to --broadcast-fast-rate
# (the code is not the bottleneck if it keeps most of that pace too).
BROADCAST_RUNS = ("askers", "quiet", "fast")


async def broadcast(template: Path, tmp: Path, sizes: Sizes, options: argparse.Namespace) -> None:
    for name in options.broadcast_runs:
        quiet = {"broadcast_asking": 0, "idle_seconds": 0}  # nobody to measure idle
        changed: dict[str, float] = {} if name == "askers" else quiet
        if name == "fast":
            changed |= {"max_rate": options.broadcast_fast_rate}
            changed |= {"flood_rate": options.broadcast_fast_rate}
        await broadcast_run(template, tmp, sizes, argparse.Namespace(**vars(options) | changed))


async def broadcast_run(
    template: Path, tmp: Path, sizes: Sizes, options: argparse.Namespace
) -> None:
    result = await broadcast_under_interaction(template, tmp, sizes, options)
    run, copies = result.run, result.copies
    lost = sum(1 for chat in result.recipients if copies[chat] == 0)
    twice = sum(1 for chat in result.recipients if copies[chat] > 1)
    injected = sum(1 for f in run.emulator.faults.served if f.kind == "429")
    flood = sum(1 for call in run.emulator.rejected if call.status == 429)
    print(
        f"broadcast to {len(result.recipients)} recipients (a facilitator's group, through"
        f" start_broadcast), the first copy to {options.broadcast_429:.0%} of them an injected"
        f" 429 (retry_after 1), emulator flood limit {options.flood_rate:g}/s,"
        f" {options.broadcast_asking} members asking:"
    )
    print("  " + rate_line(run, "copies", options.max_rate))
    print(
        f"  copies lost {lost}, duplicated {twice} (copies per recipient in the emulator);"
        f" 429s served: {injected} injected, {flood} by the flood limits"
    )
    if options.broadcast_asking:
        print(p95_line(run, options.broadcast_asking, "the broadcast"))


def span(values: tuple[float, float]) -> str:
    return f"{values[0]:5.2f}-{values[1]:<5.2f}x"


def median(values: object) -> float:
    ordered = sorted(values)  # type: ignore[call-overload]
    return ordered[len(ordered) // 2]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    SECTIONS = ("reply", "startup", "reminders", "broadcast")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        default=SECTIONS,
        help="sections to run (default: all)",
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--facilitators", type=int, default=500)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--many-users", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--max-rate", type=float, default=30.0)
    parser.add_argument(
        "--flood-rate", type=float, default=30.0, help="the emulator's overall limit, per second"
    )
    parser.add_argument("--asking", type=int, default=4, help="members asking during reminders")
    parser.add_argument("--think", type=float, default=2.0, help="seconds between their asks")
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--broadcast", type=int, default=10_000, help="its recipients")
    parser.add_argument(
        "--broadcast-asking", type=int, default=50, help="members asking during the broadcast"
    )
    parser.add_argument(
        "--broadcast-think",
        type=float,
        default=10.0,
        help="seconds between their asks (50 every 10 s: 5 replies/s, a sixth of the cap)",
    )
    parser.add_argument(
        "--broadcast-429",
        type=float,
        default=0.01,
        help="share of recipients whose copy first gets a 429",
    )
    parser.add_argument(
        "--broadcast-runs",
        nargs="+",
        choices=BROADCAST_RUNS,
        default=BROADCAST_RUNS,
        help="askers: members ask meanwhile; quiet: nobody asks; fast: nobody asks, the cap and"
        " the emulator's limit at --broadcast-fast-rate",
    )
    parser.add_argument("--broadcast-fast-rate", type=float, default=300.0)
    parser.add_argument(
        "--emulator",
        nargs="+",
        choices=("separate", "in-process"),
        default=("in-process",),
        help="where the reply path's Bot API emulation runs, one table each (default:"
        " in-process; separate: over HTTP, where PTB's HTTP client costs both bots"
        " milliseconds per call and dominates)",
    )
    parser.add_argument("--serve-users", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_users:
        logging.basicConfig(level=logging.ERROR)
        serve_users(options.members)
        sys.exit(0)
    if (
        max(options.users, options.many_users)
        > options.members - options.facilitators - COORDINATORS - 1
    ):
        parser.error("the talking users must be plain members: raise --members")
    if options.broadcast > options.members:
        parser.error("the broadcast's recipients are members: raise --members")
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.ERROR)
    asyncio.run(main(options))
