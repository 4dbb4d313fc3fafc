"""The emulator's group chats, edited messages and injected faults, seen through PTB."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Bot, Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import ControllableClock
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest

AYU, GROUP = 1001, -100200
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def emulator() -> BotApiEmulator:
    emulator = BotApiEmulator(clock=ControllableClock(START), queue_updates=False)
    emulator.add_user(AYU, "Ayu")
    emulator.add_group(GROUP, "Lingkar Jakarta", supergroup=True)
    return emulator


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> Bot:
    request = EmulatorRequest(emulator)
    bot = Bot(emulator.token, request=request, get_updates_request=request)
    await bot.initialize()
    return bot


async def test_a_group_message_names_the_group_and_its_sender(emulator, bot) -> None:
    update = Update.de_json(emulator.user_sends_text(AYU, "/mydata@RangkulBot", chat_id=GROUP), bot)
    assert update.effective_chat.type == "supergroup"
    assert update.effective_chat.title == "Lingkar Jakarta"
    assert update.effective_user.id == AYU
    await bot.send_message(GROUP, "hello group")
    assert [e.text for e in emulator.bot_messages(GROUP)] == ["hello group"]
    assert emulator.bot_messages(AYU) == []


async def test_a_button_in_a_group_comes_from_the_presser(emulator, bot) -> None:
    sent = await bot.send_message(
        GROUP, "pick", reply_markup={"inline_keyboard": [[{"text": "go", "callback_data": "x:go"}]]}
    )
    update = Update.de_json(
        emulator.user_presses_button(AYU, sent.message_id, "x:go", chat_id=GROUP), bot
    )
    assert update.callback_query.from_user.id == AYU
    assert update.callback_query.message.chat.id == GROUP


async def test_an_edit_arrives_as_edited_message(emulator, bot) -> None:
    first = emulator.user_sends_text(AYU, "Melati")["message"]["message_id"]
    update = Update.de_json(emulator.user_edits_text(AYU, first, "Mawar"), bot)
    assert update.message is None
    assert update.edited_message.text == "Mawar"
    assert update.edited_message.edit_date is not None
    with pytest.raises(LookupError):
        emulator.user_edits_text(AYU, 999, "nope")


@pytest.mark.parametrize(
    ("kind", "error"),
    [("5xx", NetworkError), ("429", RetryAfter), ("timeout", TimedOut), ("403", Forbidden)],
)
async def test_a_planned_fault_fails_once_then_the_call_lands(emulator, bot, kind, error) -> None:
    emulator.faults.fail_next(kind, method="sendMessage", chat_id=AYU, retry_after=7)
    with pytest.raises(error):
        await bot.send_message(AYU, "first try")
    assert emulator.bot_messages(AYU) == []  # a fault is served before the call takes effect
    await bot.send_message(AYU, "second try")
    assert [e.text for e in emulator.bot_messages(AYU)] == ["second try"]
    assert [f.kind for f in emulator.faults.served] == [kind]
    assert emulator.rejected == []  # faults are not the bot's mistakes


async def test_a_429_carries_retry_after(emulator, bot) -> None:
    emulator.faults.fail_next("429", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(AYU, "x")
    assert caught.value.retry_after.total_seconds() == 7


async def test_a_fault_for_one_chat_spares_the_others(emulator, bot) -> None:
    emulator.faults.fail_next("5xx", chat_id=AYU, times=2)
    await bot.send_message(GROUP, "fine")
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(AYU, "x")
    await bot.send_message(AYU, "now fine")


async def test_random_faults_hit_about_their_rate_and_never_get_updates(emulator, bot) -> None:
    emulator.faults.fail_randomly(0.1, kinds=["5xx"], seed=3)
    failures = 0
    for _ in range(400):
        try:
            await bot.send_message(AYU, "x")
        except NetworkError:
            failures += 1
    assert 20 <= failures <= 60
    emulator.faults.fail_randomly(1.0, kinds=["5xx"])
    assert await bot.get_updates(timeout=0) == ()
    emulator.faults.clear()
    await bot.send_message(AYU, "calm again")


async def test_a_403_fault_says_the_bot_was_blocked_but_leaves_the_chat_open(emulator, bot) -> None:
    emulator.faults.fail_next("403", chat_id=AYU)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(AYU, "x")
    assert not emulator.is_blocked(AYU)  # a planned answer, not a change of the chat
    assert emulator.rejected == []


async def test_random_faults_are_passing_ones_unless_asked(emulator, bot) -> None:
    emulator.faults.fail_randomly(1.0)
    for _ in range(40):
        with pytest.raises((NetworkError, RetryAfter)):
            await bot.send_message(AYU, "x")
    assert {fault.kind for fault in emulator.faults.served} == {"5xx", "429", "timeout"}


def test_unknown_fault_kinds_are_refused(emulator) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        emulator.faults.fail_next("418")
