"""The people of robustness journeys, one per role: a visitor who has not joined, a member of
the group, its facilitator, the facilitator of another group, and a coordinator.

The fuzz run and the authorization matrix send the same inputs from each of them; which role
someone has is what decides what the bot lets them do.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.meetings import a_facilitator, a_group, a_person, member_id, services
from tests.journeys.helpers.onboarding import onboard_in_english

VISITOR, MEMBER, FACILITATOR, OTHER_FACILITATOR, COORDINATOR = 601, 602, 603, 604, 605
ROLES = ("visitor", "member", "facilitator", "coordinator")
THE_GROUP, OTHER_GROUP = "Teman Cerita Makassar", "Lingkar Pagi Bandung"
ALIASES = ("Anggota Satu", "Fasil Sari", "Fasil Lain", "Koordinator Satu")


@dataclass
class Cast:
    world: BotWorld
    group_id: int
    other_group_id: int
    visitor: Person
    member: Person
    facilitator: Person
    other_facilitator: Person
    coordinator: Person
    saved: Path | None = None

    def role(self, name: str) -> Person:
        """The person who has the role ``name`` (one of ROLES, or "other_facilitator")."""
        person = getattr(self, name)
        assert isinstance(person, Person), name
        return person

    def snapshot(self) -> None:
        """Keeps a copy of the database as it is now (SQLite's online backup: the bot runs on)."""
        self.saved = self.world.db_path.with_name("cast.sqlite3")
        _backup(self.world.db_path, self.saved)

    async def restore(self) -> None:
        """Everyone back where they were at the snapshot (memberships, roles, drafts, steps):
        an input may legitimately change someone's situation, e.g. a forged but well-formed
        "leave the group" press by the member themself."""
        assert self.saved is not None, "no snapshot was taken"
        await self.world.stop()  # nothing the bot keeps in memory outlives the copy
        _backup(self.saved, self.world.db_path)
        await self.world.start()


def _backup(source: Path, target: Path) -> None:
    """Through SQLite, not the file system: a connection still open on ``target`` (a test's
    read) would otherwise write its old WAL back over the copy."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


async def a_cast(world: BotWorld) -> Cast:
    await world.restart(admin_ids=frozenset({COORDINATOR}))
    group_id = await a_group(world, name=THE_GROUP, online=True)  # a link step too
    other_group_id = await a_group(world, name=OTHER_GROUP)
    member = await a_person(world, MEMBER, ALIASES[0])
    assert await services(world).groups.add_member(
        group_id, await member_id(world, member), world.clock.now()
    )
    facilitator = await a_facilitator(world, group_id, FACILITATOR)
    other = await a_person(world, OTHER_FACILITATOR, ALIASES[2])
    await services(world).groups.add_facilitator(
        other_group_id, await member_id(world, other), world.clock.now()
    )
    coordinator = world.person(COORDINATOR, "Koor", "en")
    await onboard_in_english(coordinator, alias=ALIASES[3])
    return Cast(
        world,
        group_id,
        other_group_id,
        visitor=world.person(VISITOR, "Tamu", "en"),
        member=member,
        facilitator=facilitator,
        other_facilitator=other,
        coordinator=coordinator,
    )
