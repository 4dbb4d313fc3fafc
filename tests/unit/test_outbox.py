"""The outbox and its dispatcher against a real SQLite file and the in-process Bot API emulation.

Telegram's answers are real: the emulator refuses blocked chats (403), flood (429) and bad HTML
(400) as Telegram does. Only transient network failures are injected, by a request wrapper at
the HTTP boundary.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import telegram
from telegram.error import TimedOut
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from bot.clock import ControllableClock
from bot.config import Settings
from bot.domain.member import Member, NewMember
from bot.domain.messages import PlannedMessage
from bot.i18n import Translator
from bot.jobs.dispatcher import DispatchReport, OutboxDispatcher, Renderer
from bot.rate_limiter import ChatRateLimiter
from bot.sandbox.emulator import BotApiEmulator, FloodLimits
from bot.sandbox.request import EmulatorRequest
from bot.services.container import Services
from bot.storage.database import Database, from_db_time
from tests.virtual_time import VirtualTime

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
AYU, BUDI, CITRA, DEDI = 700000001, 800000002, 700000003, 700000004
HOUR = timedelta(hours=1)


async def note(services: Services, t: Translator, member: Member, payload: Mapping[str, Any]):
    """A test kind: says what it got, in which language it was rendered."""
    return f"note {payload['n']} ({t.lang})", None


async def gone(services: Services, t: Translator, member: Member, payload: Mapping[str, Any]):
    return None


async def broken(services: Services, t: Translator, member: Member, payload: Mapping[str, Any]):
    raise KeyError("a renderer bug")


async def bad_html(services: Services, t: Translator, member: Member, payload: Mapping[str, Any]):
    return "<b>never closed", None


async def slow(services: Services, t: Translator, member: Member, payload: Mapping[str, Any]):
    """A test kind whose sending takes a while: the clock moves 3 s on while it renders (a long
    pass, such as a broadcast's)."""
    assert isinstance(services.clock, ControllableClock)
    services.clock.advance(timedelta(seconds=3))
    return f"slow {payload['n']}", None


RENDERERS: dict[str, Renderer] = {
    "note": note,
    "gone": gone,
    "broken": broken,
    "bad": bad_html,
    "slow": slow,
}


class FlakyRequest(BaseRequest):
    """The emulator behind a network that times out on the first ``failures`` sends."""

    def __init__(self, inner: EmulatorRequest, failures: int) -> None:
        self.inner, self.failures = inner, failures

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if url.endswith("/sendMessage") and self.failures > 0:
            self.failures -= 1
            raise TimedOut()
        return await self.inner.do_request(url, method, request_data)


@dataclass
class Outbox:
    """One database, clock, emulated Telegram and bot; helpers that say what they do."""

    db: Database
    clock: ControllableClock
    emulator: BotApiEmulator
    bot: telegram.Bot
    services: Services
    members: dict[int, int]  # telegram id -> member id

    def dispatcher(self, **options: Any) -> OutboxDispatcher:
        return OutboxDispatcher(self.services, RENDERERS, **{"pace_per_second": 0, **options})

    async def run(self, **options: Any) -> DispatchReport:
        return await self.dispatcher(**options).run_once(self.bot)

    async def plan(self, telegram_id: int, key: str, *, kind: str = "note", **fields: Any) -> bool:
        fields.setdefault("not_before", self.clock.now())
        message = PlannedMessage(
            member_id=self.members[telegram_id],
            kind=kind,
            payload={"n": key},
            dedupe_key=key,
            **fields,
        )
        async with self.db.transaction() as tx:
            return await self.services.outbox.enqueue([message], now=self.clock.now(), tx=tx) == 1

    async def row(self, key: str) -> dict[str, Any]:
        conn = await self.db.connection()
        async with conn.execute("SELECT * FROM outbox WHERE dedupe_key = ?", (key,)) as cursor:
            found = await cursor.fetchone()
        assert found is not None, key
        return dict(found)

    def received(self, telegram_id: int) -> list[str]:
        return [m.text or "" for m in self.emulator.bot_messages(telegram_id)]


async def make_outbox(
    tmp_path: Path,
    *,
    flood: FloodLimits | None = None,
    network_failures: int = 0,
    limiter_time: VirtualTime | None = None,
) -> Outbox:
    """A bare Bot, as with TELEGRAM_MAX_RATE=0, or (``limiter_time``) the bot's own rate
    limiter on virtual time."""
    clock = ControllableClock(T0)
    emulator = BotApiEmulator(clock=clock, flood_limits=flood, queue_updates=False)
    request: BaseRequest = EmulatorRequest(emulator)
    if network_failures:
        request = FlakyRequest(EmulatorRequest(emulator), network_failures)
    bot = telegram.Bot(emulator.token, request=request, get_updates_request=request)
    if limiter_time is not None:
        limiter = ChatRateLimiter(30, monotonic=limiter_time.monotonic, sleep=limiter_time.sleep)
        bot = ExtBot(
            emulator.token, request=request, get_updates_request=request, rate_limiter=limiter
        )
    db = Database(tmp_path / "rangkul.sqlite3")
    services = Services(
        settings=Settings(token=emulator.token, database_path=db.path, max_rate=0),
        clock=clock,
        db=db,
        contacts=(),
        rng=random.Random(1),
    )
    members = {}
    people = (
        (AYU, "Ayu", "id"),
        (BUDI, "Budi", "en"),
        (CITRA, "Citra", "id"),
        (DEDI, "Dedi", "id"),
    )
    for telegram_id, alias, lang in people:
        emulator.add_user(telegram_id, alias, language_code=lang)
        member = await services.members.create(
            NewMember(
                telegram_id=telegram_id,
                alias=alias,
                alias_key=alias.casefold(),
                language=lang,
                timezone="Asia/Jakarta",
                province=None,
                topics=(),
                consent_version=1,
                consent_at=T0,
                adult_confirmed_at=T0,
                created_at=T0,
            )
        )
        members[telegram_id] = member.id
    await bot.initialize()
    return Outbox(db, clock, emulator, bot, services, members)


@pytest.fixture
async def box(tmp_path: Path) -> AsyncIterator[Outbox]:
    outbox = await make_outbox(tmp_path)
    yield outbox
    await outbox.bot.shutdown()
    await outbox.db.close()


# ---------------------------------------------------------------- planning


async def test_the_same_dedupe_key_is_planned_and_sent_once(box: Outbox) -> None:
    assert await box.plan(AYU, "reminder:1:1:60") is True
    assert await box.plan(AYU, "reminder:1:1:60") is False
    assert await box.run() == DispatchReport(sent=1)
    assert await box.plan(AYU, "reminder:1:1:60") is False  # sent: never again
    await box.run()
    assert box.received(AYU) == ["note reminder:1:1:60 (id)"]


async def test_messages_render_in_the_recipients_language(box: Outbox) -> None:
    await box.plan(BUDI, "hello")
    await box.run()
    assert box.received(BUDI) == ["note hello (en)"]


async def test_enqueue_needs_the_callers_transaction_and_a_json_object(box: Outbox) -> None:
    message = PlannedMessage(member_id=1, kind="note", not_before=T0, dedupe_key="k")
    conn = await box.db.connection()
    with pytest.raises(RuntimeError):
        await box.services.outbox.enqueue([message], now=T0, tx=conn)
    for payload in ([1, 2], {1: "int key"}, {"when": T0}):
        with pytest.raises(ValueError):
            await _plan_payload(box, payload)


async def test_enqueue_refuses_another_coroutines_transaction(box: Outbox) -> None:
    """The connection is shared: another coroutine's open transaction must not pass for the
    caller's own (the message would commit or roll back with someone else's change)."""
    message = PlannedMessage(member_id=box.members[AYU], kind="note", not_before=T0, dedupe_key="k")
    inside, done = asyncio.Event(), asyncio.Event()

    async def someone_else() -> None:
        async with box.db.transaction():
            inside.set()
            await done.wait()

    other = asyncio.create_task(someone_else())
    await inside.wait()
    conn = await box.db.connection()
    assert conn.in_transaction
    with pytest.raises(RuntimeError):
        await box.services.outbox.enqueue([message], now=T0, tx=conn)
    done.set()
    await other


async def _plan_payload(box: Outbox, payload: object) -> None:
    message = PlannedMessage(
        member_id=box.members[AYU],
        kind="note",
        payload=payload,  # type: ignore[arg-type]
        not_before=T0,
        dedupe_key="bad",
    )
    async with box.db.transaction() as tx:
        await box.services.outbox.enqueue([message], now=T0, tx=tx)


# ---------------------------------------------------------------- time


async def test_a_message_waits_until_it_is_due_by_the_clock(box: Outbox) -> None:
    await box.plan(AYU, "later", not_before=T0 + HOUR)
    assert await box.run() == DispatchReport()
    box.clock.advance(HOUR - timedelta(microseconds=1))
    assert await box.run() == DispatchReport()
    box.clock.advance(timedelta(microseconds=1))
    assert await box.run() == DispatchReport(sent=1)
    assert box.received(AYU) == ["note later (id)"]


async def test_a_message_whose_grace_window_passed_is_skipped(box: Outbox) -> None:
    await box.plan(AYU, "reminder", not_before=T0, expires_at=T0 + 30 * timedelta(minutes=1))
    box.clock.advance(2 * HOUR)  # the bot was down past the window
    assert await box.run() == DispatchReport(skipped=1)
    assert box.received(AYU) == []
    assert (await box.row("reminder"))["status"] == "skipped"


async def test_a_message_is_skipped_at_the_very_moment_its_window_ends(box: Outbox) -> None:
    # A reminder's window ends at the meeting's start: at that instant it is already too late.
    await box.plan(AYU, "reminder", not_before=T0, expires_at=T0 + HOUR)
    box.clock.advance(HOUR)
    assert await box.run() == DispatchReport(skipped=1)
    assert box.received(AYU) == []


async def test_a_message_late_within_its_window_is_sent_once(box: Outbox) -> None:
    await box.plan(AYU, "reminder", not_before=T0, expires_at=T0 + HOUR)
    box.clock.advance(50 * timedelta(minutes=1))
    assert await box.run() == DispatchReport(sent=1)
    box.clock.advance(HOUR)
    assert await box.run() == DispatchReport()
    assert box.received(AYU) == ["note reminder (id)"]
    row = await box.row("reminder")
    assert (row["status"], row["attempts"]) == ("sent", 1)
    assert from_db_time(row["sent_at"]) == T0 + 50 * timedelta(minutes=1)


# ---------------------------------------------------------------- crash recovery


async def test_rows_in_flight_at_a_crash_are_sent_after_recovery(tmp_path: Path) -> None:
    box = await make_outbox(tmp_path)
    try:
        await box.plan(AYU, "in-flight")
        await box.plan(AYU, "untouched", not_before=T0 + HOUR)
        claimed = await box.services.outbox.claim_due(T0, 10)
        assert [m.dedupe_key for m in claimed] == ["in-flight"]
        assert claimed[0].status == "sending"
    finally:
        await box.db.close()  # the process dies before it could mark the row sent
    restarted = await make_outbox_on(box, Database(box.db.path))
    try:
        assert await restarted.run() == DispatchReport()  # still 'sending': not claimable
        assert await restarted.services.outbox.recover_in_flight() == 1
        assert await restarted.services.outbox.recover_in_flight() == 0
        assert await restarted.run() == DispatchReport(sent=1)
        assert restarted.received(AYU) == ["note in-flight (id)"]
        assert (await restarted.row("untouched"))["status"] == "pending"
    finally:
        await restarted.bot.shutdown()
        await restarted.db.close()


async def make_outbox_on(old: Outbox, db: Database) -> Outbox:
    """The same emulated Telegram and clock with a fresh process' database objects."""
    services = Services(
        settings=old.services.settings,
        clock=old.clock,
        db=db,
        contacts=(),
    )
    return Outbox(db, old.clock, old.emulator, old.bot, services, old.members)


# ---------------------------------------------------------------- Telegram's answers


async def test_a_blocked_recipient_is_marked_and_their_pending_rows_cancelled(box: Outbox) -> None:
    box.emulator.user_blocks_bot(AYU)
    await box.plan(AYU, "now")
    await box.plan(AYU, "tomorrow", not_before=T0 + 24 * HOUR)
    await box.plan(BUDI, "budi")
    assert await box.run() == DispatchReport(sent=1, failed=1)
    now = await box.row("now")
    assert (now["status"], now["last_error"]) == (
        "failed",
        "Forbidden: bot was blocked by the user",
    )
    assert (await box.row("tomorrow"))["status"] == "cancelled"
    assert await box.services.outbox.is_member_blocked(box.members[AYU])
    assert not await box.services.outbox.is_member_blocked(box.members[BUDI])
    # Rows planned while they are blocked are skipped without calling Telegram.
    await box.plan(AYU, "after")
    assert await box.run() == DispatchReport(skipped=1)
    await box.services.outbox.clear_member_blocked(box.members[AYU])
    box.emulator.user_sends_text(AYU, "/start")  # unblocks the bot in the emulator
    await box.plan(AYU, "welcome back")
    assert await box.run() == DispatchReport(sent=1)


async def test_a_flood_wait_puts_back_that_chats_rows_and_the_pass_goes_on(
    tmp_path: Path,
) -> None:
    # One message per 100 s per chat: the second send is refused with retry_after=100.
    flood = FloodLimits(private_per_second=0.01, private_burst=1)
    box = await make_outbox(tmp_path, flood=flood)
    try:
        for key in ("first", "second", "third"):
            await box.plan(AYU, key)
        await box.plan(BUDI, "budi")  # after Ayu's rows in the same pass
        assert await box.run() == DispatchReport(sent=2, retried=2)
        assert box.received(BUDI) == ["note budi (en)"]  # not held back by Ayu's flood wait
        assert len(box.emulator.rejected) == 1  # Ayu's third row was not even tried
        for key in ("second", "third"):
            row = await box.row(key)
            assert (row["status"], row["attempts"]) == ("pending", 0)
            assert from_db_time(row["not_before"]) == T0 + timedelta(seconds=100)
            assert row["last_error"] == "RetryAfter: 100s"
        box.clock.advance(timedelta(seconds=99))
        assert await box.run() == DispatchReport()
        assert box.received(AYU) == ["note first (id)"]
        box.emulator.rejected.clear()
    finally:
        await box.bot.shutdown()
        await box.db.close()


async def test_a_chat_held_by_a_flood_wait_is_sent_once_the_wait_passes_in_the_same_pass(
    box: Outbox,
) -> None:
    # Ayu's message is refused with retry_after=2; Budi's slow rows then move the clock past
    # that wait while the same pass goes on (as in a long broadcast).
    box.emulator.faults.fail_next("429", method="sendMessage", chat_id=AYU, retry_after=2)
    await box.plan(AYU, "ayu")
    for key in ("budi 1", "budi 2"):
        await box.plan(BUDI, key, kind="slow")
    report = await asyncio.wait_for(box.run(), timeout=10)  # it once span here for ever
    assert report == DispatchReport(sent=3, retried=1)
    assert box.received(AYU) == ["note ayu (id)"]


async def test_a_flood_for_the_whole_bot_ends_the_pass(tmp_path: Path) -> None:
    box = await make_outbox(tmp_path, limiter_time=VirtualTime())  # any wait would hang
    try:
        for chat in (AYU, BUDI, CITRA):
            box.emulator.faults.fail_next("429", chat_id=chat, retry_after=20)
        for chat, key in ((AYU, "ayu"), (BUDI, "budi"), (CITRA, "citra"), (DEDI, "dedi")):
            await box.plan(chat, key)
        # Ayu's and Budi's 429s hold their chats; Citra's is the third chat in a moment: the
        # whole bot is over the limit, so Dedi's row waits too and is not even tried.
        assert await asyncio.wait_for(box.run(), 5) == DispatchReport(retried=4)
        row = await box.row("dedi")
        assert (row["status"], row["attempts"]) == ("pending", 0)
        assert from_db_time(row["not_before"]) == T0 + timedelta(seconds=20)
        assert len(box.emulator.faults.served) == 3 and box.received(DEDI) == []
    finally:
        await box.bot.shutdown()
        await box.db.close()


async def test_transient_errors_back_off_then_fail_after_max_attempts(tmp_path: Path) -> None:
    box = await make_outbox(tmp_path, network_failures=99)
    dispatcher = box.dispatcher(max_attempts=3)
    try:
        await box.plan(AYU, "flaky")
        assert await dispatcher.run_once(box.bot) == DispatchReport(retried=1)
        row = await box.row("flaky")
        assert (row["attempts"], row["last_error"]) == (1, "TimedOut: Timed out")
        assert from_db_time(row["not_before"]) == T0 + timedelta(seconds=30)
        box.clock.advance(timedelta(seconds=30))
        assert await dispatcher.run_once(box.bot) == DispatchReport(retried=1)
        assert from_db_time((await box.row("flaky"))["not_before"]) == box.clock.now() + (
            timedelta(seconds=60)
        )
        box.clock.advance(timedelta(seconds=60))
        assert await dispatcher.run_once(box.bot) == DispatchReport(failed=1)
        row = await box.row("flaky")
        assert (row["status"], row["attempts"]) == ("failed", 3)
        assert box.received(AYU) == []
    finally:
        await box.bot.shutdown()
        await box.db.close()


async def test_a_transient_error_is_retried_and_then_sent_once(tmp_path: Path) -> None:
    box = await make_outbox(tmp_path, network_failures=1)
    try:
        await box.plan(AYU, "flaky")
        assert await box.run() == DispatchReport(retried=1)
        box.clock.advance(timedelta(seconds=30))
        assert await box.run() == DispatchReport(sent=1)
        assert box.received(AYU) == ["note flaky (id)"]
        assert (await box.row("flaky"))["attempts"] == 2
    finally:
        await box.bot.shutdown()
        await box.db.close()


async def test_a_message_telegram_refuses_fails_without_retrying(box: Outbox) -> None:
    await box.plan(AYU, "bad", kind="bad")
    await box.plan(AYU, "good")
    assert await box.run() == DispatchReport(sent=1, failed=1)
    error = (await box.row("bad"))["last_error"]
    assert error.startswith("BadRequest: Can't parse entities")
    assert "never closed" not in error  # stored errors never quote message text
    assert len(box.emulator.rejected) == 1


# ---------------------------------------------------------------- renderers


async def test_renderer_outcomes_skip_or_fail_one_row_only(box: Outbox) -> None:
    await box.plan(AYU, "cancelled meeting", kind="gone")
    await box.plan(AYU, "mystery", kind="no-such-kind")
    await box.plan(AYU, "bug", kind="broken")
    await box.plan(AYU, "fine")
    assert await box.run() == DispatchReport(sent=1, skipped=1, failed=2)
    assert (await box.row("cancelled meeting"))["status"] == "skipped"
    assert (await box.row("mystery"))["last_error"] == "unknown kind"
    assert (await box.row("bug"))["last_error"] == "render error: KeyError"
    assert box.received(AYU) == ["note fine (id)"]


async def test_renderers_registered_after_construction_are_used(box: Outbox) -> None:
    renderers: dict[str, Renderer] = {}
    dispatcher = OutboxDispatcher(box.services, renderers, pace_per_second=0)
    renderers["note"] = note
    await box.plan(AYU, "late registration")
    assert await dispatcher.run_once(box.bot) == DispatchReport(sent=1)


async def test_a_recipient_who_was_forgotten_is_skipped(box: Outbox) -> None:
    await box.plan(AYU, "for ayu")
    claimed = await box.services.outbox.claim_due(T0, 10)
    await box.services.members.forget(AYU)  # cascades to the claimed row
    await box.services.outbox.mark_sent(claimed[0].id, T0)  # a no-op on a deleted row
    assert await box.run() == DispatchReport()


# ---------------------------------------------------------------- cancelling


async def a_meeting(db: Database, meeting_id: int) -> None:
    """The bare rows a meeting needs (the meetings repository belongs to another module)."""
    t = "2026-12-08T12:00:00.000000+00:00"
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT OR IGNORE INTO groups (id, name, description, format, languages, timezone,"
            " max_members, invite_code, created_at)"
            " VALUES (1, 'G', 'd', 'online', 'id', 'Asia/Jakarta', 10, 'code', ?)",
            (t,),
        )
        await conn.execute(
            "INSERT INTO meeting_series (id, group_id, first_starts_at, duration_minutes,"
            " recurrence, capacity, created_at) VALUES (?, 1, ?, 90, 'once', 10, ?)",
            (meeting_id, t, t),
        )
        await conn.execute(
            "INSERT INTO meetings (id, series_id, group_id, occurrence, starts_at,"
            " duration_minutes, capacity) VALUES (?, ?, 1, 0, ?, 90, 10)",
            (meeting_id, meeting_id, t),
        )


async def test_cancel_pending_matches_all_given_filters(box: Outbox) -> None:
    await a_meeting(box.db, 1)
    await a_meeting(box.db, 2)
    later = T0 + HOUR
    await box.plan(AYU, "reminder:1:ayu", meeting_id=1, not_before=later)
    await box.plan(BUDI, "reminder:1:budi", meeting_id=1, not_before=later)
    await box.plan(AYU, "reminder:2:ayu", meeting_id=2, not_before=later)
    await box.plan(AYU, "broadcast:7:ayu", not_before=later)
    await box.plan(AYU, "reminder:2:sent", meeting_id=2)
    await box.run()

    cancel_pending = box.services.outbox.cancel_pending
    async with box.db.transaction() as tx:
        with pytest.raises(ValueError):
            await cancel_pending(tx=tx)
        assert await cancel_pending(tx=tx, meeting_id=1, member_id=box.members[AYU]) == 1
        assert await cancel_pending(tx=tx, dedupe_prefix="%") == 0  # a prefix, not a pattern
        assert await cancel_pending(tx=tx, meeting_id=2, dedupe_prefix="reminder:2:") == 1
        assert await cancel_pending(tx=tx, member_id=box.members[AYU]) == 1
    statuses = {
        key: (await box.row(key))["status"]
        for key in (
            "reminder:1:ayu",
            "reminder:1:budi",
            "reminder:2:ayu",
            "broadcast:7:ayu",
            "reminder:2:sent",
        )
    }
    assert statuses == {
        "reminder:1:ayu": "cancelled",
        "reminder:1:budi": "pending",
        "reminder:2:ayu": "cancelled",
        "broadcast:7:ayu": "cancelled",
        "reminder:2:sent": "sent",
    }
    box.clock.advance(HOUR)
    assert await box.run() == DispatchReport(sent=1)
    assert box.received(BUDI) == ["note reminder:1:budi (en)"]


async def test_a_cancelled_message_can_be_planned_again(box: Outbox) -> None:
    """A moved meeting: its reminders are cancelled and planned again under the same keys."""
    await box.plan(AYU, "reminder:1:ayu:60", not_before=T0 + HOUR)
    async with box.db.transaction() as tx:
        await box.services.outbox.cancel_pending(tx=tx, dedupe_prefix="reminder:1:")
    assert await box.plan(AYU, "reminder:1:ayu:60", not_before=T0 + 2 * HOUR) is True
    box.clock.advance(HOUR)
    assert await box.run() == DispatchReport()
    box.clock.advance(HOUR)
    assert await box.run() == DispatchReport(sent=1)


# ---------------------------------------------------------------- pacing


async def test_a_long_run_paces_itself_but_a_few_rows_go_at_once(box: Outbox) -> None:
    loop = asyncio.get_running_loop()
    for i in range(4):
        await box.plan(AYU if i % 2 else BUDI, f"few {i}")
    started = loop.time()
    await box.run(pace_per_second=10)
    assert loop.time() - started < 0.1  # within the burst: no waiting
    for i in range(9):
        await box.plan(AYU if i % 2 else BUDI, f"many {i}")
    started = loop.time()
    assert await box.run(pace_per_second=50, batch_size=4) == DispatchReport(sent=9)
    # A burst of 5, then 4 sends at 20 ms intervals.
    assert loop.time() - started >= 0.07
