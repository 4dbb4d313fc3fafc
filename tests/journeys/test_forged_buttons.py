"""Forged and malformed buttons: data that parses as no action reaches no feature's handler,
whatever area it names, and gets the kind expired-button answer."""

from __future__ import annotations

import pytest

from tests.journeys.harness import BotWorld
from tests.journeys.helpers.onboarding import onboard_in_english

EXPIRED = "This button is no longer active. Send /menu to start again."


@pytest.mark.parametrize(
    "data",
    [
        "mt:rsvp:12:maybe",  # not an answer
        "mt:rsvp:-1:y",  # ids are never negative
        "mt:atx:1:x:0",  # a non-number no longer shifts the numbers after it
        "gc:unfacy:1",  # a field missing
        "gr:card:99999999999999999999",  # more digits than any id
        "gr:list:later::0",  # not a filter
        "ob:page:-1",
        "menu:help:more",  # a field too many
        "rs:ls:crisis:z:0",  # not a scope
        "sp:edit:nothing",  # not a section of the plan
        "nm:rep:yearly",  # not a recurrence
        "lang:lang:",
        "cr:alert:maybe",
        "gd:senses:one",
    ],
)
async def test_malformed_data_gets_the_expired_button_answer(world: BotWorld, data: str) -> None:
    rina = world.person(801, "Rina", "en")
    await onboard_in_english(rina, alias="Rina Senja")
    await rina.send("/menu")
    assert await rina.press_data(rina.last.message_id, data) == []
    assert list(world.emulator.callback_answers.values())[-1] == {
        "text": EXPIRED,
        "show_alert": True,
    }
