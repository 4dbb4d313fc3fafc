"""The bot's rate limiter through PTB's ExtBot against the Bot API emulation, on virtual time.

Faults are Telegram's answers served by the emulator (429 with retry_after, 502, a timeout);
the limiter's clock and sleep are virtual, so a 10 s flood wait takes no real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest
from telegram import BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.clock import ControllableClock
from bot.rate_limiter import (
    MAX_FLOOD_RETRIES,
    OUTBOX,
    REPLY_RESERVE,
    TRANSIENT_BACKOFF,
    ChatRateLimiter,
    GlobalFloodWait,
)
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest
from tests.virtual_time import VirtualTime

AYU, BUDI, CITRA, DEDI = 1001, 1002, 1003, 1004
GROUP = -100500
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

BotFactory = Callable[..., ExtBot]


@pytest.fixture
def emulator() -> BotApiEmulator:
    emulator = BotApiEmulator(clock=ControllableClock(START), queue_updates=False)
    for user_id, name in ((AYU, "Ayu"), (BUDI, "Budi"), (CITRA, "Citra"), (DEDI, "Dedi")):
        emulator.add_user(user_id, name)
    emulator.add_group(GROUP, "Lingkar")
    return emulator


@pytest.fixture
async def make_bot(emulator: BotApiEmulator) -> AsyncIterator[BotFactory]:
    """ExtBots whose limiter runs on the given virtual time, shut down after the test."""
    bots: list[ExtBot] = []

    async def make(time: VirtualTime, max_rate: float = 30) -> ExtBot:
        request = EmulatorRequest(emulator)
        limiter = ChatRateLimiter(max_rate, monotonic=time.monotonic, sleep=time.sleep)
        bot = ExtBot(
            emulator.token, request=request, get_updates_request=request, rate_limiter=limiter
        )
        await bot.initialize()
        bots.append(bot)
        return bot

    yield make  # type: ignore[misc]
    for bot in bots:
        await bot.shutdown()


def texts(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    return [entry.text or "" for entry in emulator.bot_messages(chat_id)]


async def until(condition: Callable[[], object]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never came true")


# ---------------------------------------------------------------- flood waits


async def test_a_flood_wait_holds_its_chat_only_then_the_reply_goes(emulator, make_bot) -> None:
    time = VirtualTime()
    bot = await make_bot(time)
    emulator.faults.fail_next("429", method="sendMessage", chat_id=AYU, retry_after=10)
    reply = asyncio.create_task(bot.send_message(AYU, "your answer"))
    await until(lambda: time.sleeping)
    await bot.send_message(BUDI, "not held")  # would hang here if everyone were held
    assert texts(emulator, BUDI) == ["not held"]
    await time.advance(9.9)
    assert not reply.done()
    await time.advance(0.1)
    await asyncio.wait_for(reply, 1)
    assert texts(emulator, AYU) == ["your answer"]
    assert time.sleeps == [10]


async def test_flood_retries_are_bounded(emulator, make_bot) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time)
    emulator.faults.fail_next("429", chat_id=AYU, times=MAX_FLOOD_RETRIES + 1, retry_after=2)
    with pytest.raises(RetryAfter):
        await bot.send_message(AYU, "x")
    assert len(emulator.faults.served) == MAX_FLOOD_RETRIES + 1
    assert texts(emulator, AYU) == []


async def test_a_reply_does_not_hang_on_an_hour_long_flood_wait(emulator, make_bot) -> None:
    time = VirtualTime()
    bot = await make_bot(time)
    emulator.faults.fail_next("429", chat_id=AYU, retry_after=3600)
    with pytest.raises(RetryAfter):
        await asyncio.wait_for(bot.send_message(AYU, "x"), 1)
    assert time.sleeps == []


async def test_floods_in_several_chats_hold_everyone_and_slow_the_pace(emulator, make_bot) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time, max_rate=10)
    for chat in (AYU, BUDI, CITRA):
        emulator.faults.fail_next("429", chat_id=chat, retry_after=5)
    for chat in (AYU, BUDI):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(chat, "x", rate_limit_args=OUTBOX)
        assert not isinstance(caught.value, GlobalFloodWait)  # one or two chats: theirs only
    with pytest.raises(GlobalFloodWait):
        await bot.send_message(CITRA, "x", rate_limit_args=OUTBOX)
    calls = len(emulator.faults.served)
    with pytest.raises(GlobalFloodWait):  # told at once, Telegram is not asked
        await bot.send_message(DEDI, "x", rate_limit_args=OUTBOX)
    assert len(emulator.faults.served) == calls and texts(emulator, DEDI) == []

    await bot.send_message(DEDI, "a reply waits the flood out")
    assert time.sleeps == [5]
    # Then the overall pace is halved, of messages and of other calls alike: past the burst,
    # 10 a second became one every 0.2 s.
    people = [3000 + n for n in range(12)]
    for person in people:
        emulator.add_user(person, f"Person {person}")
        await bot.send_message(person, "paced")
    assert time.sleeps[1:] and all(s == pytest.approx(0.2) for s in time.sleeps[1:])
    del time.sleeps[1:]
    for _ in range(12):
        await bot.get_me()
    assert time.sleeps[1:] and all(s == pytest.approx(0.2) for s in time.sleeps[1:])


async def test_a_few_chats_429s_among_many_answers_stay_those_chats(emulator, make_bot) -> None:
    """A broadcast meets scattered per-chat 429s: three chats in two seconds among a hundred
    successes are theirs, not a global flood, so the pace is not halved."""
    time = VirtualTime(auto=True)
    bot = await make_bot(time, max_rate=100)
    people = [2000 + n for n in range(60)]
    for person in people:
        emulator.add_user(person, f"Person {person}")
    for person in people[10:40:10]:
        emulator.faults.fail_next("429", chat_id=person, retry_after=5)
    floods = []
    for person in people:
        try:
            await bot.send_message(person, "x", rate_limit_args=OUTBOX)
        except RetryAfter as flood:
            floods.append(flood)
    assert len(floods) == 3 and not any(isinstance(f, GlobalFloodWait) for f in floods)
    assert time.now < 1.0  # 60 sends at 100/s (after the burst): never slowed to half


# ---------------------------------------------------------------- passing failures


@pytest.mark.parametrize("kind", ["5xx", "timeout"])
async def test_passing_failures_are_retried_with_a_short_backoff(emulator, make_bot, kind) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time)
    emulator.faults.fail_next(kind, method="sendMessage", chat_id=AYU, times=2)
    await bot.send_message(AYU, "arrives once")
    assert texts(emulator, AYU) == ["arrives once"]
    assert time.sleeps == list(TRANSIENT_BACKOFF[:2])


async def test_passing_failures_give_up_after_the_last_backoff(emulator, make_bot) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time)
    emulator.faults.fail_next("timeout", chat_id=AYU, times=len(TRANSIENT_BACKOFF) + 1)
    with pytest.raises(TimedOut):
        await bot.send_message(AYU, "x")
    assert time.sleeps == list(TRANSIENT_BACKOFF)


async def test_refusals_are_never_retried(emulator, make_bot) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time)
    with pytest.raises(BadRequest):
        await bot.send_message(AYU, "<b>never closed", parse_mode="HTML")
    emulator.user_blocks_bot(BUDI)
    with pytest.raises(Forbidden):
        await bot.send_message(BUDI, "x")
    assert [call.status for call in emulator.rejected] == [400, 403]  # one call each
    assert time.sleeps == []


# ---------------------------------------------------------------- the outbox's own policy


async def test_outbox_sends_are_told_to_come_back_instead_of_waiting(emulator, make_bot) -> None:
    time = VirtualTime()  # any wait would hang the test
    bot = await make_bot(time)
    emulator.faults.fail_next("429", chat_id=AYU, retry_after=30)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(AYU, "reminder", rate_limit_args=OUTBOX)
    assert caught.value.retry_after.total_seconds() == 30
    with pytest.raises(RetryAfter):  # still held: refused without asking Telegram
        await bot.send_message(AYU, "another", rate_limit_args=OUTBOX)
    assert len(emulator.faults.served) == 1
    await bot.send_message(BUDI, "others go on", rate_limit_args=OUTBOX)
    emulator.faults.fail_next("5xx", chat_id=BUDI)
    with pytest.raises(NetworkError):  # the outbox backs off on its own schedule
        await bot.send_message(BUDI, "x", rate_limit_args=OUTBOX)
    for n in range(3):
        await bot.send_message(CITRA, f"burst {n}", rate_limit_args=OUTBOX)
    with pytest.raises(RetryAfter) as caught:  # Citra's chat is full: come back in a second
        await bot.send_message(CITRA, "one too many", rate_limit_args=OUTBOX)
    assert 0 < caught.value.retry_after.total_seconds() <= 1
    assert time.sleeps == []
    assert texts(emulator, BUDI) == ["others go on"]
    assert texts(emulator, CITRA) == ["burst 0", "burst 1", "burst 2"]


# ---------------------------------------------------------------- pacing


async def test_one_chat_is_paced_while_others_and_chatless_calls_are_not(
    emulator, make_bot
) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time, max_rate=1000)
    sent = await bot.send_message(
        AYU, "pick", reply_markup={"inline_keyboard": [[{"text": "go", "callback_data": "x"}]]}
    )
    for _ in range(4):  # answering buttons does not use up the chat's messages
        update = emulator.user_presses_button(AYU, sent.message_id, "x")
        await bot.answer_callback_query(update["callback_query"]["id"])
    await bot.send_chat_action(AYU, "typing")
    assert time.sleeps == []
    for n in range(4):
        await bot.send_message(AYU, f"more {n}")
        await bot.send_message(BUDI, f"to Budi {n}")
    # Ayu: a burst of three messages (with "pick"), then one a second; Budi never waits.
    assert time.sleeps == [pytest.approx(1.0)] * 2
    for n in range(4):
        await bot.send_message(GROUP, f"group {n}")
    assert time.sleeps[2:] == [pytest.approx(3.0)]  # 20 a minute in a group


async def test_the_overall_pace_spreads_a_burst(emulator, make_bot) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time, max_rate=2)
    await bot.get_me()  # with initialize()'s getMe, the burst of max_rate
    await bot.get_me()
    assert time.sleeps == [pytest.approx(0.5)]


async def test_calls_that_send_no_message_leave_the_messages_pace_alone(emulator, make_bot) -> None:
    """Telegram's overall limit is on messages: the members' own command menus a start sets
    (setMyCommands, 10 a second for 10,000 members) took a third of the prompts' turns."""
    time = VirtualTime(auto=True)
    bot = await make_bot(time, max_rate=10)
    members = (AYU, BUDI, CITRA, DEDI)
    menu = [BotCommand("help", "What I can do")]
    for chat in members * 3:  # more than a burst of them
        await bot.set_my_commands(menu, scope=BotCommandScopeChat(chat))
    assert time.sleeps  # paced among themselves
    time.sleeps.clear()
    for n in range(10 - REPLY_RESERVE):
        await bot.send_message(members[n % 4], f"prompt {n}", rate_limit_args=OUTBOX)
    assert time.sleeps == []


async def test_the_outbox_takes_the_turns_replies_leave_and_never_theirs(
    emulator, make_bot
) -> None:
    time = VirtualTime(auto=True)
    bot = await make_bot(time, max_rate=10)  # a burst of 10 turns, one back every 0.1 s
    members = (AYU, BUDI, CITRA, DEDI)
    # The outbox leaves REPLY_RESERVE turns to replies (initialize()'s getMe sent no message).
    for n in range(10 - REPLY_RESERVE):
        await bot.send_message(members[n % 4], f"reminder {n}", rate_limit_args=OUTBOX)
    assert time.sleeps == []
    for n in range(REPLY_RESERVE):  # replies still go at once
        await bot.send_message(members[n], f"reply {n}")
    assert time.sleeps == []
    # The next reminder waits for a turn to come back *and* the reserve to refill.
    await bot.send_message(DEDI, "reminder late", rate_limit_args=OUTBOX)
    assert time.sleeps == [pytest.approx((1 + REPLY_RESERVE) / 10)]
