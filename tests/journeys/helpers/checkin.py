"""Answering the weekly check-in through its buttons, as a member would."""

from __future__ import annotations

from collections.abc import Sequence

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows

# Five WHO-5 answers (raw 4 each: a score of 80), then the three quality-of-life items.
WELL = ("Most of the time",) * 5
QUALITY = ("Mostly", "Somewhat", "Completely")
LOW = ("At no time",) * 5


async def answer_all(person: Person, labels: Sequence[str]) -> None:
    """Presses, on each question in turn, the answer (or "Skip this one") named."""
    for label in labels:
        await person.press(label)


async def check_in(person: Person, who5: Sequence[str] = WELL) -> None:
    """/checkin answered from start to end."""
    await person.send("/checkin")
    await answer_all(person, [*who5, *QUALITY])


def toasts(world: BotWorld) -> list[str]:
    return [answer.get("text") or "" for answer in world.emulator.callback_answers.values()]


def sittings(world: BotWorld) -> list[tuple]:
    """(instrument, answers, score, completed) of every sitting, oldest first."""
    return rows(
        world,
        "SELECT instrument, answers, score, completed_at IS NOT NULL FROM questionnaires"
        " ORDER BY id",
    )
