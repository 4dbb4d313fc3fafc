"""A fuzz run: at every step of every conversation, for every role that can get there, and
outside any conversation for every role, anything a person or a forger can send.

After each input: no handler raised and nothing was logged as an error, Telegram accepted
every call the bot made (the emulation refuses invalid HTML, over-long texts and bad buttons),
and the database passes SQLite's integrity and foreign-key checks. Inputs come from
tests/journeys/helpers/fuzz.py; profiles are in tests/robustness/conftest.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import groupby

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.cast import ROLES, Cast
from tests.journeys.helpers.consistency import assert_database_consistent
from tests.journeys.helpers.conversation_steps import WAYS, all_steps, cases, reach
from tests.journeys.helpers.fuzz import inputs, send_input

# (conversation, role) -> its steps, in a stable order.
STEPS = {
    key: [step for _conversation, step, _role in found]
    for key, found in groupby(
        sorted(cases(), key=lambda case: (case[0], case[2], case[1])),
        key=lambda case: (case[0], case[2]),
    )
}


async def test_every_step_of_every_conversation_has_a_way_to_it(world: BotWorld) -> None:
    assert all_steps(world) == set(WAYS)


@dataclass(frozen=True)
class Marks:
    """How much was recorded before an input, so a failure is pinned on the input that
    caused it (the bot runs on across a test's examples)."""

    errors: int
    rejected: int
    logged: int

    @staticmethod
    def now(world: BotWorld, caplog: pytest.LogCaptureFixture) -> Marks:
        return Marks(len(world.errors), len(world.emulator.rejected), len(caplog.records))


def assert_clean(world: BotWorld, caplog: pytest.LogCaptureFixture, marks: Marks) -> None:
    assert world.errors[marks.errors :] == []
    assert world.emulator.rejected[marks.rejected :] == []
    logged = caplog.records[marks.logged :]
    assert [r.getMessage() for r in logged if r.levelno >= logging.ERROR] == []
    assert_database_consistent(world)


async def reach_again(cast: Cast, conversation: str, step: str, role: str) -> Person:
    """The way to a step, from the snapshot if an earlier input changed the person's
    situation on purpose (left the group, ended a pairing, used up their open questions)."""
    try:
        return await reach(cast, conversation, step, role)
    except (AssertionError, LookupError):
        await cast.restore()
        return await reach(cast, conversation, step, role)


@pytest.mark.parametrize(("conversation", "role"), sorted(STEPS))
@given(data=st.data())
async def test_anything_at_any_step(
    cast: Cast, caplog: pytest.LogCaptureFixture, conversation: str, role: str, data: st.DataObject
) -> None:
    caplog.set_level(logging.INFO)
    for step in STEPS[conversation, role]:
        person = await reach_again(cast, conversation, step, role)
        given_input = data.draw(inputs(), label=f"{conversation}.{step} ({role})")
        marks = Marks.now(cast.world, caplog)
        await send_input(person, given_input)
        assert_clean(cast.world, caplog, marks)


@pytest.mark.parametrize("role", ROLES)
@given(data=st.data())
async def test_anything_outside_a_conversation(
    cast: Cast, caplog: pytest.LogCaptureFixture, role: str, data: st.DataObject
) -> None:
    caplog.set_level(logging.INFO)
    person = cast.role(role)
    await person.send("/cancel")
    for _ in range(3):
        marks = Marks.now(cast.world, caplog)
        await send_input(person, data.draw(inputs(), label=f"outside ({role})"))
        assert_clean(cast.world, caplog, marks)
