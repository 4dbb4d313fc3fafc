"""Every button of every flow, tapped twice: the second tap posts nothing, changes nothing, is
answered with a short toast, and Telegram refuses no call (the fixture checks that).

Table-driven: each row is a flow and the path of button labels that walks it from its command;
every button on the path is double-tapped where it is pressed. Add a row for a new flow.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.meetings import a_facilitator, a_group, schedule_weekly

TOAST = {"en": "This has already been taken care of.", "id": "Ini sudah beres."}
# Buttons that stay on their message and act again when pressed again once the message has
# changed (a fresh suggestion each time): a second tap edits in place and posts nothing.
REPEATABLE = {"Another one"}


@dataclass(frozen=True)
class Walk:
    name: str
    command: str  # "" when ``given`` has brought the person to the first button already
    labels: tuple[str, ...]
    language: str = "en"
    # What the world holds (and what the person did) before the walk.
    given: Callable[[BotWorld, Person], Awaitable[None]] | None = None


async def a_visitor_asked_to_sign_up_for_a_trial(world: BotWorld, person: Person) -> None:
    group_id = await a_group(world, trial_seats=2)
    await schedule_weekly(await a_facilitator(world, group_id))
    await person.send("/groups")
    for label in ("All groups", "Teman Cerita Makassar", "Try a session"):
        await person.press(label)


WALKS = [
    Walk(
        "onboarding, suggested alias",
        "/start",
        (
            "English",
            "Continue",
            "Yes, I'm 18 or older",
            "I agree",
            "Use this alias",
            "Next",
            "Previous",
            "Next",
            "Bali",
            "Anxiety",
            "Done",
        ),
    ),
    Walk(
        "onboarding, another alias, online only",
        "/start",
        (
            "English",
            "Continue",
            "Yes, I'm 18 or older",
            "I agree",
            "Another one",
            "Use this alias",
            "Online only",
            "Trauma",
            "Done",
        ),
    ),
    Walk("onboarding, under 18", "/start", ("English", "Continue", "No, I'm under 18")),
    Walk(
        "onboarding, no consent",
        "/start",
        ("English", "Continue", "Yes, I'm 18 or older", "Not now"),
    ),
    Walk(
        "onboarding in Indonesian",
        "/start",
        (
            "Bahasa Indonesia",
            "Lanjut",
            "Ya, usia saya 18",
            "Saya setuju",
            "Pakai alias ini",
            "Daring saja",
            "Selesai",
        ),
        language="id",
    ),
    Walk(
        "a visitor's trial, through sign-up",
        "",
        (
            "Sign up",
            "Continue",
            "Yes, I'm 18 or older",
            "I agree",
            "Use this alias",
            "Online only",
            "Done",
        ),
        given=a_visitor_asked_to_sign_up_for_a_trial,
    ),
]


def toasts(world: BotWorld) -> list[str | None]:
    return [answer["text"] for answer in world.emulator.callback_answers.values()]


async def double_tap(world: BotWorld, person: Person, label: str, language: str) -> None:
    message_id, data = person.button(label)
    await person.press_data(message_id, data)
    shown = [
        (m.message_id, m.text, m.reply_markup) for m in world.emulator.bot_messages(person.user_id)
    ]
    again = await person.press_data(message_id, data)
    assert again == [], f"{label!r}: the second tap posted {[m.text for m in again]}"
    if label in REPEATABLE:
        return
    after = [
        (m.message_id, m.text, m.reply_markup) for m in world.emulator.bot_messages(person.user_id)
    ]
    assert after == shown, f"{label!r}: the second tap changed a message"
    assert toasts(world)[-1] == TOAST[language], label


@pytest.mark.parametrize("walk", WALKS, ids=[walk.name for walk in WALKS])
async def test_a_second_tap_of_any_button_changes_nothing(world: BotWorld, walk: Walk) -> None:
    person = world.person(700, "Tapper", walk.language)
    if walk.given is not None:
        await walk.given(world, person)
    if walk.command:
        await person.send(walk.command)
    for label in walk.labels:
        await double_tap(world, person, label, walk.language)
