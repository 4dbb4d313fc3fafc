"""Members, groups and storage checks for journeys through crisis safety."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.groups import a_group
from tests.journeys.helpers.onboarding import onboard_in_english


def assert_stored_nowhere(world: BotWorld, text: str) -> None:
    """No table holds ``text`` (or a part of it) in any column."""
    with sqlite3.connect(world.db_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):
                for value in row:
                    assert not (isinstance(value, str) and text in value), (table, row)


def member_id(world: BotWorld, alias: str) -> int:
    [(found,)] = rows(world, "SELECT id FROM members WHERE alias = ?", alias)
    return found


async def a_member(world: BotWorld, user_id: int, alias: str) -> Person:
    person = world.person(user_id, alias.split()[0], "en")
    await onboard_in_english(person, alias=alias)
    return person


async def a_group_with(world: BotWorld, *, facilitators: list[str], members: list[str]) -> int:
    """A group whose facilitators and members are the given (already registered) aliases."""
    group_id = await a_group(world)
    groups = world.app.bot_data["services"].groups
    for alias in facilitators:
        await groups.add_facilitator(group_id, member_id(world, alias), world.clock.now())
        world.clock.advance(timedelta(seconds=1))  # "first facilitator" is by time added
    for alias in members:
        assert await groups.add_member(group_id, member_id(world, alias), world.clock.now())
    return group_id
