"""Buddies for journeys: members of one group who asked for a buddy, and the clock moved to
the pairing round (Monday 09:00 in the group's timezone, Makassar)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.journeys.harness import BotWorld, Person

# Monday 7 December 2026, 09:00 in Makassar: the first round after the journeys' start.
FIRST_ROUND = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


async def ask_for_a_buddy(person: Person) -> None:
    """/buddy in a one-group person's chat, then "Find me a buddy"."""
    await person.send("/buddy")
    await person.press("Find me a buddy")
    assert "you're looking for a buddy" in person.last.text, person.last.text


async def pair_at_round(world: BotWorld, moment: datetime = FIRST_ROUND) -> None:
    """The clock at ``moment``, then a heartbeat: the round pairs and the outbox sends."""
    world.clock.advance(moment - world.clock.now())
    await world.tick()
    await world.tick()  # messages planned by the first pass go out
