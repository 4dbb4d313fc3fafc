"""Defects the fuzz run found, each pinned by the input that showed it."""

from __future__ import annotations

from tests.journeys.helpers.cast import Cast
from tests.journeys.helpers.conversation_steps import reach


async def test_a_forged_capacity_out_of_bounds_is_refused_with_the_step_again(cast: Cast) -> None:
    """nm:cap:0 (a capacity button with its number replaced) answered the press twice, which
    Telegram refuses: the flow raised instead of asking again."""
    facilitator = await reach(cast, "new_meeting", "CAPACITY", "facilitator")
    problem, step = await facilitator.press_data(facilitator.last.message_id, "nm:cap:0")
    assert "whole number between" in problem.text
    assert "20" in [b["text"] for row in step.reply_markup["inline_keyboard"] for b in row]


async def test_a_forged_link_choice_naming_no_group_chat_asks_telegram_nothing(cast: Cast) -> None:
    """gx:link:0:0 (a chat id that no group chat has: those are negative) made the bot ask
    Telegram about chat 0, which Telegram refuses; now it is the expired-choice toast."""
    facilitator = cast.facilitator
    await facilitator.send("/menu")
    assert await facilitator.press_data(facilitator.last.message_id, "gx:link:0:1") == []
    assert cast.world.emulator.rejected == []
    assert list(cast.world.emulator.callback_answers.values())[-1].get("text")
